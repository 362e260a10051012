import { createHash } from 'crypto';
import { toCanonicalJson } from './canonical-json';
import { ScfError } from './errors';
import type { Credential, Enterprise, Role, Signatory, VerificationOutcome } from './model';
import { millisOf } from './time';
import { CREDENTIAL_ISSUERS } from './vocabulary';

/**
 * Verifiable credentials about enterprises: an authority vouches once (a bank's KYC, a
 * regulator's rating) and whoever relies on the data verifies. Which role may issue
 * which type is fixed here, in one table.
 */
export { CREDENTIAL_ISSUERS };

/** The roles entitled to issue a credential type; an unknown type is refused. */
export function entitledIssuers(type: string): readonly Role[] {
  const allowed = CREDENTIAL_ISSUERS[type];
  if (!allowed) {
    throw new ScfError('INVALID_ARGUMENT', `type must be one of ${Object.keys(CREDENTIAL_ISSUERS).join(', ')}`);
  }
  return allowed;
}

export function credentialId(txId: string): string {
  return `vc_${txId}`;
}

/**
 * Claims are hashed as canonical JSON. They must carry a random `nonce` (≥ 16 characters)
 * so a short, guessable claim cannot be found from its public hash.
 */
export function claimsHash(claims: Record<string, unknown>): string {
  if (typeof claims.nonce !== 'string' || claims.nonce.length < 16) {
    throw new ScfError('INVALID_ARGUMENT', 'claims.nonce must be a random string of at least 16 characters');
  }
  return createHash('sha256').update(toCanonicalJson(claims), 'utf8').digest('hex');
}

export function issueCredential(
  issuer: Enterprise,
  subject: Enterprise,
  type: string,
  hash: string,
  expiresAt: string,
  issuedBy: Signatory,
  now: string,
  txId: string,
): Credential {
  entitledIssuers(type);
  if (subject.status !== 'ACTIVE') {
    throw new ScfError('INVALID_STATE', `subject ${subject.id} is ${subject.status}`);
  }
  if (millisOf(expiresAt) <= millisOf(now)) {
    throw new ScfError('INVALID_ARGUMENT', `expiresAt ${expiresAt} must be after the transaction time ${now}`);
  }
  return {
    id: credentialId(txId),
    type,
    issuerId: issuer.id,
    subjectId: subject.id,
    claimsHash: hash,
    issuedBy,
    issuedAt: now,
    expiresAt,
    status: 'ISSUED',
  };
}

export function revokeCredential(credential: Credential, reason: string, now: string): Credential {
  if (credential.status === 'REVOKED') {
    throw new ScfError('INVALID_STATE', `credential ${credential.id} is already revoked`);
  }
  return { ...credential, status: 'REVOKED', revokedAt: now, revocationReason: reason };
}

/**
 * The verification outcome at `now`. An issuer that is no longer an active enterprise
 * entitled to issue the type makes its credentials worthless: UNKNOWN_ISSUER.
 */
export function verifyCredential(
  credential: Credential,
  issuer: Enterprise | undefined,
  now: string,
  presentedHash?: string,
): VerificationOutcome {
  if (credential.status === 'REVOKED') return 'REVOKED';
  const entitled = CREDENTIAL_ISSUERS[credential.type] ?? [];
  if (!issuer || issuer.status !== 'ACTIVE' || !issuer.roles.some((role) => entitled.includes(role)))
    return 'UNKNOWN_ISSUER';
  if (millisOf(now) >= millisOf(credential.expiresAt)) return 'EXPIRED';
  if (presentedHash !== undefined && presentedHash !== credential.claimsHash) return 'HASH_MISMATCH';
  return 'VALID';
}
