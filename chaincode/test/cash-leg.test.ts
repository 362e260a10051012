import fc from 'fast-check';
import { eventProjection } from '../src/access/event-projection';
import { EndorsementError } from '../src/engine/ledger-engine';
import type { EventPayload } from '../src/ledger/change-set';
import type { Payout, Settlement } from '../src/domain/model';
import type { Cleared, Page, SettlementWithPayouts, Split } from './support/answers';
import { PARTIES, type PartyName } from './support/fixtures';
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

describe('confirmations under concurrency', () => {
  test('payees confirming at once share no key: both commit, and the settlement reads COMPLETED', async () => {
    const world = await World.create();
    const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '1000000', 30);
    const { children } = await world.submit<Split>(world.as('tier1'), 'Certificate:Split', [certificateId, '["600000","400000"]']);
    await world.transfer(children[1]!.id, 'tier1', 'tier2');
    world.advance(30 * DAY);
    const { settlement } = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '1000000', 'CNAPS-C', '50']);
    await world.submit(world.as('bank'), 'Settlement:ConfirmPayment', [settlement.id, 'R-1']);
    const endorsed = await Promise.all((['tier1', 'tier2'] as const).map((payee, i) => world.engine.endorse({
      identity: world.as(payee), transaction: 'Settlement:ConfirmPayout', args: [settlement.id, children[i]!.id, `R-${payee}`],
    })));
    const outcomes = await Promise.allSettled(endorsed.map((tx) => world.engine.commit(tx)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    const view = await world.evaluate<SettlementWithPayouts>(world.as('coreA'), 'Settlement:Get', [settlement.id]);
    expect(view.settlement.status).toBe('COMPLETED');
    await checkInvariants(world);
  });

  test('the same payout confirmed twice at once: exactly one commits', async () => {
    const world = await World.create();
    const { receivableId, certificateId } = await world.issued('coreA', 'tier2', '1000000', 30);
    world.advance(30 * DAY);
    const { settlement } = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '1000000', 'CNAPS-D', '50']);
    await world.submit(world.as('bank'), 'Settlement:ConfirmPayment', [settlement.id, 'R-1']);
    const endorsed = await Promise.all([world.as('tier2'), world.admins.bank2].map((identity) => world.engine.endorse({
      identity, transaction: 'Settlement:ConfirmPayout', args: [settlement.id, certificateId, 'R-2'],
    })));
    const outcomes = await Promise.allSettled(endorsed.map((tx) => world.engine.commit(tx)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    await checkInvariants(world);
  });
});

describe('confirmations in any order, among freezes, never pay twice nor change an amount', () => {
  const KINDS = ['confirmPayment', 'confirmPayout', 'confirmPayout', 'confirmPayout', 'freeze', 'unfreeze', 'freezeReceivable', 'unfreezeReceivable'] as const;
  const step = fc.record({
    kind: fc.constantFrom(...KINDS),
    pick: fc.nat(),
    actor: fc.constantFrom<PartyName>('tier1', 'tier2', 'tier3', 'bank', 'bankTwo', 'coreA'),
  });

  test('a payout is PAID at most once, only after the payment, never while held; COMPLETED exactly when all are PAID', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 1000 }), async (steps, share) => {
      const world = await World.create();
      const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '1000000', 30);
      const { children } = await world.submit<Split>(world.as('tier1'), 'Certificate:Split', [certificateId, '["500000","300000","200000"]']);
      await world.transfer(children[1]!.id, 'tier1', 'tier2');
      await world.transfer(children[2]!.id, 'tier1', 'tier3');
      world.advance(30 * DAY);
      const amount = String((1000000n * BigInt(share)) / 1000n);
      const { settlement } = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, amount, 'CNAPS-P', '50']);
      const paidEvents = new Map<string, number>();
      for (const s of steps) {
        const view = await world.evaluate<SettlementWithPayouts>(world.as('auditor'), 'Settlement:Get', [settlement.id]);
        const payout = view.payouts[s.pick % view.payouts.length]!;
        const piece = children[s.pick % children.length]!.id;
        const calls: Record<(typeof KINDS)[number], () => Promise<unknown>> = {
          confirmPayment: () => world.submit(world.as(s.actor), 'Settlement:ConfirmPayment', [settlement.id, 'R-1']),
          confirmPayout: () => world.submit(world.as(s.pick % 2 === 0 ? s.actor : payeeName(world, payout.payeeId)), 'Settlement:ConfirmPayout', [settlement.id, payout.certificateId, 'R-2']),
          freeze: () => world.submit(world.as('regulator'), 'Regulator:Freeze', ['certificate', piece, 'inquiry']),
          unfreeze: () => world.submit(world.as('regulator'), 'Regulator:Unfreeze', ['certificate', piece]),
          freezeReceivable: () => world.submit(world.as('regulator'), 'Regulator:Freeze', ['receivable', receivableId, 'inquiry']),
          unfreezeReceivable: () => world.submit(world.as('regulator'), 'Regulator:Unfreeze', ['receivable', receivableId]),
        };
        const before = await world.digest();
        const committed = await calls[s.kind]().then(() => true, (error: unknown) => {
          if (!(error instanceof EndorsementError) || error.code === undefined) throw error;
          return false;
        });
        if (!committed) expect(await world.digest()).toBe(before);
        if (committed && s.kind === 'confirmPayout') {
          // What it confirmed was payable: the payment confirmed, the payout neither paid nor held.
          expect(view.settlement.payment.status).toBe('CONFIRMED');
          expect(payout.status).toBe('PAYABLE');
          paidEvents.set(payout.certificateId, (paidEvents.get(payout.certificateId) ?? 0) + 1);
        }
        await checkInvariants(world);
      }
      const after = await world.evaluate<SettlementWithPayouts>(world.as('auditor'), 'Settlement:Get', [settlement.id]);
      expect([...paidEvents.values()].every((n) => n === 1)).toBe(true);
      expect(after.payouts.filter((p) => p.status === 'PAID').map((p) => p.certificateId).sort()).toEqual([...paidEvents.keys()].sort());
      expect(after.payouts.reduce((sum, p) => sum + BigInt(p.amount), 0n)).toBe(BigInt(amount));
      expect(after.settlement.status).toBe(after.payouts.every((p) => p.status === 'PAID') ? 'COMPLETED' : 'CLEARED');
    }), { numRuns: 25 });
  }, 120_000);
});

function payeeName(world: World, id: string): PartyName {
  return (Object.keys(PARTIES) as PartyName[]).find((name) => world.id(name) === id)!;
}
