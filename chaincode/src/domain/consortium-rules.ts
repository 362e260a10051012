import { z } from 'zod';
import { ScfError } from './errors';
import type { LimitsPatch } from './inputs';
import type { ConsortiumConfig, ConsortiumLimits } from './model';

export const DEFAULT_LIMITS: ConsortiumLimits = {
  minPieceAmount: '100',
  maxSplitDepth: 10,
  maxSplitChildren: 20,
  maxOfferSeconds: 30 * 24 * 3600,
};

export function applyLimits(current: ConsortiumLimits, patch: z.infer<typeof LimitsPatch>): ConsortiumLimits {
  return { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
}

/** The channel is configured once, by an admin of one of the banks it names. */
export function initialiseConsortium(
  signerMspId: string, bankMspIds: readonly string[], limits: ConsortiumLimits, now: string,
): ConsortiumConfig {
  if (!bankMspIds.includes(signerMspId)) {
    throw new ScfError('FORBIDDEN', `the initialising admin's organisation ${signerMspId} must be one of the consortium banks`);
  }
  return { bankMspIds: [...new Set(bankMspIds)].sort(), limits, credentialPolicy: {}, initialisedAt: now };
}
