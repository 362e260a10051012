import { createHash } from 'crypto';
import type { Accepted, Page, ReceivableView } from './support/answers';
import { sha } from './support/fixtures';
import { World } from './support/world';

describe('issuing and signing for a receivable', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); });

  test('a core enterprise issues a receivable and its tier-1 supplier signs for it, receiving the first certificate', async () => {
    const receivable = await world.issue('coreA', 'tier1', '1000000');
    expect(receivable).toMatchObject({ status: 'ISSUED', debtorId: world.id('coreA'), creditorId: world.id('tier1'), faceAmount: '1000000', currency: 'CNY' });
    expect(receivable.id).toMatch(/^rcv_[0-9a-f]{64}$/);

    const { receivable: accepted, certificate } = await world.submit<Accepted>(world.as('tier1'), 'Receivable:Accept', [receivable.id]);
    expect(accepted).toMatchObject({ status: 'ACCEPTED', rootCertificateId: certificate.id });
    expect(certificate).toMatchObject({ holderId: world.id('tier1'), amount: '1000000', status: 'ACTIVE', parentId: null, depth: 0 });
    expect(world.lastEvent().name).toBe('ReceivableAccepted');
  });

  test('the supplier may refuse; the invoice is released so a corrected receivable can be issued', async () => {
    const invoice = world.invoice('tier1', 'coreA');
    const first = await world.issue('coreA', 'tier1', '500000', invoice);
    const refused = await world.submit(world.as('tier1'), 'Receivable:Refuse', [first.id, 'amount does not match the delivery note']);
    expect(refused).toMatchObject({ status: 'REFUSED', refusalReason: 'amount does not match the delivery note' });
    await world.refused('INVALID_STATE', () => world.submit(world.as('tier1'), 'Receivable:Accept', [first.id]));
    const second = await world.issue('coreA', 'tier1', '450000', invoice);
    expect(second.status).toBe('ISSUED');
  });

  test('an invoice already backing a receivable cannot back another, however its fields are written', async () => {
    await world.issue('coreA', 'tier1', '500000', world.invoice('tier1', 'coreA', '00012345'));
    const disguised = JSON.stringify({
      invoiceCode: ' 3100-231130 ',
      invoiceNumber: '０００１２３４５', // full-width digits
      sellerRegistrationNumber: world.parties.tier1.registrationNumber.toLowerCase(),
      buyerRegistrationNumber: world.parties.coreA.registrationNumber,
    });
    await world.refused('INVOICE_ALREADY_USED', () => world.issue('coreA', 'tier1', '500000', disguised));
  });

  test('the double-financing key is a salted hash that reveals nothing of the invoice, in state or events', async () => {
    const invoice = world.invoice('tier1', 'coreA', '00077777');
    const receivable = await world.issue('coreA', 'tier1', '500000', invoice);
    const plain = createHash('sha256').update('3100231130|00077777').digest('hex');
    expect(receivable.invoiceKey).toMatch(/^[0-9a-f]{64}$/);
    expect(receivable.invoiceKey).not.toBe(plain);
    const everything = JSON.stringify(world.events.map((e) => Buffer.from(e.payload).toString()));
    expect(everything).not.toContain('00077777');
    expect(everything).not.toContain(world.parties.tier1.registrationNumber);
    const state = await world.engine.store.range('scf', '', '');
    expect(state.map(([k, v]) => k + Buffer.from(v.value).toString()).join()).not.toContain('00077777');
  });

  test('the invoice must be between the receivable\'s two parties', async () => {
    const wrongSeller = world.invoice('tier2', 'coreA');
    await world.refused('INVALID_ARGUMENT', () => world.issue('coreA', 'tier1', '1000', wrongSeller));
    const wrongBuyer = world.invoice('tier1', 'coreB');
    await world.refused('INVALID_ARGUMENT', () => world.issue('coreA', 'tier1', '1000', wrongBuyer));
  });

  test.each([
    ['a zero amount', ['0']],
    ['a negative amount', ['-5']],
    ['a decimal amount', ['10.50']],
    ['an amount over int64', ['9223372036854775808']],
    ['a lowercase currency', ['1000', 'cny']],
    ['an impossible due date', ['1000', 'CNY', '2027-02-30']],
    ['a due date already past', ['1000', 'CNY', '2026-12-31']],
    ['a malformed invoice hash', ['1000', 'CNY', '2027-06-30', 'abc']],
  ])('issuing with %s is refused and changes nothing', async (_label, overrides) => {
    const args = ['1000', 'CNY', '2027-06-30', sha('inv'), sha('contract'), world.lineOf('coreA')];
    overrides.forEach((value, i) => { args[i] = value; });
    await world.refused('INVALID_ARGUMENT', () =>
      world.submit(world.as('coreA'), 'Receivable:Issue', [world.id('tier1'), ...args], { invoice: world.invoice('tier1', 'coreA') }));
  });

  test('issuing without the invoice fields in transient data is refused', async () => {
    await world.refused('INVALID_ARGUMENT', () =>
      world.submit(world.as('coreA'), 'Receivable:Issue', [world.id('tier1'), '1000', 'CNY', world.dueIn(30), sha('i'), sha('c'), world.lineOf('coreA')]));
  });

  test('only the named creditor signs for a receivable; a core enterprise cannot issue to a non-supplier', async () => {
    const receivable = await world.issue('coreA', 'tier1', '1000');
    await world.refused('FORBIDDEN', () => world.submit(world.as('tier2'), 'Receivable:Accept', [receivable.id]));
    await world.refused('FORBIDDEN', () => world.submit(world.as('coreA'), 'Receivable:Accept', [receivable.id]));
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('coreA'), 'Receivable:Issue',
      [world.id('bank'), '1000', 'CNY', world.dueIn(30), sha('i'), sha('c'), world.lineOf('coreA')], { invoice: world.invoice('bank', 'coreA') }));
  });

  test('parties list their own receivables; others may not look', async () => {
    const { receivableId } = await world.issued('coreA', 'tier1', '1000');
    const mine = await world.evaluate<Page<ReceivableView>>(world.as('coreA'), 'Receivable:ListByDebtor', [world.id('coreA'), '10', '']);
    expect(mine.items.map((r) => r.id)).toEqual([receivableId]);
    const theirs = await world.evaluate<Page<ReceivableView>>(world.as('tier1'), 'Receivable:ListByCreditor', [world.id('tier1'), '10', '']);
    expect(theirs.items).toHaveLength(1);
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('coreB'), 'Receivable:ListByDebtor', [world.id('coreA'), '10', '']));
    const audited = await world.evaluate<Page<ReceivableView>>(world.as('auditor'), 'Receivable:ListByDebtor', [world.id('coreA'), '10', '']);
    expect(audited.items).toHaveLength(1);
  });
});
