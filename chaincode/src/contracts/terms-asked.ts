import type { TermsAsked } from '../domain/financing-rules';
import type { QuoteInput } from '../domain/inputs';
import { parseAmount, parseStoredAmount } from '../domain/money';
import { parseDate } from '../domain/time';

/** Asked terms (a proposal, a quote or a price query), parsed once: money into Amount, the tenor as a real date. */
export function termsAsked(input: QuoteInput): TermsAsked {
  return {
    requestedAmount: parseAmount('terms.requestedAmount', input.requestedAmount),
    annualRateBps: input.annualRateBps,
    feeAmount: parseStoredAmount('terms.feeAmount', input.feeAmount),
    tenorEnd: parseDate('terms.tenorEnd', input.tenorEnd),
  };
}
