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
 * changed nothing on the ledger, so its key is released for a corrected retry.
 */
export class IdempotencyStore {
  private readonly inFlight = new Map<string, string>();

  private constructor(private readonly db: ClassicLevel<string, string>) {}

  static async open(dataDir: string): Promise<IdempotencyStore> {
    const db = new ClassicLevel<string, string>(path.join(dataDir, 'idempotency'), { valueEncoding: 'utf8' });
    await db.open();
    return new IdempotencyStore(db);
  }

  static fingerprint(method: string, route: string, body: unknown): string {
    return createHash('sha256').update(`${method} ${route} ${JSON.stringify(body ?? null)}`).digest('hex');
  }

  /** The stored answer to replay, or undefined when the request should run now (it is then marked in flight). */
  async begin(scope: string, key: string, fingerprint: string): Promise<StoredOutcome | undefined> {
    const id = `${scope}\u0000${key}`;
    // A duplicate of a request this process is still running waits; a stored pending record matters after a crash.
    if (this.inFlight.has(id)) {
      throw new HttpError(409, 'IDEMPOTENCY_KEY_IN_FLIGHT', 'a request with this Idempotency-Key is still being processed; retry shortly');
    }
    const stored = await this.db.get(id);
    if (stored !== undefined) {
      const outcome = JSON.parse(stored) as StoredOutcome;
      if (outcome.fingerprint !== fingerprint) {
        throw new HttpError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request; use a new key');
      }
      return outcome;
    }
    this.inFlight.set(id, fingerprint);
    return undefined;
  }

  /** Notes the transaction a running request has endorsed, before it is ordered (the request stays in flight). */
  async note(scope: string, key: string, outcome: StoredOutcome): Promise<void> {
    await this.db.put(`${scope}\u0000${key}`, JSON.stringify(outcome));
  }

  async complete(scope: string, key: string, outcome: StoredOutcome): Promise<void> {
    const id = `${scope}\u0000${key}`;
    await this.db.put(id, JSON.stringify(outcome));
    this.inFlight.delete(id);
  }

  release(scope: string, key: string): void {
    this.inFlight.delete(`${scope}\u0000${key}`);
  }

  /** Drops a pending answer whose transaction was invalidated or never ordered: nothing changed, so the key may run again. */
  async forget(scope: string, key: string): Promise<void> {
    await this.db.del(`${scope}\u0000${key}`);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
