import fc from 'fast-check';
import { businessDate, calendarDaysBetween, isTimeZone } from '../src/domain/business-time';
import { ScfError } from '../src/domain/errors';
import type { Amount } from '../src/domain/money';
import { simpleInterest, priceFinancing, requirePricedDisbursement, requireValueDate } from '../src/domain/pricing';
import { DAY_COUNTS } from '../src/domain/vocabulary';

const amountOf = (value: bigint): Amount => value as Amount;
const terms = (financed: bigint, rateBps: number, fee: bigint, tenorEnd: string) =>
  ({ financedAmount: amountOf(financed), annualRateBps: rateBps, feeAmount: amountOf(fee), tenorEnd });
const codeOf = (attempt: () => unknown): string | undefined => {
  try {
    attempt();
    return undefined;
  } catch (error) {
    return error instanceof ScfError ? error.code : String(error);
  }
};

describe('pricing: discount interest, rounded down to the minor unit', () => {
  test('a financing priced by hand: 1,000,000.00 at 3.65% for 90 days, fee 500.00', () => {
    const price = priceFinancing(terms(100_000_000n, 365, 50_000n, '2027-04-04'), '2027-01-04', 'ACT/360');
    // 100,000,000 × 365 × 90 / 3,600,000 = 912,500 exactly.
    expect(price).toEqual({
      financedAmount: '100000000', annualRateBps: 365, dayCount: 'ACT/360', valueDate: '2027-01-04', tenorEnd: '2027-04-04',
      days: 90, interestAmount: '912500', feeAmount: '50000', disbursedAmount: '99037500',
    });
    // ACT/365F: 100,000,000 × 365 × 90 / 3,650,000 = 900,000.
    expect(priceFinancing(terms(100_000_000n, 365, 50_000n, '2027-04-04'), '2027-01-04', 'ACT/365F').interestAmount).toBe('900000');
  });

  test('a fraction of a minor unit is never charged', () => {
    // 1,001 × 385 × 7 / 3,600,000 = 0.749…: nothing.
    expect(simpleInterest(1001n, 385, 7, 'ACT/360')).toBe(0n);
    // 999,999 × 385 × 80 / 3,600,000 = 8,555.547…: 8,555.
    expect(simpleInterest(999_999n, 385, 80, 'ACT/360')).toBe(8555n);
  });

  test('days run from the value date to the tenor end across month and leap-year ends', () => {
    expect(calendarDaysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(calendarDaysBetween('2027-12-31', '2028-01-01')).toBe(1);
    expect(priceFinancing(terms(1_000_000n, 400, 0n, '2028-03-01'), '2028-02-01', 'ACT/365F').days).toBe(29);
  });

  test('a tenor not after the value date, or terms that leave nothing to disburse, are refused', () => {
    expect(codeOf(() => priceFinancing(terms(1000n, 100, 0n, '2027-01-04'), '2027-01-04', 'ACT/360'))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => priceFinancing(terms(1000n, 0, 1000n, '2027-01-05'), '2027-01-04', 'ACT/360'))).toBe('INVALID_ARGUMENT');
    expect(priceFinancing(terms(1000n, 0, 999n, '2027-01-05'), '2027-01-04', 'ACT/360').disbursedAmount).toBe('1');
  });

  test('a decided disbursement other than the priced one is refused with the figure and how it was reached', () => {
    const price = priceFinancing(terms(900_000n, 385, 1500n, '2027-03-25'), '2027-01-04', 'ACT/360');
    expect(() => requirePricedDisbursement(amountOf(880_000n), price)).toThrow(
      '[PRICE_MISMATCH] disbursedAmount 880000 is not the priced 890800: 900000 less interest 7700 ' +
        '(385 bps, 80 days ACT/360 from 2027-01-04 to 2027-03-25) less fee 1500',
    );
    expect(() => requirePricedDisbursement(amountOf(890_800n), price)).not.toThrow();
    expect(codeOf(() => requireValueDate(price, '2027-01-05'))).toBe('PRICE_MISMATCH');
  });

  const amount = fc.bigInt({ min: 1n, max: 10n ** 15n });
  const rate = fc.integer({ min: 0, max: 99_999 });
  const days = fc.integer({ min: 1, max: 3650 });
  const dayCount = fc.constantFrom(...DAY_COUNTS);

  test('property: splitting a financing into parts never charges more interest in total, and at most one unit less per part', () => {
    fc.assert(
      fc.property(fc.array(amount, { minLength: 1, maxLength: 20 }), rate, days, dayCount, (parts, bps, d, basis) => {
        const whole = simpleInterest(parts.reduce((a, b) => a + b, 0n), bps, d, basis);
        const summed = parts.reduce((total, part) => total + simpleInterest(part, bps, d, basis), 0n);
        expect(whole - summed).toBeGreaterThanOrEqual(0n);
        expect(whole - summed).toBeLessThan(BigInt(parts.length));
      }),
      { numRuns: 500 },
    );
  });

  test('property: disbursed + interest + fee is the financed amount exactly, for every split part too', () => {
    fc.assert(
      fc.property(fc.array(amount, { minLength: 1, maxLength: 10 }), rate, days, dayCount, (parts, bps, d, basis) => {
        for (const part of parts) {
          const valueDate = '2027-01-04';
          const tenorEnd = new Date(Date.parse(`${valueDate}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
          let price;
          try {
            price = priceFinancing(terms(part, bps, 0n, tenorEnd), valueDate, basis);
          } catch {
            continue; // interest took it all: refused, nothing to check
          }
          expect(BigInt(price.disbursedAmount) + BigInt(price.interestAmount) + BigInt(price.feeAmount)).toBe(part);
          expect(price.days).toBe(d);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('property: interest never falls as the rate or the tenor grows, and ACT/360 never charges less than ACT/365F', () => {
    fc.assert(
      fc.property(amount, rate, rate, days, days, dayCount, (a, r1, r2, d1, d2, basis) => {
        const [lowRate, highRate] = r1 <= r2 ? [r1, r2] : [r2, r1];
        const [short, long] = d1 <= d2 ? [d1, d2] : [d2, d1];
        expect(simpleInterest(a, lowRate, short, basis)).toBeLessThanOrEqual(simpleInterest(a, highRate, short, basis));
        expect(simpleInterest(a, lowRate, short, basis)).toBeLessThanOrEqual(simpleInterest(a, lowRate, long, basis));
        expect(simpleInterest(a, r1, d1, 'ACT/365F')).toBeLessThanOrEqual(simpleInterest(a, r1, d1, 'ACT/360'));
      }),
      { numRuns: 500 },
    );
  });
});

describe('business time: dates in the consortium\'s zone, not UTC', () => {
  test('a Beijing day starts at 16:00 UTC the day before', () => {
    expect(businessDate('2026-11-30T15:59:59.999Z', 'Asia/Shanghai')).toBe('2026-11-30');
    expect(businessDate('2026-11-30T16:00:00.000Z', 'Asia/Shanghai')).toBe('2026-12-01');
    expect(businessDate('2026-11-30T16:00:00.000Z', 'UTC')).toBe('2026-11-30');
  });

  test('a zone with daylight saving dates each side of its change', () => {
    // New York moved to EDT (UTC−4) at 2027-03-14T07:00Z.
    expect(businessDate('2027-03-14T04:59:59.000Z', 'America/New_York')).toBe('2027-03-13');
    expect(businessDate('2027-03-14T05:00:00.000Z', 'America/New_York')).toBe('2027-03-14');
    expect(businessDate('2027-03-15T03:59:59.000Z', 'America/New_York')).toBe('2027-03-14');
    expect(businessDate('2027-03-15T04:00:00.000Z', 'America/New_York')).toBe('2027-03-15');
  });

  test('only IANA names, spelled as Intl spells them, are zones', () => {
    expect(['Asia/Shanghai', 'UTC', 'Europe/London'].map(isTimeZone)).toEqual([true, true, true]);
    expect(['asia/shanghai', 'Mars/Olympus', '', '+08:00', 'Asia/Shanghai\u0000'].map(isTimeZone)).toEqual([false, false, false, false, false]);
  });
});
