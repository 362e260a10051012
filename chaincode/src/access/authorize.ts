import { ScfError } from '../domain/errors';
import type { ConsortiumConfig, Enterprise, Role, StoredBinding } from '../domain/model';
import type { ConsortiumRepository } from '../ledger/repositories/consortium-repository';
import type { EnterpriseRepository } from '../ledger/repositories/enterprise-repository';
import type { CredentialRepository } from '../ledger/repositories/credential-repository';
import { verifyCredential } from '../domain/credential-rules';
import { userIdOf } from '../domain/user-rules';
import { isNewBusiness, requireInBusiness } from './bank-suspension';
import { isTransactionName, policyOf, type TransactionName, type TransactionPolicy } from './policy';
import type { Signer } from './signer';
import type { Actor, ActiveEnterprise } from './actor';
import { requireUserRole } from './user-roles';

/**
 * Fabric CA attribute that, when present on a certificate, must name the bound enterprise
 * (its DID, or the part after `did:scf:`).
 */
export const ENTERPRISE_ATTRIBUTE = 'scf.enterpriseId';

export interface AccessRepositories {
  readonly enterprises: EnterpriseRepository;
  readonly consortium: ConsortiumRepository;
  readonly credentials: CredentialRepository;
}

export function actorLabel(actor: Actor): string {
  return actor.kind === 'enterprise' ? actor.enterprise.id : `msp:${actor.signer.mspId}`;
}

/**
 * Resolves the signer to an actor and applies the transaction's policy; the one access gate.
 * UNAUTHENTICATED is kept for a signer the chaincode cannot resolve at all (neither an
 * organisation admin nor bound to an enterprise); a signer it knows but the policy does not
 * name is FORBIDDEN.
 */
export async function authorize(
  transaction: string,
  signer: Signer,
  enterpriseAttribute: string | null,
  repos: AccessRepositories,
  now: string,
  approving = false,
): Promise<Actor> {
  if (!isTransactionName(transaction)) {
    throw new ScfError('FORBIDDEN', `transaction ${transaction} is not open to any caller`);
  }
  const policy = policyOf(transaction);
  switch (policy.kind) {
    case 'bootstrap':
      if (!signer.isOrgAdmin) await refuseNonAdmin(transaction, signer, enterpriseAttribute, repos.enterprises);
      return { kind: 'admin', signer };
    case 'consortium-admin':
      if (!signer.isOrgAdmin) await refuseNonAdmin(transaction, signer, enterpriseAttribute, repos.enterprises);
      requireInBusiness(await requireConsortiumBank(signer, repos.consortium), transaction, signer.mspId);
      return { kind: 'admin', signer };
    case 'enterprise': {
      const binding = await repos.enterprises.findBinding(signer.mspId, signer.clientId);
      if (!binding) return unboundSigner(transaction, signer, policy, repos);
      return actingUser(transaction, { signer, binding, enterpriseAttribute, approving }, repos, now);
    }
  }
}

/** A bound identity, admin or not, acts for its enterprise; only an unbound admin acts as the admin. */
async function unboundSigner(
  transaction: TransactionName,
  signer: Signer,
  policy: Extract<TransactionPolicy, { kind: 'enterprise' }>,
  repos: AccessRepositories,
): Promise<Actor> {
  if (!signer.isOrgAdmin) throw unbound(signer);
  if (!policy.consortiumAdmins) {
    throw new ScfError(
      'FORBIDDEN',
      `${transaction} needs one of the roles ${policy.roles.join(', ')}; ` +
        `an organisation admin of ${signer.mspId} acts for no enterprise`,
    );
  }
  await requireConsortiumBank(signer, repos.consortium);
  return { kind: 'admin', signer };
}

/**
 * The user's binding carries its enterprise's status and roles, so this reads one key; the
 * consortium's rules are read only for new business (bank-suspension.ts).
 */
async function actingUser(
  transaction: TransactionName,
  caller: { signer: Signer; binding: StoredBinding; enterpriseAttribute: string | null; approving: boolean },
  repos: AccessRepositories,
  now: string,
): Promise<Actor> {
  const { signer, binding } = caller;
  const enterprise = await enterpriseOf(binding, caller.enterpriseAttribute, repos.enterprises);
  const policy = policyOf(transaction);
  if (policy.kind === 'enterprise') requireAnyRole(enterprise, policy.roles, transaction);
  if (!caller.approving) requireUserRole(binding.role, transaction);
  if (isNewBusiness(transaction)) {
    requireInBusiness(await repos.consortium.find(), transaction, enterprise.onboardedByMsp);
    await requireCredentials(enterprise, transaction, repos, now);
  }
  return { kind: 'enterprise', signer, enterprise, user: { id: userIdOf(binding), role: binding.role } };
}

/** A signer that is not an admin, on an admin transaction: refused as whoever it resolves to. */
async function refuseNonAdmin(
  transaction: string,
  signer: Signer,
  enterpriseAttribute: string | null,
  enterprises: EnterpriseRepository,
): Promise<never> {
  const binding = await enterprises.findBinding(signer.mspId, signer.clientId);
  if (!binding) throw unbound(signer);
  // A suspended or deactivated enterprise hears that first, as on every other transaction.
  await enterpriseOf(binding, enterpriseAttribute, enterprises);
  throw new ScfError(
    'FORBIDDEN',
    `only an organisation admin may call ${transaction}; ${signer.mspId} client ${signer.clientId} is not one`,
  );
}

async function requireConsortiumBank(signer: Signer, consortium: ConsortiumRepository): Promise<ConsortiumConfig> {
  const config = await consortium.get();
  if (!config.bankMspIds.includes(signer.mspId)) {
    throw new ScfError('FORBIDDEN', `${signer.mspId} is not a consortium bank organisation`);
  }
  return config;
}

function unbound(signer: Signer): ScfError {
  return new ScfError(
    'UNAUTHENTICATED',
    `identity ${signer.clientId} of ${signer.mspId} is not bound to an enterprise; ask your bank to bind it`,
  );
}

async function enterpriseOf(
  binding: StoredBinding,
  enterpriseAttribute: string | null,
  enterprises: EnterpriseRepository,
): Promise<ActiveEnterprise> {
  // Fabric CA's CLI cannot put ':' in an attribute value, so `did:scf:acme` may be enrolled as `acme`.
  const named =
    enterpriseAttribute === null || enterpriseAttribute.startsWith('did:')
      ? enterpriseAttribute
      : `did:scf:${enterpriseAttribute}`;
  if (named !== null && named !== binding.enterpriseId) {
    throw new ScfError(
      'FORBIDDEN',
      `the certificate names enterprise ${enterpriseAttribute} but is bound to ${binding.enterpriseId}`,
    );
  }
  const enterprise = binding.enterprise ?? (await enterprises.get(binding.enterpriseId));
  switch (enterprise.status) {
    case 'ACTIVE':
      return enterprise;
    case 'SUSPENDED':
      throw new ScfError(
        'ENTERPRISE_SUSPENDED',
        `enterprise ${enterprise.id} is suspended: ${enterprise.suspensionReason}`,
      );
    case 'DEACTIVATED':
      throw new ScfError(
        'ENTERPRISE_DEACTIVATED',
        `enterprise ${enterprise.id} was deactivated: ${enterprise.deactivationReason}`,
      );
  }
}

function requireAnyRole(enterprise: Enterprise, roles: readonly Role[], transaction: string): void {
  if (!enterprise.roles.some((role) => roles.includes(role))) {
    throw new ScfError(
      'FORBIDDEN',
      `${transaction} needs one of the roles ${roles.join(', ')}; ${enterprise.id} has ${enterprise.roles.join(', ')}`,
    );
  }
}

/**
 * The consortium may require, per transaction, that the acting enterprise hold a valid
 * credential of given types (e.g. a bank's KYC before applying for financing).
 */
async function requireCredentials(
  enterprise: ActiveEnterprise,
  transaction: string,
  repos: AccessRepositories,
  now: string,
): Promise<void> {
  const required = (await repos.consortium.find())?.credentialPolicy[transaction] ?? [];
  for (const type of required) {
    const held = await repos.credentials.ofSubject(enterprise.id, type);
    const issuers = await Promise.all(held.map((c) => repos.enterprises.find(c.issuerId)));
    if (!held.some((credential, i) => verifyCredential(credential, issuers[i], now) === 'VALID')) {
      throw new ScfError(
        'CREDENTIAL_REQUIRED',
        `${transaction} requires a valid ${type} credential, which ${enterprise.id} does not hold`,
      );
    }
  }
}
