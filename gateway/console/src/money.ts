/**
 * Money on screen: the API speaks integer minor units as decimal strings; people type and
 * read major units with two decimals. Parsed once, as bigint, never as a float.
 */
import { MAX_AMOUNT } from './rules';
const MINOR_DIGITS = 2;
const SCALE = 10n ** BigInt(MINOR_DIGITS);

/** "100000000" → "1,000,000.00" */
export function formatMinor(minor: string | bigint): string {
  const value = BigInt(minor);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const whole = (abs / SCALE).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % SCALE).toString().padStart(MINOR_DIGITS, '0');
  return `${sign}${whole}.${cents}`;
}

export type ParsedAmount =
  | { readonly ok: true; readonly minor: bigint }
  | { readonly ok: false; readonly reason: 'empty' | 'format' | 'zero' | 'tooLarge' };

/** "1,000,000.5" → 100000050n; at most two decimals, positive, at most 2^63−1 minor units. */
export function parseMajor(text: string): ParsedAmount {
  const cleaned = text.replace(/[,\s]/g, '');
  if (cleaned === '') return { ok: false, reason: 'empty' };
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return { ok: false, reason: 'format' };
  const minor = BigInt(match[1]!) * SCALE + BigInt((match[2] ?? '').padEnd(MINOR_DIGITS, '0'));
  if (minor === 0n) return { ok: false, reason: 'zero' };
  if (minor > MAX_AMOUNT) return { ok: false, reason: 'tooLarge' };
  return { ok: true, minor };
}

/**
 * What is left of `total` after the parts typed so far: the split and offer forms show it
 * as the user types and send nothing until it is exactly zero (split) or positive (offer).
 */
export function remainderOf(total: bigint, parts: readonly string[]): { remainder: bigint; allValid: boolean } {
  let remainder = total;
  let allValid = true;
  for (const part of parts) {
    const parsed = parseMajor(part);
    if (parsed.ok) remainder -= parsed.minor;
    else allValid = false;
  }
  return { remainder, allValid };
}
