import type { LocalIdentity } from '@scf/chaincode/engine';

/** A chaincode call on behalf of one caller's Fabric identity. */
export interface LedgerCall {
  readonly identity: LocalIdentity;
  readonly transaction: string;
  readonly args: readonly string[];
  readonly transient?: Readonly<Record<string, string>>;
}

export interface SubmitOutcome {
  readonly txId: string;
  readonly blockNumber: number;
  readonly result: unknown;
  /** How many times the proposal was endorsed: more than one after MVCC conflicts. */
  readonly attempts: number;
}

export interface LedgerEvent {
  readonly blockNumber: number;
  readonly txId: string;
  readonly type: string;
  readonly payload: { readonly parties: readonly string[] } & Record<string, unknown>;
}

/**
 * What the HTTP layer needs from a ledger. The embedded backend runs the contracts
 * in-process; a Fabric backend submits endorsed transactions to the peers.
 */
export interface LedgerBackend {
  readonly kind: 'embedded' | 'fabric';
  submit(call: LedgerCall): Promise<SubmitOutcome>;
  evaluate(call: LedgerCall): Promise<unknown>;
  transaction(txId: string): Promise<{ txId: string; blockNumber: number; valid: boolean; validationCode: string; timestamp: string } | undefined>;
  /** Events from `afterBlock` (exclusive) on, then live ones; returns an unsubscribe function. */
  subscribe(afterBlock: number, listener: (event: LedgerEvent) => void): Promise<() => void>;
  ready(): Promise<boolean>;
  close(): Promise<void>;
}
