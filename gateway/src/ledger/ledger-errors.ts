import { type ErrorCode, parseRefusal } from '@scf/chaincode';

/**
 * What can go wrong below the HTTP layer, the same for every backend. The HTTP layer
 * maps these (and nothing else) to answers; any other error is internal.
 */

/** The chaincode refused the transaction; its code and message are written for callers. */
export class ChaincodeRefusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ChaincodeRefusal';
  }

  /** Finds the first `[CODE] message` refusal among messages from endorsers or the engine. */
  static from(messages: readonly string[]): ChaincodeRefusal | undefined {
    // Fabric wraps the chaincode's message ("chaincode response 500, [CODE] text"): the codec finds the code anywhere.
    for (const message of messages) {
      const refusal = parseRefusal(message);
      if (refusal) return new ChaincodeRefusal(refusal.code, refusal.detail);
    }
    return undefined;
  }
}

/** A transaction kept losing MVCC races after every retry allowed. */
export class ContentionError extends Error {
  constructor(readonly transaction: string) {
    super(`${transaction} kept conflicting with concurrent transactions on the same records; retry later`);
    this.name = 'ContentionError';
  }
}

/** The ledger could not be reached or could not gather its endorsements: nothing was applied. */
export class LedgerUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerUnavailable';
  }
}

/**
 * The orderers did not take the transaction as a whole, yet some of them may have: with BFT
 * ordering the peers' gateway needs a quorum of consenters to take it, and those that did keep
 * it to order once a quorum is back (a broadcast that timed out is as uncertain). Unavailable
 * to the caller now, but it may still commit: ask for it by id, never build it again.
 */
export class OrderingUncertain extends LedgerUnavailable {
  constructor(message: string) {
    super(message);
    this.name = 'OrderingUncertain';
  }
}

/**
 * The transaction was ordered but its commit was not seen in time. It may still commit:
 * ask for it by id, never build it again.
 */
export class CommitPending extends Error {
  constructor(
    readonly txId: string,
    readonly result: unknown,
  ) {
    super(`transaction ${txId} was submitted; its commit was not confirmed in time`);
    this.name = 'CommitPending';
  }
}

/** Committed, but invalidated by the peers (for a reason other than a retried MVCC conflict): nothing changed. */
export class TransactionInvalidated extends Error {
  constructor(
    readonly txId: string,
    readonly validationCode: string,
  ) {
    super(`transaction ${txId} was invalidated by the peers (${validationCode}); nothing changed`);
    this.name = 'TransactionInvalidated';
  }
}

const MVCC_RETRIES = 5;

/** One attempt's verdict: done, or lost an MVCC/phantom race and worth re-running. */
export type Attempt<T> = { readonly conflict: false; readonly value: T } | { readonly conflict: true };

/**
 * Re-runs a whole proposal (and so every business check in it) after an MVCC conflict,
 * with exponential backoff and jitter, then gives up with a ContentionError. `onRetry` hears of
 * every re-run, whether it ends in a commit or not.
 */
export async function retryOnConflict<T>(
  transaction: string,
  attempt: () => Promise<Attempt<T>>,
  onRetry?: () => void,
): Promise<{ value: T; attempts: number }> {
  for (let n = 0; ; n++) {
    const outcome = await attempt();
    if (!outcome.conflict) return { value: outcome.value, attempts: n + 1 };
    if (n >= MVCC_RETRIES) throw new ContentionError(transaction);
    onRetry?.();
    await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** n + Math.random() * 5 * 2 ** n));
  }
}
