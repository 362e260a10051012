import type { CaProfile } from './ca-profile';
import { CA_ALREADY_REGISTERED, FabricCaClient, FabricCaError } from './fabric-ca-client';
import { IdentityAlreadyRegistered, type IdentityIssuer } from './identity-issuer';
import type { CertifiedIdentity, SigningIdentity } from './signing-identity';

/** Registers and enrolls enterprises' identities at their bank's Fabric CA. */
export class FabricCaIssuer implements IdentityIssuer {
  private readonly clients: ReadonlyMap<string, FabricCaClient>;

  constructor(cas: readonly CaProfile[]) {
    this.clients = new Map(cas.map((ca) => [ca.mspId, new FabricCaClient(ca)]));
  }

  async issue(mspId: string, name: string, attributes: Readonly<Record<string, string>>): Promise<SigningIdentity> {
    const client = this.client(mspId);
    return client.enroll(name, await this.register(client, name, attributes));
  }

  async reenroll(mspId: string, name: string, attributes: Readonly<Record<string, string>>): Promise<SigningIdentity> {
    const client = this.client(mspId);
    return client.enroll(name, await client.renewSecret(name, attributes));
  }

  async certify(
    mspId: string,
    name: string,
    attributes: Readonly<Record<string, string>>,
    csrPem: string,
  ): Promise<CertifiedIdentity> {
    const client = this.client(mspId);
    return client.enrollRequest(name, await this.register(client, name, attributes), csrPem);
  }

  async recertify(
    mspId: string,
    name: string,
    attributes: Readonly<Record<string, string>>,
    csrPem: string,
  ): Promise<CertifiedIdentity> {
    const client = this.client(mspId);
    return client.enrollRequest(name, await client.renewSecret(name, attributes), csrPem);
  }

  /** Registers the name and answers its enrollment secret; a name the CA has is IdentityAlreadyRegistered. */
  private async register(
    client: FabricCaClient,
    name: string,
    attributes: Readonly<Record<string, string>>,
  ): Promise<string> {
    try {
      return await client.register(name, attributes);
    } catch (error) {
      if (error instanceof FabricCaError && error.caCode === CA_ALREADY_REGISTERED)
        throw new IdentityAlreadyRegistered(client.mspId, name);
      throw error;
    }
  }

  private client(mspId: string): FabricCaClient {
    const client = this.clients.get(mspId);
    if (!client) throw new Error(`the connection profile names no Fabric CA for ${mspId}`);
    return client;
  }
}
