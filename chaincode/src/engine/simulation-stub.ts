import { createHash } from 'crypto';
import { ChaincodeStub as ShimStub } from 'fabric-shim';
import { compareKeys, type StateStore, type Version } from './state-store';

/** Fabric's own composite-key encoding, reused so keys are byte-identical to a peer's. */
const shimKeys = ShimStub.prototype as unknown as {
  createCompositeKey(objectType: string, attributes: string[]): string;
  splitCompositeKey(key: string): { objectType: string; attributes: string[] };
};

const MAX_UNICODE_RUNE = '\u{10ffff}';

export interface Creator {
  readonly mspid: string;
  readonly idBytes: Uint8Array;
}

export interface ProposalContext {
  readonly txId: string;
  readonly channelId: string;
  readonly timestampMillis: number;
  readonly creator: Creator;
  readonly args: readonly string[];
  readonly transient: ReadonlyMap<string, Uint8Array>;
  readonly peerMspId: string;
  /** The endorsing peer's own clock, which may differ from the client-chosen timestamp. */
  readonly endorserClock: () => number;
}

export interface RangeRead {
  readonly namespace: string;
  readonly startKey: string;
  readonly endKey: string;
  readonly results: ReadonlyArray<readonly [string, Version]>;
}

/** What simulation produced, exactly the parts Fabric's validator looks at. */
export interface ReadWriteSet {
  readonly reads: ReadonlyMap<string, Version | null>;
  readonly rangeReads: readonly RangeRead[];
  readonly writes: ReadonlyMap<string, Uint8Array | null>;
  readonly paginated: boolean;
}

interface QueryIterator<T> {
  next(): Promise<{ value: T; done: false } | { value: undefined; done: true }>;
  close(): Promise<void>;
  [Symbol.asyncIterator](): AsyncIterator<T>;
}

interface StateEntry {
  key: string;
  value: Uint8Array;
}

interface HistoryEntry {
  txId: string;
  value: Uint8Array;
  isDelete: boolean;
  timestamp: { seconds: number; nanos: number };
}

interface PagedQuery {
  iterator: QueryIterator<StateEntry>;
  metadata?: { fetchedRecordsCount: number; bookmark: string };
}

function iteratorOf<T>(items: readonly T[]): QueryIterator<T> {
  let position = 0;
  const iterator: QueryIterator<T> = {
    async next() {
      return position < items.length
        ? { value: items[position++] as T, done: false }
        : { value: undefined, done: true };
    },
    async close() {
      position = items.length;
    },
    [Symbol.asyncIterator]: () => iterator as unknown as AsyncIterator<T>,
  };
  return iterator;
}

/** Composite namespace key for the read/write sets: public state or one private collection. */
export function namespacedKey(namespace: string, key: string): string {
  return `${namespace}\u0000${key}`;
}

export function splitNamespacedKey(composite: string): { namespace: string; key: string } {
  const at = composite.indexOf('\u0000');
  return { namespace: composite.slice(0, at), key: composite.slice(at + 1) };
}

/**
 * The `ChaincodeStub` surface the contracts use, over the engine's state store. Like a
 * peer's simulator, it records versions read, range results and writes without applying
 * them; the engine validates and commits them afterwards.
 */
export class SimulationStub {
  private readonly reads = new Map<string, Version | null>();
  private readonly rangeReads: RangeRead[] = [];
  private readonly writes = new Map<string, Uint8Array | null>();
  private paginated = false;
  private event: { name: string; payload: Uint8Array } | undefined;

  constructor(
    private readonly store: StateStore,
    private readonly namespace: string,
    private readonly proposal: ProposalContext,
  ) {}

  readWriteSet(): ReadWriteSet {
    return { reads: this.reads, rangeReads: this.rangeReads, writes: this.writes, paginated: this.paginated };
  }

  chaincodeEvent(): { name: string; payload: Uint8Array } | undefined {
    return this.event;
  }

  getArgs(): string[] {
    return [...this.proposal.args];
  }
  getStringArgs(): string[] {
    return [...this.proposal.args];
  }
  getBufferArgs(): Buffer[] {
    return this.proposal.args.map((a) => Buffer.from(a, 'utf8'));
  }
  getFunctionAndParameters(): { fcn: string; params: string[] } {
    const [fcn = '', ...params] = this.proposal.args;
    return { fcn, params };
  }
  getTxID(): string {
    return this.proposal.txId;
  }
  getChannelID(): string {
    return this.proposal.channelId;
  }
  getCreator(): Creator {
    return this.proposal.creator;
  }
  getMspID(): string {
    return this.proposal.peerMspId;
  }
  getTransient(): Map<string, Uint8Array> {
    return new Map(this.proposal.transient);
  }
  getDateTimestamp(): Date {
    return new Date(this.proposal.timestampMillis);
  }
  /** Not part of Fabric's stub: the chaincode's clock guard reads the simulated peer clock here. */
  endorserTimeMillis(): number {
    return this.proposal.endorserClock();
  }
  getTxTimestamp(): { seconds: number; nanos: number } {
    return {
      seconds: Math.floor(this.proposal.timestampMillis / 1000),
      nanos: (this.proposal.timestampMillis % 1000) * 1e6,
    };
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    return shimKeys.createCompositeKey(objectType, attributes);
  }

  splitCompositeKey(key: string): { objectType: string; attributes: string[] } {
    return shimKeys.splitCompositeKey(key);
  }

  async getState(key: string): Promise<Uint8Array> {
    return this.read(this.namespace, key);
  }

  async putState(key: string, value: Uint8Array): Promise<void> {
    this.write(this.namespace, key, value);
  }

  async deleteState(key: string): Promise<void> {
    this.write(this.namespace, key, null);
  }

  async getPrivateData(collection: string, key: string): Promise<Uint8Array> {
    return this.read(this.privateNamespace(collection), key);
  }

  async putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
    this.write(this.privateNamespace(collection), key, value);
  }

  /** Like a peer, records the same read as `getPrivateData`: every endorser's read set matches. */
  async getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
    const value = await this.read(this.privateNamespace(collection), key);
    return value.length > 0 ? createHash('sha256').update(value).digest() : Buffer.alloc(0);
  }

  /** One node endorses everything here, so a key-level endorsement policy has nothing to restrict. */
  async setStateValidationParameter(key: string, _policy: Uint8Array): Promise<void> {
    if (key.length === 0) throw new Error('key must not be empty');
  }

  async getStateByRange(startKey: string, endKey: string): Promise<QueryIterator<StateEntry>> {
    return iteratorOf(await this.rangeQuery(startKey, endKey));
  }

  async getStateByPartialCompositeKey(objectType: string, attributes: string[]): Promise<QueryIterator<StateEntry>> {
    const start = this.createCompositeKey(objectType, attributes);
    return iteratorOf(await this.rangeQuery(start, start + MAX_UNICODE_RUNE));
  }

  async getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark = '',
  ): Promise<PagedQuery> {
    const start = this.createCompositeKey(objectType, attributes);
    const end = start + MAX_UNICODE_RUNE;
    this.paginated = true;
    const inRange = bookmark !== '' && compareKeys(bookmark, start) > 0 && compareKeys(bookmark, end) < 0;
    const from = inRange ? bookmark : start;
    // One row past the page tells where the next page starts; reading no further keeps a page's cost to its own size.
    const rows = await this.store.range(this.namespace, from, end, pageSize + 1);
    const page = rows.slice(0, pageSize).map(([key, { value }]) => ({ key, value }));
    const next = rows[pageSize]?.[0] ?? '';
    // As fabric-shim answers: an empty last page's metadata is all defaults, which protobuf
    // encodes as no bytes, and the shim then leaves `metadata` out.
    if (page.length === 0 && next === '') return { iterator: iteratorOf(page) };
    return { iterator: iteratorOf(page), metadata: { fetchedRecordsCount: page.length, bookmark: next } };
  }

  async getHistoryForKey(key: string): Promise<QueryIterator<HistoryEntry>> {
    const entries = await this.store.history(this.namespace, key);
    return iteratorOf(
      entries.map((entry) => ({
        txId: entry.txId,
        value: entry.value,
        isDelete: entry.isDelete,
        timestamp: { seconds: Math.floor(entry.timestampMillis / 1000), nanos: (entry.timestampMillis % 1000) * 1e6 },
      })),
    );
  }

  setEvent(name: string, payload: Uint8Array): void {
    if (!name) throw new Error('event name must be a non-empty string');
    this.event = { name, payload };
  }

  private privateNamespace(collection: string): string {
    return `${this.namespace}$$p${collection}`;
  }

  private async read(namespace: string, key: string): Promise<Uint8Array> {
    if (key.length === 0) throw new Error('key must not be empty');
    // Like a peer, a read never sees this transaction's own writes.
    const current = await this.store.get(namespace, key);
    const readKey = namespacedKey(namespace, key);
    if (!this.reads.has(readKey)) this.reads.set(readKey, current?.version ?? null);
    return current ? Buffer.from(current.value) : Buffer.alloc(0);
  }

  private write(namespace: string, key: string, value: Uint8Array | null): void {
    if (key.length === 0) throw new Error('key must not be empty');
    // Fabric stores an empty value as a delete.
    this.writes.set(namespacedKey(namespace, key), value && value.length > 0 ? Buffer.from(value) : null);
  }

  private async rangeQuery(startKey: string, endKey: string): Promise<Array<{ key: string; value: Uint8Array }>> {
    const rows = await this.store.range(this.namespace, startKey, endKey);
    this.rangeReads.push({
      namespace: this.namespace,
      startKey,
      endKey,
      results: rows.map(([key, { version }]) => [key, version] as const),
    });
    return rows.map(([key, { value }]) => ({ key, value: Buffer.from(value) }));
  }
}
