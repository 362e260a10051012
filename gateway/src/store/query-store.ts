import { sql } from 'kysely';
import type { LedgerBackend } from '../ledger/ledger-backend';
import { openStore, type StoreConnection, type StoreLocation } from './connection';
import { readCheckpoint, type Checkpoint, StoreFeed } from './feed';
import { dropAll, migrate, type StoreDb } from './schema';

/** Any number the gateways agree on: the lock one gateway at a time holds while it sets up its keys. */
const START_LOCK = 0x5cf_0002;

/** The query store as the gateway runs it: the database, kept up to date by the feed. */
export class QueryStore {
  private constructor(
    private readonly connection: StoreConnection,
    readonly feed: StoreFeed,
  ) {}

  /**
   * Opens the store and starts feeding it from its checkpoint; `rebuild` empties it first,
   * so it is fed again from block 0.
   */
  static async open(
    location: StoreLocation,
    backend: Pick<LedgerBackend, 'subscribe'>,
    options: { readonly rebuild?: boolean; readonly onFailure: (error: Error) => void },
  ): Promise<QueryStore> {
    const connection = await openStore(location);
    try {
      if (options.rebuild) await dropAll(connection.db);
      await migrate(connection.db);
      const feed = new StoreFeed(connection.db, backend, options.onFailure);
      await feed.start();
      return new QueryStore(connection, feed);
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  get db(): StoreDb {
    return this.connection.db;
  }

  checkpoint(): Promise<Checkpoint> {
    return readCheckpoint(this.connection.db);
  }

  /**
   * Runs `work` while no other gateway on this database runs its own (a session advisory lock
   * on a connection of its own). On a PostgreSQL server only: PGlite has one connection.
   */
  exclusively<T>(work: () => Promise<T>): Promise<T> {
    return this.connection.db.connection().execute(async (session) => {
      await sql`select pg_advisory_lock(${START_LOCK})`.execute(session);
      try {
        return await work();
      } finally {
        await sql`select pg_advisory_unlock(${START_LOCK})`.execute(session);
      }
    });
  }

  async close(): Promise<void> {
    await this.feed.stop();
    await this.connection.close();
  }
}
