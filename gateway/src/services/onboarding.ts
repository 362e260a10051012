import type { LocalIdentity } from '@scf/chaincode/engine';
import type { IdentityIssuer } from '../identity/identity-issuer';
import type { PrincipalRegistry } from '../identity/principals';
import type { LedgerBackend } from '../ledger/ledger-backend';
import { submitAndWait } from './commit-wait';

/** What a bank knows of a new customer. */
export interface NewEnterprise {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly registrationNumber: string;
}

/** The bank admin who onboards: its customers' identities come from its own CA. */
export interface OnboardingAdmin {
  readonly mspId: string;
  readonly identity: LocalIdentity;
}

export interface OnboardingDeps {
  readonly backend: LedgerBackend;
  readonly issuer: IdentityIssuer;
  readonly principals: PrincipalRegistry;
}

export interface Onboarded {
  readonly enterprise: unknown;
  readonly identity: LocalIdentity;
  /** The new enterprise's first API key: shown to the caller once, stored only as a hash. */
  readonly apiKey: string;
}

/**
 * Onboarding (the one flow for the REST route, the demo seed and the benchmark): the
 * bank's CA enrolls the enterprise's identity, the admin registers the enterprise and
 * binds that identity on the ledger, and the gateway issues its first API key.
 */
export async function onboardEnterprise(deps: OnboardingDeps, admin: OnboardingAdmin, input: NewEnterprise): Promise<Onboarded> {
  const { backend, issuer, principals } = deps;
  const identity = await issuer.issue(admin.mspId, input.id.slice('did:scf:'.length), { 'scf.enterpriseId': input.id });
  const registered = await submitAndWait(backend, { identity: admin.identity, transaction: 'Enterprise:Register',
    args: [input.id, input.name, JSON.stringify(input.roles)], transient: { registrationNumber: input.registrationNumber } });
  await submitAndWait(backend, { identity: admin.identity, transaction: 'Enterprise:BindIdentity', args: [input.id, admin.mspId, identity.clientId] });
  const apiKey = await principals.issueKey({ kind: 'enterprise', enterpriseId: input.id, roles: input.roles, identity });
  return { enterprise: registered.result, identity, apiKey };
}
