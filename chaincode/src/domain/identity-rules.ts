import { ScfError } from './errors';
import type { Enterprise, Recovery } from './model';

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

/** The proposer, already checked to be one of the enterprise's guardians, counts as the first approval. */
export function proposeRecovery(
  enterprise: Enterprise,
  existing: Recovery | undefined,
  proposerId: string,
  newMspId: string,
  newClientId: string,
  now: string,
  txId: string,
): Recovery {
  requireRecoverable(enterprise);
  if (!enterprise.guardians) throw new ScfError('INVALID_STATE', `enterprise ${enterprise.id} has named no guardians`);
  if (existing?.status === 'OPEN') {
    throw new ScfError(
      'ALREADY_EXISTS',
      `a recovery of ${enterprise.id} is already open; guardians approve it or it must complete first`,
    );
  }
  if (newMspId !== enterprise.onboardedByMsp) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `the new identity must come from ${enterprise.onboardedByMsp}, the enterprise's bank`,
    );
  }
  return approveRecovery(
    {
      id: `rec_${txId}`,
      enterpriseId: enterprise.id,
      newMspId,
      newClientId,
      threshold: enterprise.guardians.threshold,
      guardians: enterprise.guardians.ids,
      approvals: [],
      proposedAt: now,
      status: 'OPEN',
    },
    proposerId,
  );
}

export function requireOpenRecovery(recovery: Recovery): void {
  if (recovery.status !== 'OPEN') throw new ScfError('INVALID_STATE', `recovery ${recovery.id} is ${recovery.status}`);
}

/** Records one guardian's approval (the caller checked it is one); the recovery completes at the threshold. */
export function approveRecovery(recovery: Recovery, guardianId: string): Recovery {
  requireOpenRecovery(recovery);
  if (recovery.approvals.includes(guardianId))
    throw new ScfError('ALREADY_EXISTS', `${guardianId} has already approved recovery ${recovery.id}`);
  const approvals = [...recovery.approvals, guardianId].sort();
  return { ...recovery, approvals, status: approvals.length >= recovery.threshold ? 'COMPLETED' : 'OPEN' };
}

export function deactivate(
  enterprise: Extract<Enterprise, { status: 'ACTIVE' }>,
  reason: string,
  now: string,
): Enterprise {
  return { ...enterprise, status: 'DEACTIVATED', deactivatedAt: now, deactivationReason: reason };
}
