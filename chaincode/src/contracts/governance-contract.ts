import { Info, Returns, Transaction } from 'fabric-contract-api';
import type { z } from 'zod';
import { isNewBusiness } from '../access/bank-suspension';
import { isTransactionName } from '../access/policy';
import { ScfError } from '../domain/errors';
import {
  applyProposal,
  approveProposal,
  openProposal,
  proposalId,
  proposalView,
  settleProposal,
} from '../domain/governance-rules';
import { GOVERNANCE_CHANGES, GovernanceKind, parseArg, parseJsonArg, ProposalId } from '../domain/inputs';
import type { GovernanceVote, Proposal } from '../domain/model';
import { parseInstant } from '../domain/time';
import type { EventType } from '../ledger/change-set';
import { encodeBookmark, parsePage } from './paging';
import { emit, reply, ScfContract, type TransactionOutcome } from './scf-contract';
import { ScfContext, type TxScope } from './scf-context';

@Info({
  title: 'Governance',
  description: "Changes to the consortium's rules, applied once enough bank organisations approve them",
})
export class GovernanceContract extends ScfContract {
  constructor() {
    super('Governance');
  }

  /**
   * `kind` and `changeJson`: `limits` {minPieceAmount?, maxSplitDepth?, maxSplitChildren?,
   * maxOfferSeconds?}; `credentialPolicy` {"Financing:Apply": ["KYC"], …} (replaces the
   * policy; `{}` lifts every requirement); `addBank`, `removeBank`, `reinstateBank` {mspId};
   * `suspendBank` {mspId, reason}; `threshold` {kind: "majority"} | {kind: "count", count} |
   * {kind: "fraction", numerator, denominator}. The proposer's organisation approves it.
   */
  @Transaction()
  @Returns('string')
  async Propose(ctx: ScfContext, kind: string, changeJson: string, expiresAt: string): Promise<string> {
    const tx = ctx.tx;
    const proposalKind = parseArg('kind', GovernanceKind, kind);
    const change = parseJsonArg('change', GOVERNANCE_CHANGES[proposalKind] as z.ZodType<unknown>, changeJson);
    if (proposalKind === 'credentialPolicy') requireTransactionNames(change as Record<string, unknown>);
    const input = {
      id: proposalId(tx.txId),
      kind: proposalKind,
      change,
      expiresAt: parseInstant('expiresAt', expiresAt),
    };
    const proposal = openProposal(input, voteOf(tx));
    // Refuses up front a change that cannot apply to the rules as they stand.
    applyProposal(await tx.consortium.get(), proposal);
    await tx.governance.create(proposal);
    return emit(tx, await settle(tx, proposal, 'ProposalMade'));
  }

  /** One approval per bank organisation; the one that reaches the threshold applies the change. */
  @Transaction()
  @Returns('string')
  async Approve(ctx: ScfContext, id: string): Promise<string> {
    const tx = ctx.tx;
    const proposal = await tx.governance.get(parseArg('proposalId', ProposalId, id));
    return emit(tx, await settle(tx, approveProposal(proposal, voteOf(tx)), 'ProposalApproved'));
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: ScfContext, id: string): Promise<string> {
    const tx = ctx.tx;
    return reply(proposalView(await tx.governance.get(parseArg('proposalId', ProposalId, id)), tx.now));
  }

  /** Every proposal, oldest first, as of the transaction time. */
  @Transaction(false)
  @Returns('string')
  async List(ctx: ScfContext, pageSize: string, bookmark: string): Promise<string> {
    const tx = ctx.tx;
    const page = parsePage(pageSize, bookmark);
    const { ids, bookmark: next } = await tx.governance.page(page.size, page.bookmark);
    const items = await Promise.all(ids.map(async (id) => proposalView(await tx.governance.get(id), tx.now)));
    return reply({ items, bookmark: encodeBookmark(next) });
  }
}

function voteOf(tx: TxScope): GovernanceVote {
  const { mspId, clientId } = tx.signedBy.signer;
  return { mspId, clientId, at: tx.now };
}

/** Credentials are required of new business only: the access check reads the consortium's rules for nothing else. */
function requireTransactionNames(policy: Record<string, unknown>): void {
  const unknown = Object.keys(policy).find((name) => !isTransactionName(name));
  if (unknown) throw new ScfError('INVALID_ARGUMENT', `policy names ${unknown}, which is not a transaction`);
  const other = Object.keys(policy).find((name) => isTransactionName(name) && !isNewBusiness(name));
  if (other) throw new ScfError('INVALID_ARGUMENT', `policy names ${other}, which takes on no new business`);
}

/** Saves the proposal and, once enough organisations approve it, the configuration it changes. */
async function settle(tx: TxScope, proposal: Proposal, pending: EventType): Promise<TransactionOutcome> {
  const config = await tx.consortium.get();
  const settled = settleProposal(proposal, config, tx.now, tx.txId);
  if (settled.status === 'APPLIED') await tx.consortium.save(applyProposal(config, settled));
  await tx.governance.save(settled);
  return { event: settled.status === 'APPLIED' ? 'ProposalApplied' : pending, answer: settled };
}
