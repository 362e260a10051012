import { calendarDaysBetween } from './business-time';
import { ScfError } from './errors';
import { type Amount, formatAmount } from './money';
import type { ConsortiumConfig, DayCount, Price } from './model';
import { DEFAULT_DAY_COUNT } from './vocabulary';

/**
 * Discounted financing (贴现): the bank pays the financed amount less the interest to
 * tenor end and the fee, up front.
 *
 *   interest  = ⌊ amount × annualRateBps × days / (10 000 × year) ⌋   (minor units)
 *   disbursed = amount − interest − fee                               (exactly)
 *
 * `days` are calendar days from the value date (the funding date in the business time
 * zone) to the tenor end; `year` is 360 (ACT/360) or 365 (ACT/365F). Rounding is down to
 * the minor unit: the bank never charges a fraction it did not earn, and splitting a
 * financing into parts never charges more in total than financing the whole (at most one
 * unit less per part). All of it is bigint arithmetic: nothing is ever a float.
 */

const YEAR_DAYS: Readonly<Record<DayCount, bigint>> = { 'ACT/360': 360n, 'ACT/365F': 365n };

/** The terms a price is computed from: what the holder asked for. */
export interface PricedTerms {
  readonly financedAmount: Amount;
  readonly annualRateBps: number;
  readonly feeAmount: Amount;
  readonly tenorEnd: string;
}

/** ⌊ amount × annualRateBps × days / (10 000 × year) ⌋: the discount's interest and the overdue penalty's alike. */
export function simpleInterest(amount: bigint, annualRateBps: number, days: number, dayCount: DayCount): bigint {
  return (amount * BigInt(annualRateBps) * BigInt(days)) / (10_000n * YEAR_DAYS[dayCount]);
}

/** The bank organisation's day-count convention, as the consortium configuration records it. */
export function dayCountOf(config: ConsortiumConfig, mspId: string): DayCount {
  return config.dayCounts[mspId] ?? DEFAULT_DAY_COUNT;
}

/**
 * The price of terms funded on `valueDate`. Refused when the tenor does not end after the
 * value date, or when interest and fee leave nothing to disburse.
 */
export function priceFinancing(terms: PricedTerms, valueDate: string, dayCount: DayCount): Price {
  const days = calendarDaysBetween(valueDate, terms.tenorEnd);
  if (days < 1) {
    throw new ScfError('INVALID_ARGUMENT', `tenorEnd ${terms.tenorEnd} must be after the value date ${valueDate}`);
  }
  const interest = simpleInterest(terms.financedAmount, terms.annualRateBps, days, dayCount);
  const disbursed = terms.financedAmount - interest - terms.feeAmount;
  if (disbursed <= 0n) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `interest ${interest} and fee ${terms.feeAmount} leave nothing of ${terms.financedAmount} to disburse`,
    );
  }
  return {
    financedAmount: formatAmount(terms.financedAmount),
    annualRateBps: terms.annualRateBps,
    dayCount,
    valueDate,
    tenorEnd: terms.tenorEnd,
    days,
    interestAmount: formatAmount(interest),
    feeAmount: formatAmount(terms.feeAmount),
    disbursedAmount: formatAmount(disbursed),
  };
}

/** A decided disbursement must be the priced one exactly; the refusal gives the figure and how it was reached. */
export function requirePricedDisbursement(disbursed: Amount, price: Price): void {
  if (formatAmount(disbursed) !== price.disbursedAmount) {
    throw new ScfError(
      'PRICE_MISMATCH',
      `disbursedAmount ${disbursed} is not the priced ${price.disbursedAmount}: ${price.financedAmount} less ` +
        `interest ${price.interestAmount} (${price.annualRateBps} bps, ${price.days} days ${price.dayCount} from ` +
        `${price.valueDate} to ${price.tenorEnd}) less fee ${price.feeAmount}`,
    );
  }
}

/** A decision is priced for its value date: funding on another business day reprices it. */
export function requireValueDate(price: Price, fundingDate: string): void {
  if (price.valueDate !== fundingDate) {
    throw new ScfError(
      'PRICE_MISMATCH',
      `the decision was priced for value date ${price.valueDate}, not today ${fundingDate}: decide again`,
    );
  }
}
