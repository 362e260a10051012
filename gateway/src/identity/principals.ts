import { createHash, randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import path from 'path';
import type { LocalIdentity } from '@scf/chaincode/engine';

/**
 * Who a caller is. Each API key maps to exactly one principal: an enterprise acting
 * through its own Fabric identity, or a bank organisation's admin.
 */
export type Principal =
  | { readonly kind: 'enterprise'; readonly enterpriseId: string; readonly roles: readonly string[]; readonly identity: LocalIdentity }
  | { readonly kind: 'admin'; readonly mspId: string; readonly identity: LocalIdentity };

interface StoredPrincipal { readonly keyHash: string; readonly principal: Principal }

const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/**
 * API keys, stored only as SHA-256 hashes beside the identities they unlock, and found by
 * that hash in one lookup however many keys there are. Keys are 256-bit random, so a plain
 * hash is safe against guessing, and the lookup's timing can at most tell something of a
 * hash, never of a key.
 */
export class PrincipalRegistry {
  private saving: Promise<void> = Promise.resolve();
  private readonly byHash: Map<string, Principal>;

  private constructor(private readonly file: string, entries: readonly StoredPrincipal[]) {
    this.byHash = new Map(entries.map((entry) => [entry.keyHash, entry.principal]));
  }

  static async open(dataDir: string): Promise<PrincipalRegistry> {
    const file = path.join(dataDir, 'principals.json');
    const entries = await fs.readFile(file, 'utf8').then((text) => JSON.parse(text) as StoredPrincipal[], () => []);
    return new PrincipalRegistry(file, entries);
  }

  get isEmpty(): boolean {
    return this.byHash.size === 0;
  }

  authenticate(key: string): Principal | undefined {
    return this.byHash.get(hashKey(key));
  }

  /** After a key rotation: every API key that signed with `retired` now signs with `current`. */
  async replaceIdentity(retired: LocalIdentity, current: LocalIdentity): Promise<void> {
    for (const [keyHash, principal] of this.byHash) {
      if (principal.identity.clientId === retired.clientId && principal.identity.mspId === retired.mspId) {
        this.byHash.set(keyHash, { ...principal, identity: current });
      }
    }
    await this.save();
  }

  /** Withdraws one API key for good; the principal's other keys keep working. */
  async revoke(key: string): Promise<boolean> {
    if (!this.byHash.delete(hashKey(key))) return false;
    await this.save();
    return true;
  }

  /** Creates a key for the principal; the key itself is returned once and never stored. */
  async issueKey(principal: Principal): Promise<string> {
    const key = `scf_${randomBytes(32).toString('base64url')}`;
    this.byHash.set(hashKey(key), principal);
    await this.save();
    return key;
  }

  /**
   * Writes one file at a time (concurrent onboardings would otherwise race on it), each
   * write then rename, so a crash mid-write cannot lose every key.
   */
  private save(): Promise<void> {
    const write = this.saving.then(async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      const entries: StoredPrincipal[] = [...this.byHash].map(([keyHash, principal]) => ({ keyHash, principal }));
      await fs.writeFile(`${this.file}.tmp`, JSON.stringify(entries, null, 2), { mode: 0o600 });
      await fs.rename(`${this.file}.tmp`, this.file);
    });
    this.saving = write.catch(() => undefined);
    return write;
  }
}
