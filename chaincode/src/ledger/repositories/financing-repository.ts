import { Financing } from '../../domain/model';
import type { ChangeSet } from '../change-set';
import { KEY_TYPES } from '../keys';
import type { IdPage, LedgerStore } from '../ledger-store';

export class FinancingRepository {
  constructor(
    private readonly store: LedgerStore,
    private readonly changes: ChangeSet,
  ) {}

  get(id: string): Promise<Financing> {
    return this.store.get(KEY_TYPES.financing, [id], Financing, 'financing');
  }

  async save(financing: Financing, isNew = false): Promise<void> {
    await this.store.put(KEY_TYPES.financing, [financing.id], financing);
    if (isNew) {
      await this.store.putIndex(KEY_TYPES.bankFinancing, [financing.bankId, financing.id]);
      await this.store.putIndex(KEY_TYPES.applicantFinancing, [financing.applicantId, financing.id]);
    }
    this.changes.add('financings', financing.id, financing);
  }

  pageIds(party: 'bank' | 'applicant', enterpriseId: string, pageSize: number, bookmark: string): Promise<IdPage> {
    return this.store.pageIndex(
      party === 'bank' ? KEY_TYPES.bankFinancing : KEY_TYPES.applicantFinancing,
      [enterpriseId],
      pageSize,
      bookmark,
    );
  }
}
