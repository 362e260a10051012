import { randomBytes } from 'crypto';
import { contracts, type TransactionName } from '../../src';
import { ChaincodeEvent, EndorsementError, LedgerEngine } from '../../src/engine/ledger-engine';
import { LocalCertificateAuthority, type LocalIdentity } from '../../src/engine/local-ca';
import { stateDigest } from '../../src/engine/state-store';
import type { ErrorCode } from '../../src/domain/errors';
import type { CreditLine, FundedPledge, Proposal, Receivable } from '../../src/domain/model';
import type { Position } from '../../src/domain/repayment-rules';
import type { Accepted, FinancingWithCertificate } from './answers';
import { PARTIES, type PartyName, type PartySpec, sha, START } from './fixtures';

/** The gateway's contract-answers suite drives this world too and takes `sha` from here. */
export { sha };

export interface Party {
  readonly id: string;
  readonly registrationNumber: string;
  readonly identity: LocalIdentity;
}

/**
 * A consortium of two banks with their CAs and admins, and a core enterprise, three tiers
 * of suppliers, a bank, an auditor and a regulator, each acting through its own X.509
 * identity, on a fresh embedded ledger whose clock the test moves.
 */
export class World {
  now = START;
  readonly events: ChaincodeEvent[] = [];
  readonly engine: LedgerEngine;
  /** The credit line bank-one granted each core enterprise, which its issuances consume. */
  readonly creditLines: Partial<Record<PartyName, string>> = {};
  private invoiceSerial = 0;

  private constructor(
    readonly cas: Record<'bank1' | 'bank2', LocalCertificateAuthority>,
    readonly admins: Record<'bank1' | 'bank2', LocalIdentity>,
    readonly parties: Record<PartyName, Party>,
  ) {
    this.engine = new LedgerEngine({ contracts, clock: () => this.now });
    this.engine.onEvent((event) => this.events.push(event));
  }

  static async create(options: { limits?: object } = {}): Promise<World> {
    const cas = {
      bank1: await LocalCertificateAuthority.create('Bank1MSP'),
      bank2: await LocalCertificateAuthority.create('Bank2MSP'),
    };
    const admins = {
      bank1: await cas.bank1.issue({ commonName: 'admin@bank1', type: 'admin' }),
      bank2: await cas.bank2.issue({ commonName: 'admin@bank2', type: 'admin' }),
    };
    const parties = {} as Record<PartyName, Party>;
    for (const [name, spec] of Object.entries(PARTIES) as [PartyName, PartySpec][]) {
      const identity = await cas[spec.bank].issue({ commonName: `${name}@${spec.bank}` });
      parties[name] = { id: spec.id, registrationNumber: spec.registrationNumber, identity };
    }
    const world = new World(cas, admins, parties);
    await world.submit(admins.bank1, 'Consortium:Initialize', ['["Bank1MSP","Bank2MSP"]', JSON.stringify(options.limits ?? {})],
      { invoiceSalt: randomBytes(32) });
    for (const [name, spec] of Object.entries(PARTIES) as [PartyName, PartySpec][]) {
      const admin = admins[spec.bank];
      await world.submit(admin, 'Enterprise:Register', [spec.id, `${name} Co., Ltd.`, JSON.stringify(spec.roles)],
        { registrationNumber: spec.registrationNumber });
      await world.submit(admin, 'Enterprise:BindIdentity', [spec.id, admin.mspId, parties[name].identity.clientId]);
    }
    for (const core of ['coreA', 'coreB'] as const) {
      world.creditLines[core] = (await world.grantLine('bank', core, '1000000000000', 2 * 365 * 86400)).id;
    }
    return world;
  }

  /** Grants a line (public) and sets its limit (private to the bank's organisation), as the gateway does. */
  async grantLine(bank: PartyName, core: PartyName, limit: string, seconds: number, currency = 'CNY'): Promise<CreditLine> {
    const line = await this.submit<CreditLine>(this.as(bank), 'CreditLine:Grant', [this.id(core), currency, this.inSeconds(seconds)]);
    await this.setLimit(bank, line.id, limit);
    return line;
  }

  setLimit(bank: PartyName, creditLineId: string, limit: string): Promise<{ creditLineId: string; limitHash: string }> {
    return this.submit(this.as(bank), 'CreditLine:SetLimit', [creditLineId], { limit: JSON.stringify({ limit, salt: salt() }) });
  }

  /** Proposes terms to the bank's peers, then applies on them by hash, as the gateway does. */
  async apply(who: PartyName, certificateId: string, terms: FinancingAsk): Promise<FinancingWithCertificate> {
    return this.applyOn(who, certificateId, terms, await this.propose(who, certificateId, terms));
  }

  /** Step 1 of applying: the terms go to the bank's collection; answers their hash. */
  async propose(who: PartyName, certificateId: string, terms: FinancingAsk): Promise<string> {
    const ask = { requestedAmount: terms.amount, annualRateBps: terms.rateBps ?? 385, feeAmount: terms.fee ?? '0', tenorEnd: terms.tenorEnd, salt: salt() };
    const { termsHash } = await this.submit<{ termsHash: string }>(this.as(who), 'Financing:ProposeTerms',
      [certificateId, this.id(terms.bank ?? 'bank')], { terms: JSON.stringify(ask) });
    return termsHash;
  }

  /** Step 2 of applying: the public application, naming the proposed terms by hash. */
  applyOn(who: PartyName, certificateId: string, terms: Omit<FinancingAsk, 'amount' | 'tenorEnd'>, termsHash: string): Promise<FinancingWithCertificate> {
    return this.submit(this.as(who), 'Financing:Apply',
      [certificateId, this.id(terms.bank ?? 'bank'), terms.mode ?? 'PLEDGE', termsHash, terms.documentsHash ?? sha('application bundle')]);
  }

  /**
   * The bank stores its decision on its own peers, then funds on it by hash, as the gateway
   * does; it disburses the price funding today gives (its terms' `price`) unless told otherwise.
   */
  async approve(bank: PartyName, financingId: string, paymentRef: string, disbursedAmount?: string, terms: RepaymentTerms = {}): Promise<FinancingWithCertificate> {
    const decision = await this.decide(bank, financingId, disbursedAmount ?? await this.priced(bank, financingId), terms);
    return this.submit(this.as(bank), 'Financing:Approve', [financingId, decision, paymentRef]);
  }

  /** What the bank must disburse to fund an application today, as its peers price it. */
  async priced(bank: PartyName, financingId: string): Promise<string> {
    const terms = await this.evaluate<{ price: { disbursedAmount: string } | null }>(this.as(bank), 'Financing:GetTerms', [financingId]);
    if (!terms.price) throw new Error(`financing ${financingId} has no price to fund at`);
    return terms.price.disbursedAmount;
  }

  /** Step 1 of funding: the decision goes to the bank's collection; answers its hash. */
  async decide(bank: PartyName, financingId: string, disbursedAmount: string, terms: RepaymentTerms = {}): Promise<string> {
    const { decisionHash } = await this.submit<{ decisionHash: string }>(this.as(bank), 'Financing:DecideTerms', [financingId],
      { decision: JSON.stringify({ disbursedAmount, ...terms, salt: salt() }) });
    return decisionHash;
  }

  /** The applicant records a repayment on the bank's peers (the amount is private), then publicly by hash. */
  async repay(who: PartyName, financingId: string, amount: string, ref = 'REPAY-1'): Promise<FundedPledge> {
    return this.repayOn(who, financingId, await this.recordRepayment(who, financingId, amount), ref);
  }

  async recordRepayment(who: PartyName, financingId: string, amount: string): Promise<string> {
    const { repaymentHash } = await this.submit<{ repaymentHash: string }>(this.as(who), 'Financing:RecordRepayment', [financingId],
      { repayment: JSON.stringify({ amount, salt: salt() }) });
    return repaymentHash;
  }

  repayOn(who: PartyName, financingId: string, repaymentHash: string, ref = 'REPAY-1'): Promise<FundedPledge> {
    return this.submit(this.as(who), 'Financing:Repay', [financingId, repaymentHash, ref]);
  }

  position(who: PartyName, financingId: string): Promise<Position> {
    return this.evaluate<Position>(this.as(who), 'Financing:GetPosition', [financingId]);
  }

  /** The applicant repays all that is outstanding today and the bank releases the pledge. */
  async repayInFull(who: PartyName, financingId: string, bank: PartyName = 'bank'): Promise<FinancingWithCertificate> {
    await this.repay(who, financingId, (await this.position(who, financingId)).outstanding);
    return this.submit(this.as(bank), 'Financing:Release', [financingId, 'RECEIPT-1']);
  }

  /** Bank1's admin proposes a change to the consortium's rules, valid for a day; answers the proposal. */
  proposeChange(kind: string, change: object, by: LocalIdentity = this.admins.bank1): Promise<Proposal> {
    return this.submit<Proposal>(by, 'Governance:Propose', [kind, JSON.stringify(change), this.inSeconds(86_400)]);
  }

  /** A change both banks agree to (the majority of two): bank1 proposes, bank2 approves and so applies it. */
  async govern(kind: string, change: object): Promise<Proposal> {
    const proposal = await this.proposeChange(kind, change);
    return this.submit<Proposal>(this.admins.bank2, 'Governance:Approve', [proposal.id]);
  }

  as(name: PartyName): LocalIdentity {
    return this.parties[name].identity;
  }

  id(name: PartyName): string {
    return this.parties[name].id;
  }

  async submit<T>(identity: LocalIdentity, transaction: TransactionName, args: string[] = [], transient?: Record<string, string | Uint8Array>): Promise<T> {
    const { result } = await this.engine.submit({ identity, transaction, args, ...(transient ? { transient } : {}) });
    return parse(result) as T;
  }

  async evaluate<T>(identity: LocalIdentity, transaction: TransactionName, args: string[] = [], transient?: Record<string, string>): Promise<T> {
    return parse(await this.engine.evaluate({ identity, transaction, args, ...(transient ? { transient } : {}) })) as T;
  }

  /** Asserts a refusal with the given code and that the ledger is exactly as before. */
  async refused(code: ErrorCode, attempt: () => Promise<unknown>): Promise<void> {
    const before = await this.digest();
    const height = this.engine.store.height;
    const error = await attempt().then(() => undefined, (e: unknown) => e);
    if (!(error instanceof EndorsementError)) {
      throw new Error(`expected a refusal with ${code}, got ${error === undefined ? 'success' : String(error)}`);
    }
    expect(error.code).toBe(code);
    expect(await this.digest()).toBe(before);
    expect(this.engine.store.height).toBe(height);
  }

  digest(): Promise<string> {
    return stateDigest(this.engine.store, ['scf', 'scf$$pscfBankSecrets', 'scf$$p_implicit_org_Bank1MSP', 'scf$$p_implicit_org_Bank2MSP']);
  }

  advance(seconds: number): void {
    this.now += seconds * 1000;
  }

  dueIn(days: number): string {
    return new Date(this.now + days * 86_400_000).toISOString().slice(0, 10);
  }

  inSeconds(seconds: number): string {
    return new Date(this.now + seconds * 1000).toISOString();
  }

  invoice(seller: PartyName, buyer: PartyName, number = `${++this.invoiceSerial}`.padStart(8, '0')) {
    return JSON.stringify({
      invoiceCode: '3100231130',
      invoiceNumber: number,
      sellerRegistrationNumber: this.parties[seller].registrationNumber,
      buyerRegistrationNumber: this.parties[buyer].registrationNumber,
    });
  }

  issue(core: PartyName, supplier: PartyName, amount: string, invoice = this.invoice(supplier, core), dueInDays = 90): Promise<Receivable> {
    return this.submit<Receivable>(this.as(core), 'Receivable:Issue',
      [this.id(supplier), amount, 'CNY', this.dueIn(dueInDays), sha(`invoice ${invoice}`), sha('contract'), this.lineOf(core)], { invoice });
  }

  lineOf(core: PartyName): string {
    return this.creditLines[core] ?? `cl_${'0'.repeat(64)}`;
  }

  /** Issues and signs for a receivable; returns the receivable id and its root certificate id. */
  async issued(core: PartyName, supplier: PartyName, amount: string, dueInDays = 90): Promise<{ receivableId: string; certificateId: string }> {
    const receivable = await this.issue(core, supplier, amount, this.invoice(supplier, core), dueInDays);
    const accepted = await this.submit<Accepted>(this.as(supplier), 'Receivable:Accept', [receivable.id]);
    return { receivableId: receivable.id, certificateId: accepted.certificate.id };
  }

  async transfer(certificateId: string, from: PartyName, to: PartyName): Promise<void> {
    await this.submit(this.as(from), 'Certificate:OfferTransfer', [certificateId, this.id(to), this.inSeconds(3600)]);
    await this.submit(this.as(to), 'Certificate:AcceptTransfer', [certificateId]);
  }

  lastEvent(): { name: string; payload: any } {
    const event = this.events[this.events.length - 1];
    if (!event) throw new Error('no event was emitted');
    return { name: event.eventName, payload: parse(event.payload) };
  }
}

/** What the bank fixes in its decision besides the price (absent: recourse, no penalty). */
export interface RepaymentTerms {
  readonly recourse?: boolean;
  readonly penaltyRateBps?: number;
}

/** What a holder asks a bank for; the gateway's POST /financings body. */
export interface FinancingAsk {
  readonly amount: string;
  readonly tenorEnd: string;
  readonly bank?: PartyName;
  readonly mode?: 'PLEDGE' | 'ASSIGNMENT';
  readonly rateBps?: number;
  readonly fee?: string;
  readonly documentsHash?: string;
}

function salt(): string {
  return randomBytes(32).toString('hex');
}

function parse(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}
