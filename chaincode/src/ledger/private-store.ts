import { createHash } from 'crypto';
import type { z } from 'zod';
import { toCanonicalBytes } from '../domain/canonical-json';
import { ScfError } from '../domain/errors';
import type { KeyType } from './keys';
import type { LedgerStore } from './ledger-store';

/**
 * The peer identity of the embedded ledger: one node that keeps every organisation's
 * collections. A Fabric peer reports its own MSP id instead.
 */
export const EVERY_ORGANISATION = '*';

/** Fabric's per-organisation collection: only that organisation's peers receive its data. */
export function implicitCollectionOf(mspId: string): string {
  return `_implicit_org_${mspId}`;
}

/**
 * One organisation's private records, in its implicit collection. Writes to it are
 * validated against that organisation's endorsement policy alone, so a transaction that
 * writes only here is endorsed by its peers alone and no other peer sees the inputs.
 * Every other peer keeps the SHA-256 of each value, which `hash` reads (and records as
 * read, so a concurrent change fails MVCC validation on every peer alike).
 */
export class PrivateStore {
  constructor(private readonly store: LedgerStore) {}

  /** Whether this peer keeps `mspId`'s collection. Fails closed when the chaincode does not know its peer. */
  keeps(mspId: string): boolean {
    let local: string;
    try {
      local = this.store.stub.getMspID();
    } catch {
      throw new Error('the chaincode server does not know its peer organisation: set CORE_PEER_LOCALMSPID');
    }
    return local === mspId || local === EVERY_ORGANISATION;
  }

  requireKept(mspId: string, what: string): void {
    if (!this.keeps(mspId)) {
      throw new ScfError(
        'TERMS_ELSEWHERE',
        `${what} are kept by the peers of ${mspId} only: send this request to one of them`,
      );
    }
  }

  /** The hex SHA-256 of the value every peer keeps for the key, or undefined when there is none. */
  async hash(mspId: string, type: KeyType, attributes: readonly string[]): Promise<string | undefined> {
    const bytes = await this.store.stub.getPrivateDataHash(
      implicitCollectionOf(mspId),
      this.store.key(type, attributes),
    );
    return bytes && bytes.length > 0 ? Buffer.from(bytes).toString('hex') : undefined;
  }

  /** The record, on a peer that keeps the collection (callers check `keeps` first). */
  async find<T>(
    mspId: string,
    type: KeyType,
    attributes: readonly string[],
    schema: z.ZodType<T>,
  ): Promise<T | undefined> {
    this.requireKept(mspId, 'these terms');
    const bytes = await this.store.stub.getPrivateData(implicitCollectionOf(mspId), this.store.key(type, attributes));
    if (!bytes || bytes.length === 0) return undefined;
    const parsed = schema.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    if (!parsed.success) throw new Error(`private record ${type} ${attributes.join('/')} is malformed`);
    return parsed.data;
  }

  /** Writes the record and answers the hash every other peer will keep of it. */
  async put(mspId: string, type: KeyType, attributes: readonly string[], record: unknown): Promise<string> {
    const bytes = toCanonicalBytes(record);
    await this.write(mspId, this.store.key(type, attributes), bytes);
    return hashOf(bytes);
  }

  /** Writes the record under its own hash (content-addressed) and answers that hash. */
  async putUnderHash(mspId: string, type: KeyType, record: unknown): Promise<string> {
    const bytes = toCanonicalBytes(record);
    const hash = hashOf(bytes);
    await this.write(mspId, this.store.key(type, [hash]), bytes);
    return hash;
  }

  private async write(mspId: string, key: string, bytes: Uint8Array): Promise<void> {
    this.requireKept(mspId, 'these terms');
    await this.store.stub.putPrivateData(implicitCollectionOf(mspId), key, bytes);
  }
}

function hashOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
