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

export interface StoredPrincipal {
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
 * principals.json: the keys, the key rotations (one per identity they retire), and every principal the
 * gateway keeps an identity for (`custody`), so that a user who revoked its last key can be
 * given a new one. (An array of keys alone is the older form.)
 */
export interface StoredRegistry {
  readonly principals: readonly StoredPrincipal[];
  readonly rotations?: readonly KeyRotation[];
  readonly custody?: readonly Principal[];
}

/** An API key as listed: its id (the start of its hash, which tells nothing of the key), never the key. */
export interface ApiKeyId {
  readonly keyId: string;
}

/** An enterprise's user acting through its own identity, whoever holds its key. */
export type EnterprisePrincipal = Extract<Principal, { kind: 'enterprise' }>;
/** An enterprise's user whose key the gateway holds, so it signs the user's calls itself. */
export type SigningEnterprisePrincipal = Extract<SigningPrincipal, { kind: 'enterprise' }>;

type IdentityRef = { readonly mspId: string; readonly clientId: string };

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
export const KEY_ID_LENGTH = 16;
/** A key's id: the start of its hash. */
export const keyIdOf = (keyHash: string): string => keyHash.slice(0, KEY_ID_LENGTH);
/** A Fabric identity as one string: the principals' index by identity. */
export const identityOf = (identity: IdentityRef): string => `${identity.mspId}/${identity.clientId}`;
/** A new API key: 256 random bits. */
export const newApiKey = (): string => `scf_${randomBytes(32).toString('base64url')}`;

/**
 * API keys → principals, the enterprises' key rotations and the identities in custody. One
 * gateway keeps them in a file (FilePrincipalRegistry); gateways that share a database keep
 * them there (store/shared-principals.ts), read on every call, so what one gateway changes
 * holds on the others at once.
 */
export interface PrincipalRegistry {
  isEmpty(): Promise<boolean>;
  /** Whether some API key acts as this organisation's admin. */
  hasAdmin(mspId: string): Promise<boolean>;
  /** Each enterprise some API key acts for, once, with the identity of one of its keys the gateway holds, by id. */
  enterprises(): Promise<SigningEnterprisePrincipal[]>;
  authenticate(key: string): Promise<Principal | undefined>;
  /**
   * The latest key rotation of this identity's user, finished or not: the one that retires
   * the identity, else the one that made it current. Each user's rotations are its own, so
   * two users of an enterprise rotating at once never replace each other's record.
   */
  rotationOf(identity: IdentityRef): Promise<KeyRotation | undefined>;
  /** Rotations begun and not finished (their API keys still sign with the retired identity). */
  unfinishedRotations(): Promise<KeyRotation[]>;
  /** Keeps a rotation's state (the new identity first of all) before the ledger is asked to act on it. */
  noteRotation(rotation: KeyRotation): Promise<void>;
  /**
   * After a key rotation committed: every API key that signed with the retired identity
   * now signs with the new one, and the rotation is marked finished, in one write.
   */
  finishRotation(rotation: KeyRotation, outcome: NonNullable<KeyRotation['outcome']>): Promise<void>;
  /** After a key rotation: every API key that signed with `retired` now signs with `current`. */
  replaceIdentity(retired: SigningIdentity, current: SigningIdentity): Promise<void>;
  /** Withdraws one API key for good; the principal's other keys keep working. */
  revoke(key: string): Promise<boolean>;
  /** Withdraws the key of this id, if it is one of the identity's own keys. */
  revokeById(identity: IdentityRef, keyId: string): Promise<boolean>;
  /**
   * Withdraws every API key of the enterprise whose identity is not among `bound` (after a
   * recovery unbound them all but the new one); returns how many.
   */
  revokeAllBut(enterpriseId: string, bound: readonly IdentityRef[]): Promise<number>;
  /** The ids of the identity's API keys, by id. */
  keysOf(identity: IdentityRef): Promise<ApiKeyId[]>;
  /** The principal whose identity the gateway keeps for this Fabric identity, with or without a key left. */
  inCustody(mspId: string, clientId: string): Promise<Principal | undefined>;
  /** Keeps an identity the gateway enrolled before any key unlocks it (a recovery's new identity). */
  keep(principal: Principal): Promise<void>;
  /** Creates a key for the principal; the key itself is returned once and never stored. */
  issueKey(principal: Principal): Promise<string>;
  /** As `issueKey`, with the new key's id. */
  issueIdentifiedKey(principal: Principal): Promise<ApiKeyId & { readonly apiKey: string }>;
}

/**
 * The registry of one gateway: API keys stored only as SHA-256 hashes beside the identities
 * they unlock, in `<data>/principals.json`, and found by that hash in one lookup however many
 * keys there are. Keys are 256-bit random, so a plain hash is safe against guessing, and the
 * lookup's timing can at most tell something of a hash, never of a key.
 */
export class FilePrincipalRegistry implements PrincipalRegistry {
  private saving: Promise<void> = Promise.resolve();
  private readonly byHash: Map<string, Principal>;
  private readonly rotations: Map<string, KeyRotation>;
  private readonly custody: Map<string, Principal>;

  private constructor(
    private readonly file: string,
    stored: StoredRegistry,
  ) {
    this.byHash = new Map(stored.principals.map((entry) => [entry.keyHash, entry.principal]));
    this.rotations = new Map((stored.rotations ?? []).map((rotation) => [identityOf(rotation.retired), rotation]));
    const kept = stored.custody ?? stored.principals.map((entry) => entry.principal);
    this.custody = new Map(kept.map((principal) => [identityOf(principal.identity), principal]));
  }

  static async open(dataDir: string): Promise<FilePrincipalRegistry> {
    const file = path.join(dataDir, 'principals.json');
    const stored = await fs.readFile(file, 'utf8').then(
      (text) => JSON.parse(text) as StoredRegistry | StoredPrincipal[],
      () => [],
    );
    return new FilePrincipalRegistry(file, Array.isArray(stored) ? { principals: stored } : stored);
  }

  async isEmpty(): Promise<boolean> {
    return this.byHash.size === 0;
  }

  async hasAdmin(mspId: string): Promise<boolean> {
    return [...this.byHash.values()].some((principal) => principal.kind === 'admin' && principal.mspId === mspId);
  }

  /** Each enterprise some API key acts for, once, with the identity of one of its keys the gateway holds. */
  async enterprises(): Promise<SigningEnterprisePrincipal[]> {
    const byId = new Map<string, SigningEnterprisePrincipal>();
    for (const principal of this.byHash.values()) {
      const signing = signingPrincipal(principal);
      if (signing?.kind === 'enterprise') byId.set(signing.enterpriseId, signing);
    }
    return [...byId.values()].sort((a, b) => a.enterpriseId.localeCompare(b.enterpriseId));
  }

  async authenticate(key: string): Promise<Principal | undefined> {
    return this.byHash.get(hashKey(key));
  }

  async rotationOf(identity: IdentityRef): Promise<KeyRotation | undefined> {
    const id = identityOf(identity);
    return this.rotations.get(id) ?? [...this.rotations.values()].find((rotation) => identityOf(rotation.next) === id);
  }

  async unfinishedRotations(): Promise<KeyRotation[]> {
    return [...this.rotations.values()].filter((rotation) => !rotation.outcome);
  }

  async noteRotation(rotation: KeyRotation): Promise<void> {
    this.rotations.set(identityOf(rotation.retired), rotation);
    await this.save();
  }

  async finishRotation(rotation: KeyRotation, outcome: NonNullable<KeyRotation['outcome']>): Promise<void> {
    this.switchIdentity(rotation.retired, rotation.next);
    this.rotations.set(identityOf(rotation.retired), { ...rotation, outcome });
    await this.save();
  }

  async replaceIdentity(retired: SigningIdentity, current: SigningIdentity): Promise<void> {
    this.switchIdentity(retired, current);
    await this.save();
  }

  /** Only enterprises' users rotate keys (bank admins' identities come from the network). */
  private switchIdentity(retired: IdentityRef, current: CallerIdentity): void {
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

  async revoke(key: string): Promise<boolean> {
    if (!this.byHash.delete(hashKey(key))) return false;
    await this.save();
    return true;
  }

  async revokeById(identity: IdentityRef, keyId: string): Promise<boolean> {
    const found = [...this.byHash].find(
      ([keyHash, principal]) => keyIdOf(keyHash) === keyId && identityOf(principal.identity) === identityOf(identity),
    );
    if (!found) return false;
    this.byHash.delete(found[0]);
    await this.save();
    return true;
  }

  async revokeAllBut(enterpriseId: string, bound: readonly IdentityRef[]): Promise<number> {
    const keep = new Set(bound.map(identityOf));
    const revoked = [...this.byHash].filter(
      ([, principal]) =>
        principal.kind === 'enterprise' &&
        principal.enterpriseId === enterpriseId &&
        !keep.has(identityOf(principal.identity)),
    );
    for (const [keyHash] of revoked) this.byHash.delete(keyHash);
    if (revoked.length > 0) await this.save();
    return revoked.length;
  }

  async keysOf(identity: IdentityRef): Promise<ApiKeyId[]> {
    return [...this.byHash]
      .filter(([, principal]) => identityOf(principal.identity) === identityOf(identity))
      .map(([keyHash]) => ({ keyId: keyIdOf(keyHash) }))
      .sort((a, b) => a.keyId.localeCompare(b.keyId));
  }

  async inCustody(mspId: string, clientId: string): Promise<Principal | undefined> {
    return this.custody.get(identityOf({ mspId, clientId }));
  }

  async keep(principal: Principal): Promise<void> {
    this.custody.set(identityOf(principal.identity), principal);
    await this.save();
  }

  async issueKey(principal: Principal): Promise<string> {
    return (await this.issueIdentifiedKey(principal)).apiKey;
  }

  async issueIdentifiedKey(principal: Principal): Promise<ApiKeyId & { readonly apiKey: string }> {
    const key = newApiKey();
    const keyHash = hashKey(key);
    this.byHash.set(keyHash, principal);
    this.custody.set(identityOf(principal.identity), principal);
    await this.save();
    return { apiKey: key, keyId: keyIdOf(keyHash) };
  }

  /** Everything the registry holds, as principals.json holds it. */
  contents(): Required<StoredRegistry> {
    return {
      principals: [...this.byHash].map(([keyHash, principal]) => ({ keyHash, principal })),
      rotations: [...this.rotations.values()],
      custody: [...this.custody.values()],
    };
  }

  /**
   * Writes one file at a time (concurrent onboardings would otherwise race on it), each
   * write then rename, so a crash mid-write cannot lose every key.
   */
  private save(): Promise<void> {
    const write = this.saving.then(async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await fs.writeFile(`${this.file}.tmp`, JSON.stringify(this.contents(), null, 2), { mode: 0o600 });
      await fs.rename(`${this.file}.tmp`, this.file);
    });
    this.saving = write.catch(() => undefined);
    return write;
  }
}
