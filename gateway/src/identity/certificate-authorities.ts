import { promises as fs } from 'fs';
import path from 'path';
import { LocalCertificateAuthority, type LocalIdentity } from '@scf/chaincode/engine';
import type { IdentityIssuer } from './identity-issuer';

/**
 * The embedded ledger's stand-in for each bank's Fabric CA: one local CA per bank MSP,
 * kept in the data folder so identities issued after a restart chain to the same root.
 */
export class CertificateAuthorities implements IdentityIssuer {
  private constructor(private readonly byMsp: Map<string, LocalCertificateAuthority>) {}

  static async open(dataDir: string, mspIds: readonly string[]): Promise<CertificateAuthorities> {
    const file = path.join(dataDir, 'certificate-authorities.json');
    const saved = await fs.readFile(file, 'utf8').then((t) => JSON.parse(t) as Awaited<ReturnType<LocalCertificateAuthority['export']>>[], () => []);
    const byMsp = new Map(await Promise.all(saved.map(async (s) => [s.mspId, await LocalCertificateAuthority.restore(s)] as const)));
    for (const mspId of mspIds.filter((id) => !byMsp.has(id))) {
      byMsp.set(mspId, await LocalCertificateAuthority.create(mspId));
    }
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(file, JSON.stringify(await Promise.all([...byMsp.values()].map((ca) => ca.export())), null, 2), { mode: 0o600 });
    return new CertificateAuthorities(byMsp);
  }

  issue(mspId: string, name: string, attributes: Readonly<Record<string, string>>): Promise<LocalIdentity> {
    return this.of(mspId).issue({ commonName: name, attributes });
  }

  of(mspId: string): LocalCertificateAuthority {
    const ca = this.byMsp.get(mspId);
    if (!ca) throw new Error(`no certificate authority for ${mspId}`);
    return ca;
  }
}
