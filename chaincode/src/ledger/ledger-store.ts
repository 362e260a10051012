import { KeyEndorsementPolicy } from 'fabric-shim';
import type { ChaincodeStub } from 'fabric-shim-api';
import type { z } from 'zod';
import { ScfError } from '../domain/errors';
import { toCanonicalBytes } from '../domain/canonical-json';
import { isoFromMillis } from '../domain/time';
import type { KeyType } from './keys';

const EMPTY = new Uint8Array(0);
/** Index entries carry no value; Fabric treats an empty value as a delete, so store one byte. */
const INDEX_MARKER = new Uint8Array([0]);

/** One committed version of a record: the transaction that wrote it, when, and the value (null: deleted). */
export interface Version<T> {
  readonly txId: string;
  readonly timestamp: string;
  readonly value: T | null;
}

/** One page of an index: the ids on it, and where the next page starts ('' after the last). */
export interface IdPage {
  ids: string[];
  bookmark: string;
}

/**
 * Typed access to world state for one transaction. `getState` does not see the same
 * transaction's own writes, so writes are remembered here and served back on read. Reads
 * are remembered too: within a transaction a key's committed value cannot change, and
 * each `getState` is a round trip to the peer.
 */
export class LedgerStore {
  private readonly written = new Map<string, Uint8Array | null>();
  private readonly read = new Map<string, Uint8Array | undefined>();

  constructor(readonly stub: ChaincodeStub) {}

  key(type: KeyType, attributes: readonly string[]): string {
    return this.stub.createCompositeKey(type, [...attributes]);
  }

  private async readBytes(key: string): Promise<Uint8Array | undefined> {
    if (this.written.has(key)) {
      return this.written.get(key) ?? undefined;
    }
    if (!this.read.has(key)) {
      const bytes = await this.stub.getState(key);
      this.read.set(key, bytes && bytes.length > 0 ? bytes : undefined);
    }
    return this.read.get(key);
  }

  async find<T>(type: KeyType, attributes: readonly string[], schema: z.ZodType<T>): Promise<T | undefined> {
    const key = this.key(type, attributes);
    const bytes = await this.readBytes(key);
    if (bytes === undefined) {
      return undefined;
    }
    const parsed = schema.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    if (!parsed.success) {
      // A record that fails its own schema means the ledger holds foreign or corrupt data.
      throw new Error(`record ${type} ${attributes.join('/')} is malformed: ${parsed.error.issues[0]?.message}`);
    }
    return parsed.data;
  }

  async get<T>(type: KeyType, attributes: readonly string[], schema: z.ZodType<T>, what: string): Promise<T> {
    const record = await this.find(type, attributes, schema);
    if (record === undefined) {
      throw new ScfError('NOT_FOUND', `${what} ${attributes.join(' ')} does not exist`);
    }
    return record;
  }

  async put(type: KeyType, attributes: readonly string[], record: unknown): Promise<void> {
    await this.writeBytes(this.key(type, attributes), toCanonicalBytes(record));
  }

  async putIndex(type: KeyType, attributes: readonly string[]): Promise<void> {
    await this.writeBytes(this.key(type, attributes), INDEX_MARKER);
  }

  async delete(type: KeyType, attributes: readonly string[]): Promise<void> {
    const key = this.key(type, attributes);
    this.written.set(key, null);
    await this.stub.deleteState(key);
  }

  /**
   * A key-level endorsement policy: from the next transaction on, a change to this key is
   * valid only with an endorsement by a peer of `mspId`, whatever the chaincode's policy.
   */
  async requireEndorsementBy(type: KeyType, attributes: readonly string[], mspId: string): Promise<void> {
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs('PEER', mspId);
    await this.stub.setStateValidationParameter(this.key(type, attributes), policy.getPolicy());
  }

  private async writeBytes(key: string, bytes: Uint8Array): Promise<void> {
    this.written.set(key, bytes.length > 0 ? bytes : EMPTY);
    await this.stub.putState(key, bytes);
  }

  /**
   * Every committed version of a key, newest first as Fabric gives them, each checked by its
   * schema. For read paths only: Fabric does not re-check history at commit.
   */
  async *history<T>(type: KeyType, attributes: readonly string[], schema: z.ZodType<T>): AsyncGenerator<Version<T>> {
    const iterator = await this.stub.getHistoryForKey(this.key(type, attributes));
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        const { txId, timestamp, isDelete, value } = next.value;
        const millis = Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1e6);
        const json = isDelete || value.length === 0 ? null : JSON.parse(Buffer.from(value).toString('utf8'));
        yield { txId, timestamp: isoFromMillis(millis), value: json === null ? null : schema.parse(json) };
      }
    } finally {
      await iterator.close();
    }
  }

  /**
   * Attribute tuples under a partial key, in key order.
   * For read paths only (phantom-checked but slow on write paths).
   */
  async *scan(type: KeyType, prefix: readonly string[]): AsyncGenerator<string[]> {
    const iterator = await this.stub.getStateByPartialCompositeKey(type, [...prefix]);
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        yield this.stub.splitCompositeKey(next.value.key).attributes;
      }
    } finally {
      await iterator.close();
    }
  }

  /**
   * One page of index entries (their key attributes) under a partial key, for listings
   * that may grow large. Read-only transactions only: Fabric's rule for paged queries.
   */
  async pageEntries(
    type: KeyType,
    prefix: readonly string[],
    pageSize: number,
    bookmark: string,
  ): Promise<{ entries: string[][]; bookmark: string }> {
    const { iterator, metadata } = await this.stub.getStateByPartialCompositeKeyWithPagination(
      type,
      [...prefix],
      pageSize,
      bookmark,
    );
    const entries: string[][] = [];
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        entries.push(this.stub.splitCompositeKey(next.value.key).attributes);
      }
    } finally {
      await iterator.close();
    }
    // fabric-shim leaves `metadata` out for an empty last page (its defaults encode as no bytes).
    return { entries, bookmark: (metadata as typeof metadata | undefined)?.bookmark ?? '' };
  }

  /** A page of an index whose last attribute is the listed record's id. */
  async pageIndex(type: KeyType, prefix: readonly string[], pageSize: number, bookmark: string): Promise<IdPage> {
    const { entries, bookmark: next } = await this.pageEntries(type, prefix, pageSize, bookmark);
    return { ids: entries.map((attributes) => attributes.at(-1) as string), bookmark: next };
  }
}
