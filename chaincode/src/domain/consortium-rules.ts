import { z } from 'zod';
import type { LimitsPatch } from './inputs';
import type { ConsortiumConfig, ConsortiumLimits } from './model';
import { DEFAULT_BUSINESS_TIME_ZONE } from './vocabulary';

export const DEFAULT_LIMITS: ConsortiumLimits = {
  minPieceAmount: '100',
  maxSplitDepth: 10,
  maxSplitChildren: 20,
  maxOfferSeconds: 30 * 24 * 3600,
};

export function applyLimits(current: ConsortiumLimits, patch: z.infer<typeof LimitsPatch>): ConsortiumLimits {
  return { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
}

/** The channel's configuration: its banks, sorted and distinct, and its limits; changed later only by proposal. */
export function initialiseConsortium(
  bankMspIds: readonly string[],
  limits: ConsortiumLimits,
  now: string,
): ConsortiumConfig {
  return {
    bankMspIds: [...new Set(bankMspIds)].sort(),
    limits,
    credentialPolicy: {},
    initialisedAt: now,
    approvalThreshold: { kind: 'majority' },
    suspendedBankMspIds: [],
    businessTimeZone: DEFAULT_BUSINESS_TIME_ZONE,
    dayCounts: {},
  };
}
