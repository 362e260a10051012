import { Context } from 'fabric-contract-api';
import type { Actor } from '../access/actor';
import { ChangeSet } from '../ledger/change-set';
import { LedgerStore } from '../ledger/ledger-store';
import { CertificateRepository } from '../ledger/repositories/certificate-repository';
import { ConsortiumRepository } from '../ledger/repositories/consortium-repository';
import { EnterpriseRepository } from '../ledger/repositories/enterprise-repository';
import { ReceivableRepository } from '../ledger/repositories/receivable-repository';
import { CreditLineRepository } from '../ledger/repositories/credit-line-repository';
import { FinancingRepository } from '../ledger/repositories/financing-repository';
import { SettlementRepository } from '../ledger/repositories/settlement-repository';
import { CredentialRepository } from '../ledger/repositories/credential-repository';
import { TermsRepository } from '../ledger/repositories/terms-repository';
import { GovernanceRepository } from '../ledger/repositories/governance-repository';
import { QuoteRequestRepository } from '../ledger/repositories/quote-request-repository';
import { InstructionRepository } from '../ledger/repositories/instruction-repository';
import { isoFromMillis } from '../domain/time';

/** Everything one transaction works with: its clock, its id, its repositories and its changes. */
export class TxScope {
  readonly store: LedgerStore;
  readonly changes = new ChangeSet();
  readonly consortium: ConsortiumRepository;
  readonly enterprises: EnterpriseRepository;
  readonly receivables: ReceivableRepository;
  readonly certificates: CertificateRepository;
  readonly creditLines: CreditLineRepository;
  readonly financings: FinancingRepository;
  readonly settlements: SettlementRepository;
  readonly credentials: CredentialRepository;
  readonly governance: GovernanceRepository;
  readonly quoteRequests: QuoteRequestRepository;
  readonly instructions: InstructionRepository;
  /** Private: commercial terms in the deciding bank's collection. */
  readonly terms: TermsRepository;
  /** The proposal's timestamp: the same on every endorser, unlike the local clock. */
  readonly now: string;
  readonly txId: string;
  actor: Actor | undefined;
  /** Set once the transaction has returned its event (see `emit`). */
  emitted = false;

  constructor(readonly ctx: Context) {
    this.store = new LedgerStore(ctx.stub);
    this.consortium = new ConsortiumRepository(this.store, this.changes);
    this.enterprises = new EnterpriseRepository(this.store, this.changes);
    this.receivables = new ReceivableRepository(this.store, this.changes);
    this.certificates = new CertificateRepository(this.store, this.changes);
    this.creditLines = new CreditLineRepository(this.store, this.changes);
    this.financings = new FinancingRepository(this.store, this.changes);
    this.settlements = new SettlementRepository(this.store, this.changes);
    this.credentials = new CredentialRepository(this.store, this.changes);
    this.governance = new GovernanceRepository(this.store, this.changes);
    this.quoteRequests = new QuoteRequestRepository(this.store, this.changes);
    this.instructions = new InstructionRepository(this.store, this.changes);
    this.terms = new TermsRepository(this.store);
    this.now = isoFromMillis(ctx.stub.getDateTimestamp().getTime());
    this.txId = ctx.stub.getTxID();
  }

  get signedBy(): Actor {
    if (!this.actor) {
      throw new Error('transaction body ran before access was checked');
    }
    return this.actor;
  }

  transient(name: string): Uint8Array | undefined {
    return this.ctx.stub.getTransient().get(name);
  }
}

export class ScfContext extends Context {
  private scope: TxScope | undefined;

  begin(): TxScope {
    this.scope = new TxScope(this);
    return this.scope;
  }

  get tx(): TxScope {
    if (!this.scope) {
      throw new Error('no transaction scope: beforeTransaction did not run');
    }
    return this.scope;
  }
}
