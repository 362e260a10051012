import type { StoreDb } from './schema';

/**
 * The reminders sent by gateways that share a database: a key is claimed by inserting it, so
 * of gateways sweeping at once exactly one sends each reminder (services/reminders.ts).
 */
export class SharedReminderLog {
  constructor(private readonly db: StoreDb) {}

  async claim(keys: readonly string[]): Promise<ReadonlySet<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.db
      .insertInto('gateway_reminders_sent')
      // In one order on every gateway: two sweeps inserting the same keys in different orders
      // would each wait for a key the other holds (a deadlock PostgreSQL breaks by failing one).
      .values([...new Set(keys)].sort().map((key) => ({ key })))
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .execute();
    return new Set(rows.map((row) => row.key));
  }
}
