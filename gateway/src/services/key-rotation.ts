import { randomBytes } from 'crypto';
import type { IdentityIssuer } from '../identity/identity-issuer';
import {
  identityOf,
  type KeyRotation,
  type Principal,
  type PrincipalRegistry,
  type SigningEnterprisePrincipal,
} from '../identity/principals';
import type { CallerIdentity, SigningIdentity } from '../identity/signing-identity';
import type { OfflineSigningService, PreparedCall } from './offline-signing';
import type { LedgerBackend, SubmitOutcome } from '../ledger/ledger-backend';
import { ContentionError, LedgerUnavailable } from '../ledger/ledger-errors';
import { submitAndWait } from './commit-wait';
import { certifyOwnKey, requestedName } from './own-keys';

export interface KeyRotationDeps {
  readonly backend: LedgerBackend;
  readonly issuer: IdentityIssuer;
  readonly principals: PrincipalRegistry;
}

/**
 * Key rotation: the enterprise's bank CA enrolls a new identity, the old identity signs
 * the rotation on the ledger, and the enterprise's API keys then sign with the new one.
 *
 * Resumable: the new identity (private key included) is kept in the principal registry
 * before the ledger hears of it, and the rotation's transaction id when it is endorsed.
 * Should the gateway stop after RotateKey committed and before the API keys switched,
 * the ledger binds an identity the gateway still has: the next rotation request (with
 * any Idempotency-Key) or the gateway's next start (`finishRotations`) sees the new
 * identity bound and switches the keys. A rotation whose transaction never committed is
 * submitted again with the same new identity. A retry of a finished rotation with the same
 * Idempotency-Key (say, after a crash before its answer was stored) gets its outcome again
 * instead of a second rotation. Each rotation enrolls under a fresh CA name, so no CA step
 * is ever repeated.
 */
export function rotateKey(
  deps: KeyRotationDeps,
  principal: SigningEnterprisePrincipal,
  requestKey?: string,
  csr?: string,
): Promise<SubmitOutcome> {
  // One rotation of an identity at a time: two racing rotations could switch its keys to the loser.
  return oneAtATime(deps.principals, identityOf(principal.identity), () => rotate(deps, principal, requestKey, csr));
}

async function rotate(
  deps: KeyRotationDeps,
  principal: SigningEnterprisePrincipal,
  requestKey?: string,
  csr?: string,
): Promise<SubmitOutcome> {
  const current = principal.identity;
  const latest = await deps.principals.rotationOf(current);
  if (latest?.outcome) {
    if (isRetryOf(latest, current, requestKey)) return latest.outcome;
    if (retires(latest, current)) {
      // A concurrent request rotated this identity away while this one waited: 409, and a retry rotates the new one.
      throw new ContentionError('Identity:RotateKey');
    }
  }
  if (latest && !latest.outcome && retires(latest, current)) return resume(deps, current, latest);
  return submitRotation(deps, current, await startRotation(deps, principal, requestKey, csr));
}

/**
 * Whether the request repeats the one (same Idempotency-Key) whose rotation made `current`
 * the enterprise's identity.
 */
function isRetryOf(rotation: KeyRotation, current: SigningIdentity, requestKey: string | undefined): boolean {
  return requestKey !== undefined && rotation.requestKey === requestKey && rotation.next.clientId === current.clientId;
}

function retires(rotation: KeyRotation, identity: SigningIdentity): boolean {
  return rotation.retired.mspId === identity.mspId && rotation.retired.clientId === identity.clientId;
}

/**
 * Enrolls the new identity and keeps it, private key included, before the ledger hears of it.
 * With `csr`, the user's own key is certified instead and the gateway keeps its certificate only.
 */
async function startRotation(
  deps: KeyRotationDeps,
  principal: { readonly enterpriseId: string; readonly identity: CallerIdentity },
  requestKey: string | undefined,
  csr?: string,
): Promise<KeyRotation> {
  const current = principal.identity;
  const attributes = { 'scf.enterpriseId': principal.enterpriseId };
  // A CA names each identity once, so every rotation enrolls under a fresh name (Fabric CA allows 64 characters).
  const next =
    csr === undefined
      ? await deps.issuer.issue(
          current.mspId,
          `${principal.enterpriseId.slice('did:scf:'.length, 50)}.${randomBytes(6).toString('hex')}`,
          attributes,
        )
      : await certifyOwnKey(deps.issuer, {
          mspId: current.mspId,
          enterpriseId: principal.enterpriseId,
          name: requestedName(csr, principal.enterpriseId),
          csr,
          // A rotation's name is new: one the CA has belongs to another identity, never enrolled again.
          taken: 'refuse',
        });
  const rotation: KeyRotation = {
    enterpriseId: principal.enterpriseId,
    ...(requestKey === undefined ? {} : { requestKey }),
    retired: { mspId: current.mspId, clientId: current.clientId },
    next,
  };
  await deps.principals.noteRotation(rotation);
  return rotation;
}

/**
 * A self-held key's rotation: the new key (the user's own request) is certified and kept, and
 * RotateKey is prepared for the user to sign with the old key through the offline flow; when it
 * commits there, the API keys switch to the new identity. Its transaction id is noted at once, so
 * a gateway that stops after the commit finishes it at its next start (`finishRotations`).
 */
export function prepareKeyRotation(
  deps: KeyRotationDeps & { readonly offline: OfflineSigningService },
  principal: Extract<Principal, { kind: 'enterprise' }>,
  csr: string,
  requestKey?: string,
): Promise<{ readonly rotation: KeyRotated; readonly call: PreparedCall }> {
  return oneAtATime(deps.principals, identityOf(principal.identity), async () => {
    const started = await startRotation(deps, principal, requestKey, csr);
    let rotation = started;
    const call = await deps.offline.prepare(
      principal,
      { transaction: 'Identity:RotateKey', args: [started.next.clientId] },
      (outcome) => deps.principals.finishRotation(rotation, outcome),
    );
    rotation = { ...started, txId: call.txId };
    await deps.principals.noteRotation(rotation);
    return { rotation: rotatedResult(rotation), call };
  });
}

/** An unfinished rotation of `current`: finished when its transaction committed, else submitted again. */
async function resume(deps: KeyRotationDeps, current: SigningIdentity, rotation: KeyRotation): Promise<SubmitOutcome> {
  const outcome = await committedEarlier(deps.backend, rotation);
  if (!outcome) return submitRotation(deps, current, rotation);
  await deps.principals.finishRotation(rotation, outcome);
  return outcome;
}

/** The old identity signs RotateKey (its transaction id noted when endorsed); then the API keys switch. */
async function submitRotation(
  deps: KeyRotationDeps,
  current: SigningIdentity,
  rotation: KeyRotation,
): Promise<SubmitOutcome> {
  const { backend, principals } = deps;
  let noted = rotation;
  let outcome: SubmitOutcome;
  try {
    outcome = await submitAndWait(
      backend,
      { identity: current, transaction: 'Identity:RotateKey', args: [rotation.next.clientId] },
      {
        onEndorsed: (txId) => principals.noteRotation((noted = { ...rotation, txId })),
      },
    );
  } catch (error) {
    // Refused (the signer is no longer bound) or unconfirmed: an earlier attempt's transaction may have committed.
    const earlier = await committedEarlier(backend, noted);
    if (!earlier) throw error;
    outcome = earlier;
  }
  await principals.finishRotation(rotation, outcome);
  return outcome;
}

/**
 * Finishes, at start-up, rotations whose transaction committed while the gateway was
 * stopping: their API keys then sign with the new identity. The others wait for a retry.
 */
export async function finishRotations(deps: Pick<KeyRotationDeps, 'backend' | 'principals'>): Promise<number> {
  let finished = 0;
  for (const rotation of await deps.principals.unfinishedRotations()) {
    const outcome = await committedEarlier(deps.backend, rotation).catch(() => undefined);
    if (outcome) {
      await deps.principals.finishRotation(rotation, outcome);
      finished++;
    }
  }
  return finished;
}

/**
 * The rotation's outcome when its transaction committed: the new identity acts for the
 * enterprise and the noted transaction is valid. Undefined when the new identity is not bound.
 */
async function committedEarlier(backend: LedgerBackend, rotation: KeyRotation): Promise<SubmitOutcome | undefined> {
  const { next } = rotation;
  if (next.custody === 'self') return committedBy(backend, rotation);
  // Refused (UNAUTHENTICATED: not bound) or not answered: either way not known to be done.
  const acting = await backend.evaluate({ identity: next, transaction: 'Enterprise:WhoAmI', args: [] }).then(
    (found) => (found as { id?: string }).id,
    () => undefined,
  );
  if (acting !== rotation.enterpriseId) return undefined;
  const record = rotation.txId === undefined ? undefined : await backend.transaction(rotation.txId);
  // Bound, so its transaction committed; a peer that has not caught up yet is asked again on the next retry.
  if (!record?.valid)
    throw new LedgerUnavailable(
      `the key rotation of ${rotation.enterpriseId} committed, but its transaction is not found yet`,
    );
  return { txId: record.txId, blockNumber: record.blockNumber, result: rotatedResult(rotation), attempts: 1 };
}

/**
 * For a new key the gateway cannot sign with: committed when the noted transaction is valid
 * (it is noted before it can be ordered: at endorsement, or when prepared for offline signing).
 */
async function committedBy(backend: LedgerBackend, rotation: KeyRotation): Promise<SubmitOutcome | undefined> {
  const record = rotation.txId === undefined ? undefined : await backend.transaction(rotation.txId);
  if (!record?.valid) return undefined;
  return { txId: record.txId, blockNumber: record.blockNumber, result: rotatedResult(rotation), attempts: 1 };
}

/** What `Identity:RotateKey` answers for the rotation. */
interface KeyRotated {
  readonly current: string;
  readonly enterpriseId: string;
  readonly mspId: string;
  readonly retired: string;
}

const rotatedResult = (rotation: KeyRotation): KeyRotated => ({
  current: rotation.next.clientId,
  enterpriseId: rotation.enterpriseId,
  mspId: rotation.retired.mspId,
  retired: rotation.retired.clientId,
});

const queues = new WeakMap<object, Map<string, Promise<unknown>>>();

/** Runs `work` after every earlier work of the same key (within one registry) has settled. */
function oneAtATime<T>(scope: object, key: string, work: () => Promise<T>): Promise<T> {
  const queue = queues.get(scope) ?? new Map<string, Promise<unknown>>();
  queues.set(scope, queue);
  const result = (queue.get(key) ?? Promise.resolve()).then(work);
  const settled = result.then(
    () => undefined,
    () => undefined,
  );
  queue.set(key, settled);
  void settled.then(() => {
    if (queue.get(key) === settled) queue.delete(key);
  });
  return result;
}
