/**
 * The engine's storage contract: versioned world state per namespace, key history and
 * atomic block commits. The in-memory store lives here; the gateway adds a persistent one.
 */
export interface Version {
  readonly blockNumber: number;
  readonly txNumber: number;
}

export interface VersionedValue {
  readonly value: Uint8Array;
  readonly version: Version;
}

export interface HistoryRecord {
  readonly txId: string;
  readonly timestampMillis: number;
  readonly isDelete: boolean;
  readonly value: Uint8Array;
}

export interface StateWrite {
  readonly namespace: string;
  readonly key: string;
  /** null deletes the key. */
  readonly value: Uint8Array | null;
}

export interface CommittedTransaction {
  readonly blockNumber: number;
  readonly txId: string;
  readonly timestampMillis: number;
  readonly valid: boolean;
  readonly validationCode: string;
  readonly writes: readonly StateWrite[];
  /** The transaction's chaincode event, kept with the block so streams can resume from it. */
  readonly event?: { readonly name: string; readonly payload: Uint8Array };
}

export interface StateStore {
  get(namespace: string, key: string): Promise<VersionedValue | undefined>;
  /** Keys in [startKey, endKey) in UTF-8 byte order, as Fabric's LevelDB orders them. */
  range(namespace: string, startKey: string, endKey: string, limit?: number): Promise<Array<[string, VersionedValue]>>;
  /** Newest first, as Fabric 2.x returns key history. */
  history(namespace: string, key: string): Promise<HistoryRecord[]>;
  transaction(txId: string): Promise<CommittedTransaction | undefined>;
  /** Applies one block atomically: a valid transaction's writes and history, or only its record if invalid. */
  commit(tx: CommittedTransaction): Promise<void>;
  readonly height: number;
}

export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

class SortedKeyMap {
  private readonly keys: string[] = [];
  private readonly values = new Map<string, VersionedValue>();

  get(key: string): VersionedValue | undefined {
    return this.values.get(key);
  }

  set(key: string, value: VersionedValue): void {
    if (!this.values.has(key)) {
      this.keys.splice(this.lowerBound(key), 0, key);
    }
    this.values.set(key, value);
  }

  delete(key: string): void {
    if (this.values.delete(key)) {
      this.keys.splice(this.lowerBound(key), 1);
    }
  }

  range(startKey: string, endKey: string, limit = Infinity): Array<[string, VersionedValue]> {
    const result: Array<[string, VersionedValue]> = [];
    for (let i = this.lowerBound(startKey); i < this.keys.length && result.length < limit; i++) {
      const key = this.keys[i] as string;
      if (endKey !== '' && compareKeys(key, endKey) >= 0) break;
      result.push([key, this.values.get(key) as VersionedValue]);
    }
    return result;
  }

  private lowerBound(key: string): number {
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareKeys(this.keys[mid] as string, key) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

export class MemoryStateStore implements StateStore {
  private readonly namespaces = new Map<string, SortedKeyMap>();
  private readonly histories = new Map<string, HistoryRecord[]>();
  private readonly transactions = new Map<string, CommittedTransaction>();
  private blocks = 0;

  get height(): number {
    return this.blocks;
  }

  async get(namespace: string, key: string): Promise<VersionedValue | undefined> {
    return this.namespaces.get(namespace)?.get(key);
  }

  async range(
    namespace: string,
    startKey: string,
    endKey: string,
    limit?: number,
  ): Promise<Array<[string, VersionedValue]>> {
    return this.namespaces.get(namespace)?.range(startKey, endKey, limit) ?? [];
  }

  async history(namespace: string, key: string): Promise<HistoryRecord[]> {
    return [...(this.histories.get(`${namespace}\u0000${key}`) ?? [])].reverse();
  }

  async transaction(txId: string): Promise<CommittedTransaction | undefined> {
    return this.transactions.get(txId);
  }

  async commit(tx: CommittedTransaction): Promise<void> {
    if (tx.blockNumber !== this.blocks) {
      throw new Error(`block ${tx.blockNumber} out of order; the store is at height ${this.blocks}`);
    }
    if (tx.valid) {
      for (const write of tx.writes) {
        let space = this.namespaces.get(write.namespace);
        if (!space) {
          space = new SortedKeyMap();
          this.namespaces.set(write.namespace, space);
        }
        if (write.value === null) space.delete(write.key);
        else space.set(write.key, { value: write.value, version: { blockNumber: tx.blockNumber, txNumber: 0 } });
        const historyKey = `${write.namespace}\u0000${write.key}`;
        const entries = this.histories.get(historyKey) ?? [];
        entries.push({
          txId: tx.txId,
          timestampMillis: tx.timestampMillis,
          isDelete: write.value === null,
          value: write.value ?? new Uint8Array(0),
        });
        this.histories.set(historyKey, entries);
      }
    }
    this.transactions.set(tx.txId, tx);
    this.blocks += 1;
  }
}

/** A digest of every key and value in the given namespaces: equal digests mean an unchanged ledger. */
export async function stateDigest(store: StateStore, namespaces: readonly string[]): Promise<string> {
  const { createHash } = await import('crypto');
  const hash = createHash('sha256');
  for (const namespace of namespaces) {
    for (const [key, { value }] of await store.range(namespace, '', '')) {
      hash.update(namespace).update('\u0000').update(key).update('\u0000').update(value).update('\u0001');
    }
  }
  return hash.digest('hex');
}
