import { Enterprise, IdentityBinding } from '../../domain/model';
import type { ChangeSet } from '../change-set';
import { KEY_TYPES } from '../keys';
import type { LedgerStore } from '../ledger-store';

export class EnterpriseRepository {
  constructor(
    private readonly store: LedgerStore,
    private readonly changes: ChangeSet,
  ) {}

  find(id: string): Promise<Enterprise | undefined> {
    return this.store.find(KEY_TYPES.enterprise, [id], Enterprise);
  }

  get(id: string): Promise<Enterprise> {
    return this.store.get(KEY_TYPES.enterprise, [id], Enterprise, 'enterprise');
  }

  async save(enterprise: Enterprise): Promise<void> {
    await this.store.put(KEY_TYPES.enterprise, [enterprise.id], enterprise);
    this.changes.add('enterprises', enterprise.id, enterprise);
  }

  findBinding(mspId: string, clientId: string): Promise<IdentityBinding | undefined> {
    return this.store.find(KEY_TYPES.identity, [mspId, clientId], IdentityBinding);
  }

  async bind(binding: IdentityBinding): Promise<void> {
    await this.store.put(KEY_TYPES.identity, [binding.mspId, binding.clientId], binding);
    await this.store.putIndex(KEY_TYPES.enterpriseIdentity, [binding.enterpriseId, binding.mspId, binding.clientId]);
    this.changes.add('identities', `${binding.mspId}/${binding.clientId}`, binding);
  }

  async unbind(binding: IdentityBinding): Promise<void> {
    await this.store.delete(KEY_TYPES.identity, [binding.mspId, binding.clientId]);
    await this.store.delete(KEY_TYPES.enterpriseIdentity, [binding.enterpriseId, binding.mspId, binding.clientId]);
    this.changes.add('identities', `${binding.mspId}/${binding.clientId}`, binding);
  }

  async listBindings(enterpriseId: string): Promise<{ mspId: string; clientId: string }[]> {
    const bindings: { mspId: string; clientId: string }[] = [];
    for await (const [, mspId, clientId] of this.store.scan(KEY_TYPES.enterpriseIdentity, [enterpriseId])) {
      bindings.push({ mspId: mspId as string, clientId: clientId as string });
    }
    return bindings;
  }
}
