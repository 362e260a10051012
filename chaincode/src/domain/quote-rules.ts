import type { ActiveCertificate } from './certificate-rules';
import { ScfError } from './errors';
import { proposeTerms, type PricingDay, type TermsRequest } from './financing-rules';
import type { ConsortiumLimits, Financing, ProposedTerms, QuoteRequest, Receivable } from './model';
import { millisOf } from './time';

/**
 * Competing quotes. A holder asks several banks to quote on a piece until an expiry; the
 * request is public (who asked whom, on which piece, until when), the quotes are not: each
 * bank's binding quote is terms it proposes itself, in its own collection, readable by it
 * and the holder alone. The holder accepts one, which becomes the financing on exactly
 * those terms and locks the piece then (not while quotes are asked); the request closes, so
 * the other quotes lapse unread by anyone but their own bank and the holder.
 */
export function quoteRequestId(txId: string): string {
  return `qrq_${txId}`;
}

/** A request on the holder's tradable piece, open for at most the consortium's offer window. */
export function openQuoteRequest(
  certificate: ActiveCertificate,
  bankIds: readonly string[],
  expiresAt: string,
  limits: ConsortiumLimits,
  now: string,
  txId: string,
): QuoteRequest {
  const window = millisOf(expiresAt) - millisOf(now);
  if (window <= 0 || window > limits.maxOfferSeconds * 1000) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `expiresAt must be after now and at most ${limits.maxOfferSeconds} seconds ahead`,
    );
  }
  return {
    id: quoteRequestId(txId),
    certificateId: certificate.id,
    receivableId: certificate.receivableId,
    holderId: certificate.holderId,
    bankIds: [...new Set(bankIds)].sort(),
    requestedAt: now,
    expiresAt,
    status: 'OPEN',
  };
}

/** A request as reads report it: an open one past its expiry is EXPIRED (nothing is written when it lapses). */
export function quoteRequestView(request: QuoteRequest, now: string): QuoteRequest {
  return request.status === 'OPEN' && millisOf(now) >= millisOf(request.expiresAt)
    ? { ...request, status: 'EXPIRED' }
    : request;
}

/** Quotes are given and accepted only on an open request, before it expires. */
export function requireOpenQuoteRequest(request: QuoteRequest, now: string): Extract<QuoteRequest, { status: 'OPEN' }> {
  const current = quoteRequestView(request, now);
  if (current.status === 'EXPIRED') {
    throw new ScfError('QUOTE_EXPIRED', `quote request ${request.id} expired at ${request.expiresAt}`);
  }
  if (current.status !== 'OPEN') {
    throw new ScfError('INVALID_STATE', `quote request ${request.id} is ${current.status}`);
  }
  return current;
}

/**
 * A bank's binding quote: terms it proposes for the requester's piece, checked and priced
 * as an applicant's would be. The piece must still be the requester's. Run on the bank's peer only.
 */
export function answerQuote(
  request: QuoteRequest,
  certificate: ActiveCertificate,
  receivable: Receivable,
  bankId: string,
  quote: TermsRequest,
  now: string,
  day: PricingDay,
): ProposedTerms & { quoteRequestId: string } {
  if (certificate.id !== request.certificateId || certificate.holderId !== request.holderId) {
    throw new ScfError(
      'INVALID_STATE',
      `certificate ${request.certificateId} is no longer held by ${request.holderId}`,
    );
  }
  return { ...proposeTerms(certificate, receivable, bankId, quote, now, day), quoteRequestId: request.id };
}

/** A quote backs only an acceptance of the request it answered (checked on the quoting bank's peers). */
export function requireQuoteFor(proposed: ProposedTerms, request: QuoteRequest): void {
  if (proposed.quoteRequestId !== request.id) {
    throw new ScfError('TERMS_MISMATCH', `the terms named are not a quote made on request ${request.id}`);
  }
}

/** A bank's quote is accepted through its request, never applied on directly (the request would stay open). */
export function requireNotQuoted(proposed: ProposedTerms): void {
  if (proposed.quoteRequestId !== undefined) {
    throw new ScfError('TERMS_MISMATCH', `these terms were quoted on ${proposed.quoteRequestId}: accept them there`);
  }
}

/** The holder accepts one bank's quote: the request closes on the financing it became. */
export function acceptQuote(
  request: Extract<QuoteRequest, { status: 'OPEN' }>,
  financing: Financing,
  now: string,
): QuoteRequest {
  return {
    ...request,
    status: 'ACCEPTED',
    acceptedAt: now,
    acceptedBankId: financing.bankId,
    financingId: financing.id,
  };
}
