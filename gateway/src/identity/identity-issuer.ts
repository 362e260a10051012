import type { LocalIdentity } from '@scf/chaincode/engine';

/**
 * Where enterprises' Fabric identities come from: each bank's Fabric CA on the fabric
 * backend, a local CA per bank on the embedded one. The gateway keeps the identity (its
 * private key included) as the enterprise's custodian and signs with it.
 */
export interface IdentityIssuer {
  /** A new client identity of the bank's MSP; `name` is its subject CN, unique at that CA; `attributes` go in the certificate. */
  issue(mspId: string, name: string, attributes: Readonly<Record<string, string>>): Promise<LocalIdentity>;
}
