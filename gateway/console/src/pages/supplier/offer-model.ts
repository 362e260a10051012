import { parseMajor } from '../../money';
import { DID_PATTERN } from '../../rules';

const HOUR_MS = 3_600_000;

export interface OfferDraft {
  /** What the holder keeps; undefined while the amount cannot be read. */
  readonly kept: bigint | undefined;
  /** The request body at a given time, once everything is valid. */
  readonly body: ((now: Date) => Record<string, string>) | undefined;
}

/** The offer as typed so far: a blank amount offers the whole piece; a part must be within it. */
export function offerDraft(total: bigint, input: { to: string; amount: string; hours: string }): OfferDraft {
  const parsed = parseMajor(input.amount);
  const offered = input.amount === '' ? total : parsed.ok ? parsed.minor : undefined;
  const kept = offered === undefined ? undefined : total - offered;
  const hoursValid = /^\d{1,4}$/.test(input.hours) && Number(input.hours) > 0;
  if (!DID_PATTERN.test(input.to) || kept === undefined || kept < 0n || !hoursValid) return { kept, body: undefined };
  return {
    kept,
    body: (now) => ({
      to: input.to,
      expiresAt: new Date(now.getTime() + Number(input.hours) * HOUR_MS).toISOString(),
      ...(offered !== total ? { amount: String(offered) } : {}),
    }),
  };
}
