import stringify from 'json-stringify-deterministic';

/** The one place records become bytes: sorted keys, so every endorser writes identical bytes. */
export function toCanonicalBytes(value: unknown): Uint8Array {
  return Buffer.from(stringify(value), 'utf8');
}

export function toCanonicalJson(value: unknown): string {
  return stringify(value);
}
