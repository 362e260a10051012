import { certificateRequestKey, certificateRequestName, CertificateRequestRefused } from '@scf/chaincode/engine';
import { IdentityAlreadyRegistered, type IdentityIssuer } from '../identity/identity-issuer';
import type { SelfHeldIdentity } from '../identity/signing-identity';
import { ChaincodeRefusal } from '../ledger/ledger-errors';

/** What the bank's CA is asked to certify: a user's own request for an identity of the enterprise. */
export interface OwnKeyRequest {
  readonly mspId: string;
  readonly enterpriseId: string;
  /** The enrollment name, which the request's common name must be. */
  readonly name: string;
  readonly csr: string;
  /**
   * A name the CA has already: `resume` enrolls it again (an earlier attempt of the same flow
   * registered it and stopped), `refuse` answers 409 (the name is someone else's).
   */
  readonly taken: 'resume' | 'refuse';
}

/** A request's refusal as the caller's mistake (400), a taken name as 409; anything else stays as it is. */
function refused(error: unknown): never {
  if (error instanceof CertificateRequestRefused) throw new ChaincodeRefusal('INVALID_ARGUMENT', error.message);
  if (error instanceof IdentityAlreadyRegistered)
    throw new ChaincodeRefusal('ALREADY_EXISTS', `${error.message}: make the request with another common name`);
  throw error;
}

/**
 * The name a rotation's request asks for: the enterprise's (`<enterprise>.<anything>`, at most
 * Fabric CA's 64 characters).
 */
export function requestedName(csr: string, enterpriseId: string): string {
  let name: string;
  try {
    name = certificateRequestName(csr);
  } catch (error) {
    return refused(error);
  }
  const prefix = `${enterpriseId.slice('did:scf:'.length)}.`;
  if (!name.startsWith(prefix) || name.length > 64)
    throw new ChaincodeRefusal(
      'INVALID_ARGUMENT',
      `the request's common name must be ${prefix}<name>, at most 64 characters`,
    );
  return name;
}

/**
 * The bank's CA certifies the key of a user's own certificate signing request; the private key
 * never comes here, and the gateway keeps the certificate only (a self-held identity). The
 * request is checked first (signed by its key, named as the enrollment), so a bad one asks no CA.
 */
export async function certifyOwnKey(issuer: IdentityIssuer, request: OwnKeyRequest): Promise<SelfHeldIdentity> {
  const { mspId, enterpriseId, name, csr } = request;
  await certificateRequestKey(csr, name).catch(refused);
  const attributes = { 'scf.enterpriseId': enterpriseId };
  const certified = await issuer.certify(mspId, name, attributes, csr).catch((error: unknown) => {
    if (error instanceof IdentityAlreadyRegistered && request.taken === 'resume')
      return issuer.recertify(mspId, name, attributes, csr);
    return refused(error);
  });
  return {
    mspId: certified.mspId,
    certificatePem: certified.certificatePem,
    clientId: certified.clientId,
    custody: 'self',
  };
}
