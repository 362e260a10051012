import { registrationNumberHash } from '@scf/chaincode';
import { IdentityAlreadyRegistered, type IdentityIssuer } from '../identity/identity-issuer';
import type { PrincipalRegistry } from '../identity/principals';
import type { SigningIdentity } from '../identity/signing-identity';
import type { LedgerBackend } from '../ledger/ledger-backend';
import { ChaincodeRefusal } from '../ledger/ledger-errors';
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
  readonly identity: SigningIdentity;
}

export interface OnboardingDeps {
  readonly backend: LedgerBackend;
  readonly issuer: IdentityIssuer;
  readonly principals: PrincipalRegistry;
}

export interface Onboarded {
  readonly enterprise: unknown;
  readonly identity: SigningIdentity;
  /** The new enterprise's first API key: shown to the caller once, stored only as a hash. */
  readonly apiKey: string;
}

/** An enterprise as `Enterprise:Get` answers: the record and its bound identities. */
interface RegisteredEnterprise {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly onboardedByMsp: string;
  readonly registrationNumberHash: string;
  readonly identities: ReadonlyArray<{ readonly mspId: string; readonly clientId: string }>;
  readonly [field: string]: unknown;
}

/**
 * Onboarding (the one flow for the REST route, the demo seed and the benchmark): the
 * bank's CA enrolls the enterprise's identity, the admin registers the enterprise and
 * binds that identity on the ledger, and the gateway issues its first API key.
 *
 * Resumable: the flow may stop after any step (a refusal, a 503, a crash of the gateway)
 * and a retry, with the same Idempotency-Key or another, finishes it. Nothing is kept
 * locally between attempts; each step finds out whether it was done before:
 * - The ledger is read first (`Enterprise:Get`, open to the banks' admins). An enterprise
 *   already registered by another bank, or by this bank with another name, roles or
 *   registration number, is refused at once with the chaincode's ALREADY_EXISTS (409),
 *   before the CA is asked for anything; the DID is another's and a retry with another
 *   DID is free to go.
 * - The CA step: the CA registers the name (the DID's part after `did:scf:`) once. When
 *   it already has it (Fabric CA's code 74), an earlier attempt registered it and may
 *   have enrolled it, but its private key died with that attempt: the registrar resets
 *   the registration's secret (Fabric CA's identity-modify API) and enrolls again. The
 *   certificate has the same subject and issuer, so the same Fabric client id, and a
 *   binding an earlier attempt committed holds for it. This needs no local record, so it
 *   is right whatever step a crash interrupted, which a record written beside the CA call
 *   (crash between the two) or a secret derived per attempt (lost with the attempt)
 *   would not be.
 * - Register is skipped when the enterprise is already this bank's with the same details;
 *   a refusal ALREADY_EXISTS (a racing attempt) is checked against the record the same way.
 * - Bind is skipped when the identity is already bound to the enterprise, and refused
 *   (ALREADY_EXISTS) when the enterprise is onboarded already with other identities only:
 *   a key rotation or recovery has moved on, and onboarding must not bring back an old name.
 * - The API key is issued last. A crash after that and before the answer leaves an unused
 *   key hash behind (the key itself was never shown to anyone); the retry issues another.
 */
export async function onboardEnterprise(
  deps: OnboardingDeps,
  admin: OnboardingAdmin,
  input: NewEnterprise,
): Promise<Onboarded> {
  const { backend, issuer, principals } = deps;
  const attempt: Attempt = { backend, admin, input, read: () => findEnterprise(backend, admin, input.id) };
  const found = await attempt.read();
  if (found) requireResumable(found, admin, input);

  const identity = await enrollIdentity(issuer, admin, input);
  const { registered, existing } = found
    ? { registered: withoutIdentities(found), existing: found }
    : await register(attempt);
  await bindIdentity(attempt, identity, existing);

  const apiKey = await principals.issueKey({
    kind: 'enterprise',
    enterpriseId: input.id,
    roles: input.roles,
    identity,
  });
  return { enterprise: registered, identity, apiKey };
}

/** One onboarding attempt: who onboards which enterprise, on which ledger. */
interface Attempt {
  readonly backend: LedgerBackend;
  readonly admin: OnboardingAdmin;
  readonly input: NewEnterprise;
  /** The enterprise as the ledger has it now. */
  readonly read: () => Promise<RegisteredEnterprise | undefined>;
}

/** The CA step: enrolls the enterprise's identity, or enrolls it again when the CA has its name already. */
function enrollIdentity(
  issuer: IdentityIssuer,
  admin: OnboardingAdmin,
  input: NewEnterprise,
): Promise<SigningIdentity> {
  const name = input.id.slice('did:scf:'.length);
  const attributes = { 'scf.enterpriseId': input.id };
  return issuer.issue(admin.mspId, name, attributes).catch((error: unknown) => {
    if (error instanceof IdentityAlreadyRegistered) return issuer.reenroll(admin.mspId, name, attributes);
    throw error;
  });
}

/** Registers the enterprise; `existing` is the record a racing attempt registered first. */
async function register(attempt: Attempt): Promise<{ registered: unknown; existing?: RegisteredEnterprise }> {
  const { backend, admin, input } = attempt;
  try {
    const { result } = await submitAndWait(backend, {
      identity: admin.identity,
      transaction: 'Enterprise:Register',
      args: [input.id, input.name, JSON.stringify(input.roles)],
      transient: { registrationNumber: input.registrationNumber },
    });
    return { registered: result };
  } catch (error) {
    const existing = await alreadyDone(error, attempt.read);
    requireResumable(existing, admin, input);
    return { registered: withoutIdentities(existing), existing };
  }
}

/** Binds the identity to the enterprise unless it is bound already. */
async function bindIdentity(
  attempt: Attempt,
  identity: SigningIdentity,
  existing: RegisteredEnterprise | undefined,
): Promise<void> {
  const { backend, admin, input } = attempt;
  if (existing && isBound(existing, identity)) return;
  if (existing && existing.identities.length > 0) {
    throw new ChaincodeRefusal('ALREADY_EXISTS', `enterprise ${input.id} is already onboarded with other identities`);
  }
  try {
    await submitAndWait(backend, {
      identity: admin.identity,
      transaction: 'Enterprise:BindIdentity',
      args: [input.id, admin.mspId, identity.clientId],
    });
  } catch (error) {
    // A racing attempt bound the same client id (the same name at the same CA): done.
    if (!isBound(await alreadyDone(error, attempt.read), identity)) throw error;
  }
}

function isBound(enterprise: RegisteredEnterprise, identity: SigningIdentity): boolean {
  return enterprise.identities.some((bound) => bound.mspId === identity.mspId && bound.clientId === identity.clientId);
}

/** The enterprise as the ledger has it, or undefined when it is not registered. */
async function findEnterprise(
  backend: LedgerBackend,
  admin: OnboardingAdmin,
  id: string,
): Promise<RegisteredEnterprise | undefined> {
  try {
    return (await backend.evaluate({
      identity: admin.identity,
      transaction: 'Enterprise:Get',
      args: [id],
    })) as RegisteredEnterprise;
  } catch (error) {
    if (error instanceof ChaincodeRefusal && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/** After a refusal ALREADY_EXISTS: the record the step found, for the caller to check; any other error stands. */
async function alreadyDone(
  error: unknown,
  read: () => Promise<RegisteredEnterprise | undefined>,
): Promise<RegisteredEnterprise> {
  if (!(error instanceof ChaincodeRefusal && error.code === 'ALREADY_EXISTS')) throw error;
  const found = await read();
  if (!found) throw error;
  return found;
}

/** An enterprise registered before may be onboarded on only when it is this bank's, with the same details. */
function requireResumable(existing: RegisteredEnterprise, admin: OnboardingAdmin, input: NewEnterprise): void {
  if (existing.onboardedByMsp !== admin.mspId) {
    throw new ChaincodeRefusal(
      'ALREADY_EXISTS',
      `enterprise ${input.id} is already registered by ${existing.onboardedByMsp}`,
    );
  }
  const same =
    existing.name === input.name &&
    JSON.stringify([...existing.roles].sort()) === JSON.stringify([...input.roles].sort()) &&
    existing.registrationNumberHash === registrationNumberHash(input.registrationNumber);
  if (!same) {
    throw new ChaincodeRefusal(
      'ALREADY_EXISTS',
      `enterprise ${input.id} is already registered with another name, roles or registration number`,
    );
  }
}

function withoutIdentities(enterprise: RegisteredEnterprise): unknown {
  const { identities: _identities, ...record } = enterprise;
  return record;
}
