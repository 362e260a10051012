import type { Certificate, ConsortiumConfig, Enterprise, IdentityBinding, Receivable } from '../domain/model';

/** Every state change has exactly one event type; the payload documents itself in README. */
export const EVENT_TYPES = [
  'ConsortiumInitialised', 'ConsortiumLimitsChanged',
  'EnterpriseRegistered', 'EnterpriseSuspended', 'EnterpriseReinstated', 'IdentityBound', 'IdentityUnbound',
  'ReceivableIssued', 'ReceivableAccepted', 'ReceivableRefused',
  'CertificateSplit', 'TransferOffered', 'TransferAccepted', 'TransferRefused', 'TransferCancelled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventPayload {
  readonly type: EventType;
  readonly txId: string;
  readonly timestamp: string;
  /** The acting enterprise id, or `msp:<MSP id>` for a consortium admin. */
  readonly actor: string;
  /** Enterprises the change concerns, for per-caller event visibility. */
  readonly parties: string[];
  readonly consortium?: ConsortiumConfig;
  readonly enterprises: Enterprise[];
  readonly identities: IdentityBinding[];
  readonly receivables: Receivable[];
  readonly certificates: Certificate[];
}

/**
 * Collects what one transaction changed. Fabric keeps only the last event a transaction
 * sets, so the contract emits this whole set once, after the transaction body.
 */
export class ChangeSet {
  type: EventType | undefined;
  consortium: ConsortiumConfig | undefined;
  private readonly enterprises = new Map<string, Enterprise>();
  private readonly identities = new Map<string, IdentityBinding>();
  private readonly receivables = new Map<string, Receivable>();
  private readonly certificates = new Map<string, Certificate>();

  enterprise(record: Enterprise): void { this.enterprises.set(record.id, record); }
  identity(record: IdentityBinding): void { this.identities.set(`${record.mspId}\u0000${record.clientId}`, record); }
  receivable(record: Receivable): void { this.receivables.set(record.id, record); }
  certificate(record: Certificate): void { this.certificates.set(record.id, record); }

  get isEmpty(): boolean {
    return this.consortium === undefined && this.enterprises.size + this.identities.size
      + this.receivables.size + this.certificates.size === 0;
  }

  toPayload(txId: string, timestamp: string, actor: string): EventPayload {
    if (this.type === undefined) {
      throw new Error('a transaction changed state without naming its event type');
    }
    const parties = new Set<string>();
    this.enterprises.forEach((e) => parties.add(e.id));
    this.identities.forEach((i) => parties.add(i.enterpriseId));
    this.receivables.forEach((r) => { parties.add(r.debtorId); parties.add(r.creditorId); });
    this.certificates.forEach((c) => {
      parties.add(c.holderId);
      if (c.status === 'OFFERED') parties.add(c.offer.to);
    });
    const byKey = <T>(map: Map<string, T>): T[] => [...map.keys()].sort().map((k) => map.get(k) as T);
    return {
      type: this.type,
      txId,
      timestamp,
      actor,
      parties: [...parties].sort(),
      ...(this.consortium ? { consortium: this.consortium } : {}),
      enterprises: byKey(this.enterprises),
      identities: byKey(this.identities),
      receivables: byKey(this.receivables),
      certificates: byKey(this.certificates),
    };
  }
}
