import { type ActiveCertificate, requireNotFrozen } from './certificate-rules';
import { ScfError } from './errors';
import { type Amount, formatAmount, parseStoredAmount } from './money';
import type { Certificate, Financing, FinancingMode, Receivable } from './model';
import { requireOpenReceivable } from './receivable-rules';

/**
 * Financing (融资) against a certificate: the holder applies to a named bank, which locks
 * the piece; the bank funds it (pledge: the piece stays the applicant's but is locked
 * until repaid; assignment: the bank becomes the holder) or rejects it (the lock lifts).
 */
export function financingId(txId: string): string {
  return `fin_${txId}`;
}

export interface FinancingTerms {
  readonly bankId: string;
  readonly mode: FinancingMode;
  readonly requestedAmount: Amount;
  readonly annualRateBps: number;
  readonly feeAmount: Amount;
  readonly tenorEnd: string;
}

export function applyForFinancing(
  certificate: ActiveCertificate,
  receivable: Receivable,
  terms: FinancingTerms,
  now: string,
  txId: string,
): { readonly financing: Financing; readonly locked: Certificate } {
  const requested = terms.requestedAmount;
  if (requested > parseStoredAmount('amount', certificate.amount)) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `requestedAmount ${requested} exceeds the ${certificate.amount} the certificate holds`,
    );
  }
  if (terms.tenorEnd > receivable.dueDate) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `tenorEnd ${terms.tenorEnd} is after the receivable's due date ${receivable.dueDate}`,
    );
  }
  if (terms.tenorEnd <= now.slice(0, 10)) {
    throw new ScfError('INVALID_ARGUMENT', `tenorEnd ${terms.tenorEnd} must be after today ${now.slice(0, 10)}`);
  }
  const financing: Financing = {
    id: financingId(txId),
    certificateId: certificate.id,
    receivableId: certificate.receivableId,
    applicantId: certificate.holderId,
    bankId: terms.bankId,
    mode: terms.mode,
    requestedAmount: formatAmount(requested),
    annualRateBps: terms.annualRateBps,
    feeAmount: formatAmount(terms.feeAmount),
    tenorEnd: terms.tenorEnd,
    appliedAt: now,
    status: 'APPLIED',
  };
  const locked: Certificate = {
    ...certificate,
    status: 'PLEDGED',
    lien: { financingId: financing.id, bankId: terms.bankId, stage: 'APPLIED', since: now },
  };
  return { financing, locked };
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

/** The bank funds: records the disbursement and pledges or assigns the piece to itself. */
export function approveFinancing(
  financing: Financing,
  certificate: Certificate,
  receivable: Receivable,
  disbursed: Amount,
  paymentRef: string,
  now: string,
): { readonly financing: Financing; readonly certificate: Certificate } {
  requireFundable(financing, certificate, receivable);
  const applied = requireApplied(financing);
  const locked = requireLockedBy(certificate, applied);
  if (disbursed > parseStoredAmount('requestedAmount', applied.requestedAmount)) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `disbursedAmount ${disbursed} exceeds the requested ${applied.requestedAmount}`,
    );
  }
  const funded: Financing = {
    ...applied,
    status: 'FUNDED',
    decidedAt: now,
    disbursedAmount: formatAmount(disbursed),
    paymentRef,
  };
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
