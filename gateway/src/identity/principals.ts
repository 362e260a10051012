import { createHash, randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import path from 'path';
import type { CallerIdentity, SigningIdentity } from './signing-identity';

/** A user of an enterprise, acting through its own Fabric identity, whoever holds that identity's key. */
interface EnterpriseUser<I extends CallerIdentity> {
  readonly kind: 'enterprise';
  readonly enterpriseId: string;
  readonly roles: readonly string[];
  readonly identity: I;
}

type Admin = { readonly kind: 'admin'; readonly mspId: string; readonly identity: SigningIdentity };

/**
 * Who a caller is. Each API key maps to exactly one principal: a user of an enterprise, or a
 * bank organisation's admin. A user's key is held by the gateway or by the user itself
 * (`identity.custody === 'self'`); only the first can the gateway sign for.
 */
export type Principal = EnterpriseUser<CallerIdentity> | Admin;

/** A principal whose key the gateway holds, so it signs the principal's calls itself. */
export type SigningPrincipal = EnterpriseUser<SigningIdentity> | Admin;

/** The principal as one the gateway signs for, or undefined when its user keeps the key. */
export function signingPrincipal(principal: Principal): SigningPrincipal | undefined {
  return principal.identity.custody === 'self' ? undefined : (principal as SigningPrincipal);
}

interface StoredPrincipal {
  readonly keyHash: string;
  readonly principal: Principal;
}

/**
 * An enterprise's key rotation: the identity the gateway enrolled for it, kept before the
 * ledger hears of it, so a rotation that commits while the gateway stops is never left
 * bound to a key the gateway lost. `outcome` is set once the API keys sign with `next`.
 */
export interface KeyRotation {
  readonly enterpriseId: string;
  /** The request's Idempotency-Key, so a retry of a finished rotation is answered, not run again. */
  readonly requestKey?: string;
  readonly retired: { readonly mspId: string; readonly clientId: string };
  /** Gateway-held, or self-held when the user rotates to (or keeps) a key of its own. */
  readonly next: CallerIdentity;
  /** The RotateKey transaction, noted when endorsed (before it is ordered). */
  readonly txId?: string;
  readonly outcome?: {
    readonly txId: string;
    readonly blockNumber: number;
    readonly result: unknown;
    readonly attempts: number;
  };
}

/**
 * principals.json: the keys, each enterprise's latest key rotation, and every principal the
 * gateway keeps an identity for (`custody`), so that a user who revoked its last key can be
 * given a new one. (An array of keys alone is the older form.)
 */
interface StoredRegistry {
  readonly principals: readonly StoredPrincipal[];
  readonly rotations?: readonly KeyRotation[];
  readonly custody?: readonly Principal[];
}

/** An API key as listed: its id (the start of its hash, which tells nothing of the key), never the key. */
export interface ApiKeyId {
  readonly keyId: string;
}

const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
const KEY_ID_LENGTH = 16;
const identityOf = (identity: { readonly mspId: string; readonly clientId: string }): string =>
  `${identity.mspId}/${identity.clientId}`;

/**
 * API keys, stored only as SHA-256 hashes beside the identities they unlock, and found by
 * that hash in one lookup however many keys there are. Keys are 256-bit random, so a plain
 * hash is safe against guessing, and the lookup's timing can at most tell something of a
 * hash, never of a key.
 */
export class PrincipalRegistry {
  private saving: Promise<void> = Promise.resolve();
  private readonly byHash: Map<string, Principal>;
  private readonly rotations: Map<string, KeyRotation>;
  private readonly custody: Map<string, Principal>;

  private constructor(
    private readonly file: string,
    stored: StoredRegistry,
  ) {
    this.byHash = new Map(stored.principals.map((entry) => [entry.keyHash, entry.principal]));
    this.rotations = new Map((stored.rotations ?? []).map((rotation) => [rotation.enterpriseId, rotation]));
    const kept = stored.custody ?? stored.principals.map((entry) => entry.principal);
    this.custody = new Map(kept.map((principal) => [identityOf(principal.identity), principal]));
  }

  static async open(dataDir: string): Promise<PrincipalRegistry> {
    const file = path.join(dataDir, 'principals.json');
    const stored = await fs.readFile(file, 'utf8').then(
      (text) => JSON.parse(text) as StoredRegistry | StoredPrincipal[],
      () => [],
    );
    return new PrincipalRegistry(file, Array.isArray(stored) ? { principals: stored } : stored);
  }

  get isEmpty(): boolean {
    return this.byHash.size === 0;
  }

  /** Whether some API key acts as this organisation's admin. */
  hasAdmin(mspId: string): boolean {
    return [...this.byHash.values()].some((principal) => principal.kind === 'admin' && principal.mspId === mspId);
  }

  /** Each enterprise some API key acts for, once, with the identity of one of its keys the gateway holds. */
  enterprises(): EnterpriseUser<SigningIdentity>[] {
    const byId = new Map<string, EnterpriseUser<SigningIdentity>>();
    for (const principal of this.byHash.values()) {
      const signing = signingPrincipal(principal);
      if (signing?.kind === 'enterprise') byId.set(signing.enterpriseId, signing);
    }
    return [...byId.values()].sort((a, b) => a.enterpriseId.localeCompare(b.enterpriseId));
  }

  authenticate(key: string): Principal | undefined {
    return this.byHash.get(hashKey(key));
  }

  /** An enterprise's latest key rotation, finished or not. */
  rotationOf(enterpriseId: string): KeyRotation | undefined {
    return this.rotations.get(enterpriseId);
  }

  /** Rotations begun and not finished (their API keys still sign with the retired identity). */
  unfinishedRotations(): KeyRotation[] {
    return [...this.rotations.values()].filter((rotation) => !rotation.outcome);
  }

  /** Keeps a rotation's state (the new identity first of all) before the ledger is asked to act on it. */
  async noteRotation(rotation: KeyRotation): Promise<void> {
    this.rotations.set(rotation.enterpriseId, rotation);
    await this.save();
  }

  /**
   * After a key rotation committed: every API key that signed with the retired identity
   * now signs with the new one, and the rotation is marked finished, in one write.
   */
  async finishRotation(rotation: KeyRotation, outcome: NonNullable<KeyRotation['outcome']>): Promise<void> {
    this.switchIdentity(rotation.retired, rotation.next);
    this.rotations.set(rotation.enterpriseId, { ...rotation, outcome });
    await this.save();
  }

  /** After a key rotation: every API key that signed with `retired` now signs with `current`. */
  async replaceIdentity(retired: SigningIdentity, current: SigningIdentity): Promise<void> {
    this.switchIdentity(retired, current);
    await this.save();
  }

  /** Only enterprises' users rotate keys (bank admins' identities come from the network). */
  private switchIdentity(
    retired: { readonly mspId: string; readonly clientId: string },
    current: CallerIdentity,
  ): void {
    for (const [keyHash, principal] of this.byHash) {
      if (principal.kind === 'enterprise' && identityOf(principal.identity) === identityOf(retired)) {
        this.byHash.set(keyHash, { ...principal, identity: current });
      }
    }
    const kept = this.custody.get(identityOf(retired));
    if (kept?.kind === 'enterprise') {
      this.custody.delete(identityOf(retired));
      this.custody.set(identityOf(current), { ...kept, identity: current });
    }
  }

  /** Withdraws one API key for good; the principal's other keys keep working. */
  async revoke(key: string): Promise<boolean> {
    if (!this.byHash.delete(hashKey(key))) return false;
    await this.save();
    return true;
  }

  /** Withdraws the key of this id, if it is one of the identity's own keys. */
  async revokeById(identity: { readonly mspId: string; readonly clientId: string }, keyId: string): Promise<boolean> {
    const found = [...this.byHash].find(
      ([keyHash, principal]) =>
        keyHash.slice(0, KEY_ID_LENGTH) === keyId && identityOf(principal.identity) === identityOf(identity),
    );
    if (!found) return false;
    this.byHash.delete(found[0]);
    await this.save();
    return true;
  }

  /** The ids of the identity's API keys, in no meaningful order. */
  keysOf(identity: { readonly mspId: string; readonly clientId: string }): ApiKeyId[] {
    return [...this.byHash]
      .filter(([, principal]) => identityOf(principal.identity) === identityOf(identity))
      .map(([keyHash]) => ({ keyId: keyHash.slice(0, KEY_ID_LENGTH) }))
      .sort((a, b) => a.keyId.localeCompare(b.keyId));
  }

  /** The principal whose identity the gateway keeps for this Fabric identity, with or without a key left. */
  inCustody(mspId: string, clientId: string): Principal | undefined {
    return this.custody.get(identityOf({ mspId, clientId }));
  }

  /** Creates a key for the principal; the key itself is returned once and never stored. */
  async issueKey(principal: Principal): Promise<string> {
    return (await this.issueIdentifiedKey(principal)).apiKey;
  }

  /** As `issueKey`, with the new key's id. */
  async issueIdentifiedKey(principal: Principal): Promise<ApiKeyId & { readonly apiKey: string }> {
    const key = `scf_${randomBytes(32).toString('base64url')}`;
    const keyHash = hashKey(key);
    this.byHash.set(keyHash, principal);
    this.custody.set(identityOf(principal.identity), principal);
    await this.save();
    return { apiKey: key, keyId: keyHash.slice(0, KEY_ID_LENGTH) };
  }

  /**
   * Writes one file at a time (concurrent onboardings would otherwise race on it), each
   * write then rename, so a crash mid-write cannot lose every key.
   */
  private save(): Promise<void> {
    const write = this.saving.then(async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      const stored: StoredRegistry = {
        principals: [...this.byHash].map(([keyHash, principal]) => ({ keyHash, principal })),
        rotations: [...this.rotations.values()],
        custody: [...this.custody.values()],
      };
      await fs.writeFile(`${this.file}.tmp`, JSON.stringify(stored, null, 2), { mode: 0o600 });
      await fs.rename(`${this.file}.tmp`, this.file);
    });
    this.saving = write.catch(() => undefined);
    return write;
  }
}
