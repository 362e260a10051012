import { ScfError } from '../domain/errors';
import type { ConsortiumConfig, Enterprise, IdentityBinding, Role } from '../domain/model';
import type { ConsortiumRepository } from '../ledger/repositories/consortium-repository';
import type { EnterpriseRepository } from '../ledger/repositories/enterprise-repository';
import type { CredentialRepository } from '../ledger/repositories/credential-repository';
import { verifyCredential } from '../domain/credential-rules';
import { requireInBusiness } from './bank-suspension';
import { isTransactionName, policyOf } from './policy';
import type { Signer } from './signer';

export type ActiveEnterprise = Extract<Enterprise, { status: 'ACTIVE' }>;

/** The party a transaction acts for, resolved from the signer alone. */
export type Actor =
  | { readonly kind: 'enterprise'; readonly signer: Signer; readonly enterprise: ActiveEnterprise }
  | { readonly kind: 'admin'; readonly signer: Signer };

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
      if (!binding) {
        // A bound identity, admin or not, acts for its enterprise; only an unbound admin acts as the admin.
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
      const enterprise = await enterpriseOf(binding, enterpriseAttribute, repos.enterprises);
      requireAnyRole(enterprise, policy.roles, transaction);
      requireInBusiness(await repos.consortium.find(), transaction, enterprise.onboardedByMsp);
      await requireCredentials(enterprise, transaction, repos, now);
      return { kind: 'enterprise', signer, enterprise };
    }
  }
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
  binding: IdentityBinding,
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
  const enterprise = await enterprises.get(binding.enterpriseId);
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
