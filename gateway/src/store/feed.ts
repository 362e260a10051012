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

/** Stores one event and moves the checkpoint past it, in one database transaction: exactly once or not at all. */
export async function storeEvent(db: StoreDb, event: LedgerEvent): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await projectEvent(trx, event);
    await sql`insert into checkpoint (id, block, tx_id, events) values (1, ${event.blockNumber}, ${event.txId}, 1)
      on conflict (id) do update set block = excluded.block, tx_id = excluded.tx_id,
      events = checkpoint.events + 1`.execute(trx);
  });
}

/**
 * Feeds the store from the ledger's events of committed, valid transactions, from its
 * checkpoint on, one event at a time and in ledger order. A failure to store an event stops
 * the feed where it is (nothing after it is stored out of order): `failure` says why, and a
 * restart resumes from the checkpoint.
 */
export class StoreFeed {
  private unsubscribe: (() => void) | undefined;
  private chain: Promise<void> = Promise.resolve();
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
    this.chain = this.chain.then(async () => {
      if (this.failed) return;
      try {
        await storeEvent(this.db, event);
        this.stored += 1;
        for (const wake of this.waiters) wake();
      } catch (error) {
        this.failed = error instanceof Error ? error : new Error(String(error));
        this.unsubscribe?.();
        this.onFailure(this.failed);
      }
    });
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
