import { QuoteRequest } from '../../domain/model';
import type { ChangeSet } from '../change-set';
import { KEY_TYPES } from '../keys';
import type { IdPage, LedgerStore } from '../ledger-store';

/** Quote requests, each its own key, listed by each bank asked (how a bank finds what it is asked). */
export class QuoteRequestRepository {
  constructor(
    private readonly store: LedgerStore,
    private readonly changes: ChangeSet,
  ) {}

  get(id: string): Promise<QuoteRequest> {
    return this.store.get(KEY_TYPES.quoteRequest, [id], QuoteRequest, 'quote request');
  }

  async save(request: QuoteRequest, isNew = false): Promise<void> {
    await this.store.put(KEY_TYPES.quoteRequest, [request.id], request);
    if (isNew) {
      for (const bankId of request.bankIds) {
        await this.store.putIndex(KEY_TYPES.bankQuoteRequest, [bankId, request.id]);
      }
    }
    this.changes.add('quoteRequests', request.id, request);
  }

  pageIdsForBank(bankId: string, pageSize: number, bookmark: string): Promise<IdPage> {
    return this.store.pageIndex(KEY_TYPES.bankQuoteRequest, [bankId], pageSize, bookmark);
  }
}
