import type { CertificateIn } from './support/answers';
import { World } from './support/world';

describe('the embedded engine keeps Fabric\'s validation rules', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); });

  test('two racing spends of one certificate: both endorse, only the first to commit is valid (MVCC)', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    const offerTo = (to: 'tier2' | 'tier3') => world.engine.endorse({
      identity: world.as('tier1'), transaction: 'Certificate:OfferTransfer', args: [certificateId, world.id(to), world.inSeconds(600)],
    });
    const [first, second] = await Promise.all([offerTo('tier2'), offerTo('tier3')]);
    await world.engine.commit(first);
    const before = await world.digest();
    await expect(world.engine.commit(second)).rejects.toMatchObject({ validationCode: 'MVCC_READ_CONFLICT' });
    expect(await world.digest()).toBe(before);
    expect((await world.evaluate<CertificateIn<'OFFERED'>>(world.as('tier1'), 'Certificate:Get', [certificateId])).offer.to).toBe(world.id('tier2'));
    expect(await world.engine.store.transaction(second.txId)).toMatchObject({ valid: false, validationCode: 'MVCC_READ_CONFLICT' });
  });

  test('independent operations on different certificates never conflict', async () => {
    const a = await world.issued('coreA', 'tier1', '1000000');
    const b = await world.issued('coreB', 'tier2', '1000000');
    const endorsed = await Promise.all([
      world.engine.endorse({ identity: world.as('tier1'), transaction: 'Certificate:Split', args: [a.certificateId, '["500000","500000"]'] }),
      world.engine.endorse({ identity: world.as('tier2'), transaction: 'Certificate:OfferTransfer', args: [b.certificateId, world.id('tier3'), world.inSeconds(60)] }),
      world.engine.endorse({ identity: world.as('coreA'), transaction: 'Receivable:Issue',
        args: [world.id('tier1'), '5000', 'CNY', world.dueIn(30), 'a'.repeat(64), 'b'.repeat(64), world.lineOf('coreA')], transient: { invoice: world.invoice('tier1', 'coreA') } }),
    ]);
    for (const tx of endorsed) await expect(world.engine.commit(tx)).resolves.toMatchObject({ txId: tx.txId });
  });

  test('a range read that changed before commit is a phantom and invalidates the transaction', async () => {
    // Enterprise:Get reads the enterprise's identity index by partial key: a range read.
    const view = await world.engine.endorse({ identity: world.as('auditor'), transaction: 'Enterprise:Get', args: [world.id('tier1')] });
    expect(view.rwset.rangeReads).toHaveLength(1);
    const extra = await world.cas.bank1.issue({ commonName: 'tier1-second-key' });
    await world.submit(world.admins.bank1, 'Enterprise:BindIdentity', [world.id('tier1'), 'Bank1MSP', extra.clientId]);
    await expect(world.engine.commit(view)).rejects.toMatchObject({ validationCode: 'PHANTOM_READ_CONFLICT' });
  });

  test('a transaction id commits once; replaying the same endorsed transaction is refused', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    const endorsed = await world.engine.endorse({ identity: world.as('tier1'), transaction: 'Certificate:Split', args: [certificateId, '["500000","500000"]'] });
    await world.engine.commit(endorsed);
    await expect(world.engine.commit(endorsed)).rejects.toMatchObject({ validationCode: 'DUPLICATE_TXID' });
  });

  test('timestamps and ids come from the proposal, so every endorser derives the same records', async () => {
    const receivable = await world.issue('coreA', 'tier1', '1000');
    expect(receivable.issuedAt).toBe(new Date(world.now).toISOString());
    expect(receivable.id).toBe(`rcv_${receivable.issueTxId}`);
  });
});
