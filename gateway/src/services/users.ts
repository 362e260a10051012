import { IdentityAlreadyRegistered, type IdentityIssuer } from '../identity/identity-issuer';
import type { ApiKeyId, PrincipalRegistry, SigningEnterprisePrincipal } from '../identity/principals';
import type { CertifiedIdentity, SigningIdentity } from '../identity/signing-identity';
import type { LedgerBackend } from '../ledger/ledger-backend';
import { ChaincodeRefusal } from '../ledger/ledger-errors';
import { submitAndWait } from './commit-wait';
import { certifyOwnKey } from './own-keys';

export interface UserDeps {
  readonly backend: LedgerBackend;
  readonly issuer: IdentityIssuer;
  readonly principals: PrincipalRegistry;
}

/** A user as `User:List` answers. */
export interface EnterpriseUser {
  readonly enterpriseId: string;
  readonly mspId: string;
  readonly clientId: string;
  readonly role: string;
  readonly [field: string]: unknown;
}

export interface AddedUser {
  readonly user: EnterpriseUser;
  /** The user's first API key: shown once, stored only as a hash. */
  readonly apiKey: string;
  readonly keyId: string;
}

/** The enterprise's users, as the ledger has them (read with the caller's identity, so by the read table). */
export async function usersOf(backend: LedgerBackend, caller: SigningEnterprisePrincipal): Promise<EnterpriseUser[]> {
  const call = { identity: caller.identity, transaction: 'User:List', args: [caller.enterpriseId] };
  return (await backend.evaluate(call)) as EnterpriseUser[];
}

/**
 * The gateway checks the caller is an admin before it asks the CA for anything, so a maker's
 * attempt leaves no enrolled identity behind; the chaincode checks again when it binds.
 */
async function requireAdmin(backend: LedgerBackend, caller: SigningEnterprisePrincipal): Promise<EnterpriseUser[]> {
  const users = await usersOf(backend, caller);
  const self = users.find((u) => u.mspId === caller.identity.mspId && u.clientId === caller.identity.clientId);
  if (self?.role !== 'ADMIN') {
    throw new ChaincodeRefusal('FORBIDDEN', `only an admin user of ${caller.enterpriseId} manages its users`);
  }
  return users;
}

/**
 * An enterprise admin adds a user: the bank's CA enrolls the user's identity (named
 * `<enterprise>.<login>`), the admin binds it with its role (`User:Add`), and the gateway
 * issues the user's first API key. With `csr`, the user keeps its key itself: the CA certifies
 * the key of the user's certificate signing request, and the gateway keeps the certificate
 * only (a self-held identity, which signs through the offline flow). Run again after a
 * failure, it enrolls the name again (same Fabric client id) and finds the binding made.
 */
export async function addUser(
  deps: UserDeps,
  admin: SigningEnterprisePrincipal,
  input: { readonly login: string; readonly role: string; readonly csr?: string },
): Promise<AddedUser> {
  const users = await requireAdmin(deps.backend, admin);
  const name = `${admin.enterpriseId.slice('did:scf:'.length)}.${input.login}`;
  await requireNewUser(deps.principals, users, name);
  const identity =
    input.csr === undefined
      ? await enrollUser(deps.issuer, admin, name)
      : await certifyOwnKey(deps.issuer, {
          mspId: admin.identity.mspId,
          enterpriseId: admin.enterpriseId,
          name,
          csr: input.csr,
          taken: 'resume',
        });
  const user = await bindUser(deps.backend, admin, identity, input.role);
  const key = await deps.principals.issueIdentifiedKey({ ...admin, identity });
  return { user, ...key };
}

/** The common name in a Fabric client id (`x509::<subject>::<issuer>`, the subject as `/C=…/CN=…`). */
const commonNameOf = (clientId: string): string | undefined => /^x509::[^:]*\/CN=([^/:]+)/.exec(clientId)?.[1];

/**
 * A login whose user is bound and has an identity the gateway keeps is taken: enrolling its
 * name again would hand the admin a key (or certificate) acting as that user, around four eyes
 * and around a self-held key. Only an attempt that stopped before its API key was issued is resumed.
 */
async function requireNewUser(
  principals: PrincipalRegistry,
  users: readonly EnterpriseUser[],
  name: string,
): Promise<void> {
  const named = users.filter((u) => commonNameOf(u.clientId) === name);
  const kept = await Promise.all(named.map((u) => principals.inCustody(u.mspId, u.clientId)));
  const taken = kept.some((principal) => principal !== undefined);
  if (taken)
    throw new ChaincodeRefusal(
      'ALREADY_EXISTS',
      `the user ${name} exists already; add the new user under another login`,
    );
}

const userAttributes = (admin: SigningEnterprisePrincipal): Record<string, string> => ({
  'scf.enterpriseId': admin.enterpriseId,
});

function enrollUser(issuer: IdentityIssuer, admin: SigningEnterprisePrincipal, name: string): Promise<SigningIdentity> {
  const attributes = userAttributes(admin);
  return issuer.issue(admin.identity.mspId, name, attributes).catch((error: unknown) => {
    if (error instanceof IdentityAlreadyRegistered) return issuer.reenroll(admin.identity.mspId, name, attributes);
    throw error;
  });
}

async function bindUser(
  backend: LedgerBackend,
  admin: SigningEnterprisePrincipal,
  identity: CertifiedIdentity,
  role: string,
): Promise<EnterpriseUser> {
  const call = { identity: admin.identity, transaction: 'User:Add', args: [identity.mspId, identity.clientId, role] };
  try {
    return (await submitAndWait(backend, call)).result as EnterpriseUser;
  } catch (error) {
    if (!(error instanceof ChaincodeRefusal && error.code === 'ALREADY_EXISTS')) throw error;
    // An earlier attempt bound it: resume with the binding it made, if it is this enterprise's.
    const bound = (await usersOf(backend, admin)).find((u) => u.clientId === identity.clientId);
    if (!bound) throw error;
    return bound;
  }
}

/**
 * An enterprise admin gives one of its users a new API key: for a user who revoked its own
 * (or lost it), whose identity the gateway still keeps.
 */
export async function replacementKey(
  deps: UserDeps,
  admin: SigningEnterprisePrincipal,
  user: { readonly mspId: string; readonly clientId: string },
): Promise<ApiKeyId & { readonly apiKey: string }> {
  const users = await requireAdmin(deps.backend, admin);
  const kept = await deps.principals.inCustody(user.mspId, user.clientId);
  const bound = users.some((u) => u.mspId === user.mspId && u.clientId === user.clientId);
  if (!bound || !kept)
    throw new ChaincodeRefusal('NOT_FOUND', `${user.clientId} is not a user of ${admin.enterpriseId}`);
  return deps.principals.issueIdentifiedKey(kept);
}
