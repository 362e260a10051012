import fc from 'fast-check';
import { contracts } from '../src';
import { EndorsementError, LedgerEngine, type Proposal } from '../src/engine/ledger-engine';
import type { ReadWriteSet } from '../src/engine/simulation-stub';
import type { Financing } from '../src/domain/model';
import { type Movement, type Position, positionOf, type RepaymentTerms } from '../src/domain/repayment-rules';
import type { Cleared, FinancingWithCertificate } from './support/answers';
import { sha } from './support/fixtures';
import { checkInvariants } from './support/invariants';
import { type RepaymentTerms as Decision, World } from './support/world';

/** repaid + collected + written off + outstanding = principal due + penalty charged: every minor unit accounted for. */
function expectBalanced(position: Position): void {
  const { repaid, collected, writtenOff, outstanding, principalDue, penaltyCharged } = position;
  expect(BigInt(repaid) + BigInt(collected) + BigInt(writtenOff) + BigInt(outstanding)).toBe(BigInt(principalDue) + BigInt(penaltyCharged));
}

/** Beijing midnight starting the business date `date` (16:00 UTC the day before), plus `hours`. */
function beijing(date: string, hours = 0): number {
  return Date.parse(`${date}T00:00:00.000+08:00`) + hours * 3_600_000;
}

/**
 * tier 1's piece of 1,000,000.00 (due 2027-04-04) financed 800,000.00 at bank-one, tenor end
 * 2027-03-05, penalty 36% a year (ACT/360: 0.1% a day, 80,000 fen a day on the whole principal).
 */
async function funded(world: World, decision: Decision = { penaltyRateBps: 3600 }, amount = '80000000', tenorEnd = '2027-03-05') {
  const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '100000000', 90);
  const { financing } = await world.apply('tier1', certificateId, { amount, rateBps: 365, fee: '50000', tenorEnd });
  await world.approve('bank', financing.id, 'CNAPS-2027-0001', undefined, decision);
  return { receivableId, certificateId, financingId: financing.id };
}

describe('repayment: the applicant repays what the decision says, the bank releases the pledge when repaid in full', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); }, 30_000);

  test('a priced financing repaid on time in full: the pledge is released and the settlement then pays the holder', async () => {
    const { receivableId, certificateId, financingId } = await funded(world);
    const opened = await world.position('tier1', financingId);
    // Interest and fee were taken from the disbursement: what is due at the tenor end is the financed amount.
    expect(opened).toMatchObject({ principalDue: '80000000', outstanding: '80000000', penaltyCharged: '0', overdueDays: 0,
      recourse: true, penaltyRateBps: 3600, tenorEnd: '2027-03-05', asOf: '2027-01-04' });
    await world.refused('NOT_REPAID', () => world.submit(world.as('bank'), 'Financing:Release', [financingId, 'RCPT-EARLY']));
    world.now = beijing('2027-03-05', 10);
    const recorded = await world.repay('tier1', financingId, '80000000', 'CNAPS-R-1');
    expect(recorded).toMatchObject({ status: 'FUNDED', repayments: [{ ref: 'CNAPS-R-1', at: new Date(world.now).toISOString() }] });
    // The amount is the bank's private term: the public record and its event name only its hash.
    expect(JSON.stringify(recorded)).not.toContain('80000000');
    expect(world.lastEvent()).toMatchObject({ name: 'RepaymentRecorded' });
    expect(JSON.stringify(world.lastEvent().payload)).not.toContain('80000000');
    expect(await world.position('bank', financingId)).toMatchObject({ repaid: '80000000', outstanding: '0', overdueDays: 0 });
    const released = await world.submit<FinancingWithCertificate>(world.as('bank'), 'Financing:Release', [financingId, 'RCPT-1']);
    expect(released.financing).toMatchObject({ status: 'REPAID', receipt: { by: world.id('bank'), ref: 'RCPT-1' } });
    expect(released.certificate).toMatchObject({ status: 'ACTIVE', holderId: world.id('tier1') });
    world.now = beijing('2027-04-04');
    const paid = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '100000000', 'CNAPS-S', '10']);
    expect(paid.payouts).toMatchObject([{ certificateId, payeeId: world.id('tier1'), basis: 'HOLDER', amount: '100000000' }]);
    const after = await world.position('tier1', financingId);
    expect(after).toMatchObject({ repaid: '80000000', collected: '0', surplus: '0', outstanding: '0' });
    expectBalanced(after);
    await checkInvariants(world);
  });

  test('partial repayments: each lowers what is owed; more than is owed is refused; the pledge stays until the last', async () => {
    const { certificateId, financingId } = await funded(world);
    await world.repay('tier1', financingId, '30000000', 'R-1');
    expect(await world.position('tier1', financingId)).toMatchObject({ repaid: '30000000', principalOutstanding: '50000000', outstanding: '50000000' });
    await world.refused('REPAYMENT_EXCEEDS_OUTSTANDING', () => world.recordRepayment('tier1', financingId, '50000001'));
    await world.refused('NOT_REPAID', () => world.submit(world.as('bank'), 'Financing:Release', [financingId, 'RCPT-1']));
    await world.refused('INVALID_STATE', () => world.submit(world.as('tier1'), 'Certificate:Split', [certificateId, '["50000000","50000000"]']));
    await world.repay('tier1', financingId, '20000000', 'R-2');
    const final = await world.repay('tier1', financingId, '30000000', 'R-3');
    expect(final.repayments?.map((r) => r.ref)).toEqual(['R-1', 'R-2', 'R-3']);
    expect(await world.position('tier1', financingId)).toMatchObject({ repaid: '80000000', outstanding: '0' });
    await world.submit(world.as('bank'), 'Financing:Release', [financingId, 'RCPT-1']);
    await world.refused('INVALID_STATE', () => world.recordRepayment('tier1', financingId, '1'));
    await checkInvariants(world);
  });

  test('repaid late: from the day after the tenor end (Beijing) the unpaid principal accrues the penalty rate per day', async () => {
    const { financingId } = await funded(world);
    world.now = beijing('2027-03-06') - 1000; // 23:59:59 on the tenor end in Beijing: not overdue yet
    expect(await world.position('tier1', financingId)).toMatchObject({ overdueDays: 0, penaltyCharged: '0', outstanding: '80000000' });
    world.now = beijing('2027-03-06'); // one day late: 80000000 × 3600 × 1 / 3600000
    expect(await world.position('tier1', financingId)).toMatchObject({ overdueDays: 1, penaltyCharged: '80000', outstanding: '80080000' });
    world.now = beijing('2027-03-15', 10);
    const late = await world.position('tier1', financingId);
    expect(late).toMatchObject({ asOf: '2027-03-15', overdueDays: 10, penaltyCharged: '800000', penaltyOutstanding: '800000', outstanding: '80800000' });
    // The penalty is paid first, then the principal; repaid in full, nothing more accrues.
    await world.repay('tier1', financingId, '800000', 'R-PEN');
    expect(await world.position('tier1', financingId)).toMatchObject({ penaltyOutstanding: '0', principalOutstanding: '80000000' });
    await world.repay('tier1', financingId, '80000000', 'R-ALL');
    world.advance(5 * 86_400);
    const repaid = await world.position('tier1', financingId);
    expect(repaid).toMatchObject({ repaid: '80800000', penaltyCharged: '800000', outstanding: '0', overdueDays: 0 });
    expectBalanced(repaid);
  });

  test('overdue and unpaid: a non-recourse bank writes off what the settlement of the piece leaves unpaid', async () => {
    // 99% financed, tenor end two months before the due date, 72% a year (0.2% a day): the penalty outgrows the margin.
    const { receivableId, financingId } = await funded(world, { recourse: false, penaltyRateBps: 7200 }, '99000000', '2027-02-03');
    world.now = beijing('2027-04-04');
    const overdue = await world.position('tier1', financingId);
    // ⌊99000000 × 7200 × 60 / 3600000⌋
    expect(overdue).toMatchObject({ overdueDays: 60, penaltyCharged: '11880000', outstanding: '110880000', recourse: false });
    const paid = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '100000000', 'CNAPS-S', '10']);
    expect(paid.payouts).toMatchObject([{ payeeId: world.id('bank'), basis: 'PLEDGEE', amount: '100000000' }]);
    const closed = await world.position('tier1', financingId);
    // The payout pays the penalty first (11880000), then 88120000 of principal; the rest is the bank's loss.
    expect(closed).toMatchObject({ collected: '100000000', surplus: '0', writtenOff: '10880000', outstanding: '0', overdueDays: 0 });
    expectBalanced(closed);
    // The settled piece left no surplus: the holder has nothing to confirm (the bank's peers know).
    await world.refused('INVALID_STATE', () => world.submit(world.as('tier1'), 'Financing:ConfirmSurplus', [financingId, 'NONE']));
    world.advance(10 * 86_400);
    expect(await world.position('tier1', financingId)).toEqual({ ...closed, asOf: '2027-04-14' });
    await world.refused('REPAYMENT_EXCEEDS_OUTSTANDING', () => world.recordRepayment('tier1', financingId, '1'));
  });

  test('with recourse the shortfall stays owed by the applicant after the settlement, and keeps accruing until repaid', async () => {
    const { receivableId, financingId } = await funded(world, { recourse: true, penaltyRateBps: 7200 }, '99000000', '2027-02-03');
    world.now = beijing('2027-04-04');
    await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '100000000', 'CNAPS-S', '10']);
    const short = await world.position('tier1', financingId);
    expect(short).toMatchObject({ collected: '100000000', writtenOff: '0', principalOutstanding: '10880000', outstanding: '10880000' });
    expect((await world.evaluate<Financing>(world.as('tier1'), 'Financing:Get', [financingId])).status).toBe('SETTLED');
    world.advance(86_400); // ⌊10880000 × 7200 × 1 / 3600000⌋ more
    const next = await world.position('tier1', financingId);
    expect(next).toMatchObject({ overdueDays: 61, penaltyOutstanding: '21760', outstanding: '10901760' });
    await world.repay('tier1', financingId, '10901760', 'R-SHORTFALL');
    const closed = await world.position('tier1', financingId);
    expect(closed).toMatchObject({ outstanding: '0', repaid: '10901760' });
    expectBalanced(closed);
  });

  test('the settlement repays the bank first for a pledged piece; what exceeds the debt is owed to the holder', async () => {
    const { receivableId, financingId } = await funded(world);
    await world.repay('tier1', financingId, '30000000');
    world.now = beijing('2027-04-04');
    const paid = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '100000000', 'CNAPS-S', '10']);
    expect(paid.payouts).toMatchObject([{ payeeId: world.id('bank'), basis: 'PLEDGEE', amount: '100000000' }]);
    // 50000000 principal and 30 days' penalty on it (⌊50000000 × 3600 × 30 / 3600000⌋ = 1500000) to the bank; the rest to tier 1.
    const split = await world.position('bank', financingId);
    expect(split).toMatchObject({ collected: '51500000', surplus: '48500000', outstanding: '0', penaltyCharged: '1500000' });
    expectBalanced(split);
    // The holder, whom the surplus reaches, confirms it received it: once, and nobody else.
    await world.refused('FORBIDDEN', () => world.submit(world.as('bank'), 'Financing:ConfirmSurplus', [financingId, 'SURPLUS-1']));
    const confirmed = await world.submit<Financing>(world.as('tier1'), 'Financing:ConfirmSurplus', [financingId, 'SURPLUS-1']);
    expect(confirmed).toMatchObject({ status: 'SETTLED', surplusReceipt: { by: world.id('tier1'), ref: 'SURPLUS-1' } });
    await world.refused('ALREADY_CONFIRMED', () => world.submit(world.as('tier1'), 'Financing:ConfirmSurplus', [financingId, 'SURPLUS-2']));
    await checkInvariants(world);
  });

  test('no surplus is confirmed while the piece is still pledged', async () => {
    const { financingId } = await funded(world);
    await world.refused('INVALID_STATE', () => world.submit(world.as('tier1'), 'Financing:ConfirmSurplus', [financingId, 'EARLY']));
  });
});

describe('repayment refusals change nothing', () => {
  let world: World;
  let financingId: string;
  beforeEach(async () => {
    world = await World.create();
    ({ financingId } = await funded(world));
  }, 30_000);

  test('a stranger or a rival bank neither repays, reads the position nor releases; the applicant does not release', async () => {
    await world.refused('FORBIDDEN', () => world.recordRepayment('tier2', financingId, '1000'));
    const hash = await world.recordRepayment('tier1', financingId, '1000');
    await world.refused('FORBIDDEN', () => world.repayOn('tier2', financingId, hash));
    await world.refused('FORBIDDEN', () => world.repayOn('bank', financingId, hash));
    for (const who of ['tier2', 'coreB', 'bankTwo'] as const) await world.refused('FORBIDDEN', () => world.position(who, financingId));
    await world.refused('FORBIDDEN', () => world.submit(world.as('bankTwo'), 'Financing:Release', [financingId, 'R']));
    await world.refused('FORBIDDEN', () => world.submit(world.as('tier1'), 'Financing:Release', [financingId, 'R']));
    expect(await world.position('auditor', financingId)).toMatchObject({ outstanding: '80000000' });
  });

  test.each([['0'], ['-5'], ['1.5'], ['abc'], ['9223372036854775808']])('an amount of %s is refused', async (amount) => {
    await world.refused('INVALID_ARGUMENT', () => world.recordRepayment('tier1', financingId, amount));
  });

  test('more than is outstanding, unknown or reused hashes, another financing\'s repayment, an assignment or an application are refused', async () => {
    await world.refused('REPAYMENT_EXCEEDS_OUTSTANDING', () => world.recordRepayment('tier1', financingId, '80000001'));
    await world.refused('TERMS_MISMATCH', () => world.repayOn('tier1', financingId, sha('no such repayment')));
    const hash = await world.recordRepayment('tier1', financingId, '1000');
    await world.repayOn('tier1', financingId, hash);
    await world.refused('ALREADY_EXISTS', () => world.repayOn('tier1', financingId, hash));
    const other = await funded(world);
    const theirs = await world.recordRepayment('tier1', other.financingId, '1000');
    await world.refused('TERMS_MISMATCH', () => world.repayOn('tier1', financingId, theirs));
    await world.refused('INVALID_ARGUMENT', () => world.repayOn('tier1', financingId, 'not-a-hash'));
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    const assigned = await world.apply('tier1', certificateId, { mode: 'ASSIGNMENT', amount: '900000', tenorEnd: world.dueIn(60) });
    await world.refused('INVALID_STATE', () => world.position('tier1', assigned.financing.id));
    await world.approve('bank', assigned.financing.id, 'CNAPS-A');
    await world.refused('INVALID_STATE', () => world.position('bank', assigned.financing.id));
    await world.refused('INVALID_STATE', () => world.recordRepayment('tier1', assigned.financing.id, '1000'));
    await world.refused('INVALID_STATE', () => world.submit(world.as('bank'), 'Financing:Release', [assigned.financing.id, 'R']));
  });

  test('two repayments recorded against the same outstanding: the second is refused when it is named, if it no longer fits', async () => {
    const first = await world.recordRepayment('tier1', financingId, '50000000');
    const second = await world.recordRepayment('tier1', financingId, '50000000');
    await world.repayOn('tier1', financingId, first);
    await world.refused('REPAYMENT_EXCEEDS_OUTSTANDING', () => world.repayOn('tier1', financingId, second));
  });
});

describe('repayment under concurrency and on other peers', () => {
  let world: World;
  let financingId: string;
  beforeEach(async () => {
    world = await World.create();
    ({ financingId } = await funded(world));
  }, 30_000);

  const peerOf = (mspId: string) => new LedgerEngine({ contracts, store: world.engine.store, peerMspId: mspId, clock: () => world.now });
  const comparable = (rwset: ReadWriteSet) => JSON.stringify({ reads: [...rwset.reads], ranges: rwset.rangeReads,
    writes: [...rwset.writes].map(([key, value]) => [key, value ? Buffer.from(value).toString('base64') : null]) });

  test('two repayments at once: both endorse, the first to commit is valid, the other fails MVCC and changes nothing', async () => {
    const hashes = [await world.recordRepayment('tier1', financingId, '1000'), await world.recordRepayment('tier1', financingId, '2000')];
    const [a, b] = await Promise.all(hashes.map((hash, i) => world.engine.endorse({ identity: world.as('tier1'), transaction: 'Financing:Repay', args: [financingId, hash, `R-${i}`] })));
    await world.engine.commit(a!);
    const before = await world.digest();
    await expect(world.engine.commit(b!)).rejects.toMatchObject({ validationCode: 'MVCC_READ_CONFLICT' });
    expect(await world.digest()).toBe(before);
    expect(await world.position('tier1', financingId)).toMatchObject({ repaid: '1000' });
  });

  test('a rival\'s peer reads as the bank\'s for the public steps, and refuses the private step and the position', async () => {
    const home = peerOf('Bank1MSP');
    const rival = peerOf('Bank2MSP');
    const endorseBoth = async (proposal: Proposal) => {
      const [x, y] = await Promise.all([home.endorse(proposal), rival.endorse(proposal)]);
      expect(comparable(y.rwset)).toBe(comparable(x.rwset));
    };
    const repayment = JSON.stringify({ amount: '80000000', salt: sha('salt') });
    const error = await rival.endorse({ identity: world.as('tier1'), transaction: 'Financing:RecordRepayment', args: [financingId], transient: { repayment } })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(EndorsementError);
    expect((error as EndorsementError).code).toBe('TERMS_ELSEWHERE');
    await expect(rival.evaluate({ identity: world.as('tier1'), transaction: 'Financing:GetPosition', args: [financingId] })).rejects.toMatchObject({ code: 'TERMS_ELSEWHERE' });
    const hash = await world.recordRepayment('tier1', financingId, '80000000');
    await endorseBoth({ identity: world.as('tier1'), transaction: 'Financing:Repay', args: [financingId, hash, 'R-1'], txId: sha('repay'), timestampMillis: world.now });
    await world.repayOn('tier1', financingId, hash);
    await endorseBoth({ identity: world.as('bank'), transaction: 'Financing:Release', args: [financingId, 'RCPT'], txId: sha('release'), timestampMillis: world.now });
  });
});

describe('the account always balances (property)', () => {
  const terms = fc.record({
    principal: fc.bigInt({ min: 1n, max: 10n ** 15n }),
    penaltyRateBps: fc.integer({ min: 0, max: 99999 }),
    recourse: fc.boolean(),
    dayCount: fc.constantFrom('ACT/360' as const, 'ACT/365F' as const),
  });
  const steps = fc.array(fc.record({ kind: fc.constantFrom('repayment', 'collection'), days: fc.integer({ min: -30, max: 60 }), share: fc.nat({ max: 1000 }) }), { maxLength: 12 });

  test('repaid + collected + written off + outstanding = principal + penalty, whatever moves when, and nothing is negative', () => {
    fc.assert(fc.property(terms, steps, fc.boolean(), fc.integer({ min: 0, max: 400 }), (t, moves, settles, asOfDays) => {
      const repayment: RepaymentTerms = { ...t, tenorEnd: '2027-03-05' };
      const movements: Movement[] = [];
      let day = Date.parse('2027-01-05T00:00:00Z');
      for (const [i, move] of moves.entries()) {
        day += Math.max(0, move.days) * 86_400_000;
        const at = new Date(day + i).toISOString();
        const owed = BigInt(positionOf('f', repayment, movements, at.slice(0, 10)).outstanding);
        // A repayment is at most what is owed (the chaincode refuses more); a payout may exceed it.
        const cap = move.kind === 'repayment' ? owed : t.principal * 2n;
        const amount = (cap * BigInt(move.share)) / 1000n;
        if (amount > 0n) movements.push({ kind: move.kind as 'repayment' | 'collection', at, date: at.slice(0, 10), amount });
      }
      const end = new Date(day + 1000).toISOString();
      if (settles) movements.push({ kind: 'pieceSettled', at: end, date: end.slice(0, 10) });
      const asOf = new Date(day + asOfDays * 86_400_000).toISOString().slice(0, 10);
      const position = positionOf('f', repayment, movements, asOf);
      expectBalanced(position);
      for (const field of ['repaid', 'collected', 'surplus', 'writtenOff', 'outstanding', 'penaltyOutstanding', 'principalOutstanding'] as const) {
        expect(BigInt(position[field])).toBeGreaterThanOrEqual(0n);
      }
      if (settles && !t.recourse) expect(position.outstanding).toBe('0');
    }), { numRuns: 300 });
  });

  test('on the ledger, random partial repayments, late days and a settlement keep live + settled = face after every step', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.record({ days: fc.integer({ min: 0, max: 40 }), share: fc.integer({ min: 1, max: 1000 }) }), { maxLength: 5 }), fc.boolean(), async (moves, recourse) => {
      const world = await World.create();
      const { receivableId, financingId } = await funded(world, { recourse, penaltyRateBps: 7300 });
      for (const move of moves) {
        world.advance(move.days * 86_400);
        const owed = BigInt((await world.position('tier1', financingId)).outstanding);
        const amount = (owed * BigInt(move.share)) / 1000n;
        if (amount > 0n) await world.repay('tier1', financingId, amount.toString());
        await checkInvariants(world);
      }
      world.now = Math.max(world.now, beijing('2027-04-04'));
      await world.submit(world.as('coreA'), 'Settlement:Pay', [receivableId, '60000000', 'CNAPS-S1', '10']);
      await checkInvariants(world);
      await world.submit(world.as('coreA'), 'Settlement:Pay', [receivableId, '40000000', 'CNAPS-S2', '10']);
      await checkInvariants(world);
      const position = await world.position('tier1', financingId);
      expectBalanced(position);
      expect(BigInt(position.collected) + BigInt(position.surplus)).toBeLessThanOrEqual(100000000n);
    }), { numRuns: 8 });
  }, 120_000);
});
