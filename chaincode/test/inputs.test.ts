import { z } from 'zod';
import { ScfError } from '../src/domain/errors';
import { MAX_JSON_DEPTH, parseJsonArg } from '../src/domain/inputs';
import type { ConsortiumConfig } from '../src/domain/model';
import { World } from './support/world';

const codeOf = (attempt: () => unknown): string | undefined => {
  try {
    attempt();
    return undefined;
  } catch (error) {
    return error instanceof ScfError ? error.code : `not an ScfError: ${String(error)}`;
  }
};
const anyJson = (raw: string) => parseJsonArg('value', z.unknown(), raw);

describe('caller JSON (list, patch and transient arguments)', () => {
  test.each([
    ['__proto__', '{"a":{"__proto__":{"x":1}}}'],
    ['constructor', '[1,{"constructor":{}}]'],
    ['prototype', '{"a":[[{"prototype":null}]]}'],
    ['an escaped __proto__', '{"\\u005f\\u005fproto\\u005f\\u005f":1}'],
  ])('a document with the key %s, at any depth, is refused as INVALID_ARGUMENT', (_label, raw) => {
    expect(codeOf(() => anyJson(raw))).toBe('INVALID_ARGUMENT');
  });

  test('the same words as values, or inside longer keys, are ordinary data', () => {
    expect(anyJson('{"note":"__proto__","constructors":["prototype"]}')).toEqual({ note: '__proto__', constructors: ['prototype'] });
  });

  test(`nesting is bounded at ${MAX_JSON_DEPTH} levels, and a million levels are refused without overflowing the stack`, () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(codeOf(() => anyJson(nested(MAX_JSON_DEPTH)))).toBeUndefined();
    expect(codeOf(() => anyJson(nested(MAX_JSON_DEPTH + 1)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => anyJson(nested(1_000_000)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => anyJson(`{"a":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`))).toBe('INVALID_ARGUMENT');
  });

  test('a record-shaped argument cannot smuggle __proto__ past validation (credential policy, as well as claims)', async () => {
    const world = await World.create();
    // A zod record copies keys by assignment: "__proto__" would become the copy's prototype and vanish.
    const propose = (change: string) => world.submit(world.admins.bank1, 'Governance:Propose', ['credentialPolicy', change, world.inSeconds(3600)]);
    await world.refused('INVALID_ARGUMENT', () => propose('{"__proto__":["KYC"]}'));
    await world.refused('INVALID_ARGUMENT', () => propose(`{"Financing:Apply":["KYC"],"x":${'['.repeat(5000)}${']'.repeat(5000)}}`));
    await world.govern('credentialPolicy', { 'Financing:Apply': ['KYC'] });
    const config = await world.evaluate<ConsortiumConfig>(world.admins.bank1, 'Consortium:GetConfig');
    expect(config.credentialPolicy).toEqual({ 'Financing:Apply': ['KYC'] });
  });
});
