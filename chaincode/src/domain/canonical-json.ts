import { configure } from 'safe-stable-stringify';

/**
 * JSON.stringify with every object's keys in code-unit order, and an error (not a silent
 * `null`) for anything JSON cannot hold: NaN, functions, bigints, cycles.
 */
const stringify = configure({ deterministic: true, strict: true, bigint: false, circularValue: Error });

/** The one place records become bytes: sorted keys, so every endorser writes identical bytes. */
export function toCanonicalBytes(value: unknown): Uint8Array {
  return Buffer.from(toCanonicalJson(value), 'utf8');
}

export function toCanonicalJson(value: unknown): string {
  return stringify(value) as string;
}
