import { ScfError } from './errors';
import type { ApprovalThreshold, ConsortiumConfig, GovernanceKind, GovernanceVote, Proposal } from './model';
import { millisOf, requireDecisionWindow } from './time';
import { MAX_PROPOSAL_SECONDS } from './vocabulary';

/**
 * The consortium's rules change only by proposal: a bank admin proposes, the admins of other
 * bank organisations approve, and the change applies in the transaction whose approval
 * reaches the threshold. Everything here is a function of the records and the transaction
 * time, so every endorser decides alike.
 */

export function proposalId(txId: string): string {
  return `prp_${txId}`;
}

/** How many bank organisations must approve: majority is more than half; a count is capped at the banks there are. */
export function requiredApprovals(threshold: ApprovalThreshold, banks: number): number {
  switch (threshold.kind) {
    case 'majority':
      return Math.floor(banks / 2) + 1;
    case 'count':
      return Math.min(threshold.count, banks);
    case 'fraction':
      return Math.max(1, Math.ceil((banks * threshold.numerator) / threshold.denominator));
  }
}

/** Approvals of organisations still in the consortium, one per organisation. */
export function countedApprovals(proposal: Proposal, config: ConsortiumConfig): number {
  return new Set(proposal.approvals.map((a) => a.mspId).filter((msp) => config.bankMspIds.includes(msp))).size;
}

export function isExpired(proposal: Proposal, now: string): boolean {
  return millisOf(now) >= millisOf(proposal.expiresAt);
}

/** A proposal as reads report it: an open one past its expiry is EXPIRED. */
export function proposalView(proposal: Proposal, now: string): Proposal {
  return proposal.status === 'OPEN' && isExpired(proposal, now) ? { ...proposal, status: 'EXPIRED' } : proposal;
}

export function openProposal(
  input: { id: string; kind: GovernanceKind; change: unknown; expiresAt: string },
  proposer: GovernanceVote,
): Proposal {
  requireDecisionWindow(input.expiresAt, proposer.at, MAX_PROPOSAL_SECONDS);
  return {
    id: input.id,
    kind: input.kind,
    change: input.change,
    proposedAt: proposer.at,
    expiresAt: input.expiresAt,
    approvals: [proposer],
    status: 'OPEN',
    appliedAt: null,
    appliedTxId: null,
  } as Proposal;
}

/** One approval per organisation, while the proposal is open and not expired. */
export function approveProposal(proposal: Proposal, vote: GovernanceVote): Proposal {
  if (proposal.status !== 'OPEN') {
    throw new ScfError('INVALID_STATE', `proposal ${proposal.id} is ${proposal.status}`);
  }
  if (isExpired(proposal, vote.at)) {
    throw new ScfError('PROPOSAL_EXPIRED', `proposal ${proposal.id} expired at ${proposal.expiresAt}`);
  }
  if (proposal.approvals.some((a) => a.mspId === vote.mspId)) {
    throw new ScfError('ALREADY_EXISTS', `${vote.mspId} has already approved proposal ${proposal.id}`);
  }
  return { ...proposal, approvals: [...proposal.approvals, vote] };
}

/** Marks a proposal applied when enough organisations approve it; otherwise it stays open. */
export function settleProposal(proposal: Proposal, config: ConsortiumConfig, now: string, txId: string): Proposal {
  const required = requiredApprovals(config.approvalThreshold, config.bankMspIds.length);
  return countedApprovals(proposal, config) >= required
    ? { ...proposal, status: 'APPLIED', appliedAt: now, appliedTxId: txId }
    : proposal;
}

type ChangeOf<K extends GovernanceKind> = Extract<Proposal, { kind: K }>['change'];
type Applier<K extends GovernanceKind> = (config: ConsortiumConfig, change: ChangeOf<K>) => ConsortiumConfig;

function requireMember(config: ConsortiumConfig, mspId: string): void {
  if (!config.bankMspIds.includes(mspId)) {
    throw new ScfError('INVALID_STATE', `${mspId} is not a consortium bank organisation`);
  }
}

function requireSuspended(config: ConsortiumConfig, mspId: string, suspended: boolean): void {
  if (config.suspendedBankMspIds.includes(mspId) !== suspended) {
    throw new ScfError('INVALID_STATE', `${mspId} is ${suspended ? 'not ' : ''}suspended`);
  }
}

/** What each kind does to the configuration; each refuses a change that no longer fits it. */
const APPLY: { readonly [K in GovernanceKind]: Applier<K> } = {
  limits: (config, change) => ({ ...config, limits: { ...config.limits, ...change } }),
  credentialPolicy: (config, change) => ({ ...config, credentialPolicy: change }),
  addBank: (config, { mspId }) => {
    if (config.bankMspIds.includes(mspId)) {
      throw new ScfError('INVALID_STATE', `${mspId} is already a consortium bank organisation`);
    }
    return { ...config, bankMspIds: [...config.bankMspIds, mspId].sort() };
  },
  removeBank: (config, { mspId }) => {
    requireMember(config, mspId);
    if (config.bankMspIds.length === 1) throw new ScfError('INVALID_STATE', 'the last bank organisation stays');
    const others = (ids: readonly string[]): string[] => ids.filter((id) => id !== mspId);
    return {
      ...config,
      bankMspIds: others(config.bankMspIds),
      suspendedBankMspIds: others(config.suspendedBankMspIds),
    };
  },
  threshold: (config, change) => ({ ...config, approvalThreshold: change }),
  suspendBank: (config, { mspId }) => {
    requireMember(config, mspId);
    requireSuspended(config, mspId, false);
    return { ...config, suspendedBankMspIds: [...config.suspendedBankMspIds, mspId].sort() };
  },
  reinstateBank: (config, { mspId }) => {
    requireSuspended(config, mspId, true);
    return { ...config, suspendedBankMspIds: config.suspendedBankMspIds.filter((id) => id !== mspId) };
  },
  businessTimeZone: (config, { timeZone }) => ({ ...config, businessTimeZone: timeZone }),
  dayCount: (config, { mspId, dayCount }) => {
    requireMember(config, mspId);
    return { ...config, dayCounts: { ...config.dayCounts, [mspId]: dayCount } };
  },
};

/**
 * The configuration with the proposal's change made. Proposing runs it too, so a change
 * that cannot apply is refused up front.
 */
export function applyProposal(config: ConsortiumConfig, proposal: Proposal): ConsortiumConfig {
  return (APPLY[proposal.kind] as Applier<GovernanceKind>)(config, proposal.change as never);
}
