import { ClassicLevel } from 'classic-level';
import type { CommittedTransaction, HistoryRecord, StateStore, VersionedValue } from '@scf/chaincode/engine';

const SEP = '\u0000';
const pad = (n: number): string => n.toString().padStart(12, '0');

interface StoredValue {
  v: string;
  b: number;
  t: number;
}
interface StoredHistory {
  txId: string;
  ts: number;
  del: boolean;
  v: string;
}

/**
 * The engine's state on LevelDB, ordered by UTF-8 bytes as a peer's state database is.
 * Each block is one atomic batch: state, history, the transaction record and the height.
 *   s!<ns>\0<key>            current value and version
 *   h!<ns>\0<key>\0<block>   every committed version
 *   t!<txId>                 transaction record (valid or not)
 *   e!<block>                the block's chaincode event, for resumable streams
 */
export class LevelStateStore implements StateStore {
  private blocks = 0;

  private constructor(readonly db: ClassicLevel<string, string>) {}

  static async open(location: string): Promise<LevelStateStore> {
    const db = new ClassicLevel<string, string>(location, { valueEncoding: 'utf8' });
    await db.open();
    const store = new LevelStateStore(db);
    store.blocks = Number((await db.get('m!height')) ?? 0);
    return store;
  }

  get height(): number {
    return this.blocks;
  }

  async get(namespace: string, key: string): Promise<VersionedValue | undefined> {
    const raw = await this.db.get(`s!${namespace}${SEP}${key}`);
    return raw === undefined ? undefined : decodeValue(raw);
  }

  async range(
    namespace: string,
    startKey: string,
    endKey: string,
    limit?: number,
  ): Promise<Array<[string, VersionedValue]>> {
    const prefix = `s!${namespace}${SEP}`;
    const rows: Array<[string, VersionedValue]> = [];
    const bounds = {
      gte: prefix + startKey,
      lt: endKey === '' ? `s!${namespace}\u0001` : prefix + endKey,
      ...(limit === undefined ? {} : { limit }),
    };
    for await (const [key, raw] of this.db.iterator(bounds)) {
      rows.push([key.slice(prefix.length), decodeValue(raw)]);
    }
    return rows;
  }

  async history(namespace: string, key: string): Promise<HistoryRecord[]> {
    const prefix = `h!${namespace}${SEP}${key}${SEP}`;
    const entries: HistoryRecord[] = [];
    for await (const raw of this.db.values({ gte: prefix, lt: `${prefix}\uffff`, reverse: true })) {
      const h = JSON.parse(raw) as StoredHistory;
      entries.push({ txId: h.txId, timestampMillis: h.ts, isDelete: h.del, value: Buffer.from(h.v, 'base64') });
    }
    return entries;
  }

  async transaction(txId: string): Promise<CommittedTransaction | undefined> {
    const raw = await this.db.get(`t!${txId}`);
    return raw === undefined ? undefined : { ...(JSON.parse(raw) as Omit<CommittedTransaction, 'writes'>), writes: [] };
  }

  async commit(tx: CommittedTransaction): Promise<void> {
    if (tx.blockNumber !== this.blocks) {
      throw new Error(`block ${tx.blockNumber} out of order; the store is at height ${this.blocks}`);
    }
    const batch = this.db.batch();
    if (tx.valid) {
      for (const write of tx.writes) {
        const stateKey = `s!${write.namespace}${SEP}${write.key}`;
        if (write.value === null) batch.del(stateKey);
        else
          batch.put(
            stateKey,
            JSON.stringify({
              v: Buffer.from(write.value).toString('base64'),
              b: tx.blockNumber,
              t: 0,
            } satisfies StoredValue),
          );
        const history: StoredHistory = {
          txId: tx.txId,
          ts: tx.timestampMillis,
          del: write.value === null,
          v: Buffer.from(write.value ?? []).toString('base64'),
        };
        batch.put(`h!${write.namespace}${SEP}${write.key}${SEP}${pad(tx.blockNumber)}`, JSON.stringify(history));
      }
    }
    const { writes: _writes, event, ...record } = tx;
    batch.put(`t!${tx.txId}`, JSON.stringify(record));
    if (event) {
      batch.put(
        `e!${pad(tx.blockNumber)}`,
        JSON.stringify({ name: event.name, payload: Buffer.from(event.payload).toString('utf8'), txId: tx.txId }),
      );
    }
    batch.put('m!height', String(tx.blockNumber + 1));
    await batch.write();
    this.blocks = tx.blockNumber + 1;
  }

  /** The chaincode event of one block (each embedded block holds one transaction), if it set one. */
  async eventOf(blockNumber: number): Promise<{ name: string; payload: string } | undefined> {
    const raw = await this.db.get(`e!${pad(blockNumber)}`);
    return raw === undefined ? undefined : (JSON.parse(raw) as { name: string; payload: string });
  }

  /** Stored chaincode events of blocks after `blockNumber`, oldest first. */
  async *eventsAfter(
    blockNumber: number,
  ): AsyncGenerator<{ blockNumber: number; txId: string; name: string; payload: string }> {
    for await (const [key, raw] of this.db.iterator({ gt: `e!${pad(blockNumber)}`, lt: 'e!~' })) {
      yield {
        blockNumber: Number(key.slice(2)),
        ...(JSON.parse(raw) as { txId: string; name: string; payload: string }),
      };
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

function decodeValue(raw: string): VersionedValue {
  const stored = JSON.parse(raw) as StoredValue;
  return { value: Buffer.from(stored.v, 'base64'), version: { blockNumber: stored.b, txNumber: stored.t } };
}
