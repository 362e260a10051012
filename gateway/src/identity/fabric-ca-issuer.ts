import type { CaProfile } from './ca-profile';
import { CA_ALREADY_REGISTERED, FabricCaClient, FabricCaError } from './fabric-ca-client';
import { IdentityAlreadyRegistered, type IdentityIssuer } from './identity-issuer';
import type { SigningIdentity } from './signing-identity';

/** Registers and enrolls enterprises' identities at their bank's Fabric CA. */
export class FabricCaIssuer implements IdentityIssuer {
  private readonly clients: ReadonlyMap<string, FabricCaClient>;

  constructor(cas: readonly CaProfile[]) {
    this.clients = new Map(cas.map((ca) => [ca.mspId, new FabricCaClient(ca)]));
  }

  async issue(mspId: string, name: string, attributes: Readonly<Record<string, string>>): Promise<SigningIdentity> {
    try {
      return await this.client(mspId).registerAndEnroll(name, attributes);
    } catch (error) {
      if (error instanceof FabricCaError && error.caCode === CA_ALREADY_REGISTERED)
        throw new IdentityAlreadyRegistered(mspId, name);
      throw error;
    }
  }

  reenroll(mspId: string, name: string, attributes: Readonly<Record<string, string>>): Promise<SigningIdentity> {
    return this.client(mspId).reenroll(name, attributes);
  }

  private client(mspId: string): FabricCaClient {
    const client = this.clients.get(mspId);
    if (!client) throw new Error(`the connection profile names no Fabric CA for ${mspId}`);
    return client;
  }
}
