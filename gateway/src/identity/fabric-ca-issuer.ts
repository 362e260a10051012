import type { LocalIdentity } from '@scf/chaincode/engine';
import type { CaProfile } from '../ledger/fabric/connection-profile';
import { FabricCaClient } from './fabric-ca-client';
import type { IdentityIssuer } from './identity-issuer';

/** Registers and enrolls enterprises' identities at their bank's Fabric CA. */
export class FabricCaIssuer implements IdentityIssuer {
  private readonly clients: ReadonlyMap<string, FabricCaClient>;

  constructor(cas: readonly CaProfile[]) {
    this.clients = new Map(cas.map((ca) => [ca.mspId, new FabricCaClient(ca)]));
  }

  issue(mspId: string, name: string, attributes: Readonly<Record<string, string>>): Promise<LocalIdentity> {
    const client = this.clients.get(mspId);
    if (!client) throw new Error(`the connection profile names no Fabric CA for ${mspId}`);
    return client.registerAndEnroll(name, attributes);
  }
}
