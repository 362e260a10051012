import type { CertifiedIdentity, SigningIdentity } from './signing-identity';

/**
 * Where enterprises' Fabric identities come from: each bank's Fabric CA on the fabric
 * backend, a local CA per bank on the embedded one. The gateway keeps the identity (its
 * private key included) as the enterprise's custodian and signs with it.
 */
export interface IdentityIssuer {
  /**
   * A new client identity of the bank's MSP; `name` is its subject CN; `attributes` go in
   * the certificate. A name the CA already has is refused with IdentityAlreadyRegistered
   * (Fabric CA's code 74), as a CA registers each name once.
   */
  issue(mspId: string, name: string, attributes: Readonly<Record<string, string>>): Promise<SigningIdentity>;
  /**
   * The identity of a name the CA already has, enrolled again: a new key pair and
   * certificate with the same subject, so the same Fabric client id (`x509::<subject>::<issuer>`).
   * For a flow that registered the name and lost the identity (a failure or a crash
   * before it was kept).
   */
  reenroll(mspId: string, name: string, attributes: Readonly<Record<string, string>>): Promise<SigningIdentity>;
  /**
   * As `issue`, for a user who keeps its key: the CA certifies the key of the user's certificate
   * signing request (whose common name must be `name`); no private key comes to the gateway.
   */
  certify(
    mspId: string,
    name: string,
    attributes: Readonly<Record<string, string>>,
    csrPem: string,
  ): Promise<CertifiedIdentity>;
  /** As `reenroll`, for a certificate signing request. */
  recertify(
    mspId: string,
    name: string,
    attributes: Readonly<Record<string, string>>,
    csrPem: string,
  ): Promise<CertifiedIdentity>;
}

/** The CA already has an identity of this name. */
export class IdentityAlreadyRegistered extends Error {
  constructor(
    readonly mspId: string,
    readonly enrollmentId: string,
  ) {
    super(`the CA of ${mspId} already has an identity named ${enrollmentId}`);
  }
}
