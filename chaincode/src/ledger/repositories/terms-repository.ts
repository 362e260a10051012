import {
  CreditLimit,
  type DecidedTerms,
  type ProposedTerms,
  QuoteReference,
  type RepaymentRecord,
  TermsRecord,
} from '../../domain/model';
import type { LimitView } from '../../domain/credit-line-rules';
import { KEY_TYPES } from '../keys';
import type { LedgerStore } from '../ledger-store';
import { PrivateStore } from '../private-store';
import { ScfError } from '../../domain/errors';

type TermsKind = TermsRecord['kind'];
type TermsOf<K extends TermsKind> = Extract<TermsRecord, { kind: K }>;

/**
 * Commercial terms, each in the implicit collection of the bank that decides them. Financing
 * terms are stored under their own hash, so a public record that names the hash names exactly
 * those bytes; a credit line's limit is stored under the line's id, where issuance finds it.
 */
export class TermsRepository {
  private readonly store: PrivateStore;

  constructor(ledger: LedgerStore) {
    this.store = new PrivateStore(ledger);
  }

  keeps(mspId: string): boolean {
    return this.store.keeps(mspId);
  }

  requireKept(mspId: string, what: string): void {
    this.store.requireKept(mspId, what);
  }

  /** Answers the hash under which the terms are stored: the applicant names it when it applies. */
  proposeTerms(mspId: string, terms: ProposedTerms): Promise<string> {
    return this.putByHash(mspId, terms);
  }

  decide(mspId: string, decided: DecidedTerms): Promise<string> {
    return this.putByHash(mspId, decided);
  }

  /** An applicant's repayment, under its own hash: the public step names it. */
  recordRepayment(mspId: string, repayment: RepaymentRecord): Promise<string> {
    return this.putByHash(mspId, repayment);
  }

  repayment(mspId: string, hash: string): Promise<RepaymentRecord | undefined> {
    return this.record(mspId, hash, 'repayment');
  }

  proposed(mspId: string, hash: string): Promise<ProposedTerms | undefined> {
    return this.record(mspId, hash, 'proposed');
  }

  decided(mspId: string, hash: string): Promise<DecidedTerms | undefined> {
    return this.record(mspId, hash, 'decided');
  }

  /**
   * The terms a public step names by hash. Every peer checks that the bank's collection holds
   * the hash (the same recorded read on each) and refuses `missing` otherwise; only the bank's
   * peers read the record, which must be of the `kind` named, and answer it (elsewhere
   * undefined: the check of what it says is theirs).
   */
  async named<K extends TermsKind>(
    mspId: string,
    hash: string,
    kind: K,
    missing: string,
  ): Promise<TermsOf<K> | undefined> {
    if ((await this.store.hash(mspId, KEY_TYPES.terms, [hash])) !== hash) throw new ScfError('TERMS_MISMATCH', missing);
    if (!this.keeps(mspId)) return undefined;
    const record = await this.record(mspId, hash, kind);
    if (!record) throw new ScfError('TERMS_MISMATCH', `${hash} names no ${kind} terms`);
    return record;
  }

  /** A bank's binding quote on a request: stored under its own hash, and found from the request by reference. */
  async quote(mspId: string, quote: ProposedTerms & { quoteRequestId: string }): Promise<string> {
    const termsHash = await this.putByHash(mspId, quote);
    const reference: QuoteReference = { quoteRequestId: quote.quoteRequestId, termsHash };
    await this.store.put(mspId, KEY_TYPES.quote, [quote.quoteRequestId], reference);
    return termsHash;
  }

  /** The hash of the bank's quote on a request, on the bank's own peers; undefined until it quotes. */
  async quoteHash(mspId: string, quoteRequestId: string): Promise<string | undefined> {
    return (await this.store.find(mspId, KEY_TYPES.quote, [quoteRequestId], QuoteReference))?.termsHash;
  }

  async setLimit(mspId: string, limit: CreditLimit): Promise<string> {
    return this.store.put(mspId, KEY_TYPES.creditLimit, [limit.creditLineId], limit);
  }

  /** The hash of a line's limit as every peer keeps it; undefined before the bank sets one. */
  limitHash(mspId: string, creditLineId: string): Promise<string | undefined> {
    return this.store.hash(mspId, KEY_TYPES.creditLimit, [creditLineId]);
  }

  limit(mspId: string, creditLineId: string): Promise<CreditLimit | undefined> {
    return this.store.find(mspId, KEY_TYPES.creditLimit, [creditLineId], CreditLimit);
  }

  /**
   * The limit where this peer keeps it. Every peer reads its hash first, so every endorser
   * records the same read and a concurrent change of the limit invalidates the issuance.
   */
  async limitView(mspId: string, creditLineId: string): Promise<LimitView | undefined> {
    if ((await this.limitHash(mspId, creditLineId)) === undefined) return undefined;
    if (!this.keeps(mspId)) return { kept: false };
    const limit = await this.limit(mspId, creditLineId);
    return limit ? { kept: true, limit } : undefined;
  }

  private putByHash(mspId: string, record: TermsRecord): Promise<string> {
    return this.store.putUnderHash(mspId, KEY_TYPES.terms, record);
  }

  private async record<K extends TermsKind>(mspId: string, hash: string, kind: K): Promise<TermsOf<K> | undefined> {
    const record = await this.store.find(mspId, KEY_TYPES.terms, [hash], TermsRecord);
    return record?.kind === kind ? (record as TermsOf<K>) : undefined;
  }
}
