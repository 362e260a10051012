import { ScfError } from './errors';
import { DATE_PATTERN, INSTANT_PATTERN } from './vocabulary';

/** Ledger times are ISO-8601 UTC with milliseconds, so they compare as strings and as instants. */
export function isoFromMillis(millis: number): string {
  return new Date(millis).toISOString();
}

export function millisOf(iso: string): number {
  return Date.parse(iso);
}

/** Parses a caller-supplied instant; any ISO-8601 form with an explicit zone is accepted. */
export function parseInstant(field: string, raw: string): string {
  const millis = Date.parse(raw);
  if (!INSTANT_PATTERN.test(raw) || Number.isNaN(millis)) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `${field} must be an ISO-8601 time with a zone, e.g. "2027-03-31T16:00:00Z"`,
    );
  }
  return isoFromMillis(millis);
}

/** Parses a calendar date (YYYY-MM-DD) and rejects impossible ones such as 2027-02-30. */
export function parseDate(field: string, raw: string): string {
  const match = DATE_PATTERN.exec(raw);
  const millis = Date.parse(`${raw}T00:00:00Z`);
  if (!match || Number.isNaN(millis) || isoFromMillis(millis).slice(0, 10) !== raw) {
    throw new ScfError('INVALID_ARGUMENT', `${field} must be a calendar date YYYY-MM-DD, e.g. "2027-03-31"`);
  }
  return raw;
}

/**
 * A decision window (an instruction's, a proposal's, a recovery's): it ends after `now` and
 * at most `maxSeconds` later, so nothing waits for a decision for ever.
 */
export function requireDecisionWindow(expiresAt: string, now: string, maxSeconds: number): void {
  const window = millisOf(expiresAt) - millisOf(now);
  if (window <= 0 || window > maxSeconds * 1000) {
    throw new ScfError('INVALID_ARGUMENT', `expiresAt must be after now and at most ${maxSeconds / 86_400} days ahead`);
  }
}
