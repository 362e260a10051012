import type { ClientIdentity } from 'fabric-shim-api';

/** Who signed the proposal, as the peer's MSP authenticated it: never taken from arguments. */
export interface Signer {
  readonly mspId: string;
  /** Fabric's `x509::<subject DN>::<issuer DN>` for the signing certificate. */
  readonly clientId: string;
  /** An organisation admin: OU=admin (Fabric NodeOUs) or a Fabric CA `hf.Type` of admin. */
  readonly isOrgAdmin: boolean;
}

export function signerOf(identity: ClientIdentity): Signer {
  const clientId = identity.getID();
  const subject = clientId.split('::')[1] ?? '';
  const hasAdminOu = /\/OU=admin(\/|$)/.test(subject);
  return {
    mspId: identity.getMSPID(),
    clientId,
    isOrgAdmin: hasAdminOu || identity.getAttributeValue('hf.Type') === 'admin',
  };
}
