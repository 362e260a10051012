import type { CreditLine, Payout } from '../src/domain/model';
import type { Cleared, Page, ReceivableView, SettlementWithPayouts, Split, Tree } from './support/answers';
import { checkInvariants } from './support/invariants';
import { World } from './support/world';

const DAY = 86_400;

describe('settlement (兑付) at maturity', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); });

  /** A 1,000,000 receivable due in 30 days, split 500k/300k/200k; 300k with tier2, 200k pledged by tier1 to the bank. */
  async function financedTree() {
    const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '1000000', 30);
    const { children } = await world.submit<Split>(world.as('tier1'), 'Certificate:Split', [certificateId, '["500000","300000","200000"]']);
    const [kept, passed, pledged] = children.map((c) => c.id) as [string, string, string];
    await world.transfer(passed, 'tier1', 'tier2');
    const { financing } = await world.apply('tier1', pledged, { amount: '190000', tenorEnd: world.dueIn(29) });
    await world.approve('bank', financing.id, 'DISB-1');
    return { receivableId, kept, passed, pledged, financingId: financing.id };
  }
  const pay = (receivableId: string, amount: string, pageSize = '200') =>
    world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, amount, 'CNAPS-2027-42', pageSize]);

  test('before the due date a payment is refused; there is no early settlement', async () => {
    const { receivableId } = await financedTree();
    world.advance(29 * DAY);
    await world.refused('NOT_DUE', () => pay(receivableId, '1000000'));
  });

  test('a receivable due on a date is payable from 00:00 that day in Beijing (16:00 UTC the day before), overdue from 00:00 the next', async () => {
    const { receivableId } = await world.issued('coreA', 'tier1', '1000000', 30);
    const due = world.dueIn(30);
    const dayBefore = Date.parse(`${due}T00:00:00Z`) - DAY * 1000;
    const overdue = async () => (await world.evaluate<ReceivableView>(world.as('coreA'), 'Receivable:Get', [receivableId])).overdue;
    world.now = dayBefore + 16 * 3600 * 1000 - 1;
    await world.refused('NOT_DUE', () => pay(receivableId, '1'));
    world.now = dayBefore + 16 * 3600 * 1000;
    await pay(receivableId, '1');
    world.now = dayBefore + DAY * 1000 + 16 * 3600 * 1000 - 1;
    expect(await overdue()).toBe(false);
    world.now += 1;
    expect(await overdue()).toBe(true);
  });

  test('the consortium may move its business day to another zone: in UTC the same receivable waits until 00:00 UTC', async () => {
    await world.refused('INVALID_ARGUMENT', () => world.proposeChange('businessTimeZone', { timeZone: 'Mars/Olympus' }));
    await world.govern('businessTimeZone', { timeZone: 'UTC' });
    const { receivableId } = await world.issued('coreA', 'tier1', '1000000', 30);
    world.now = Date.parse(`${world.dueIn(30)}T00:00:00Z`) - 8 * 3600 * 1000;
    await world.refused('NOT_DUE', () => pay(receivableId, '1'));
    world.now += 8 * 3600 * 1000;
    await pay(receivableId, '1');
  });

  test('paid in full at maturity: every piece settles, the bank is paid for the pledged piece, the line is released', async () => {
    const { receivableId, kept, passed, pledged, financingId } = await financedTree();
    world.advance(30 * DAY);
    const { settlement, receivable, payouts } = await pay(receivableId, '1000000');
    expect(settlement).toMatchObject({ status: 'CLEARED', amount: '1000000', clearedAmount: '1000000', clearedPieces: 3 });
    expect(receivable).toMatchObject({ status: 'SETTLED', settledAmount: '1000000' });
    const byPiece = Object.fromEntries(payouts.map((p) => [p.certificateId, p]));
    expect(byPiece[kept]).toMatchObject({ payeeId: world.id('tier1'), amount: '500000', basis: 'HOLDER', status: 'PAYABLE' });
    expect(byPiece[passed]).toMatchObject({ payeeId: world.id('tier2'), amount: '300000', basis: 'HOLDER' });
    expect(byPiece[pledged]).toMatchObject({ payeeId: world.id('bank'), amount: '200000', basis: 'PLEDGEE' });
    expect(await world.evaluate(world.as('bank'), 'Financing:Get', [financingId])).toMatchObject({ status: 'SETTLED' });
    expect(await world.evaluate(world.as('tier2'), 'Certificate:Get', [passed])).toMatchObject({ status: 'SETTLED', amount: '0', paidAmount: '300000' });
    expect((await world.evaluate<CreditLine>(world.as('coreA'), 'CreditLine:Get', [world.lineOf('coreA')])).used).toBe('0');
    const owed = await world.evaluate<Page<Payout>>(world.as('bank'), 'Settlement:PayoutsTo', [world.id('bank'), '10', '']);
    expect(owed.items.map((p) => p.amount)).toEqual(['200000']);
    await world.refused('INVALID_STATE', () => pay(receivableId, '1'));
    await checkInvariants(world);
  });

  test('a short payment is shared pro rata; the rest stays owed and the receivable reads overdue until paid', async () => {
    const { receivableId, kept, passed, pledged } = await financedTree();
    world.advance(30 * DAY);
    const first = await pay(receivableId, '100001');
    const amounts = Object.fromEntries(first.payouts.map((p) => [p.certificateId, p.amount]));
    // Cumulative rounding in id order: floor(A·Ci/T) − floor(A·Ci−1/T); sums to the payment exactly.
    const ordered = [kept, passed, pledged].sort();
    const sizes: Record<string, bigint> = { [kept]: 500000n, [passed]: 300000n, [pledged]: 200000n };
    let running = 0n;
    for (const id of ordered) {
      const before = (100001n * running) / 1000000n;
      running += sizes[id] as bigint;
      expect(BigInt(amounts[id]!)).toBe((100001n * running) / 1000000n - before);
    }
    expect(Object.values(amounts).reduce((a: bigint, b) => a + BigInt(b as string), 0n)).toBe(100001n);
    expect(first.receivable).toMatchObject({ status: 'ACCEPTED', settledAmount: '100001' });
    world.advance(DAY);
    const view = await world.evaluate<ReceivableView>(world.as('auditor'), 'Receivable:Get', [receivableId]);
    expect(view).toMatchObject({ overdue: true, outstandingAmount: '899999' });
    await checkInvariants(world);
    const second = await pay(receivableId, '899999');
    expect(second.receivable.status).toBe('SETTLED');
    expect((await world.evaluate<ReceivableView>(world.as('auditor'), 'Receivable:Get', [receivableId])).overdue).toBe(false);
    await checkInvariants(world);
  });

  test('overpaying, paying someone else\'s receivable or paying a frozen one is refused', async () => {
    const { receivableId } = await financedTree();
    world.advance(30 * DAY);
    await world.refused('INVALID_ARGUMENT', () => pay(receivableId, '1000001'));
    await world.refused('FORBIDDEN', () => world.submit(world.as('coreB'), 'Settlement:Pay', [receivableId, '1', 'X', '10']));
    await world.submit(world.as('regulator'), 'Regulator:Freeze', ['receivable', receivableId, 'sanctions screening']);
    await world.refused('FROZEN', () => pay(receivableId, '1000000'));
  });

  test('a frozen piece\'s payout is held, not payable', async () => {
    const { receivableId, passed } = await financedTree();
    await world.submit(world.as('regulator'), 'Regulator:Freeze', ['certificate', passed, 'dispute']);
    world.advance(30 * DAY);
    const { payouts } = await pay(receivableId, '1000000');
    expect(payouts.find((p) => p.certificateId === passed)).toMatchObject({ status: 'HELD', payeeId: world.id('tier2') });
  });

  test('a proposal whose timestamp is forged past maturity is refused by the endorser\'s clock check', async () => {
    const { receivableId } = await financedTree();
    const forged = world.now + 30 * DAY * 1000;
    await expect(world.engine.submit({
      identity: world.as('coreA'), transaction: 'Settlement:Pay', args: [receivableId, '1000000', 'X', '10'], timestampMillis: forged,
    })).rejects.toMatchObject({ code: 'TIMESTAMP_OUT_OF_RANGE' });
    await expect(world.engine.evaluate({ identity: world.as('tier2'), transaction: 'Enterprise:WhoAmI', timestampMillis: world.now - 3600_000 }))
      .rejects.toMatchObject({ code: 'TIMESTAMP_OUT_OF_RANGE' });
    await expect(world.engine.evaluate({ identity: world.as('tier2'), transaction: 'Enterprise:WhoAmI', timestampMillis: world.now - 60_000 }))
      .resolves.toBeDefined();
  });
});

describe('settling a tree of 1,000 live pieces', () => {
  test('clears in pages whose payouts add up to the payment, and every piece settles', async () => {
    const world = await World.create({ limits: { maxSplitChildren: 100, minPieceAmount: '1' } });
    const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '1000000007', 30);
    const { children: branches } = await world.submit<Split>(world.as('tier1'), 'Certificate:Split', [certificateId, JSON.stringify([...Array(9).fill('100000000'), '100000007'])]);
    for (const branch of branches) {
      const amounts = Array.from({ length: 100 }, (_, i) => (i < 99 ? '1000000' : (BigInt(branch.amount) - 99_000_000n).toString()));
      await world.submit(world.as('tier1'), 'Certificate:Split', [branch.id, JSON.stringify(amounts)]);
    }
    expect((await world.evaluate<Tree>(world.as('auditor'), 'Trace:Tree', [receivableId])).livePieces).toBe(1000);
    world.advance(30 * DAY);
    const pages = [await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '1000000007', 'BULK-1', '200'])];
    while (pages[pages.length - 1]!.settlement.status === 'CLEARING') {
      pages.push(await world.submit<Cleared>(world.as('bank'), 'Settlement:ClearNext', [pages[0]!.settlement.id, '200']));
    }
    expect(pages).toHaveLength(6); // 1,011 index entries (11 retired) in pages of 200
    const paid = pages.flatMap((p) => p.payouts);
    expect(paid).toHaveLength(1000);
    expect(paid.reduce((sum, p) => sum + BigInt(p.amount), 0n)).toBe(1000000007n);
    expect(pages.at(-1)!.settlement).toMatchObject({ status: 'CLEARED', clearedAmount: '1000000007', clearedPieces: 1000 });
    expect(pages.at(-1)!.receivable.status).toBe('SETTLED');
    const stored = await world.evaluate<SettlementWithPayouts>(world.as('auditor'), 'Settlement:Get', [pages[0]!.settlement.id]);
    expect(stored.payouts).toHaveLength(1000);
    const tree = await world.evaluate<Tree>(world.as('auditor'), 'Trace:Tree', [receivableId]);
    expect(tree).toMatchObject({ livePieces: 0, liveAmount: '0' });
    await checkInvariants(world);
    await world.refused('INVALID_STATE', () => world.submit(world.as('bank'), 'Settlement:ClearNext', [pages[0]!.settlement.id, '200']));
  }, 60_000);

  test('no piece moves while a payment is being cleared', async () => {
    const world = await World.create();
    const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '1000000', 30);
    const { children } = await world.submit<Split>(world.as('tier1'), 'Certificate:Split', [certificateId, '["400000","600000"]']);
    world.advance(30 * DAY);
    const first = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '500000', 'P-1', '1']);
    expect(first.settlement.status).toBe('CLEARING');
    const unpaid = children.find((c) => !first.payouts.some((p) => p.certificateId === c.id))!;
    await world.refused('INVALID_STATE', () => world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [unpaid.id, world.id('tier2'), world.inSeconds(60)]));
    await world.submit(world.as('coreA'), 'Settlement:ClearNext', [first.settlement.id, '10']);
    await world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [unpaid.id, world.id('tier2'), world.inSeconds(60)]);
    await checkInvariants(world);
  });
});
