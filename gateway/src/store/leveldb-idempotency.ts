import path from 'path';
import { ClassicLevel } from 'classic-level';
import type { IdempotencyClaim, IdempotencyRecords, StoredOutcome } from './idempotency-records';

/** A record's key: the caller's scope and its Idempotency-Key, apart by a byte no header can hold. */
const recordId = (scope: string, key: string): string => `${scope}\u0000${key}`;

/**
 * The idempotency records of one gateway, in `<data>/idempotency` (LevelDB, in a folder only
 * the gateway can read). The claim is a mark in this process, taken before anything is
 * awaited (a check and a mark with a read in between let duplicates through).
 */
export class LevelDbIdempotency implements IdempotencyRecords {
  private readonly inFlight = new Set<string>();

  private constructor(private readonly db: ClassicLevel<string, string>) {}

  static async open(dataDir: string): Promise<LevelDbIdempotency> {
    const db = new ClassicLevel<string, string>(path.join(dataDir, 'idempotency'), { valueEncoding: 'utf8' });
    await db.open();
    return new LevelDbIdempotency(db);
  }

  async claim(scope: string, key: string): Promise<IdempotencyClaim | undefined> {
    const id = recordId(scope, key);
    if (this.inFlight.has(id)) return undefined;
    this.inFlight.add(id);
    try {
      const stored = await this.db.get(id);
      return {
        stored: stored === undefined ? undefined : (JSON.parse(stored) as StoredOutcome),
        save: (outcome) => this.db.put(id, JSON.stringify(outcome)),
        forget: () => this.db.del(id),
        release: async () => void this.inFlight.delete(id),
      };
    } catch (error) {
      this.inFlight.delete(id);
      throw error;
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
