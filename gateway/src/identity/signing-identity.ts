/**
 * A Fabric client identity as the ledger knows it: its MSP, its certificate (PEM), and
 * Fabric's client id for it (`x509::<subject>::<issuer>`), the name the chaincode binds to
 * an enterprise.
 */
export interface CertifiedIdentity {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly clientId: string;
}

/** An identity the gateway holds the private key (PEM) of, and signs with on its user's behalf. */
export interface SigningIdentity extends CertifiedIdentity {
  readonly custody?: 'gateway';
  readonly privateKeyPem: string;
}

/**
 * An identity whose user keeps the private key itself: the gateway has its certificate only,
 * so it cannot sign for it; the user signs each step of the offline flow (services/offline-signing.ts).
 */
export interface SelfHeldIdentity extends CertifiedIdentity {
  readonly custody: 'self';
}

/** A caller's identity, whoever holds its key. */
export type CallerIdentity = SigningIdentity | SelfHeldIdentity;
