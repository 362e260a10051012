import * as x509 from '@peculiar/x509';
import { fabricClientId } from '@scf/chaincode/engine';
import { createPrivateKey, randomBytes, webcrypto } from 'crypto';
import { readFileSync } from 'fs';
import https from 'https';
import type { CaProfile } from './ca-profile';
import { newNativeSigner } from './native-signer';
import type { CertifiedIdentity, SigningIdentity } from './signing-identity';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** An HTTP answer of the CA, read whole. */
interface CaAnswer {
  readonly statusCode: number | undefined;
  readonly body: string;
}

interface CaResponse<T> {
  readonly success: boolean;
  readonly result: T;
  readonly errors: ReadonlyArray<{ readonly code: number; readonly message: string }>;
}

/** Fabric CA refused a request; `code` is the CA's own error code (e.g. 74: already registered). */
export class FabricCaError extends Error {
  constructor(
    readonly caCode: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'FabricCaError';
  }
}

/** The CA could not be reached, did not answer in time, or answered something that is not its API. */
export class FabricCaUnreachable extends FabricCaError {
  constructor(message: string) {
    super(undefined, message);
    this.name = 'FabricCaUnreachable';
  }
}

/** Fabric CA's code for a registration whose name the CA already has. */
export const CA_ALREADY_REGISTERED = 74;

/**
 * A client of one bank's Fabric CA over its REST API: enroll with a secret (with a key pair
 * made here, which never leaves, or a user's own certificate signing request), and register
 * identities as the CA's registrar, whose requests carry Fabric CA's signed token.
 */
export class FabricCaClient {
  private readonly tlsCa: Buffer;
  private registrar: Promise<SigningIdentity> | undefined;

  constructor(private readonly ca: CaProfile) {
    this.tlsCa = readFileSync(ca.tlsRootCertPath);
  }

  get mspId(): string {
    return this.ca.mspId;
  }

  /**
   * Registers a client identity with attributes in its certificates and answers its one-use
   * enrollment secret; a name the CA has is refused (code 74).
   */
  async register(enrollmentId: string, attributes: Readonly<Record<string, string>>): Promise<string> {
    const secret = randomBytes(18).toString('base64url');
    await this.request(
      'POST',
      '/api/v1/register',
      {
        id: enrollmentId,
        type: 'client',
        secret,
        affiliation: '',
        max_enrollments: 1,
        caname: this.ca.caName,
        attrs: caAttributes(attributes),
      },
      { registrar: await this.registrarIdentity() },
    );
    return secret;
  }

  /**
   * A new enrollment secret for a client identity the CA already has, to enroll it once more.
   * Its first secret is lost with the process that chose it, so the registrar gives the
   * registration a new secret (and the attributes) through Fabric CA's identity-modify API.
   * The new certificate has the same subject, so the same Fabric client id: a binding made for
   * the identity on the ledger holds for it. Fabric CA keeps counting enrollments across a
   * modify, so the new secret may enroll without a limit; it is never stored, so nobody can
   * use it again.
   */
  async renewSecret(enrollmentId: string, attributes: Readonly<Record<string, string>>): Promise<string> {
    const secret = randomBytes(18).toString('base64url');
    await this.request(
      'PUT',
      `/api/v1/identities/${encodeURIComponent(enrollmentId)}`,
      {
        type: 'client',
        secret,
        max_enrollments: -1,
        caname: this.ca.caName,
        attrs: caAttributes(attributes),
      },
      { registrar: await this.registrarIdentity() },
    );
    return secret;
  }

  private async registrarIdentity(): Promise<SigningIdentity> {
    this.registrar ??= this.enroll(this.ca.registrar.enrollmentId, this.ca.registrar.enrollmentSecret);
    return this.registrar.catch((error: unknown) => {
      this.registrar = undefined;
      throw error;
    });
  }

  /** Enrolls with a key pair made here, which never leaves: the identity the gateway keeps. */
  async enroll(enrollmentId: string, secret: string): Promise<SigningIdentity> {
    const keys = (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair;
    // Fabric CA insists the request's common name is the enrollment id.
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: [{ CN: [enrollmentId] }],
      keys,
      signingAlgorithm: KEY_ALGORITHM,
    });
    const certified = await this.enrollRequest(enrollmentId, secret, csr.toString('pem'));
    const privateKeyPem = createPrivateKey({
      key: Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
      format: 'der',
      type: 'pkcs8',
    })
      .export({ format: 'pem', type: 'pkcs8' })
      .toString();
    return { ...certified, privateKeyPem };
  }

  /** Enrolls a certificate signing request whose key its requester keeps: only the certificate comes back. */
  async enrollRequest(enrollmentId: string, secret: string, csrPem: string): Promise<CertifiedIdentity> {
    const { Cert } = await this.request<{ Cert: string }>(
      'POST',
      '/api/v1/enroll',
      { certificate_request: csrPem, caname: this.ca.caName },
      { basic: `${enrollmentId}:${secret}` },
    );
    const certificatePem = Buffer.from(Cert, 'base64').toString('utf8');
    return { mspId: this.ca.mspId, certificatePem, clientId: fabricClientId(certificatePem) };
  }

  private async request<T>(
    method: 'POST' | 'PUT',
    uri: string,
    body: unknown,
    auth: { basic: string } | { registrar: SigningIdentity },
  ): Promise<T> {
    const payload = Buffer.from(JSON.stringify(body));
    const authorization =
      'basic' in auth
        ? `Basic ${Buffer.from(auth.basic).toString('base64')}`
        : await token(auth.registrar, method, uri, payload);
    const answer = await this.exchange(method, uri, payload, authorization);
    return this.resultOf<T>(uri, answer);
  }

  /** Sends one request and reads the CA's whole answer; a CA that cannot be reached or does not answer is refused. */
  private exchange(method: 'POST' | 'PUT', uri: string, payload: Buffer, authorization: string): Promise<CaAnswer> {
    return new Promise<CaAnswer>((resolve, reject) => {
      const request = https.request(
        new URL(uri, this.ca.url),
        {
          method,
          ca: this.tlsCa,
          timeout: 15_000,
          headers: { 'content-type': 'application/json', 'content-length': payload.length, authorization },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ statusCode: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }),
          );
        },
      );
      request.on('timeout', () =>
        request.destroy(new Error(`the Fabric CA ${this.ca.caName} did not answer within 15 s`)),
      );
      request.on('error', (error) =>
        reject(new FabricCaUnreachable(`cannot reach the Fabric CA ${this.ca.caName}: ${error.message}`)),
      );
      request.end(payload);
    });
  }

  /** The result the CA answered, or its refusal as a FabricCaError with the CA's code. */
  private resultOf<T>(uri: string, answer: CaAnswer): T {
    let parsed: CaResponse<T>;
    try {
      parsed = JSON.parse(answer.body) as CaResponse<T>;
    } catch {
      throw new FabricCaUnreachable(
        `the Fabric CA ${this.ca.caName} answered ${answer.statusCode} with a body that is not JSON`,
      );
    }
    if (parsed.success) return parsed.result;
    const first = parsed.errors?.[0];
    throw new FabricCaError(
      first?.code,
      `the Fabric CA ${this.ca.caName} refused ${uri}: ${first?.message ?? `HTTP ${answer.statusCode}`}`,
    );
  }
}

const caAttributes = (
  attributes: Readonly<Record<string, string>>,
): Array<{ name: string; value: string; ecert: boolean }> =>
  Object.entries(attributes).map(([name, value]) => ({ name, value, ecert: true }));

/**
 * Fabric CA's authorization token: the caller's certificate and its (low-S) ECDSA signature
 * over `method.b64(uri).b64(body).b64(cert)`, so the CA knows the request comes from the registrar.
 */
async function token(identity: SigningIdentity, method: string, uri: string, body: Buffer): Promise<string> {
  const b64 = (data: Uint8Array | string): string => Buffer.from(data).toString('base64');
  const cert = b64(identity.certificatePem);
  const signature = await newNativeSigner(identity.privateKeyPem)(
    Buffer.from(`${method}.${b64(uri)}.${b64(body)}.${cert}`),
  );
  return `${cert}.${b64(signature)}`;
}
