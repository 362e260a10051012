import { Proposal } from '../../domain/model';
import type { ChangeSet } from '../change-set';
import { KEY_TYPES } from '../keys';
import type { IdPage, LedgerStore } from '../ledger-store';

/** Governance proposals: each its own key, with an index in the order they were made. */
export class GovernanceRepository {
  constructor(
    private readonly store: LedgerStore,
    private readonly changes: ChangeSet,
  ) {}

  get(id: string): Promise<Proposal> {
    return this.store.get(KEY_TYPES.proposal, [id], Proposal, 'proposal');
  }

  async create(proposal: Proposal): Promise<void> {
    await this.store.putIndex(KEY_TYPES.proposedProposal, [proposal.proposedAt, proposal.id]);
    await this.save(proposal);
  }

  async save(proposal: Proposal): Promise<void> {
    await this.store.put(KEY_TYPES.proposal, [proposal.id], proposal);
    this.changes.add('proposals', proposal.id, proposal);
  }

  /** Oldest first. */
  page(pageSize: number, bookmark: string): Promise<IdPage> {
    return this.store.pageIndex(KEY_TYPES.proposedProposal, [], pageSize, bookmark);
  }
}
