import { createHash } from 'crypto';
import path from 'path';
import { ClassicLevel } from 'classic-level';
import { HttpError } from './http-error';

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
 * Idempotency keys for writes. A completed request's answer is kept, keyed by caller and
 * key, so a retry gets the original answer and no second transaction. A failed request
 * changed nothing on the ledger, so its key is released for a corrected retry. Records hold
 * answers without secrets (see idempotent-write.ts), in a folder only the gateway can read.
 */
/** A record's key: the caller's scope and its Idempotency-Key, apart by a byte no header can hold. */
const recordId = (scope: string, key: string): string => `${scope}\u0000${key}`;

export class IdempotencyStore {
  private readonly inFlight = new Set<string>();

  private constructor(private readonly db: ClassicLevel<string, string>) {}

  static async open(dataDir: string): Promise<IdempotencyStore> {
    const db = new ClassicLevel<string, string>(path.join(dataDir, 'idempotency'), { valueEncoding: 'utf8' });
    await db.open();
    return new IdempotencyStore(db);
  }

  static fingerprint(method: string, route: string, body: unknown): string {
    return createHash('sha256')
      .update(`${method} ${route} ${JSON.stringify(body ?? null)}`)
      .digest('hex');
  }

  /**
   * Claims the key for one request: from here until `release`, a duplicate is refused with
   * 409, so exactly one request per key can ever build a transaction. The claim is taken
   * before anything is awaited (a check and a mark with a read in between let duplicates
   * through). Returns the stored outcome to replay or settle, or undefined to run afresh;
   * the caller releases the claim in every case.
   */
  async claim(scope: string, key: string, fingerprint: string): Promise<StoredOutcome | undefined> {
    const id = recordId(scope, key);
    if (this.inFlight.has(id)) {
      throw new HttpError(
        409,
        'IDEMPOTENCY_KEY_IN_FLIGHT',
        'a request with this Idempotency-Key is still being processed; retry shortly',
      );
    }
    this.inFlight.add(id);
    try {
      const stored = await this.db.get(id);
      if (stored === undefined) return undefined;
      const outcome = JSON.parse(stored) as StoredOutcome;
      if (outcome.fingerprint !== fingerprint) {
        throw new HttpError(
          422,
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was used for a different request; use a new key',
        );
      }
      return outcome;
    } catch (error) {
      this.inFlight.delete(id);
      throw error;
    }
  }

  /** Notes the transaction a running request has endorsed, before it is ordered (the request keeps its claim). */
  async note(scope: string, key: string, outcome: StoredOutcome): Promise<void> {
    await this.db.put(recordId(scope, key), JSON.stringify(outcome));
  }

  /** Stores a request's final answer, to be replayed to every retry. */
  async complete(scope: string, key: string, outcome: StoredOutcome): Promise<void> {
    await this.db.put(recordId(scope, key), JSON.stringify(outcome));
  }

  /** Ends a claim: the key's next request replays what is stored, or runs afresh if nothing is. */
  release(scope: string, key: string): void {
    this.inFlight.delete(recordId(scope, key));
  }

  /**
   * Drops a pending answer whose transaction was invalidated or never ordered: nothing
   * changed, so the key may run again.
   */
  async forget(scope: string, key: string): Promise<void> {
    await this.db.del(recordId(scope, key));
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
