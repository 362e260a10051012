import { ScfError } from './errors';
import type { Enterprise, Recovery } from './model';
import { millisOf, requireDecisionWindow } from './time';
import { MAX_RECOVERY_SECONDS } from './vocabulary';

/** Guardians are other active enterprises; M of N of them restore a lost key. */
export function setGuardians(
  enterprise: Extract<Enterprise, { status: 'ACTIVE' }>,
  guardians: readonly Enterprise[],
  threshold: number,
): Enterprise {
  const ids = guardians.map((g) => g.id);
  if (new Set(ids).size !== ids.length || ids.includes(enterprise.id)) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      'guardianIds must name distinct enterprises other than the enterprise itself',
    );
  }
  const inactive = guardians.find((g) => g.status !== 'ACTIVE');
  if (inactive) throw new ScfError('INVALID_STATE', `guardian ${inactive.id} is ${inactive.status}`);
  if (threshold > ids.length) {
    throw new ScfError('INVALID_ARGUMENT', `threshold ${threshold} exceeds the ${ids.length} guardians named`);
  }
  return { ...enterprise, guardians: { ids: [...ids].sort(), threshold } };
}

/** A deactivated enterprise is gone for good: there is nothing to recover. */
export function requireRecoverable(enterprise: Enterprise): void {
  if (enterprise.status === 'DEACTIVATED')
    throw new ScfError('INVALID_STATE', `enterprise ${enterprise.id} is deactivated`);
}

/** A recovery as reads report it: an open one past its expiry is EXPIRED. */
export function recoveryView(recovery: Recovery, now: string): Recovery {
  return recovery.status === 'OPEN' && millisOf(now) >= millisOf(recovery.expiresAt)
    ? { ...recovery, status: 'EXPIRED' }
    : recovery;
}

/**
 * The proposer, already checked to be one of the enterprise's guardians, counts as the first
 * approval. An open recovery blocks another only until it expires or is cancelled.
 */
export function proposeRecovery(
  enterprise: Enterprise,
  existing: Recovery | undefined,
  input: { proposerId: string; newMspId: string; newClientId: string; expiresAt: string },
  now: string,
  txId: string,
): Recovery {
  requireRecoverable(enterprise);
  if (!enterprise.guardians) throw new ScfError('INVALID_STATE', `enterprise ${enterprise.id} has named no guardians`);
  if (existing && recoveryView(existing, now).status === 'OPEN') {
    throw new ScfError(
      'ALREADY_EXISTS',
      `recovery ${existing.id} of ${enterprise.id} is open until ${existing.expiresAt}; ` +
        'its guardians approve or cancel it first',
    );
  }
  if (input.newMspId !== enterprise.onboardedByMsp) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `the new identity must come from ${enterprise.onboardedByMsp}, the enterprise's bank`,
    );
  }
  requireDecisionWindow(input.expiresAt, now, MAX_RECOVERY_SECONDS);
  return approveRecovery(
    {
      id: `rec_${txId}`,
      enterpriseId: enterprise.id,
      newMspId: input.newMspId,
      newClientId: input.newClientId,
      threshold: enterprise.guardians.threshold,
      guardians: enterprise.guardians.ids,
      approvals: [],
      proposedAt: now,
      expiresAt: input.expiresAt,
      status: 'OPEN',
    },
    input.proposerId,
    now,
  );
}

/** An open recovery that has not expired, as approvals and cancellations need it. */
export function requireOpenRecovery(recovery: Recovery, now: string): Extract<Recovery, { status: 'OPEN' }> {
  const current = recoveryView(recovery, now);
  if (current.status === 'EXPIRED')
    throw new ScfError(
      'RECOVERY_EXPIRED',
      `recovery ${recovery.id} expired at ${recovery.expiresAt}; propose a new one`,
    );
  if (current.status !== 'OPEN') throw new ScfError('INVALID_STATE', `recovery ${recovery.id} is ${current.status}`);
  return current;
}

/** Records one guardian's approval (the caller checked it is one); the recovery completes at the threshold. */
export function approveRecovery(recovery: Recovery, guardianId: string, now: string): Recovery {
  const open = requireOpenRecovery(recovery, now);
  if (open.approvals.includes(guardianId))
    throw new ScfError('ALREADY_EXISTS', `${guardianId} has already approved recovery ${open.id}`);
  const approvals = [...open.approvals, guardianId].sort();
  return { ...open, approvals, status: approvals.length >= open.threshold ? 'COMPLETED' : 'OPEN' };
}

/**
 * Withdraws an open recovery (the caller checked it is the enterprise or one of its
 * guardians): an enterprise that still has its key stops a recovery it did not ask for, and a
 * guardian withdraws one proposed in error.
 */
export function cancelRecovery(
  recovery: Recovery,
  cancellation: { by: string; reason: string; at: string; txId: string },
): Recovery {
  const open = requireOpenRecovery(recovery, cancellation.at);
  return { ...open, status: 'CANCELLED', cancellation };
}

export function deactivate(
  enterprise: Extract<Enterprise, { status: 'ACTIVE' }>,
  reason: string,
  now: string,
): Enterprise {
  return { ...enterprise, status: 'DEACTIVATED', deactivatedAt: now, deactivationReason: reason };
}
