import fc from 'fast-check';
import { toCanonicalBytes, toCanonicalJson } from '../src/domain/canonical-json';

/**
 * The definition: JSON as JSON.stringify writes each value, with every object's keys in
 * code-unit order (written out here: a JS object would put integer-like keys first).
 */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record).sort().map((key) => `${JSON.stringify(key)}:${reference(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('canonical JSON (the bytes every endorser must agree on, and the basis of stored hashes)', () => {
  test('is JSON.stringify with sorted keys, for any JSON value: unicode, escapes, nesting, numbers', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(toCanonicalJson(value)).toBe(reference(value));
    }), { numRuns: 2000 });
  });

  test('keys sort by code unit whatever the insertion order; bytes are its UTF-8', () => {
    const value = { b: 1, a: { z: [3, { y: 'é', x: null }], é: 'x', Z: true }, '10': 0, '9': 0 };
    expect(toCanonicalJson(value)).toBe('{"10":0,"9":0,"a":{"Z":true,"z":[3,{"x":null,"y":"é"}],"é":"x"},"b":1}');
    expect(Buffer.from(toCanonicalBytes({ s: '\u2028\ud800' })).toString('utf8')).toBe('{"s":"\u2028\\ud800"}');
  });

  test('what JSON cannot hold is an error, never a silent null; an undefined field is left out as JSON.stringify does', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [{ amount: Number.NaN }, { amount: 10n }, { f: () => 1 }, cyclic]) {
      expect(() => toCanonicalJson(bad)).toThrow();
    }
    expect(toCanonicalJson({ b: undefined, a: 1 })).toBe('{"a":1}');
  });
});
