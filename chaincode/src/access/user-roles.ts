import { ScfError } from '../domain/errors';
import type { UserRole } from '../domain/model';
import type { TransactionName } from './policy';
import { READ_TABLE } from './read-policy';

/**
 * Which users of an enterprise may call what the enterprise may call (policy.ts says which
 * enterprises): every user reads; admins, makers and checkers write; only admins manage the
 * enterprise's users, propose its four-eyes policy, name its guardians and cancel a recovery;
 * only checkers decide another user's instruction (four eyes).
 */
const ONLY: Partial<Readonly<Record<TransactionName, readonly UserRole[]>>> = {
  'User:Add': ['ADMIN'],
  'User:SetRole': ['ADMIN'],
  'User:Remove': ['ADMIN'],
  'Instruction:SetPolicy': ['ADMIN'],
  'Identity:SetGuardians': ['ADMIN'],
  'Identity:CancelRecovery': ['ADMIN'],
  'Instruction:Approve': ['CHECKER'],
  'Instruction:Reject': ['CHECKER'],
};
const WRITERS: readonly UserRole[] = ['ADMIN', 'MAKER', 'CHECKER'];
const EVERY_USER: readonly UserRole[] = ['ADMIN', 'MAKER', 'CHECKER', 'VIEWER'];

export function userRolesOf(transaction: TransactionName): readonly UserRole[] {
  if (Object.prototype.hasOwnProperty.call(READ_TABLE, transaction)) return EVERY_USER;
  return ONLY[transaction] ?? WRITERS;
}

export function requireUserRole(role: UserRole, transaction: TransactionName): void {
  const allowed = userRolesOf(transaction);
  if (!allowed.includes(role)) {
    throw new ScfError(
      'FORBIDDEN',
      `${transaction} needs a user with the role ${allowed.join(' or ')}; this one is ${role}`,
    );
  }
}
