import { isoFromMillis } from './time';

/**
 * The consortium's business time zone (an IANA name, Asia/Shanghai by default): due dates,
 * tenors, day counts and overdue are reckoned in it, not in UTC. Offsets come from the ICU
 * time-zone data of the Node runtime the chaincode server runs on (Intl), so every peer
 * must run the same Node release (the chaincode package pins it). Asia/Shanghai has kept
 * +08:00 without daylight saving since 1991: no tzdata release changes its conversions.
 */

const DAY_MILLIS = 86_400_000;

function formatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** A zone name Intl knows, spelled as Intl spells it (so every record holds one spelling). */
export function isTimeZone(raw: string): boolean {
  try {
    return formatter(raw).resolvedOptions().timeZone === raw;
  } catch {
    return false;
  }
}

/** The wall-clock reading of an instant in the zone, taken as if it were UTC (so an offset is a difference). */
function wallClockMillis(millis: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(millis))
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(
    Number(parts['year']),
    Number(parts['month']) - 1,
    Number(parts['day']),
    Number(parts['hour']),
    Number(parts['minute']),
    Number(parts['second']),
  );
}

/**
 * The calendar date (YYYY-MM-DD) an instant falls on in the business time zone: business
 * rules compare dates, so a receivable due 2026-12-01 is payable from 00:00 that day in
 * Asia/Shanghai (2026-11-30T16:00:00Z) and overdue from 00:00 the next.
 */
export function businessDate(instant: string, timeZone: string): string {
  return isoFromMillis(wallClockMillis(Date.parse(instant), timeZone)).slice(0, 10);
}

/** Calendar days from one date to another (negative when `to` is earlier); no zone enters. */
export function calendarDaysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MILLIS);
}
