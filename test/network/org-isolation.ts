import { createPrivateKey, createPublicKey, X509Certificate } from 'crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'fs';
import path from 'path';
import { networkDescription } from './fabric-network';

const PRIVATE_KEY = /-----BEGIN (?:EC )?PRIVATE KEY-----[\s\S]+?-----END (?:EC )?PRIVATE KEY-----/g;
const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** A file's PEM blocks of one kind, also those inside JSON strings (a chaincode package's connection.json). */
function pemBlocks(file: string, kind: RegExp): string[] {
  return [...new Set([...readFileSync(file, 'latin1').replace(/\\n/g, '\n').matchAll(kind)].map((m) => m[0]))];
}

/** A public key as comparable text. */
const spki = (key: ReturnType<typeof createPublicKey>) => key.export({ type: 'spki', format: 'der' }).toString('base64');

/** A PEM private key: PKCS#8, or SEC1 under a PKCS#8 label (fabric-ca's idemix revocation key). */
function privateKey(pem: string) {
  try {
    return createPrivateKey(pem);
  } catch {
    return createPrivateKey({ key: Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'), format: 'der', type: 'sec1' });
  }
}

/** Every private key under a folder, by its public key, with the files that hold it. */
function privateKeysUnder(dir: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const file of filesUnder(dir)) {
    for (const pem of pemBlocks(file, PRIVATE_KEY)) {
      const key = spki(createPublicKey(privateKey(pem)));
      keys.set(key, [...(keys.get(key) ?? []), file]);
    }
  }
  return keys;
}

/** Whether a certificate was issued (and signed) by a CA. */
const issuedBy = (cert: X509Certificate, ca: X509Certificate) => cert.checkIssued(ca) && cert.verify(ca.publicKey);

/**
 * Each organisation's folder (orgs/<org>) holds its own private keys and no other's, its public
 * package (packages/<org>) holds none, and every certificate of its nodes and users chains to its
 * own CA (the root in its package) and to no other organisation's. Returns the organisations checked.
 */
export function expectOrganisationsIsolated(run: string): string[] {
  const orgs = readdirSync(path.join(run, 'orgs')).sort();
  expect(readdirSync(path.join(run, 'packages')).sort()).toEqual(orgs);
  expect(existsSync(path.join(run, 'crypto'))).toBe(false);
  const rootOf = Object.fromEntries(orgs.map((org) =>
    [org, new X509Certificate(readFileSync(path.join(run, 'packages', org, 'msp', 'cacerts', 'ca.pem')))]));

  // Packages are public: not one private key, in any file.
  for (const org of orgs) {
    const leaked = filesUnder(path.join(run, 'packages', org)).filter((file) => /PRIVATE KEY/.test(readFileSync(file, 'latin1')));
    expect({ org, leaked }).toEqual({ org, leaked: [] });
  }

  // Which organisation's CA issued each public key found in a certificate anywhere in the run's orgs/ and packages/.
  const issuersOf = new Map<string, Set<string>>();
  for (const file of [...filesUnder(path.join(run, 'orgs')), ...filesUnder(path.join(run, 'packages'))]) {
    for (const pem of pemBlocks(file, CERTIFICATE)) {
      const cert = new X509Certificate(pem);
      for (const org of orgs.filter((o) => issuedBy(cert, rootOf[o]!))) {
        issuersOf.set(spki(cert.publicKey), new Set([...(issuersOf.get(spki(cert.publicKey)) ?? []), org]));
      }
    }
  }

  // An organisation's folder holds no key another organisation's CA certified, and no key another folder holds too.
  const keysOf = Object.fromEntries(orgs.map((org) => [org, privateKeysUnder(path.join(run, 'orgs', org))]));
  for (const org of orgs) {
    expect(keysOf[org]!.size).toBeGreaterThan(0);
    for (const [key, files] of keysOf[org]!) {
      const foreignIssuers = [...(issuersOf.get(key) ?? [])].filter((issuer) => issuer !== org);
      const alsoIn = orgs.filter((other) => other !== org && keysOf[other]!.has(key));
      expect({ org, files, foreignIssuers, alsoIn }).toEqual({ org, files, foreignIssuers: [], alsoIn: [] });
    }
  }

  // Each node's and user's certificates (identity and TLS) chain to its own organisation's CA, and to no other.
  for (const org of orgs) {
    const certs = ['nodes', 'users'].flatMap((kind) => {
      const dir = path.join(run, 'orgs', org, kind);
      return existsSync(dir) ? filesUnder(dir).filter((file) => /signcerts\/cert\.pem$|tls\/(server|client)\.crt$/.test(file)) : [];
    });
    // The ordering organisation: orderer0's and its admin's (identity and TLS); a member: its peer's, orderer's, admin's, users'.
    expect(certs.length).toBeGreaterThan(org === 'orderer' ? 3 : 9);
    for (const file of certs) {
      const cert = new X509Certificate(readFileSync(file));
      expect({ file, issuers: orgs.filter((o) => issuedBy(cert, rootOf[o]!)) }).toEqual({ file, issuers: [org] });
    }
  }
  return orgs;
}

/** The organisation a recorded process belongs to, from its name (orderer0, orderer.bank1, ca.bank1, peer0.bank2, chaincode.auditor.server…). */
const orgOfProcess = (name: string) => (/^orderer\d/.test(name) ? 'orderer' : name.replace(/\.server$/, '').split('.').pop()!);

/**
 * In netns mode, every process the network started runs in its organisation's namespace: one
 * namespace per organisation, none of them this test's own. Returns each organisation's namespaces.
 */
export function namespacesOfProcesses(run: string): Record<string, string[]> {
  const byOrg: Record<string, Set<string>> = {};
  for (const file of readdirSync(path.join(run, 'pids'))) {
    const pid = readFileSync(path.join(run, 'pids', file), 'utf8').trim();
    const org = orgOfProcess(file.replace(/\.pid$/, ''));
    (byOrg[org] ??= new Set()).add(readlinkSync(`/proc/${pid}/ns/net`));
  }
  expect(Object.keys(byOrg).sort()).toEqual(Object.keys(networkDescription(run).orgs).sort());
  return Object.fromEntries(Object.entries(byOrg).map(([org, namespaces]) => [org, [...namespaces]]));
}
