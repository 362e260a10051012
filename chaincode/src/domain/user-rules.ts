import { ScfError } from './errors';
import type { IdentityBinding, UserRole } from './model';
import { MAX_USERS } from './vocabulary';

/** The user a binding stands for: it outlives a key rotation, so four eyes tell users apart, not keys. */
export function userIdOf(binding: IdentityBinding): string {
  return binding.userId ?? `${binding.mspId}/${binding.clientId}`;
}

export function requireRoomForUser(users: readonly IdentityBinding[], enterpriseId: string): void {
  if (users.length >= MAX_USERS) {
    throw new ScfError(
      'LIMIT_EXCEEDED',
      `${enterpriseId} already has ${MAX_USERS} users, the most an enterprise may have`,
    );
  }
}

/** The user must be one of the enterprise's: an admin manages its own enterprise's users only. */
export function requireUserOf(
  binding: IdentityBinding | undefined,
  enterpriseId: string,
  who: string,
): IdentityBinding {
  if (!binding || binding.enterpriseId !== enterpriseId) {
    throw new ScfError('NOT_FOUND', `${who} is not a user of ${enterpriseId}`);
  }
  return binding;
}

/**
 * An enterprise keeps at least one admin, or nobody could manage its users again (its bank
 * would have to bind a new first admin).
 */
export function requireAnAdminRemains(
  users: readonly IdentityBinding[],
  changed: IdentityBinding,
  newRole: UserRole | null,
): void {
  const admins = users.filter((u) => u.role === 'ADMIN' && userIdOf(u) !== userIdOf(changed));
  if (admins.length === 0 && newRole !== 'ADMIN') {
    throw new ScfError('INVALID_STATE', `${changed.enterpriseId} would be left without an admin user`);
  }
}
