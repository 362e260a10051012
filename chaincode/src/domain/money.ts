import { ScfError } from './errors';
import { AMOUNT_PATTERN, MAX_AMOUNT } from './vocabulary';

/**
 * Money is an integer count of minor units (fen, cents) held as bigint and written as
 * a decimal string. The ceiling is int64's, so every amount fits the banks' own systems.
 */
export type Amount = bigint & { readonly __brand: 'Amount' };

export { MAX_AMOUNT };
const DIGITS = AMOUNT_PATTERN;

function toAmount(field: string, value: bigint): Amount {
  if (value > MAX_AMOUNT) {
    throw new ScfError('INVALID_ARGUMENT', `${field} exceeds the maximum amount ${MAX_AMOUNT}`);
  }
  return value as Amount;
}

/** Parses a positive amount from its wire form: a decimal string of minor units. */
export function parseAmount(field: string, raw: unknown): Amount {
  if (typeof raw !== 'string' || !DIGITS.test(raw)) {
    throw new ScfError('INVALID_ARGUMENT', `${field} must be a string of integer minor units, e.g. "150000"`);
  }
  const value = BigInt(raw);
  if (value <= 0n) {
    throw new ScfError('INVALID_ARGUMENT', `${field} must be greater than zero`);
  }
  return toAmount(field, value);
}

/** Parses a stored amount that may legitimately be zero (e.g. a settled total). */
export function parseStoredAmount(field: string, raw: string): Amount {
  if (!DIGITS.test(raw)) {
    throw new ScfError('INVALID_ARGUMENT', `${field} is not an amount: ${raw}`);
  }
  return toAmount(field, BigInt(raw));
}

export function sumAmounts(field: string, amounts: readonly bigint[]): Amount {
  return toAmount(
    field,
    amounts.reduce((total, a) => total + a, 0n),
  );
}

/** `whole - part`, for a part known to be smaller: what stays after a part is taken. */
export function remainderOf(whole: Amount, part: Amount): Amount {
  if (part > whole) {
    throw new ScfError('INVALID_ARGUMENT', `${part} exceeds ${whole}`);
  }
  return (whole - part) as Amount;
}

/** The one way an amount is written: a decimal string of minor units, as records keep it on the ledger. */
export function formatAmount(amount: bigint): string {
  return amount.toString(10);
}
