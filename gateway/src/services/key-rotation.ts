import { randomBytes } from 'crypto';
import type { IdentityIssuer } from '../identity/identity-issuer';
import type { Principal, PrincipalRegistry } from '../identity/principals';
import type { LedgerBackend, SubmitOutcome } from '../ledger/ledger-backend';
import { submitAndWait } from './commit-wait';

export interface KeyRotationDeps {
  readonly backend: LedgerBackend;
  readonly issuer: IdentityIssuer;
  readonly principals: PrincipalRegistry;
}

type EnterprisePrincipal = Extract<Principal, { kind: 'enterprise' }>;

/**
 * Key rotation: the enterprise's bank CA enrolls a new identity, the old identity signs
 * the rotation on the ledger, and the enterprise's API keys then sign with the new one.
 */
export async function rotateKey(deps: KeyRotationDeps, principal: EnterprisePrincipal): Promise<SubmitOutcome> {
  const current = principal.identity;
  // A CA names each identity once, so every rotation enrolls under a fresh name (Fabric CA allows 64 characters).
  const name = `${principal.enterpriseId.slice('did:scf:'.length, 50)}.${randomBytes(6).toString('hex')}`;
  const next = await deps.issuer.issue(current.mspId, name, { 'scf.enterpriseId': principal.enterpriseId });
  const rotated = await submitAndWait(deps.backend, { identity: current, transaction: 'Identity:RotateKey', args: [next.clientId] });
  await deps.principals.replaceIdentity(current, next);
  return rotated;
}
