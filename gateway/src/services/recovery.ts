import { randomBytes } from 'crypto';
import type { IdentityIssuer } from '../identity/identity-issuer';
import { type ApiKeyId, type Principal, type PrincipalRegistry, signingPrincipal } from '../identity/principals';
import type { LedgerBackend } from '../ledger/ledger-backend';
import { ChaincodeRefusal } from '../ledger/ledger-errors';

export interface RecoveryDeps {
  readonly backend: LedgerBackend;
  readonly issuer: IdentityIssuer;
  readonly principals: PrincipalRegistry;
}

type BankAdmin = Extract<Principal, { kind: 'admin' }>;

/** What a guardian proposes: the identity the bank enrolled for the locked-out enterprise. */
export interface PreparedRecovery {
  readonly enterpriseId: string;
  readonly newMspId: string;
  readonly newClientId: string;
}

export interface CompletedRecovery extends ApiKeyId {
  readonly enterpriseId: string;
  readonly recoveryId: string;
  /** The enterprise's new admin user: the identity the recovery bound. */
  readonly user: { readonly mspId: string; readonly clientId: string; readonly role: 'ADMIN' };
  /** Shown once, stored only as a hash. */
  readonly apiKey: string;
  /** API keys of identities the recovery unbound, which the gateway withdrew. */
  readonly revokedKeys: number;
}

interface EnterpriseRecord {
  readonly id: string;
  readonly status: string;
  readonly roles: readonly string[];
  readonly onboardedByMsp: string;
  readonly guardians?: unknown;
}

interface RecoveryRecord {
  readonly id: string;
  readonly status: string;
  readonly newMspId: string;
  readonly newClientId: string;
}

/**
 * A locked-out enterprise (every key lost or revoked) gets its access back in three steps,
 * and its bank alone can take none of them for it:
 * 1. its bank's gateway enrolls a new identity at the bank's CA and keeps it (`prepareRecovery`);
 * 2. M of the N guardians the enterprise named propose and approve binding that identity
 *    (`Identity:ProposeRecovery` / `ApproveRecovery`, each from its own gateway);
 * 3. once the recovery completed on the ledger, the bank's gateway issues the new admin user's
 *    API key and withdraws every key of the old identities (`completeRecovery`).
 */
export async function prepareRecovery(
  deps: RecoveryDeps,
  bank: BankAdmin,
  enterpriseId: string,
): Promise<PreparedRecovery> {
  const enterprise = await enterpriseOf(deps.backend, bank, enterpriseId);
  if (enterprise.status === 'DEACTIVATED')
    throw new ChaincodeRefusal(
      'INVALID_STATE',
      `enterprise ${enterpriseId} is deactivated: there is nothing to recover`,
    );
  if (!enterprise.guardians)
    throw new ChaincodeRefusal(
      'INVALID_STATE',
      `enterprise ${enterpriseId} named no guardians, so no recovery can complete: it must be onboarded again`,
    );
  // Each recovery enrolls under a fresh CA name, so a retried or a second recovery never collides.
  const name = `${enterpriseId.slice('did:scf:'.length, 40)}.recovered.${randomBytes(6).toString('hex')}`;
  const identity = await deps.issuer.issue(bank.mspId, name, { 'scf.enterpriseId': enterpriseId });
  // Kept before any guardian hears of it: a recovery that completes must find its key here.
  await deps.principals.keep({ kind: 'enterprise', enterpriseId, roles: enterprise.roles, identity });
  return { enterpriseId, newMspId: identity.mspId, newClientId: identity.clientId };
}

export async function completeRecovery(
  deps: RecoveryDeps,
  bank: BankAdmin,
  enterpriseId: string,
): Promise<CompletedRecovery> {
  const enterprise = await enterpriseOf(deps.backend, bank, enterpriseId);
  const recovery = (await deps.backend.evaluate({
    identity: bank.identity,
    transaction: 'Identity:GetRecovery',
    args: [enterpriseId],
  })) as RecoveryRecord;
  if (recovery.status !== 'COMPLETED')
    throw new ChaincodeRefusal(
      'INVALID_STATE',
      `recovery ${recovery.id} of ${enterpriseId} is ${recovery.status}: its guardians must approve it first`,
    );
  const found = await deps.principals.inCustody(recovery.newMspId, recovery.newClientId);
  // The gateway enrolled it and holds its key: it signs the new admin's first read below.
  const kept = found && signingPrincipal(found);
  if (kept?.kind !== 'enterprise' || kept.enterpriseId !== enterpriseId)
    throw new ChaincodeRefusal(
      'NOT_FOUND',
      `the identity recovery ${recovery.id} bound was not enrolled by this gateway: ` +
        'complete it at the gateway that prepared it',
    );
  const admin = { ...kept, roles: enterprise.roles };
  // Read as the new admin: only identities the enterprise still binds keep their keys, so
  // completing again later never touches users the new admin added since.
  const users = (await deps.backend.evaluate({
    identity: admin.identity,
    transaction: 'User:List',
    args: [enterpriseId],
  })) as ReadonlyArray<{ readonly mspId: string; readonly clientId: string }>;
  const revokedKeys = await deps.principals.revokeAllBut(enterpriseId, users);
  const key = await deps.principals.issueIdentifiedKey(admin);
  return {
    enterpriseId,
    recoveryId: recovery.id,
    user: { mspId: admin.identity.mspId, clientId: admin.identity.clientId, role: 'ADMIN' },
    revokedKeys,
    ...key,
  };
}

/** The enterprise, which only the bank that onboarded it may recover. */
async function enterpriseOf(backend: LedgerBackend, bank: BankAdmin, enterpriseId: string): Promise<EnterpriseRecord> {
  const enterprise = (await backend.evaluate({
    identity: bank.identity,
    transaction: 'Enterprise:Get',
    args: [enterpriseId],
  })) as EnterpriseRecord;
  if (enterprise.onboardedByMsp !== bank.mspId)
    throw new ChaincodeRefusal(
      'FORBIDDEN',
      `enterprise ${enterpriseId} is a customer of ${enterprise.onboardedByMsp}: its gateway recovers it`,
    );
  return enterprise;
}
