import { sql } from 'kysely';
import type { EventPosition, LedgerBackend, LedgerEvent } from '../ledger/ledger-backend';
import { projectEvent } from './projection';
import type { StoreDb } from './schema';

/** How far the store has read the ledger: the last event it stored, and how many it has stored. */
export interface Checkpoint {
  readonly blockNumber: number;
  /** '' before the first event. */
  readonly txId: string;
  readonly events: number;
}

export async function readCheckpoint(db: StoreDb): Promise<Checkpoint> {
  const row = await db.selectFrom('checkpoint').selectAll().where('id', '=', 1).executeTakeFirst();
  return row
    ? { blockNumber: Number(row.block), txId: row.tx_id, events: Number(row.events) }
    : { blockNumber: -1, txId: '', events: 0 };
}

const positionOf = (checkpoint: Checkpoint): EventPosition =>
  checkpoint.txId === '' ? { blockNumber: checkpoint.blockNumber } : checkpoint;

/**
 * Stores events (in ledger order) and moves the checkpoint past the last, in one database
 * transaction: all of them exactly once, or none. Gateways that share the store each feed it
 * from the same ledger: the checkpoint row's lock takes their batches one at a time, and an
 * event another gateway stored already (its transaction is there) is skipped, so the stored
 * events stay the ledger's sequence, each once. Returns how many events the store now holds.
 */
export async function storeEvents(db: StoreDb, events: readonly LedgerEvent[]): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const locked = await sql<{ events: string }>`select events from checkpoint where id = 1 for update`.execute(trx);
    const known =
      events.length === 0
        ? []
        : await trx
            .selectFrom('transactions')
            .select('tx_id')
            .where(
              'tx_id',
              'in',
              events.map((event) => event.txId),
            )
            .execute();
    const stored = new Set(known.map((row) => row.tx_id));
    const fresh = events.filter((event) => !stored.has(event.txId));
    const last = fresh[fresh.length - 1];
    if (!last) return Number(locked.rows[0]?.events ?? 0);
    for (const event of fresh) await projectEvent(trx, event);
    const moved = await sql<{ events: string }>`update checkpoint set block = ${last.blockNumber}, tx_id = ${last.txId},
      events = events + ${fresh.length} where id = 1 returning events`.execute(trx);
    return Number(moved.rows[0]!.events);
  });
}

export const storeEvent = (db: StoreDb, event: LedgerEvent): Promise<number> => storeEvents(db, [event]);

/** Events stored per database transaction at most, when the ledger runs ahead of the store. */
const BATCH = 200;

/**
 * Feeds the store from the ledger's events of committed, valid transactions, from its
 * checkpoint on, one event at a time and in ledger order. A failure to store an event stops
 * the feed where it is (nothing after it is stored out of order): `failure` says why, and a
 * restart resumes from the checkpoint.
 */
export class StoreFeed {
  private unsubscribe: (() => void) | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** Events received and not yet stored: stored together, so a store that is behind catches up in few transactions. */
  private pending: LedgerEvent[] = [];
  private stored = 0;
  private failed: Error | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly db: StoreDb,
    private readonly backend: Pick<LedgerBackend, 'subscribe'>,
    private readonly onFailure: (error: Error) => void,
  ) {}

  async start(): Promise<void> {
    const checkpoint = await readCheckpoint(this.db);
    this.stored = checkpoint.events;
    this.unsubscribe = await this.backend.subscribe(positionOf(checkpoint), (event) => this.enqueue(event));
  }

  private enqueue(event: LedgerEvent): void {
    this.pending.push(event);
    if (this.pending.length === 1) this.chain = this.chain.then(() => this.drain());
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.failed) {
      const batch = this.pending.slice(0, BATCH);
      try {
        this.stored = await storeEvents(this.db, batch);
        this.pending = this.pending.slice(batch.length);
        for (const wake of this.waiters) wake();
      } catch (error) {
        this.failed = error instanceof Error ? error : new Error(String(error));
        this.pending = [];
        this.unsubscribe?.();
        this.onFailure(this.failed);
      }
    }
  }

  /** Events stored so far (since block 0), and why the feed stopped if it did. */
  get status(): { readonly events: number; readonly failure?: string } {
    return { events: this.stored, ...(this.failed ? { failure: this.failed.message } : {}) };
  }

  /** Resolves once the store holds the transaction `txId` (a caller reading its own write waits for it). */
  async holds(txId: string, timeoutMs: number): Promise<boolean> {
    const present = async (): Promise<boolean> =>
      (await this.db.selectFrom('transactions').select('tx_id').where('tx_id', '=', txId).executeTakeFirst()) !==
      undefined;
    const deadline = Date.now() + timeoutMs;
    while (!(await present())) {
      if (this.failed || Date.now() >= deadline) return false;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, Math.max(1, deadline - Date.now()));
        this.waiters.add(wake);
      });
    }
    return true;
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.chain;
  }
}
