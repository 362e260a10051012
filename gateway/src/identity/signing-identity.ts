/**
 * An X.509 identity the gateway holds and signs with on a caller's behalf: its MSP, its
 * certificate and private key (PEM), and Fabric's client id for it
 * (`x509::<subject>::<issuer>`), the name the chaincode binds to an enterprise.
 */
export interface SigningIdentity {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly clientId: string;
}
