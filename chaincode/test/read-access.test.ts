import type { Certificate } from '../src/domain/model';
import type { History, Lineage, Split, Tree } from './support/answers';
import { World } from './support/world';

/**
 * Need to know (access/read-policy.ts): who reads which record, told as stories. Each
 * refusal is FORBIDDEN; auditors and regulators read everything.
 */
describe('need-to-know reads', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); });

  /** coreA owes tier1; tier1 keeps one branch and passes the other to tier2, who passes half on to tier3. */
  async function tree() {
    const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '1000000');
    const first = await world.submit<Split>(world.as('tier1'), 'Certificate:Split', [certificateId, '["700000","300000"]']);
    const kept = first.children[0]!.id;
    const passed = first.children[1]!.id;
    await world.transfer(passed, 'tier1', 'tier2');
    const second = await world.submit<Split>(world.as('tier2'), 'Certificate:Split', [passed, '["200000","100000"]']);
    const tier2Kept = second.children[0]!.id;
    const leaf = second.children[1]!.id;
    await world.transfer(leaf, 'tier2', 'tier3');
    return { receivableId, rootId: certificateId, kept, passed, tier2Kept, leaf };
  }

  test('a holder reads its piece and its lineage up to the receivable, not a sibling branch, the tree or the receivable alone', async () => {
    const { receivableId, rootId, kept, passed, tier2Kept, leaf } = await tree();
    const lineage = await world.evaluate<Lineage>(world.as('tier3'), 'Trace:Lineage', [leaf]);
    expect(lineage.path.map((c) => c.id)).toEqual([rootId, passed, leaf]);
    expect(lineage.receivable.id).toBe(receivableId);
    expect(await world.evaluate<Certificate>(world.as('tier3'), 'Certificate:Get', [leaf])).toMatchObject({ id: leaf });
    for (const other of [kept, tier2Kept, passed, rootId]) {
      await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier3'), 'Certificate:Get', [other]));
    }
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier3'), 'Trace:Lineage', [kept]));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier3'), 'Trace:Tree', [receivableId]));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier3'), 'Receivable:Get', [receivableId]));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier1'), 'Trace:Tree', [receivableId]));
  });

  test('the debtor reads the whole tree and every piece; the creditor its receivable; oversight everything', async () => {
    const { receivableId, kept, leaf } = await tree();
    const tree1 = await world.evaluate<Tree>(world.as('coreA'), 'Trace:Tree', [receivableId]);
    expect(tree1.livePieces).toBe(3);
    expect(await world.evaluate<Certificate>(world.as('coreA'), 'Certificate:Get', [leaf])).toMatchObject({ id: leaf });
    expect(await world.evaluate(world.as('tier1'), 'Receivable:Get', [receivableId])).toMatchObject({ id: receivableId });
    for (const overseer of ['auditor', 'regulator'] as const) {
      expect(await world.evaluate<Tree>(world.as(overseer), 'Trace:Tree', [receivableId])).toMatchObject({ livePieces: 3 });
      expect(await world.evaluate<Certificate>(world.as(overseer), 'Certificate:Get', [kept])).toMatchObject({ id: kept });
    }
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('coreB'), 'Receivable:Get', [receivableId]));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('coreB'), 'Certificate:Get', [leaf]));
  });

  test('an offer\'s recipient reads the offered piece while it is offered to it', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '5000');
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier2'), 'Certificate:Get', [certificateId]));
    await world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(3600)]);
    expect(await world.evaluate<Certificate>(world.as('tier2'), 'Certificate:Get', [certificateId])).toMatchObject({ status: 'OFFERED' });
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier3'), 'Certificate:Get', [certificateId]));
    await world.submit(world.as('tier2'), 'Certificate:RefuseTransfer', [certificateId]);
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier2'), 'Certificate:Get', [certificateId]));
  });

  test('a bank sees a piece only from the application on: the piece, its lineage and the financing', async () => {
    const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '5000');
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('bank'), 'Certificate:Get', [certificateId]));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('bank'), 'Trace:Lineage', [certificateId]));
    const { financing } = await world.apply('tier1', certificateId, { amount: '4000', rateBps: 300, tenorEnd: world.dueIn(30) });
    expect(await world.evaluate<Certificate>(world.as('bank'), 'Certificate:Get', [certificateId])).toMatchObject({ status: 'PLEDGED' });
    const lineage = await world.evaluate<Lineage>(world.as('bank'), 'Trace:Lineage', [certificateId]);
    expect(lineage.receivable.id).toBe(receivableId);
    expect(await world.evaluate(world.as('bank'), 'Financing:Get', [financing.id])).toMatchObject({ id: financing.id });
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('coreA'), 'Financing:Get', [financing.id]));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier2'), 'Trace:Attestations', ['financing', financing.id]));
  });

  test('the history of a record obeys the record\'s own rule', async () => {
    const { receivableId, kept, leaf } = await tree();
    const line = world.lineOf('coreA');
    const leafHistory = await world.evaluate<History<Certificate>>(world.as('tier3'), 'Trace:History', ['certificate', leaf]);
    expect(leafHistory.entries.length).toBeGreaterThan(1);
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier3'), 'Trace:History', ['certificate', kept]));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier3'), 'Trace:History', ['receivable', receivableId]));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier3'), 'Trace:History', ['creditLine', line]));
    expect((await world.evaluate<History<unknown>>(world.as('bank'), 'Trace:History', ['creditLine', line])).entries.length).toBeGreaterThan(0);
    expect((await world.evaluate<History<unknown>>(world.as('tier1'), 'Trace:History', ['receivable', receivableId])).entries.length).toBeGreaterThan(0);
    expect((await world.evaluate<History<unknown>>(world.as('auditor'), 'Trace:History', ['certificate', kept])).entries.length).toBeGreaterThan(0);
    expect((await world.evaluate<History<unknown>>(world.as('tier3'), 'Trace:History', ['enterprise', world.id('coreA')])).entries.length).toBeGreaterThan(0);
  });

  test('a record that does not exist is NOT_FOUND for oversight and FORBIDDEN for anyone else', async () => {
    const missing = `crt_${'0'.repeat(64)}_0`;
    await world.refused('NOT_FOUND', () => world.evaluate(world.as('auditor'), 'Certificate:Get', [missing]));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier1'), 'Certificate:Get', [missing]));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier1'), 'Trace:History', ['certificate', missing]));
  });
});
