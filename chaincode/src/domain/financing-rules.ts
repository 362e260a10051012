import { type ActiveCertificate, requireNotFrozen } from './certificate-rules';
import { ScfError } from './errors';
import { type Amount, formatAmount, parseStoredAmount } from './money';
import type { Certificate, DecidedTerms, Financing, FinancingMode, ProposedTerms, Receivable } from './model';
import { requireOpenReceivable } from './receivable-rules';

/**
 * Financing (融资) against a certificate: the holder applies to a named bank, which locks
 * the piece; the bank funds it (pledge: the piece stays the applicant's but is locked
 * until repaid; assignment: the bank becomes the holder) or rejects it (the lock lifts).
 */
export function financingId(txId: string): string {
  return `fin_${txId}`;
}

/** What an applicant asks for: parsed from transient data on the bank's peer, never a public argument. */
export interface TermsRequest {
  readonly requestedAmount: Amount;
  readonly annualRateBps: number;
  readonly feeAmount: Amount;
  readonly tenorEnd: string;
  readonly salt: string;
}

/**
 * The applicant's proposed terms, checked against the piece and the receivable. Run on
 * the bank's peer only: no other peer ever sees them.
 */
export function proposeTerms(
  certificate: ActiveCertificate,
  receivable: Receivable,
  bankId: string,
  request: TermsRequest,
  now: string,
): ProposedTerms {
  if (request.requestedAmount > parseStoredAmount('amount', certificate.amount)) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `requestedAmount ${request.requestedAmount} exceeds the ${certificate.amount} the certificate holds`,
    );
  }
  if (request.tenorEnd > receivable.dueDate) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `tenorEnd ${request.tenorEnd} is after the receivable's due date ${receivable.dueDate}`,
    );
  }
  if (request.tenorEnd <= now.slice(0, 10)) {
    throw new ScfError('INVALID_ARGUMENT', `tenorEnd ${request.tenorEnd} must be after today ${now.slice(0, 10)}`);
  }
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

/** The bank's decision on an open application: at most what was asked for. Run on the bank's peer only. */
export function decideTerms(
  financing: Financing,
  proposed: ProposedTerms,
  disbursed: Amount,
  salt: string,
  now: string,
): DecidedTerms {
  const applied = requireApplied(financing);
  if (disbursed > parseStoredAmount('requestedAmount', proposed.requestedAmount)) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `disbursedAmount ${disbursed} exceeds the requested ${proposed.requestedAmount}`,
    );
  }
  return {
    kind: 'decided',
    financingId: applied.id,
    termsHash: applied.termsHash,
    disbursedAmount: formatAmount(disbursed),
    decidedAt: now,
    salt,
  };
}

/** A decision may fund only the application it was made on. */
export function requireDecisionFor(decided: DecidedTerms, financing: Financing): void {
  if (decided.financingId !== financing.id || decided.termsHash !== financing.termsHash) {
    throw new ScfError('TERMS_MISMATCH', `the decided terms were made on another application than ${financing.id}`);
  }
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

/** Repayment by the applicant releases a pledge; an assignment was a sale and has nothing to repay. */
export function repayFinancing(
  financing: Financing,
  certificate: Certificate,
  repaymentRef: string,
  now: string,
): { readonly financing: Financing; readonly certificate: Certificate } {
  if (financing.status !== 'FUNDED') {
    throw new ScfError('INVALID_STATE', `financing ${financing.id} is ${financing.status}, not FUNDED`);
  }
  if (financing.mode !== 'PLEDGE') {
    throw new ScfError(
      'INVALID_STATE',
      `financing ${financing.id} assigned the certificate to the bank: there is no pledge to release`,
    );
  }
  const locked = requireLockedBy(certificate, financing);
  return {
    financing: { ...financing, status: 'REPAID', repaidAt: now, repaymentRef } as Financing,
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
