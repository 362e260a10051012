import fc from 'fast-check';
import { EndorsementError } from '../src/engine/ledger-engine';
import { checkInvariants, readLedger } from './support/invariants';
import { PARTIES, type PartyName } from './support/fixtures';
import { World } from './support/world';

const HOLDERS: PartyName[] = ['tier1', 'tier2', 'tier3', 'coreA', 'bank'];
const action = fc.record({
  // Repeated kinds are drawn more often: accepting, deciding and clearing need something open first.
  kind: fc.constantFrom('issue', 'split', 'badSplit', 'offer', 'offer', 'offerPart', 'accept', 'accept', 'accept', 'refuse', 'cancel',
    'stranger', 'wait', 'apply', 'apply', 'decide', 'decide', 'repay', 'repay', 'freeze', 'unfreeze', 'maturity', 'pay', 'pay', 'clear', 'clear'),
  pick: fc.nat(),
  actor: fc.constantFrom(...HOLDERS),
  amount: fc.bigInt({ min: 100n, max: 50_000_000n }),
  parts: fc.array(fc.nat({ max: 1000 }), { minLength: 2, maxLength: 4 }),
  seconds: fc.integer({ min: 1, max: 7200 }),
});
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

/** Amounts that sum exactly to `total`, each at least the minimum piece, from random weights. */
function splitAmounts(total: bigint, weights: number[]): string[] | undefined {
  const minimum = 100n;
  if (total < minimum * BigInt(weights.length)) return undefined;
  const spare = total - minimum * BigInt(weights.length);
  const sum = BigInt(weights.reduce((a, b) => a + b + 1, 0));
  const shares = weights.map((w) => (spare * BigInt(w + 1)) / sum);
  shares[0] = (shares[0] ?? 0n) + spare - shares.reduce((a, b) => a + b, 0n);
  return shares.map((s) => (s + minimum).toString());
}

/** The sequences are drawn from a fixed seed, so that every run checks the same 80; FC_SEED=<n> explores others. */
const SEED = Number(process.env.FC_SEED ?? 20_261_202);

/** Transactions that committed across all runs: proves the sequences reach every part of the lifecycle. */
const committed = new Map<string, number>();

async function step(world: World, a: Action): Promise<void> {
  const ledger = await readLedger(world);
  const certificates = [...ledger.certificates.values()].sort((x, y) => x.id.localeCompare(y.id));
  const live = certificates.filter((c) => c.status !== 'SPLIT');
  const chosen = live.length > 0 ? live[a.pick % live.length] : undefined;
  const holderOf = (id: string) => (Object.keys(PARTIES) as PartyName[]).find((n) => world.id(n) === id) as PartyName;
  const attempt = async (call: () => Promise<unknown>) => {
    const before = await world.digest();
    const height = world.engine.store.height;
    try {
      await call();
      const name = world.lastEvent().name;
      if (world.engine.store.height > height) committed.set(name, (committed.get(name) ?? 0) + 1);
    } catch (error) {
      if (!(error instanceof EndorsementError) || error.code === undefined) throw error;
      expect(await world.digest()).toBe(before); // a refusal changes nothing
    }
  };
  const open = ledger.receivables.filter((r) => r.status === 'ACCEPTED').sort((x, y) => x.id.localeCompare(y.id));
  const clearing = ledger.settlements.filter((x) => x.status === 'CLEARING');
  // A decision is drawn among the open applications and a repayment among the funded loans, as a
  // payment among the open receivables: drawn among all, most would fall on ones long decided.
  const financingIn = (status: string) => {
    const found = ledger.financings.filter((f) => f.status === status).sort((x, y) => x.id.localeCompare(y.id));
    return found[a.pick % Math.max(found.length, 1)];
  };
  switch (a.kind) {
    case 'issue':
      await world.issued(a.pick % 2 === 0 ? 'coreA' : 'coreB', 'tier1', a.amount.toString());
      return;
    case 'wait':
      world.advance(a.seconds);
      return;
    case 'maturity':
      world.advance(91 * 86_400);
      return;
    case 'pay': {
      const receivable = open[a.pick % Math.max(open.length, 1)];
      if (!receivable) return;
      const outstanding = BigInt(receivable.faceAmount) - BigInt(receivable.settledAmount);
      const amount = (outstanding * BigInt((a.parts[0] ?? 0) + 1)) / 1001n + 1n;
      const debtor = holderOf(receivable.debtorId);
      await attempt(() => world.submit(world.as(debtor), 'Settlement:Pay', [receivable.id, amount.toString(), 'PAY-1', String(a.seconds % 5 + 1)]));
      return;
    }
    case 'clear': {
      const settlement = clearing[a.pick % Math.max(clearing.length, 1)];
      if (settlement) await attempt(() => world.submit(world.as('bank'), 'Settlement:ClearNext', [settlement.id, String(a.seconds % 5 + 1)]));
      return;
    }
    case 'decide': {
      const financing = financingIn('APPLIED');
      if (financing) {
        if (a.seconds % 2 === 0) {
          // Two transactions, each all or nothing: the bank's private decision, then the public funding on it.
          let decisionHash: string | undefined;
          // The priced figure, or a wrong one on odd picks (refused PRICE_MISMATCH, changing nothing).
          const priced = await world.priced('bank', financing.id).catch(() => '1');
          const disbursed = Math.floor(a.pick / 2) % 3 === 0 ? '1' : priced;
          await attempt(async () => { decisionHash = await world.decide('bank', financing.id, disbursed); });
          if (decisionHash) await attempt(() => world.submit(world.as('bank'), 'Financing:Approve', [financing.id, decisionHash!, 'DISB-1']));
        } else {
          await attempt(() => world.submit(world.as('bank'), 'Financing:Reject', [financing.id, 'declined']));
        }
      }
      return;
    }
    case 'repay': {
      const financing = financingIn('FUNDED');
      if (financing) await attempt(() => world.repayInFull(holderOf(financing.applicantId), financing.id));
      return;
    }
  }
  if (!chosen) return;
  const holder = holderOf(chosen.holderId);
  const other = HOLDERS.find((n) => n !== holder && n === a.actor) ?? (holder === 'tier2' ? 'tier3' : 'tier2');
  switch (a.kind) {
    case 'split': {
      const amounts = splitAmounts(BigInt(chosen.amount), a.parts);
      if (amounts) await attempt(() => world.submit(world.as(holder), 'Certificate:Split', [chosen.id, JSON.stringify(amounts)]));
      return;
    }
    case 'badSplit':
      await attempt(() => world.submit(world.as(holder), 'Certificate:Split', [chosen.id, JSON.stringify([chosen.amount, '1'])]));
      return;
    case 'offer':
      await attempt(() => world.submit(world.as(holder), 'Certificate:OfferTransfer', [chosen.id, world.id(other), world.inSeconds(a.seconds)]));
      return;
    case 'offerPart': {
      const part = (BigInt(chosen.amount) * BigInt(a.parts[0] ?? 1)) / 1000n;
      await attempt(() => world.submit(world.as(holder), 'Certificate:OfferPart', [chosen.id, part.toString(), world.id(other), world.inSeconds(a.seconds)]));
      return;
    }
    case 'accept':
    case 'refuse':
      if (chosen.status === 'OFFERED') {
        const recipient = holderOf(chosen.offer.to);
        await attempt(() => world.submit(world.as(recipient), a.kind === 'accept' ? 'Certificate:AcceptTransfer' : 'Certificate:RefuseTransfer', [chosen.id]));
      }
      return;
    case 'cancel':
      await attempt(() => world.submit(world.as(holder), 'Certificate:CancelOffer', [chosen.id]));
      return;
    case 'apply': {
      const due = ledger.receivables.find((r) => r.id === chosen.receivableId)?.dueDate ?? '';
      const tenorEnd = new Date(Math.min(Date.parse(`${due}T00:00:00Z`), world.now + 30 * 86_400_000)).toISOString().slice(0, 10);
      const ask = { mode: a.seconds % 2 === 0 ? 'PLEDGE' as const : 'ASSIGNMENT' as const, amount: chosen.amount, rateBps: 400, tenorEnd };
      let termsHash: string | undefined;
      await attempt(async () => { termsHash = await world.propose(holder, chosen.id, ask); });
      if (termsHash) await attempt(() => world.applyOn(holder, chosen.id, ask, termsHash!));
      return;
    }
    case 'freeze':
    case 'unfreeze':
      await attempt(() => world.submit(world.as('regulator'), a.kind === 'freeze' ? 'Regulator:Freeze' : 'Regulator:Unfreeze',
        a.kind === 'freeze' ? ['certificate', chosen.id, 'inquiry'] : ['certificate', chosen.id]));
      return;
    case 'stranger':
      // Someone other than the holder tries to move the piece.
      await attempt(() => world.submit(world.as(other), 'Certificate:OfferTransfer', [chosen.id, world.id(other), world.inSeconds(60)]));
      return;
  }
}

describe('invariants hold over random sequences of the whole lifecycle, money side included', () => {
  test('live + retired pieces always account for every receivable, and no piece is spendable twice', async () => {
    await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 50 }), async (actions) => {
      const world = await World.create();
      await world.issued('coreA', 'tier1', '10000000');
      for (const a of actions) {
        await step(world, a);
        await checkInvariants(world);
      }
    }), { numRuns: 80, endOnFailure: true, seed: SEED });
    // Named in the failure, so that a run that never reached a step says which, and how often the others committed.
    const reached = Object.fromEntries([...committed.entries()].sort());
    for (const type of ['CertificateSplit', 'TransferOffered', 'TransferAccepted', 'FinancingApplied', 'FinancingFunded', 'PaymentRecorded']) {
      expect({ type, reached: (committed.get(type) ?? 0) > 0, committed: reached }).toEqual({ type, reached: true, committed: reached });
    }
  }, 180_000);

  test('racing offers of the same piece to different recipients: exactly one commits', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 2, max: 6 }), async (racers) => {
      const world = await World.create();
      const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
      const recipients: PartyName[] = ['tier2', 'tier3', 'coreA', 'bank', 'coreB', 'tier2'];
      const endorsed = await Promise.all(recipients.slice(0, racers).map((to) => world.engine.endorse({
        identity: world.as('tier1'), transaction: 'Certificate:OfferTransfer', args: [certificateId, world.id(to), world.inSeconds(600)],
      })));
      const outcomes = await Promise.allSettled(endorsed.map((tx) => world.engine.commit(tx)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      await checkInvariants(world);
    }), { numRuns: 10 });
  }, 60_000);
});
