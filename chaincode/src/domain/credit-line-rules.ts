import { ScfError } from './errors';
import { type Amount, formatAmount, parseStoredAmount } from './money';
import type { CreditLine } from './model';
import { millisOf } from './time';

/**
 * A bank's credit line (授信) to one core enterprise. Issuing consumes limit, payment
 * releases it. A line belongs to one bank and one core enterprise, so issuances by
 * different core enterprises never touch the same key.
 */
export function creditLineId(txId: string): string {
  return `cl_${txId}`;
}

export function grantCreditLine(
  bankId: string,
  coreId: string,
  currency: string,
  limit: Amount,
  expiresAt: string,
  now: string,
  txId: string,
): CreditLine {
  if (millisOf(expiresAt) <= millisOf(now)) {
    throw new ScfError('INVALID_ARGUMENT', `expiresAt ${expiresAt} must be after the transaction time ${now}`);
  }
  return {
    id: creditLineId(txId),
    bankId,
    coreId,
    currency,
    limit: formatAmount(limit),
    used: '0',
    expiresAt,
    grantedAt: now,
    status: 'ACTIVE',
  };
}

export function available(line: CreditLine): bigint {
  return parseStoredAmount('limit', line.limit) - parseStoredAmount('used', line.used);
}

/** Raising or lowering keeps what is used; a limit below it only blocks new issuance. */
export function setLimit(line: CreditLine, limit: Amount): CreditLine {
  return { ...line, limit: formatAmount(limit) };
}

export function setFrozen(line: CreditLine, frozen: boolean): CreditLine {
  if ((line.status === 'FROZEN') === frozen) {
    throw new ScfError('INVALID_STATE', `credit line ${line.id} is already ${line.status}`);
  }
  return { ...line, status: frozen ? 'FROZEN' : 'ACTIVE' };
}

/** Issuance consumes limit; the caller has checked that the line was granted to the issuing core enterprise. */
export function consume(line: CreditLine, currency: string, amount: Amount, now: string): CreditLine {
  if (line.currency !== currency) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `credit line ${line.id} is in ${line.currency}, the receivable in ${currency}`,
    );
  }
  if (line.status === 'FROZEN') {
    throw new ScfError('CREDIT_LIMIT_EXCEEDED', `credit line ${line.id} is frozen by its bank`);
  }
  if (millisOf(now) >= millisOf(line.expiresAt)) {
    throw new ScfError('CREDIT_LIMIT_EXCEEDED', `credit line ${line.id} expired at ${line.expiresAt}`);
  }
  if (amount > available(line)) {
    throw new ScfError(
      'CREDIT_LIMIT_EXCEEDED',
      `credit line ${line.id} has ${available(line)} available, ${amount} requested`,
    );
  }
  return { ...line, used: formatAmount(parseStoredAmount('used', line.used) + amount) };
}

/** Releasing never takes `used` below zero, even for a line whose limit was lowered meanwhile. */
export function release(line: CreditLine, amount: Amount): CreditLine {
  const used = parseStoredAmount('used', line.used);
  return { ...line, used: formatAmount(amount > used ? 0n : used - amount) };
}
