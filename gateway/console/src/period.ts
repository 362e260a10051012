const DAY_MS = 86_400_000;

/**
 * A calendar day's start in UTC as the API's instant, `plusDays` later: periods are the API's
 * [from, to), so a period's last day ends where the next day starts (`dayStart(to, 1)`).
 * An empty day is no bound.
 */
export const dayStart = (day: string, plusDays = 0): string | undefined =>
  day ? new Date(Date.parse(`${day}T00:00:00Z`) + plusDays * DAY_MS).toISOString() : undefined;
