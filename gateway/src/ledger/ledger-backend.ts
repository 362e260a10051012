import type { EventPayload } from '@scf/chaincode';
import type { CertifiedIdentity, SigningIdentity } from '../identity/signing-identity';

/** A chaincode call on behalf of one caller's Fabric identity. */
export interface LedgerCall {
  readonly identity: SigningIdentity;
  readonly transaction: string;
  readonly args: readonly string[];
  readonly transient?: Readonly<Record<string, string>>;
  /**
   * The MSP id of the organisation whose private terms the call carries or reads: it goes
   * to that organisation's peers alone, which also endorse it alone, and never to another
   * organisation's peer, not even on failover.
   */
  readonly keptBy?: string;
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
  readonly payload: EventPayload;
}

export interface TransactionRecord {
  readonly txId: string;
  readonly blockNumber: number;
  readonly valid: boolean;
  readonly validationCode: string;
  readonly timestamp: string;
  /**
   * MSP ids of the organisations whose endorsements are in the block (empty on the
   * embedded ledger, which has no peers).
   */
  readonly endorsers: readonly string[];
  /**
   * The chaincode event it set (undefined when none): whom the transaction concerns, and so
   * who may read this record (see http/event-stream.ts). Not part of the answer.
   */
  readonly event: EventPayload | undefined;
}

/**
 * Where an event stream resumes: after one event (its block and transaction) or, without
 * a txId, after a whole block.
 */
export interface EventPosition {
  readonly blockNumber: number;
  readonly txId?: string;
}

export interface SubmitHooks {
  /**
   * Called after each endorsement, before the transaction goes to the orderers: a caller
   * that records the id can, after a crash, look the transaction up instead of building
   * it again. With MVCC retries it is called once per attempt.
   */
  readonly onEndorsed?: (txId: string, result: unknown) => Promise<void>;
  /** Called each time an MVCC conflict makes the proposal run again (counted whatever the final outcome). */
  readonly onRetry?: () => void;
}

/** A chaincode call whose caller signs each step itself (offline signing): the ledger has its certificate only. */
export interface OfflineCall extends Omit<LedgerCall, 'identity'> {
  readonly identity: CertifiedIdentity;
}

/**
 * One step of the offline signing flow for the caller to sign: `message`, the exact bytes a
 * peer verifies the signature over, and `digest`, their SHA-256, which the caller signs
 * (ECDSA, DER, low-S). `state` is what the backend that made the step needs for the next one.
 */
export interface SignableStep {
  readonly txId: string;
  readonly message: Uint8Array;
  readonly digest: Uint8Array;
  readonly state: unknown;
}

/** The endorsed transaction to sign, with the chaincode's answer so the signer sees what it commits to. */
export interface EndorsedStep extends SignableStep {
  readonly result: unknown;
}

/**
 * The offline signing flow of `@hyperledger/fabric-gateway`, on either backend: the ledger
 * prepares a proposal, the caller signs its digest elsewhere, the ledger endorses it (or, for
 * a read, evaluates it), the caller signs the transaction, the ledger orders and commits it.
 * A refused signature never reaches the ledger: services/offline-signing.ts checks it first.
 */
export interface OfflineSigning {
  /** `write`: the call is a transaction to order, not a read (it decides the endorsers, as for any call). */
  prepare(call: OfflineCall, write: boolean): Promise<SignableStep>;
  /** A signed read: its result; nothing is ordered. */
  evaluateSigned(proposal: SignableStep, signature: Uint8Array): Promise<unknown>;
  endorseSigned(proposal: SignableStep, signature: Uint8Array): Promise<EndorsedStep>;
  /** Orders the signed transaction and waits for its commit (a timeout is CommitPending, as for any write). */
  submitSigned(transaction: EndorsedStep, signature: Uint8Array): Promise<SubmitOutcome>;
}

/**
 * What the HTTP layer needs from a ledger. The embedded backend runs the contracts
 * in-process; a Fabric backend submits endorsed transactions to the peers.
 */
export interface LedgerBackend {
  readonly kind: 'embedded' | 'fabric';
  /**
   * How long after its endorsement a transaction the ledger still does not hold may be
   * taken as never ordered (its request may then run again).
   */
  readonly orphanAfterMs: number;
  submit(call: LedgerCall, hooks?: SubmitHooks): Promise<SubmitOutcome>;
  evaluate(call: LedgerCall): Promise<unknown>;
  /** Calls by callers who keep their keys themselves. */
  readonly offline: OfflineSigning;
  /** A committed transaction (valid or not), or undefined when no block holds it (yet). */
  transaction(txId: string): Promise<TransactionRecord | undefined>;
  /**
   * Events after `after`, then live ones, each once and only from valid transactions;
   * returns an unsubscribe function.
   */
  subscribe(after: EventPosition, listener: (event: LedgerEvent) => void): Promise<() => void>;
  /** The number of blocks committed: unchanged by a request that was refused. */
  height(): Promise<number>;
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** What a flow of calls needs from a ledger: submitting, evaluating and looking a transaction up. */
export type LedgerAccess = Pick<LedgerBackend, 'submit' | 'evaluate' | 'transaction'>;

/** A caller's Fabric identity with the ledger it calls. */
export interface LedgerCaller {
  readonly backend: LedgerAccess;
  readonly identity: SigningIdentity;
}
