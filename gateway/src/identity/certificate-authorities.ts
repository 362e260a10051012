import { promises as fs } from 'fs';
import path from 'path';
import { LocalCertificateAuthority } from '@scf/chaincode/engine';
import { IdentityAlreadyRegistered, type IdentityIssuer } from './identity-issuer';
import type { CertifiedIdentity, SigningIdentity } from './signing-identity';

type Registrations = Record<string, string[]>;

/**
 * The embedded ledger's stand-in for each bank's Fabric CA: one local CA per bank MSP,
 * kept in the data folder so identities issued after a restart chain to the same root.
 * Like Fabric CA it registers each name once (kept in the data folder too), so flows
 * that must survive a repeated registration are exercised on the embedded ledger as well.
 */
export class CertificateAuthorities implements IdentityIssuer {
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly byMsp: Map<string, LocalCertificateAuthority>,
    private readonly registrationsFile: string,
    private readonly registered: Map<string, Set<string>>,
  ) {}

  static async open(dataDir: string, mspIds: readonly string[]): Promise<CertificateAuthorities> {
    const file = path.join(dataDir, 'certificate-authorities.json');
    const saved = await fs.readFile(file, 'utf8').then(
      (t) => JSON.parse(t) as Awaited<ReturnType<LocalCertificateAuthority['export']>>[],
      () => [],
    );
    const byMsp = new Map(
      await Promise.all(saved.map(async (s) => [s.mspId, await LocalCertificateAuthority.restore(s)] as const)),
    );
    for (const mspId of mspIds.filter((id) => !byMsp.has(id))) {
      byMsp.set(mspId, await LocalCertificateAuthority.create(mspId));
    }
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(file, JSON.stringify(await Promise.all([...byMsp.values()].map((ca) => ca.export())), null, 2), {
      mode: 0o600,
    });
    const registrationsFile = path.join(dataDir, 'ca-registrations.json');
    const registrations = await fs.readFile(registrationsFile, 'utf8').then(
      (t) => JSON.parse(t) as Registrations,
      () => ({}) as Registrations,
    );
    return new CertificateAuthorities(
      byMsp,
      registrationsFile,
      new Map(Object.entries(registrations).map(([msp, names]) => [msp, new Set(names)])),
    );
  }

  async issue(mspId: string, name: string, attributes: Readonly<Record<string, string>>): Promise<SigningIdentity> {
    await this.register(mspId, name);
    return this.of(mspId).issue({ commonName: name, attributes });
  }

  async reenroll(mspId: string, name: string, attributes: Readonly<Record<string, string>>): Promise<SigningIdentity> {
    return this.registeredCa(mspId, name).issue({ commonName: name, attributes });
  }

  async certify(
    mspId: string,
    name: string,
    attributes: Readonly<Record<string, string>>,
    csrPem: string,
  ): Promise<CertifiedIdentity> {
    await this.register(mspId, name);
    return this.of(mspId).certify(csrPem, { commonName: name, attributes });
  }

  recertify(
    mspId: string,
    name: string,
    attributes: Readonly<Record<string, string>>,
    csrPem: string,
  ): Promise<CertifiedIdentity> {
    return this.registeredCa(mspId, name).certify(csrPem, { commonName: name, attributes });
  }

  /** Registers a name once (and keeps it) before it is enrolled, as at a Fabric CA. */
  private async register(mspId: string, name: string): Promise<void> {
    this.of(mspId);
    const names = this.registered.get(mspId) ?? new Set<string>();
    if (names.has(name)) throw new IdentityAlreadyRegistered(mspId, name);
    names.add(name);
    this.registered.set(mspId, names);
    await this.save();
  }

  private registeredCa(mspId: string, name: string): LocalCertificateAuthority {
    const ca = this.of(mspId);
    if (!this.registered.get(mspId)?.has(name))
      throw new Error(`the CA of ${mspId} has no identity named ${name} to enroll again`);
    return ca;
  }

  of(mspId: string): LocalCertificateAuthority {
    const ca = this.byMsp.get(mspId);
    if (!ca) throw new Error(`no certificate authority for ${mspId}`);
    return ca;
  }

  /** One write at a time, each write then rename. */
  private save(): Promise<void> {
    const write = this.saving.then(async () => {
      const registrations: Registrations = Object.fromEntries(
        [...this.registered].map(([msp, names]) => [msp, [...names].sort()]),
      );
      await fs.writeFile(`${this.registrationsFile}.tmp`, JSON.stringify(registrations, null, 2), { mode: 0o600 });
      await fs.rename(`${this.registrationsFile}.tmp`, this.registrationsFile);
    });
    this.saving = write.catch(() => undefined);
    return write;
  }
}
