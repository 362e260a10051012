import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'crypto';
import { ClientIdentity } from 'fabric-shim';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** Fabric CA's extension carrying enrollment attributes as JSON: {"attrs": {...}}. */
const FABRIC_ATTRS_OID = '1.2.3.4.5.6.7.8.1';

export type IdentityType = 'client' | 'admin' | 'peer' | 'orderer';

/** An X.509 identity with its private key, shaped like a Fabric wallet entry. */
export interface LocalIdentity {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /** Fabric's client id for the certificate: `x509::<subject>::<issuer>`. */
  readonly clientId: string;
}

export interface IssueOptions {
  readonly commonName: string;
  readonly type?: IdentityType;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** A certificate signing request the CA will not certify; the message says why. */
export class CertificateRequestRefused extends Error {
  constructor(reason: string) {
    super(`the certificate signing request is refused: ${reason}`);
    this.name = 'CertificateRequestRefused';
  }
}

function parseRequest(csrPem: string): x509.Pkcs10CertificateRequest {
  try {
    return new x509.Pkcs10CertificateRequest(csrPem);
  } catch {
    throw new CertificateRequestRefused('it is not a PEM PKCS#10 request');
  }
}

/** The common name a certificate signing request asks for (the enrollment name it must be enrolled under). */
export function certificateRequestName(csrPem: string): string {
  const named = parseRequest(csrPem).subjectName.getField('CN')[0];
  if (named === undefined) throw new CertificateRequestRefused('it names no common name');
  return named;
}

/**
 * The P-256 public key of a certificate signing request, once the request is one a CA takes:
 * its signature verifies (its requester holds the private key) and its common name is the
 * enrollment name, as Fabric CA insists. The gateway checks a user's request with it before it
 * asks any CA, and the local CA again when it certifies.
 */
export async function certificateRequestKey(csrPem: string, commonName: string): Promise<webcrypto.CryptoKey> {
  const request = parseRequest(csrPem);
  const named = request.subjectName.getField('CN')[0];
  if (named !== commonName)
    throw new CertificateRequestRefused(`its common name must be ${commonName}, not ${named ?? 'absent'}`);
  const key = await request.publicKey.export(ALGORITHM, ['verify']).catch(() => undefined);
  if (!key) throw new CertificateRequestRefused('its key must be ECDSA on P-256');
  if (!(await request.verify().catch(() => false)))
    throw new CertificateRequestRefused('its signature does not verify');
  return key;
}

/**
 * An ECDSA P-256 certificate authority for one MSP, issuing identities the way Fabric CA
 * does (OU by identity type, enrollment attributes in an extension). It backs the
 * embedded ledger and the tests: real certificates that fabric-shim parses as a peer would.
 */
export class LocalCertificateAuthority {
  private constructor(
    readonly mspId: string,
    private readonly caCertificate: x509.X509Certificate,
    private readonly caKeys: webcrypto.CryptoKeyPair,
  ) {}

  static async create(mspId: string, organisation = mspId): Promise<LocalCertificateAuthority> {
    const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: `C=CN, O=${organisation}, CN=ca.${organisation.toLowerCase()}`,
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date('2044-01-01T00:00:00Z'),
      keys,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    });
    return new LocalCertificateAuthority(mspId, certificate, keys);
  }

  get certificatePem(): string {
    return this.caCertificate.toString('pem');
  }

  /** The CA's certificate and PKCS#8 key, for a development ledger that must issue again after a restart. */
  async export(): Promise<{ mspId: string; certificatePem: string; privateKeyPkcs8: string; publicKeySpki: string }> {
    return {
      mspId: this.mspId,
      certificatePem: this.certificatePem,
      privateKeyPkcs8: Buffer.from(await webcrypto.subtle.exportKey('pkcs8', this.caKeys.privateKey)).toString(
        'base64',
      ),
      publicKeySpki: Buffer.from(await webcrypto.subtle.exportKey('spki', this.caKeys.publicKey)).toString('base64'),
    };
  }

  static async restore(
    saved: Awaited<ReturnType<LocalCertificateAuthority['export']>>,
  ): Promise<LocalCertificateAuthority> {
    const privateKey = await webcrypto.subtle.importKey(
      'pkcs8',
      Buffer.from(saved.privateKeyPkcs8, 'base64'),
      ALGORITHM,
      true,
      ['sign'],
    );
    const publicKey = await webcrypto.subtle.importKey(
      'spki',
      Buffer.from(saved.publicKeySpki, 'base64'),
      ALGORITHM,
      true,
      ['verify'],
    );
    return new LocalCertificateAuthority(saved.mspId, new x509.X509Certificate(saved.certificatePem), {
      privateKey,
      publicKey,
    });
  }

  async issue(options: IssueOptions): Promise<LocalIdentity> {
    const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const certificatePem = await this.certificateFor(keys.publicKey, options);
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
    return {
      mspId: this.mspId,
      certificatePem,
      privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`,
      clientId: fabricClientId(certificatePem),
    };
  }

  /** Certifies the key of a certificate signing request; the private key stays with its requester. */
  async certify(csrPem: string, options: IssueOptions): Promise<Omit<LocalIdentity, 'privateKeyPem'>> {
    const publicKey = await certificateRequestKey(csrPem, options.commonName);
    const certificatePem = await this.certificateFor(publicKey, options);
    return { mspId: this.mspId, certificatePem, clientId: fabricClientId(certificatePem) };
  }

  private async certificateFor(publicKey: webcrypto.CryptoKey, options: IssueOptions): Promise<string> {
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ];
    if (options.attributes) {
      extensions.push(
        new x509.Extension(FABRIC_ATTRS_OID, false, Buffer.from(JSON.stringify({ attrs: options.attributes }), 'utf8')),
      );
    }
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: `C=CN, O=${this.mspId}, OU=${options.type ?? 'client'}, CN=${options.commonName}`,
      issuer: this.caCertificate.subject,
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date('2044-01-01T00:00:00Z'),
      signingKey: this.caKeys.privateKey,
      publicKey,
      signingAlgorithm: ALGORITHM,
      extensions,
    });
    return certificate.toString('pem');
  }
}

function randomSerial(): string {
  return webcrypto.getRandomValues(new Uint8Array(16)).reduce((hex, b) => hex + b.toString(16).padStart(2, '0'), '7');
}

/** Computes the id fabric-shim's ClientIdentity gives a certificate, so bindings can be made ahead of use. */
export function fabricClientId(certificatePem: string): string {
  const stub = {
    getChannelID: () => '',
    getTxID: () => '',
    getCreator: () => ({ mspid: '', idBytes: Buffer.from(certificatePem) }),
  };
  return new ClientIdentity(stub as never).getID();
}
