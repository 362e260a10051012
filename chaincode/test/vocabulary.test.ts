import fc from 'fast-check';
import { vocabulary } from '../src';
import { Currency, EnterpriseId, FinancingMode, HistoryKind, Sha256Hex } from '../src/domain/inputs';
import { parseAmount } from '../src/domain/money';

const sample = (...near: string[]) => fc.oneof(fc.string(), fc.constantFrom(...near), fc.constantFrom(...near).chain((s) =>
  fc.nat(s.length).map((i) => s.slice(0, i) + s.slice(i + 1))));

describe('the exported vocabularies are the ones the chaincode validates with', () => {
  test('a DID, a digest and a currency pass validation exactly when they match the exported pattern', () => {
    const cases = [
      [EnterpriseId, vocabulary.DID_PATTERN, ['did:scf:supplier-t1', 'did:scf:A', 'did:scf:ab']],
      [Sha256Hex, vocabulary.SHA256_HEX_PATTERN, ['a'.repeat(64), 'A'.repeat(64), 'a'.repeat(63)]],
      [Currency, vocabulary.CURRENCY_PATTERN, ['CNY', 'cny', 'CNYX']],
    ] as const;
    for (const [schema, pattern, near] of cases) {
      fc.assert(fc.property(sample(...near), (value) => {
        expect(schema.safeParse(value).success).toBe(pattern.test(value));
      }));
    }
  });

  test('the closed lists are the schemas\' options', () => {
    expect(FinancingMode.options).toEqual([...vocabulary.FINANCING_MODES]);
    expect(HistoryKind.options).toEqual([...vocabulary.HISTORY_KINDS]);
  });

  test('an amount above the exported ceiling is refused, the ceiling itself is not', () => {
    expect(parseAmount('amount', vocabulary.MAX_AMOUNT.toString())).toBe(vocabulary.MAX_AMOUNT);
    expect(() => parseAmount('amount', (vocabulary.MAX_AMOUNT + 1n).toString())).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
