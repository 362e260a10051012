/**
 * The shapes the chaincode checks its arguments against, taken from its own vocabulary
 * (one home for each rule), plus the calendar check it applies to dates. Forms validate
 * with these before anything is sent; the gateway and the chaincode check again.
 */
export {
  CURRENCY_PATTERN,
  DID_PATTERN,
  MAX_AMOUNT,
  REGISTRATION_NUMBER_PATTERN,
} from '../../../chaincode/src/domain/vocabulary';
import { DATE_PATTERN } from '../../../chaincode/src/domain/vocabulary';

/** YYYY-MM-DD naming a day that exists (2027-02-30 does not). */
export function isCalendarDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An invoice field as the chaincode takes it: 1 to 64 characters. */
export const isInvoiceField = (text: string): boolean => text.length >= 1 && text.length <= 64;

/** "3.85" (percent) → 385 basis points; at most two decimals, 0 to 999.99%. */
export function percentToBps(text: string): number | undefined {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
