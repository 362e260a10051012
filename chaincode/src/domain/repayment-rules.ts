import { calendarDaysBetween } from './business-time';
import { ScfError } from './errors';
import { type Amount, formatAmount, parseStoredAmount } from './money';
import type {
  DayCount,
  DecidedFinancing,
  DecidedTerms,
  Financing,
  FinancingPosition as Position,
  FundedPledge,
  Receipt,
  RepaymentEntry,
  RepaymentRecord,
} from './model';

export type { Position };
import { simpleInterest } from './pricing';

/**
 * Repayment and default of a pledge financing (还款与逾期). The discount was taken up front
 * (pricing.ts), so what is due at the tenor end is the financed amount itself: the principal.
 * From the day after the tenor end (business dates) whatever principal is unpaid accrues
 * penalty interest at the decision's annual penalty rate under the bank's day count,
 * ⌊principal × penaltyRateBps × days / (10 000 × year)⌋ for each stretch of days between two
 * movements, rounded down like the discount. Money received (the applicant's repayments, the
 * settlement's payouts for the pledged piece) pays the penalty first, then the principal. A
 * payout beyond both is a surplus the bank owes the holder. When the piece is settled in full,
 * a non-recourse financing writes off what the settlement left unpaid; a recourse one keeps it
 * owed, and accruing. Throughout, repaid + collected + written off + outstanding = principal +
 * penalty charged. Everything here runs on the bank's peers: the figures are its private terms.
 */

/** What the bank's decision fixed that repayment runs on. */
export interface RepaymentTerms {
  readonly principal: bigint;
  readonly tenorEnd: string;
  readonly dayCount: DayCount;
  readonly penaltyRateBps: number;
  readonly recourse: boolean;
}

export function repaymentTermsOf(decided: DecidedTerms): RepaymentTerms {
  return {
    principal: parseStoredAmount('financedAmount', decided.price.financedAmount),
    tenorEnd: decided.price.tenorEnd,
    dayCount: decided.price.dayCount,
    penaltyRateBps: decided.penaltyRateBps,
    recourse: decided.recourse,
  };
}

/**
 * A movement on the financing's account at an instant (`at`), dated in business time:
 * a repayment by the applicant, a settlement payout to the bank for the pledged piece
 * (`collection`), or the piece settled in full.
 */
export type Movement =
  | { readonly kind: 'repayment' | 'collection'; readonly at: string; readonly date: string; readonly amount: bigint }
  | { readonly kind: 'pieceSettled'; readonly at: string; readonly date: string };

interface Account {
  readonly principal: bigint;
  readonly penalty: bigint;
  /** The business date up to which penalty has been charged: the tenor end at first. */
  readonly accruedTo: string;
  /** Written off: nothing more is owed or accrues. */
  readonly closed: boolean;
  readonly penaltyCharged: bigint;
  readonly repaid: bigint;
  readonly collected: bigint;
  readonly surplus: bigint;
  readonly writtenOff: bigint;
}

function opened(terms: RepaymentTerms): Account {
  const zero = 0n;
  return {
    principal: terms.principal,
    penalty: zero,
    accruedTo: terms.tenorEnd,
    closed: false,
    penaltyCharged: zero,
    repaid: zero,
    collected: zero,
    surplus: zero,
    writtenOff: zero,
  };
}

/** Charges the penalty on the unpaid principal for the days from `accruedTo` to `date`. */
function accrue(account: Account, terms: RepaymentTerms, date: string): Account {
  const days = calendarDaysBetween(account.accruedTo, date);
  if (account.closed || days <= 0) return account;
  const charge = simpleInterest(account.principal, terms.penaltyRateBps, days, terms.dayCount);
  return {
    ...account,
    penalty: account.penalty + charge,
    penaltyCharged: account.penaltyCharged + charge,
    accruedTo: date,
  };
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** Money received pays the penalty first, then the principal; `left` is what exceeds both. */
function take(account: Account, amount: bigint): { readonly account: Account; readonly left: bigint } {
  const toPenalty = min(amount, account.penalty);
  const toPrincipal = min(amount - toPenalty, account.principal);
  return {
    account: { ...account, penalty: account.penalty - toPenalty, principal: account.principal - toPrincipal },
    left: amount - toPenalty - toPrincipal,
  };
}

function applyMovement(account: Account, terms: RepaymentTerms, movement: Movement): Account {
  const accrued = accrue(account, terms, movement.date);
  if (movement.kind === 'pieceSettled') {
    if (terms.recourse) return accrued;
    const shortfall = accrued.principal + accrued.penalty;
    return { ...accrued, principal: 0n, penalty: 0n, writtenOff: accrued.writtenOff + shortfall, closed: true };
  }
  const { account: paid, left } = take(accrued, movement.amount);
  if (movement.kind === 'collection') {
    return { ...paid, collected: paid.collected + movement.amount - left, surplus: paid.surplus + left };
  }
  if (left > 0n) throw new Error(`a repayment of ${movement.amount} exceeded what was owed by ${left}`);
  return { ...paid, repaid: paid.repaid + movement.amount };
}

/** The account after every movement (in time order), with penalty charged up to `asOf`. */
export function positionOf(
  financingId: string,
  terms: RepaymentTerms,
  movements: readonly Movement[],
  asOf: string,
): Position {
  const ordered = [...movements].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const account = accrue(
    ordered.reduce((acc, movement) => applyMovement(acc, terms, movement), opened(terms)),
    terms,
    asOf,
  );
  const outstanding = account.principal + account.penalty;
  return {
    financingId,
    asOf,
    tenorEnd: terms.tenorEnd,
    recourse: terms.recourse,
    penaltyRateBps: terms.penaltyRateBps,
    dayCount: terms.dayCount,
    principalDue: formatAmount(terms.principal),
    penaltyCharged: formatAmount(account.penaltyCharged),
    repaid: formatAmount(account.repaid),
    collected: formatAmount(account.collected),
    surplus: formatAmount(account.surplus),
    writtenOff: formatAmount(account.writtenOff),
    principalOutstanding: formatAmount(account.principal),
    penaltyOutstanding: formatAmount(account.penalty),
    outstanding: formatAmount(outstanding),
    overdueDays: outstanding > 0n ? Math.max(0, calendarDaysBetween(terms.tenorEnd, asOf)) : 0,
  };
}

/**
 * Only a funded pledge is repaid: while the piece is pledged, or after its settlement left
 * something owed. An assignment was a sale (nothing to repay).
 */
export function requireRepayable(financing: Financing): FundedPledge {
  if (financing.mode !== 'PLEDGE') {
    throw new ScfError(
      'INVALID_STATE',
      `financing ${financing.id} assigned the certificate to the bank: there is nothing to repay`,
    );
  }
  if (financing.status !== 'FUNDED' && financing.status !== 'SETTLED') {
    throw new ScfError('INVALID_STATE', `financing ${financing.id} is ${financing.status}: there is nothing to repay`);
  }
  return financing;
}

/** Only a funded pledge has an account: an application was never funded, an assignment was a sale. */
export function requireAccount(financing: Financing): DecidedFinancing {
  if (financing.mode !== 'PLEDGE' || !('decisionHash' in financing)) {
    throw new ScfError(
      'INVALID_STATE',
      `financing ${financing.id} is a ${financing.status} ${financing.mode}: only a funded pledge is repaid`,
    );
  }
  return financing;
}

/**
 * A repayment may not exceed what is outstanding today (penalty included). The message gives
 * the figures only where `disclose` says the refusal stays on the bank's peers (a private
 * step); a public step's refusal passes through whichever peer the client entered by.
 */
export function requireWithinOutstanding(position: Position, amount: Amount, disclose: boolean): void {
  if (amount <= parseStoredAmount('outstanding', position.outstanding)) return;
  const figures = disclose
    ? `the ${position.outstanding} outstanding on financing ${position.financingId} on ${position.asOf} ` +
      `(principal ${position.principalOutstanding}, penalty ${position.penaltyOutstanding})`
    : `what is outstanding on financing ${position.financingId} now: record it again`;
  throw new ScfError('REPAYMENT_EXCEEDS_OUTSTANDING', `the repayment exceeds ${figures}`);
}

/** The applicant's repayment, as the bank's collection keeps it (salted for its public hash). */
export function repaymentRecord(financing: FundedPledge, amount: Amount, salt: string, now: string): RepaymentRecord {
  return {
    kind: 'repayment',
    financingId: financing.id,
    applicantId: financing.applicantId,
    amount: formatAmount(amount),
    recordedAt: now,
    salt,
  };
}

/** A stored repayment backs one public entry, on the financing it was recorded for. */
export function requireRepaymentFor(record: RepaymentRecord, financing: FundedPledge): void {
  if (record.financingId !== financing.id || record.applicantId !== financing.applicantId) {
    throw new ScfError('TERMS_MISMATCH', `the repayment named was not recorded on financing ${financing.id}`);
  }
}

/** The public record of a repayment: the hash of its private amount, the applicant's reference and time. */
export function withRepayment(financing: FundedPledge, entry: RepaymentEntry): FundedPledge {
  const recorded = financing.repayments ?? [];
  if (recorded.some((r) => r.repaymentHash === entry.repaymentHash)) {
    throw new ScfError('ALREADY_EXISTS', `repayment ${entry.repaymentHash} is already recorded on ${financing.id}`);
  }
  return { ...financing, repayments: [...recorded, entry] };
}

/** The pledge goes back to the applicant only once nothing is outstanding. */
export function requireRepaidInFull(position: Position): void {
  if (position.outstanding !== '0') {
    // No figure: Release is public, and its refusal passes through the client's entry peer.
    throw new ScfError(
      'NOT_REPAID',
      `financing ${position.financingId} still has something outstanding: ` +
        `the pledge is released when it is repaid in full`,
    );
  }
}

/**
 * The holder confirms, once, that the bank paid over the surplus a settlement left beyond the
 * debt (the money reaches the holder, so the holder confirms: the cash leg's rule).
 */
export function confirmSurplus(financing: Financing, receipt: Receipt): Financing {
  if (financing.status !== 'SETTLED' || financing.mode !== 'PLEDGE') {
    throw new ScfError(
      'INVALID_STATE',
      `financing ${financing.id} is a ${financing.status} ${financing.mode}: ` +
        'a surplus is owed only once its pledged piece is settled',
    );
  }
  if (financing.surplusReceipt) {
    throw new ScfError(
      'ALREADY_CONFIRMED',
      `the surplus of financing ${financing.id} was confirmed received at ${financing.surplusReceipt.at}`,
    );
  }
  return { ...financing, surplusReceipt: receipt };
}

/** Checked where the figures are kept: a settlement that paid the bank no more than was owed left no surplus. */
export function requireSurplusOwed(position: Position): void {
  if (BigInt(position.surplus) === 0n) {
    throw new ScfError(
      'INVALID_STATE',
      `financing ${position.financingId} owes its holder no surplus: ` +
        'the settlement paid the bank no more than was owed',
    );
  }
}
