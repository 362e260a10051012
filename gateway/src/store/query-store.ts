import type { LedgerBackend } from '../ledger/ledger-backend';
import { openStore, type StoreConnection, type StoreLocation } from './connection';
import { readCheckpoint, type Checkpoint, StoreFeed } from './feed';
import { dropAll, migrate, type StoreDb } from './schema';

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

  async close(): Promise<void> {
    await this.feed.stop();
    await this.connection.close();
  }
}
