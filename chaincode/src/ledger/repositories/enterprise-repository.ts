import { Enterprise, IdentityBinding, StoredBinding } from '../../domain/model';
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

  /**
   * Writes the enterprise and the copy of it that each of its bindings carries, in the same
   * transaction, so the access check can trust the copy (at most MAX_USERS bindings).
   */
  async save(enterprise: Enterprise): Promise<void> {
    await this.store.put(KEY_TYPES.enterprise, [enterprise.id], enterprise);
    this.changes.add('enterprises', enterprise.id, enterprise);
    for (const user of await this.listUsers(enterprise.id)) {
      await this.store.put(KEY_TYPES.identity, [user.mspId, user.clientId], { ...user, enterprise });
    }
  }

  findBinding(mspId: string, clientId: string): Promise<StoredBinding | undefined> {
    return this.store.find(KEY_TYPES.identity, [mspId, clientId], StoredBinding);
  }

  /** Binds a user, its record carrying a copy of `enterprise` (the one it is bound to); answers it as emitted. */
  async bind(binding: IdentityBinding, enterprise: Enterprise): Promise<IdentityBinding> {
    const user = withoutCopy(binding);
    await this.store.put(KEY_TYPES.identity, [user.mspId, user.clientId], { ...user, enterprise });
    await this.store.putIndex(KEY_TYPES.enterpriseIdentity, [user.enterpriseId, user.mspId, user.clientId]);
    this.changes.add('identities', `${user.mspId}/${user.clientId}`, user);
    return user;
  }

  /** Unbinds the user, answering its binding as `bind` emitted it. */
  async unbind(binding: IdentityBinding): Promise<IdentityBinding> {
    const user = withoutCopy(binding);
    await this.store.delete(KEY_TYPES.identity, [user.mspId, user.clientId]);
    await this.store.delete(KEY_TYPES.enterpriseIdentity, [user.enterpriseId, user.mspId, user.clientId]);
    this.changes.add('identities', `${user.mspId}/${user.clientId}`, user);
    return user;
  }

  async listBindings(enterpriseId: string): Promise<{ mspId: string; clientId: string }[]> {
    const bindings: { mspId: string; clientId: string }[] = [];
    for await (const [, mspId, clientId] of this.store.scan(KEY_TYPES.enterpriseIdentity, [enterpriseId])) {
      bindings.push({ mspId: mspId as string, clientId: clientId as string });
    }
    return bindings;
  }

  /** The enterprise's users with their roles (one read per user: an enterprise has at most MAX_USERS). */
  async listUsers(enterpriseId: string): Promise<IdentityBinding[]> {
    const users: IdentityBinding[] = [];
    for (const { mspId, clientId } of await this.listBindings(enterpriseId)) {
      const binding = await this.findBinding(mspId, clientId);
      if (binding) users.push(withoutCopy(binding));
    }
    return users;
  }
}

/** A binding as answered and emitted: the enterprise's copy is the access check's, not news. */
function withoutCopy(binding: IdentityBinding | StoredBinding): IdentityBinding {
  const { enterprise: _copy, ...user } = binding as StoredBinding;
  return user;
}
