import { z } from 'zod';
import { Receivable } from '../../domain/model';
import type { ChangeSet } from '../change-set';
import { KEY_TYPES } from '../keys';
import type { IdPage, LedgerStore } from '../ledger-store';

const InvoiceClaim = z.object({ receivableId: z.string() });

export class ReceivableRepository {
  constructor(
    private readonly store: LedgerStore,
    private readonly changes: ChangeSet,
  ) {}

  get(id: string): Promise<Receivable> {
    return this.store.get(KEY_TYPES.receivable, [id], Receivable, 'receivable');
  }

  /** Which receivable, if any, an invoice already backs. */
  async invoiceClaimedBy(invoiceKey: string): Promise<string | undefined> {
    return (await this.store.find(KEY_TYPES.invoice, [invoiceKey], InvoiceClaim))?.receivableId;
  }

  async save(receivable: Receivable, previous?: Receivable): Promise<void> {
    await this.store.put(KEY_TYPES.receivable, [receivable.id], receivable);
    if (!previous) {
      await this.store.put(KEY_TYPES.invoice, [receivable.invoiceKey], { receivableId: receivable.id });
      await this.store.putIndex(KEY_TYPES.debtorReceivable, [receivable.debtorId, receivable.id]);
      await this.store.putIndex(KEY_TYPES.creditorReceivable, [receivable.creditorId, receivable.id]);
    } else if (receivable.status === 'REFUSED') {
      // A refused receivable releases its invoice, so the debtor can issue a corrected one.
      await this.store.delete(KEY_TYPES.invoice, [receivable.invoiceKey]);
    }
    this.changes.add('receivables', receivable.id, receivable);
  }

  listIds(party: 'debtor' | 'creditor', enterpriseId: string, pageSize: number, bookmark: string): Promise<IdPage> {
    const type = party === 'debtor' ? KEY_TYPES.debtorReceivable : KEY_TYPES.creditorReceivable;
    return this.store.pageIndex(type, [enterpriseId], pageSize, bookmark);
  }
}
