import { Info, Returns, Transaction } from 'fabric-contract-api';
import { requireCounterpartyInBusiness } from '../access/bank-suspension';
import { loadForRead, RECORD_READERS, requireReader } from '../access/read-policy';
import { actingEnterprise, requireHolder } from '../access/relationships';
import { requireTradable } from '../domain/certificate-rules';
import { requireActiveBank } from '../domain/enterprise-rules';
import { ScfError } from '../domain/errors';
import { priceOfProposal } from '../domain/financing-rules';
import {
  BankIdList,
  CertificateId,
  EnterpriseId,
  parseArg,
  parseJsonArg,
  QuoteRequestId,
  TermsInput,
} from '../domain/inputs';
import type { QuoteRequest } from '../domain/model';
import {
  acceptQuote,
  answerQuote,
  openQuoteRequest,
  quoteRequestView,
  requireOpenQuoteRequest,
  requireQuoteFor,
} from '../domain/quote-rules';
import { parseInstant } from '../domain/time';
import { pricingDay } from './business-day';
import { enterpriseListing } from './paging';
import { applicationOf, applyOnTerms } from './financing-application';
import { termsAsked } from './terms-asked';
import { termsOrgOf } from './terms-org';
import { transientJson } from './transient';
import { emit, reply, ScfContract } from './scf-contract';
import { ScfContext, type TxScope } from './scf-context';

/**
 * Competing quotes (domain/quote-rules.ts): the holder asks banks to quote on a piece, each
 * named bank stores a binding quote on its own peers, the holder accepts one.
 */
@Info({ title: 'QuoteRequest', description: 'Competing quotes: ask several banks, accept one' })
export class QuoteRequestContract extends ScfContract {
  constructor() {
    super('QuoteRequest');
  }

  /** The holder asks the named banks (a JSON list of DIDs) to quote on its piece until `expiresAt`; it stays free. */
  @Transaction()
  @Returns('string')
  async Open(ctx: ScfContext, certificateId: string, bankIdsJson: string, expiresAt: string): Promise<string> {
    const tx = ctx.tx;
    const certificate = await tx.certificates.get(parseArg('certificateId', CertificateId, certificateId));
    requireHolder(tx.signedBy, certificate);
    const active = requireTradable(certificate, await tx.receivables.get(certificate.receivableId), tx.now, 'financed');
    const bankIds = parseJsonArg('bankIds', BankIdList, bankIdsJson);
    const config = await tx.consortium.get();
    for (const bankId of bankIds) {
      const bank = await tx.enterprises.get(bankId);
      requireActiveBank(bank);
      requireCounterpartyInBusiness(config, bank);
      await termsOrgOf(tx, bank);
    }
    const expiry = parseInstant('expiresAt', expiresAt);
    const request = openQuoteRequest(active, bankIds, expiry, config.limits, tx.now, tx.txId);
    await tx.quoteRequests.save(request, true);
    return emit(tx, { event: 'QuotesRequested', answer: request });
  }

  /**
   * A named bank's binding quote, on its own peers only (transient `quote`: {requestedAmount,
   * annualRateBps, feeAmount, tenorEnd, salt}): stored in its collection under its hash, one
   * per bank and request (a binding quote is not replaced). Answers the hash; nothing public changes.
   */
  @Transaction()
  @Returns('string')
  async Answer(ctx: ScfContext, requestId: string): Promise<string> {
    const tx = ctx.tx;
    const request = requireOpenQuoteRequest(await this.request(tx, requestId), tx.now);
    const bank = actingEnterprise(tx.signedBy);
    if (!request.bankIds.includes(bank.id)) {
      throw new ScfError('FORBIDDEN', `quote request ${request.id} does not ask ${bank.id}`);
    }
    const termsOrg = await termsOrgOf(tx, bank);
    tx.terms.requireKept(termsOrg, `a quote of ${bank.id}`);
    if (await tx.terms.quoteHash(termsOrg, request.id)) {
      throw new ScfError('ALREADY_EXISTS', `${bank.id} has already quoted on request ${request.id}`);
    }
    const certificate = await tx.certificates.get(request.certificateId);
    const receivable = await tx.receivables.get(certificate.receivableId);
    const active = requireTradable(certificate, receivable, tx.now, 'financed');
    const input = transientJson(tx, 'quote', TermsInput, '{requestedAmount, annualRateBps, feeAmount, tenorEnd, salt}');
    const asked = { ...termsAsked(input), salt: input.salt };
    const quote = answerQuote(request, active, receivable, bank.id, asked, tx.now, await pricingDay(tx, termsOrg));
    return reply({ quoteRequestId: request.id, termsHash: await tx.terms.quote(termsOrg, quote) });
  }

  /**
   * The holder accepts one bank's quote (named by its hash, as `GetQuote` gives it): it
   * becomes the financing on those terms (APPLIED, the piece locked from now), and the
   * request closes, so every other quote lapses.
   */
  @Transaction()
  @Returns('string')
  async Accept(
    ctx: ScfContext,
    requestId: string,
    bankId: string,
    mode: string,
    termsHash: string,
    documentsHash: string,
  ): Promise<string> {
    const tx = ctx.tx;
    const stored = await this.request(tx, requestId);
    const request = requireOpenQuoteRequest(stored, tx.now);
    if (!request.bankIds.includes(bankId)) {
      throw new ScfError('INVALID_ARGUMENT', `quote request ${request.id} did not ask ${bankId}`);
    }
    const application = await applicationOf(tx, request.certificateId, bankId);
    const { financing, locked } = await applyOnTerms(
      tx,
      application,
      { mode, termsHash, documentsHash, quoteRequestId: request.id },
      (proposed) => requireQuoteFor(proposed, request),
    );
    const accepted = acceptQuote(request, financing, tx.now);
    await tx.quoteRequests.save(accepted);
    return emit(tx, { event: 'QuoteAccepted', answer: { quoteRequest: accepted, financing, certificate: locked } });
  }

  /** A request, for its holder, the banks it asks and oversight; EXPIRED once past `expiresAt` unaccepted. */
  @Transaction(false)
  @Returns('string')
  async Get(ctx: ScfContext, requestId: string): Promise<string> {
    const tx = ctx.tx;
    return reply(quoteRequestView(await this.readable(tx, requestId), tx.now));
  }

  /**
   * One bank's quote on a request, from that bank's peers only: for the holder, that bank
   * and oversight, never another bank asked. `quote` is null until the bank quotes; `price`
   * is what funding it today would disburse.
   */
  @Transaction(false)
  @Returns('string')
  async GetQuote(ctx: ScfContext, requestId: string, bankId: string): Promise<string> {
    const tx = ctx.tx;
    const request = await this.readable(tx, requestId);
    const bank = await tx.enterprises.get(parseArg('bankId', EnterpriseId, bankId));
    requireReader(tx.signedBy, [request.holderId, bank.id], `the quote of ${bank.id} on ${request.id}`);
    const termsOrg = await termsOrgOf(tx, bank);
    tx.terms.requireKept(termsOrg, `a quote of ${bank.id}`);
    const termsHash = await tx.terms.quoteHash(termsOrg, request.id);
    const quote = termsHash ? await tx.terms.proposed(termsOrg, termsHash) : undefined;
    const day = await pricingDay(tx, termsOrg);
    const open = quoteRequestView(request, tx.now).status === 'OPEN';
    return reply({
      quoteRequestId: request.id,
      bankId: bank.id,
      termsOrg,
      termsHash: termsHash ?? null,
      quote: quote ?? null,
      price: quote && open && quote.tenorEnd > day.valueDate ? priceOfProposal(quote, day) : null,
    });
  }

  /** The requests a bank was asked to quote on, one page at a time (EXPIRED as `Get` reports them). */
  @Transaction(false)
  @Returns('string')
  async ListByBank(ctx: ScfContext, bankId: string, pageSize: string, bookmark: string): Promise<string> {
    const tx = ctx.tx;
    return reply(
      await enterpriseListing(
        tx,
        bankId,
        pageSize,
        bookmark,
        (id, size, mark) => tx.quoteRequests.pageIdsForBank(id, size, mark),
        async (id) => quoteRequestView(await tx.quoteRequests.get(id), tx.now),
      ),
    );
  }

  private request(tx: TxScope, requestId: string): Promise<QuoteRequest> {
    return tx.quoteRequests.get(parseArg('requestId', QuoteRequestId, requestId));
  }

  private async readable(tx: TxScope, requestId: string): Promise<QuoteRequest> {
    const id = parseArg('requestId', QuoteRequestId, requestId);
    const request = await loadForRead(tx.signedBy, `quote request ${id}`, () => tx.quoteRequests.get(id));
    requireReader(tx.signedBy, RECORD_READERS.quoteRequest(request), `quote request ${id}`);
    return request;
  }
}
