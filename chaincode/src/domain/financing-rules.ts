import { type ActiveCertificate, requireNotFrozen } from './certificate-rules';
import { ScfError } from './errors';
import { type Amount, formatAmount, parseStoredAmount } from './money';
import type {
  Certificate,
  DayCount,
  DecidedTerms,
  Financing,
  FinancingMode,
  Price,
  ProposedTerms,
  Receipt,
  Receivable,
} from './model';
import { priceFinancing, requirePricedDisbursement, requireValueDate } from './pricing';
import { requireOpenReceivable } from './receivable-rules';

/**
 * Financing (融资) against a certificate: the holder applies to a named bank, which locks
 * the piece; the bank funds it (pledge: the piece stays the applicant's but is locked
 * until repaid; assignment: the bank becomes the holder) or rejects it (the lock lifts).
 */
export function financingId(txId: string): string {
  return `fin_${txId}`;
}

/** What a holder asks for: parsed from transient data on the bank's peer, never a public argument. */
export interface TermsAsked {
  readonly requestedAmount: Amount;
  readonly annualRateBps: number;
  readonly feeAmount: Amount;
  readonly tenorEnd: string;
}

/** Asked terms as an applicant proposes them, salted for their public hash. */
export interface TermsRequest extends TermsAsked {
  readonly salt: string;
}

/** When and how a financing is priced: the business date it would be funded on and the bank's day count. */
export interface PricingDay {
  readonly valueDate: string;
  readonly dayCount: DayCount;
}

/**
 * What terms asked of this piece would cost if funded on `day`: at most the piece's amount,
 * a tenor ending by the due date, and something left to disburse. Run on the bank's peer only.
 */
export function priceAsked(
  certificate: ActiveCertificate,
  receivable: Receivable,
  asked: TermsAsked,
  day: PricingDay,
): Price {
  if (asked.requestedAmount > parseStoredAmount('amount', certificate.amount)) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `requestedAmount ${asked.requestedAmount} exceeds the ${certificate.amount} the certificate holds`,
    );
  }
  if (asked.tenorEnd > receivable.dueDate) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `tenorEnd ${asked.tenorEnd} is after the receivable's due date ${receivable.dueDate}`,
    );
  }
  return priceFinancing({ ...asked, financedAmount: asked.requestedAmount }, day.valueDate, day.dayCount);
}

/**
 * The applicant's proposed terms, checked and priced as if funded today (terms that leave
 * nothing to disburse are refused now, not at funding). Run on the bank's peer only.
 */
export function proposeTerms(
  certificate: ActiveCertificate,
  receivable: Receivable,
  bankId: string,
  request: TermsRequest,
  now: string,
  day: PricingDay,
): ProposedTerms {
  priceAsked(certificate, receivable, request, day);
  return {
    kind: 'proposed',
    certificateId: certificate.id,
    applicantId: certificate.holderId,
    bankId,
    requestedAmount: formatAmount(request.requestedAmount),
    annualRateBps: request.annualRateBps,
    feeAmount: formatAmount(request.feeAmount),
    tenorEnd: request.tenorEnd,
    proposedAt: now,
    salt: request.salt,
  };
}

/**
 * The price a financing stands at: as decided once funded; for an open application, what
 * funding it on `day` would disburse (what the bank must decide), while its tenor is still ahead.
 */
export function standingPrice(
  financing: Financing,
  proposed: ProposedTerms,
  decided: DecidedTerms | undefined,
  day: PricingDay,
): Price | null {
  if (decided) return decided.price;
  if (financing.status !== 'APPLIED' || proposed.tenorEnd <= day.valueDate) return null;
  return priceOfProposal(proposed, day);
}

/** The price of proposed terms if funded on the given day. */
export function priceOfProposal(proposed: ProposedTerms, day: PricingDay): Price {
  const terms = {
    financedAmount: parseStoredAmount('requestedAmount', proposed.requestedAmount),
    annualRateBps: proposed.annualRateBps,
    feeAmount: parseStoredAmount('feeAmount', proposed.feeAmount),
    tenorEnd: proposed.tenorEnd,
  };
  return priceFinancing(terms, day.valueDate, day.dayCount);
}

/** Where an application's terms live: their hash (kept by every peer) and the bank organisation keeping them. */
export interface TermsReference {
  readonly termsOrg: string;
  readonly termsHash: string;
}

/**
 * Proposed terms may back only the application they were proposed for. Checked on the
 * bank's peer, the only one that can read them; every other peer checks the hash alone.
 */
export function requireTermsFor(proposed: ProposedTerms, certificate: Certificate, bankId: string): void {
  if (
    proposed.certificateId !== certificate.id ||
    proposed.applicantId !== certificate.holderId ||
    proposed.bankId !== bankId
  ) {
    throw new ScfError('TERMS_MISMATCH', `the proposed terms were not made by this holder for this piece and bank`);
  }
}

export function applyForFinancing(
  certificate: ActiveCertificate,
  bankId: string,
  mode: FinancingMode,
  terms: TermsReference,
  now: string,
  txId: string,
): { readonly financing: Financing; readonly locked: Certificate } {
  const financing: Financing = {
    id: financingId(txId),
    certificateId: certificate.id,
    receivableId: certificate.receivableId,
    applicantId: certificate.holderId,
    bankId,
    mode,
    termsOrg: terms.termsOrg,
    termsHash: terms.termsHash,
    appliedAt: now,
    status: 'APPLIED',
  };
  const locked: Certificate = {
    ...certificate,
    status: 'PLEDGED',
    lien: { financingId: financing.id, bankId, stage: 'APPLIED', since: now },
  };
  return { financing, locked };
}

/** What the bank decides, privately: the disbursement (the price exactly), recourse and the penalty rate. */
export interface Decision {
  readonly disbursed: Amount;
  readonly recourse: boolean;
  readonly penaltyRateBps: number;
  readonly salt: string;
}

/**
 * The bank's decision on an open application: it pays out the price of the proposed terms
 * on today's value date, exactly. Run on the bank's peer only.
 */
export function decideTerms(
  financing: Financing,
  proposed: ProposedTerms,
  decision: Decision,
  now: string,
  day: PricingDay,
): DecidedTerms {
  const applied = requireApplied(financing);
  const price = priceOfProposal(proposed, day);
  requirePricedDisbursement(decision.disbursed, price);
  return {
    kind: 'decided',
    financingId: applied.id,
    termsHash: applied.termsHash,
    disbursedAmount: price.disbursedAmount,
    price,
    recourse: decision.recourse,
    penaltyRateBps: decision.penaltyRateBps,
    decidedAt: now,
    salt: decision.salt,
  };
}

/** A decision may fund only the application it was made on, on the value date it was priced for. */
export function requireDecisionFor(decided: DecidedTerms, financing: Financing, fundingDate: string): void {
  if (decided.financingId !== financing.id || decided.termsHash !== financing.termsHash) {
    throw new ScfError('TERMS_MISMATCH', `the decided terms were made on another application than ${financing.id}`);
  }
  requireValueDate(decided.price, fundingDate);
}

function requireApplied(financing: Financing): Extract<Financing, { status: 'APPLIED' }> {
  if (financing.status !== 'APPLIED') {
    throw new ScfError('INVALID_STATE', `financing ${financing.id} is already ${financing.status}`);
  }
  return financing;
}

function requireLockedBy(certificate: Certificate, financing: Financing): Extract<Certificate, { status: 'PLEDGED' }> {
  if (certificate.status !== 'PLEDGED' || certificate.lien.financingId !== financing.id) {
    throw new ScfError('INVALID_STATE', `certificate ${certificate.id} is not locked by financing ${financing.id}`);
  }
  return certificate;
}

function unlocked(certificate: Extract<Certificate, { status: 'PLEDGED' }>): ActiveCertificate {
  const { lien: _released, ...rest } = certificate;
  return { ...rest, status: 'ACTIVE' };
}

/** The bank may fund only an open application whose piece it locks, under an open, unfrozen receivable. */
export function requireFundable(financing: Financing, certificate: Certificate, receivable: Receivable): void {
  const locked = requireLockedBy(certificate, requireApplied(financing));
  requireOpenReceivable(receivable);
  requireNotFrozen(locked);
}

/** The bank funds on its decided terms (named by their hash): it pledges or assigns the piece to itself. */
export function approveFinancing(
  financing: Financing,
  certificate: Certificate,
  receivable: Receivable,
  decisionHash: string,
  paymentRef: string,
  now: string,
): { readonly financing: Financing; readonly certificate: Certificate } {
  requireFundable(financing, certificate, receivable);
  const applied = requireApplied(financing);
  const locked = requireLockedBy(certificate, applied);
  const funded: Financing = { ...applied, status: 'FUNDED', decidedAt: now, decisionHash, paymentRef };
  const next: Certificate =
    applied.mode === 'ASSIGNMENT'
      ? { ...unlocked(locked), holderId: applied.bankId }
      : { ...locked, lien: { ...locked.lien, stage: 'PLEDGED', since: now } };
  return { financing: funded, certificate: next };
}

export function rejectFinancing(
  financing: Financing,
  certificate: Certificate,
  reason: string,
  now: string,
): { readonly financing: Financing; readonly certificate: Certificate } {
  const applied = requireApplied(financing);
  const locked = requireLockedBy(certificate, applied);
  return {
    financing: { ...applied, status: 'REJECTED', decidedAt: now, reason } as Financing,
    certificate: unlocked(locked) as Certificate,
  };
}

/** A funded pledge: the only financing with a pledge to release. */
export function requireHeldPledge(financing: Financing): Extract<Financing, { status: 'FUNDED' }> {
  if (financing.status !== 'FUNDED' || financing.mode !== 'PLEDGE') {
    throw new ScfError(
      'INVALID_STATE',
      `financing ${financing.id} is ${financing.status}: it holds no pledge to release`,
    );
  }
  return financing;
}

/**
 * The bank confirms it was repaid in full (its peers check nothing is outstanding) and
 * releases the pledge: the piece is the applicant's to move again.
 */
export function releasePledge(
  pledge: Extract<Financing, { status: 'FUNDED' }>,
  certificate: Certificate,
  receipt: Receipt,
): { readonly financing: Financing; readonly certificate: Certificate } {
  const locked = requireLockedBy(certificate, pledge);
  return {
    financing: { ...pledge, status: 'REPAID', repaidAt: receipt.at, receipt },
    certificate: unlocked(locked) as Certificate,
  };
}

/**
 * A piece paid in full at maturity ends its financing: a funded pledge is settled (the
 * bank took the payout), an application the bank never decided lapses as rejected.
 */
export function closeOnSettlement(financing: Financing, now: string): Financing {
  switch (financing.status) {
    case 'FUNDED':
      return { ...financing, status: 'SETTLED', settledAt: now };
    case 'APPLIED':
      return {
        ...financing,
        status: 'REJECTED',
        decidedAt: now,
        reason: 'the certificate was settled before the bank decided',
      };
    default:
      throw new ScfError('INVALID_STATE', `financing ${financing.id} is ${financing.status} and has no lien to close`);
  }
}
