/**
 * A request's stored answer, or, when its transaction was ordered but its commit not yet
 * seen, the transaction to look up before answering (never to build again).
 */
export type StoredOutcome =
  | { readonly fingerprint: string; readonly status: number; readonly body: unknown }
  | { readonly fingerprint: string; readonly pending: PendingTransaction };

/** A transaction endorsed for a request and sent (or about to be sent) for ordering. */
export interface PendingTransaction {
  readonly txId: string;
  readonly status: number;
  readonly result: unknown;
  /** When it was endorsed (ms since the epoch): one never seen committed long after that was never ordered. */
  readonly since: number;
}

/**
 * One request's hold on its caller's Idempotency-Key: while it lasts, no other request with
 * that key runs, on this gateway or another sharing the records.
 */
export interface IdempotencyClaim {
  /** What an earlier request with this key left: an answer to replay or a transaction to settle. */
  readonly stored: StoredOutcome | undefined;
  /** Keeps the outcome: the transaction endorsed (before it is ordered), or the final answer to replay. */
  save(outcome: StoredOutcome): Promise<void>;
  /** Drops what is stored (nothing changed on the ledger): the key's next request runs afresh. */
  forget(): Promise<void>;
  /** Ends the hold: the key's next request replays what is stored, or runs afresh if nothing is. */
  release(): Promise<void>;
}

/**
 * Idempotency keys for writes, keyed by caller (`scope`) and key. A completed request's answer
 * is kept, so a retry gets the original answer and no second transaction; records hold
 * answers without secrets (see http/idempotent-write.ts). One gateway keeps them in LevelDB
 * (leveldb-idempotency.ts); gateways that share a database there (shared-idempotency.ts).
 */
export interface IdempotencyRecords {
  /**
   * Claims the key for one request, atomically: undefined when another request holds it, so
   * exactly one request per key can ever build a transaction. The claimant releases it in
   * every case.
   */
  claim(scope: string, key: string): Promise<IdempotencyClaim | undefined>;
  close(): Promise<void>;
}
