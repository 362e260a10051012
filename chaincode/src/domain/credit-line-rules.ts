import { ScfError } from './errors';
import { type Amount, formatAmount, parseStoredAmount } from './money';
import type { CreditLimit, CreditLine } from './model';
import { millisOf } from './time';

/**
 * A bank's credit line (授信) to one core enterprise. Issuing consumes limit, payment
 * releases it. A line belongs to one bank and one core enterprise, so issuances by
 * different core enterprises never touch the same key.
 */
export function creditLineId(txId: string): string {
  return `cl_${txId}`;
}

/** A line starts with no limit: the bank sets it privately (see `setLimit`), and nothing is issued before. */
export function grantCreditLine(
  bank: { readonly id: string; readonly termsOrg: string },
  coreId: string,
  currency: string,
  expiresAt: string,
  now: string,
  txId: string,
): CreditLine {
  if (millisOf(expiresAt) <= millisOf(now)) {
    throw new ScfError('INVALID_ARGUMENT', `expiresAt ${expiresAt} must be after the transaction time ${now}`);
  }
  return {
    id: creditLineId(txId),
    bankId: bank.id,
    coreId,
    currency,
    termsOrg: bank.termsOrg,
    used: '0',
    expiresAt,
    grantedAt: now,
    status: 'ACTIVE',
  };
}

/** Raising or lowering keeps what is used; a limit below it only blocks new issuance. */
export function setLimit(line: CreditLine, limit: Amount, salt: string, now: string): CreditLimit {
  return { creditLineId: line.id, limit: formatAmount(limit), setAt: now, salt };
}

/**
 * A line's limit as this peer sees it: only the granting bank's peers keep it (`kept`);
 * elsewhere the check is theirs, and the line's key-level endorsement policy requires them.
 */
export type LimitView = { readonly kept: true; readonly limit: CreditLimit } | { readonly kept: false };

export function available(line: CreditLine, limit: CreditLimit): bigint {
  return parseStoredAmount('limit', limit.limit) - parseStoredAmount('used', line.used);
}

export function setFrozen(line: CreditLine, frozen: boolean): CreditLine {
  if ((line.status === 'FROZEN') === frozen) {
    throw new ScfError('INVALID_STATE', `credit line ${line.id} is already ${line.status}`);
  }
  return { ...line, status: frozen ? 'FROZEN' : 'ACTIVE' };
}

/** Issuance consumes limit; the caller has checked that the line was granted to the issuing core enterprise. */
export function consume(line: CreditLine, view: LimitView, currency: string, amount: Amount, now: string): CreditLine {
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
  // The message names no figure: a refusal passes through the entry peer, which may be a rival's.
  if (view.kept && amount > available(line, view.limit)) {
    throw new ScfError('CREDIT_LIMIT_EXCEEDED', `issuing ${amount} would take credit line ${line.id} past its limit`);
  }
  return { ...line, used: formatAmount(parseStoredAmount('used', line.used) + amount) };
}

/** Releasing never takes `used` below zero, even for a line whose limit was lowered meanwhile. */
export function release(line: CreditLine, amount: Amount): CreditLine {
  const used = parseStoredAmount('used', line.used);
  return { ...line, used: formatAmount(amount > used ? 0n : used - amount) };
}
