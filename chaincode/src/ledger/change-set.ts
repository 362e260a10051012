import type {
  Attestation,
  Certificate,
  ConsortiumConfig,
  Credential,
  CreditLine,
  Enterprise,
  Financing,
  IdentityBinding,
  Instruction,
  Payout,
  Proposal,
  QuoteRequest,
  Receivable,
  Recovery,
  Settlement,
} from '../domain/model';

/** Every state change has exactly one event type; the payload is documented in README. */
export const EVENT_TYPES = [
  'ConsortiumInitialised',
  'EnterpriseRegistered',
  'EnterpriseSuspended',
  'EnterpriseReinstated',
  'IdentityBound',
  'IdentityUnbound',
  'UserAdded',
  'UserRoleChanged',
  'UserRemoved',
  'InstructionProposed',
  'InstructionRejected',
  'FourEyesPolicySet',
  'ReceivableIssued',
  'ReceivableAccepted',
  'ReceivableRefused',
  'CertificateSplit',
  'TransferOffered',
  'TransferAccepted',
  'TransferRefused',
  'TransferCancelled',
  'CreditLineGranted',
  'CreditLineChanged',
  'FinancingApplied',
  'FinancingFunded',
  'FinancingRejected',
  'RepaymentRecorded',
  'FinancingRepaid',
  'SurplusReceived',
  'QuotesRequested',
  'QuoteAccepted',
  'PaymentRecorded',
  'SettlementPageCleared',
  'PaymentConfirmed',
  'PayoutPaid',
  'Frozen',
  'Unfrozen',
  'CredentialIssued',
  'CredentialRevoked',
  'ServicesChanged',
  'KeyRotated',
  'KeyCustodyDeclared',
  'GuardiansSet',
  'RecoveryProposed',
  'RecoveryApproved',
  'RecoveryCompleted',
  'RecoveryCancelled',
  'EnterpriseDeactivated',
  'ProposalMade',
  'ProposalApproved',
  'ProposalApplied',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The record kinds an event carries, each with the enterprises it concerns. */
export const PARTIES_OF = {
  enterprises: (r: Enterprise) => [r.id],
  identities: (r: IdentityBinding) => [r.enterpriseId],
  receivables: (r: Receivable) => [r.debtorId, r.creditorId],
  certificates: (r: Certificate) =>
    r.status === 'OFFERED'
      ? [r.holderId, r.offer.to]
      : r.status === 'PLEDGED'
        ? [r.holderId, r.lien.bankId]
        : [r.holderId],
  creditLines: (r: CreditLine) => [r.bankId, r.coreId],
  financings: (r: Financing) => [r.applicantId, r.bankId],
  quoteRequests: (r: QuoteRequest) => [r.holderId, ...r.bankIds],
  settlements: (r: Settlement) => [r.debtorId, r.collectingBankId],
  payouts: (r: Payout) => [r.payeeId],
  credentials: (r: Credential) => [r.issuerId, r.subjectId],
  attestations: (r: Attestation) => [r.attestedBy.enterpriseId],
  recoveries: (r: Recovery) => [r.enterpriseId, ...r.guardians],
  instructions: (r: Instruction) => [r.enterpriseId],
  /** The consortium's own business: no enterprise is a party (read by bank admins and oversight). */
  proposals: (_r: Proposal): string[] => [],
};
type Kinds = typeof PARTIES_OF;
export type RecordKind = keyof Kinds;
type RecordOf<K extends RecordKind> = Parameters<Kinds[K]>[0];

export type EventPayload = {
  readonly type: EventType;
  readonly txId: string;
  readonly timestamp: string;
  /** The acting enterprise id, or `msp:<MSP id>` for a consortium admin. */
  readonly actor: string;
  /** Enterprises the change concerns, for per-caller event visibility. */
  readonly parties: string[];
  readonly consortium?: ConsortiumConfig;
} & { readonly [K in RecordKind]: RecordOf<K>[] };

/**
 * Collects what one transaction changed. Fabric keeps only the last event a transaction
 * sets, so the contract emits this whole set once, under the event type the transaction returns.
 */
export class ChangeSet {
  consortium: ConsortiumConfig | undefined;
  private readonly records = new Map<RecordKind, Map<string, unknown>>();

  add<K extends RecordKind>(kind: K, key: string, record: RecordOf<K>): void {
    const ofKind = this.records.get(kind) ?? new Map<string, unknown>();
    ofKind.set(key, record);
    this.records.set(kind, ofKind);
  }

  get isEmpty(): boolean {
    return this.consortium === undefined && this.records.size === 0;
  }

  toPayload(type: EventType, txId: string, timestamp: string, actor: string): EventPayload {
    const parties = new Set<string>();
    const lists = {} as { [K in RecordKind]: RecordOf<K>[] };
    for (const kind of Object.keys(PARTIES_OF) as RecordKind[]) {
      const ofKind = this.records.get(kind) ?? new Map<string, unknown>();
      const sorted = [...ofKind.keys()].sort().map((key) => ofKind.get(key));
      (lists as Record<RecordKind, unknown[]>)[kind] = sorted;
      sorted.forEach((record) => (PARTIES_OF[kind] as (r: unknown) => string[])(record).forEach((p) => parties.add(p)));
    }
    return {
      type,
      txId,
      timestamp,
      actor,
      parties: [...parties].sort(),
      ...(this.consortium ? { consortium: this.consortium } : {}),
      ...lists,
    };
  }
}
