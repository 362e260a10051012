import { eventProjection } from '../src/access/event-projection';
import type { EventPayload } from '../src/ledger/change-set';
import type { Payout, Settlement } from '../src/domain/model';
import type { Cleared, Page, SettlementWithPayouts, Split } from './support/answers';
import { checkInvariants } from './support/invariants';
import { World } from './support/world';

const DAY = 86_400;

describe('the cash leg: each payment is confirmed by whoever receives it', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); });

  /**
   * coreA owes 1,000,000 (its line is bank's, so bank collects) to tier1, who split it and
   * passed 400,000 to tier2 (onboarded by Bank2MSP); paid in full at maturity.
   */
  async function paidTree(options: { freeze?: 'passed' } = {}) {
    const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '1000000', 30);
    const { children } = await world.submit<Split>(world.as('tier1'), 'Certificate:Split', [certificateId, '["600000","400000"]']);
    const [kept, passed] = children.map((c) => c.id) as [string, string];
    await world.transfer(passed, 'tier1', 'tier2');
    if (options.freeze) await world.submit(world.as('regulator'), 'Regulator:Freeze', ['certificate', passed, 'dispute']);
    world.advance(30 * DAY);
    const { settlement } = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '1000000', 'CNAPS-7', '50']);
    return { receivableId, kept, passed, settlementId: settlement.id };
  }
  const confirmPayment = (settlementId: string, who: 'bank' | 'bankTwo' = 'bank') =>
    world.submit<Settlement>(world.as(who), 'Settlement:ConfirmPayment', [settlementId, 'BANK-RCPT-1']);
  const confirmPayout = (settlementId: string, certificateId: string, who: 'tier1' | 'tier2' | 'coreA' | 'bank') =>
    world.submit<Payout>(world.as(who), 'Settlement:ConfirmPayout', [settlementId, certificateId, `RCPT-${who}`]);
  const stored = (settlementId: string) =>
    world.evaluate<SettlementWithPayouts>(world.as('auditor'), 'Settlement:Get', [settlementId]);

  test('the payment names the bank whose line the receivable used; only that bank confirms it, once', async () => {
    const { settlementId } = await paidTree();
    const recorded = await stored(settlementId);
    expect(recorded.settlement).toMatchObject({ collectingBankId: world.id('bank'), payment: { status: 'RECORDED' }, status: 'CLEARED' });
    await world.refused('FORBIDDEN', () => confirmPayment(settlementId, 'bankTwo'));
    await world.refused('FORBIDDEN', () => world.submit(world.as('coreA'), 'Settlement:ConfirmPayment', [settlementId, 'SELF']));
    const confirmed = await confirmPayment(settlementId);
    expect(confirmed.payment).toEqual({
      status: 'CONFIRMED',
      receipt: { by: world.id('bank'), mspId: 'Bank1MSP', clientId: world.as('bank').clientId, ref: 'BANK-RCPT-1', at: world.inSeconds(0), txId: expect.any(String) },
    });
    await world.refused('ALREADY_CONFIRMED', () => confirmPayment(settlementId));
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('bank'), 'Settlement:ConfirmPayment', [settlementId, 'bad ref!']));
  });

  test('a payout is confirmed paid only after the payment, by its payee, once; the settlement completes with the last', async () => {
    const { receivableId, kept, passed, settlementId } = await paidTree();
    await world.refused('PAYMENT_UNCONFIRMED', () => confirmPayout(settlementId, kept, 'tier1'));
    await confirmPayment(settlementId);
    await world.refused('FORBIDDEN', () => confirmPayout(settlementId, kept, 'tier2'));
    await world.refused('FORBIDDEN', () => confirmPayout(settlementId, kept, 'coreA'));
    const paid = await confirmPayout(settlementId, kept, 'tier1');
    expect(paid).toMatchObject({ status: 'PAID', payeeId: world.id('tier1'), amount: '600000', receipt: { by: world.id('tier1'), ref: 'RCPT-tier1', at: world.inSeconds(0) } });
    await world.refused('ALREADY_CONFIRMED', () => confirmPayout(settlementId, kept, 'tier1'));
    expect((await stored(settlementId)).settlement.status).toBe('CLEARED');
    world.advance(3600);
    await confirmPayout(settlementId, passed, 'tier2');
    expect((await stored(settlementId)).settlement.status).toBe('COMPLETED');
    const listed = await world.evaluate<{ items: Settlement[] }>(world.as('coreA'), 'Settlement:ListByReceivable', [receivableId]);
    expect(listed.items.map((s) => s.status)).toEqual(['COMPLETED']);
    const owed = await world.evaluate<Page<Payout>>(world.as('tier2'), 'Settlement:PayoutsTo', [world.id('tier2'), '10', '']);
    expect(owed.items).toMatchObject([{ status: 'PAID', receipt: { ref: 'RCPT-tier2' } }]);
    await checkInvariants(world);
  });

  test('an admin of the bank organisation that onboarded the payee may confirm for it; another organisation\'s may not', async () => {
    const { passed, settlementId } = await paidTree();
    await confirmPayment(settlementId);
    // tier2 was onboarded by Bank2MSP.
    await world.refused('FORBIDDEN', () => world.submit(world.admins.bank1, 'Settlement:ConfirmPayout', [settlementId, passed, 'ADM-1']));
    const paid = await world.submit<Payout>(world.admins.bank2, 'Settlement:ConfirmPayout', [settlementId, passed, 'ADM-2']);
    expect(paid).toMatchObject({ status: 'PAID', receipt: { by: 'msp:Bank2MSP', mspId: 'Bank2MSP', clientId: world.admins.bank2.clientId, ref: 'ADM-2' } });
  });

  test('a payout held by a freeze cannot be confirmed; lifting the freeze (even from a settled piece) makes it payable', async () => {
    const { passed, settlementId } = await paidTree({ freeze: 'passed' });
    await confirmPayment(settlementId);
    const held = () => world.evaluate<Page<Payout>>(world.as('tier2'), 'Settlement:PayoutsTo', [world.id('tier2'), '10', '']);
    expect((await held()).items).toMatchObject([{ certificateId: passed, status: 'HELD' }]);
    await world.refused('FROZEN', () => confirmPayout(settlementId, passed, 'tier2'));
    expect(await world.evaluate(world.as('tier2'), 'Certificate:Get', [passed])).toMatchObject({ status: 'SETTLED' });
    await world.submit(world.as('regulator'), 'Regulator:Unfreeze', ['certificate', passed]);
    expect((await held()).items).toMatchObject([{ certificateId: passed, status: 'PAYABLE' }]);
    await expect(confirmPayout(settlementId, passed, 'tier2')).resolves.toMatchObject({ status: 'PAID' });
    await world.refused('INVALID_STATE', () => world.submit(world.as('regulator'), 'Regulator:Freeze', ['certificate', passed, 'too late']));
  });

  test('freezing the receivable after payment holds every unpaid payout, but not one already paid; unfreezing releases them', async () => {
    const { receivableId, kept, passed, settlementId } = await paidTree();
    await confirmPayment(settlementId);
    await confirmPayout(settlementId, kept, 'tier1');
    await world.submit(world.as('regulator'), 'Regulator:Freeze', ['receivable', receivableId, 'investigation']);
    const statuses = async () => Object.fromEntries((await stored(settlementId)).payouts.map((p) => [p.certificateId, p.status]));
    expect(await statuses()).toEqual({ [kept]: 'PAID', [passed]: 'HELD' });
    await world.refused('FROZEN', () => confirmPayout(settlementId, passed, 'tier2'));
    await world.submit(world.as('regulator'), 'Regulator:Unfreeze', ['receivable', receivableId]);
    expect(await statuses()).toEqual({ [kept]: 'PAID', [passed]: 'PAYABLE' });
  });

  test('a pledged piece\'s payout is the bank\'s to confirm', async () => {
    const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '500000', 30);
    const { financing } = await world.apply('tier1', certificateId, { amount: '400000', tenorEnd: world.dueIn(29) });
    await world.approve('bank', financing.id, '390000', 'DISB-9');
    world.advance(30 * DAY);
    const { settlement } = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '500000', 'CNAPS-8', '50']);
    await confirmPayment(settlement.id);
    await world.refused('FORBIDDEN', () => confirmPayout(settlement.id, certificateId, 'tier1'));
    await expect(confirmPayout(settlement.id, certificateId, 'bank')).resolves.toMatchObject({ status: 'PAID', basis: 'PLEDGEE' });
    expect((await stored(settlement.id)).settlement.status).toBe('COMPLETED');
  });

  test('events: the confirmed payment reaches the debtor and the collecting bank; a paid payout its payee only', async () => {
    const { kept, settlementId } = await paidTree();
    await confirmPayment(settlementId);
    const confirmed = world.lastEvent();
    expect(confirmed.name).toBe('PaymentConfirmed');
    const enterprise = (name: 'coreA' | 'bank' | 'tier1' | 'tier2') => ({ kind: 'enterprise', id: world.id(name) }) as const;
    const payment = confirmed.payload as EventPayload;
    expect(eventProjection(payment, enterprise('coreA'))!.settlements).toHaveLength(1);
    expect(eventProjection(payment, enterprise('bank'))!.settlements).toHaveLength(1);
    expect(eventProjection(payment, enterprise('tier1'))).toBeUndefined();
    await confirmPayout(settlementId, kept, 'tier1');
    const paid = world.lastEvent();
    expect(paid.name).toBe('PayoutPaid');
    expect(eventProjection(paid.payload as EventPayload, enterprise('tier1'))!.payouts).toMatchObject([{ certificateId: kept, status: 'PAID' }]);
    expect(eventProjection(paid.payload as EventPayload, enterprise('tier2'))).toBeUndefined();
    expect(eventProjection(paid.payload as EventPayload, enterprise('bank'))).toBeUndefined();
  });
});
