import { CreditLine } from '../../domain/model';
import type { ChangeSet } from '../change-set';
import { KEY_TYPES } from '../keys';
import type { IdPage, LedgerStore } from '../ledger-store';

export class CreditLineRepository {
  constructor(
    private readonly store: LedgerStore,
    private readonly changes: ChangeSet,
  ) {}

  get(id: string): Promise<CreditLine> {
    return this.store.get(KEY_TYPES.creditLine, [id], CreditLine, 'credit line');
  }

  async save(line: CreditLine, isNew = false): Promise<void> {
    await this.store.put(KEY_TYPES.creditLine, [line.id], line);
    if (isNew) {
      // Only the granting bank's peers know the limit, so only they can check issuance against it.
      await this.store.requireEndorsementBy(KEY_TYPES.creditLine, [line.id], line.termsOrg);
      await this.store.putIndex(KEY_TYPES.coreCreditLine, [line.coreId, line.id]);
      await this.store.putIndex(KEY_TYPES.bankCreditLine, [line.bankId, line.id]);
    }
    this.changes.add('creditLines', line.id, line);
  }

  pageIds(party: 'core' | 'bank', enterpriseId: string, pageSize: number, bookmark: string): Promise<IdPage> {
    return this.store.pageIndex(
      party === 'core' ? KEY_TYPES.coreCreditLine : KEY_TYPES.bankCreditLine,
      [enterpriseId],
      pageSize,
      bookmark,
    );
  }
}
