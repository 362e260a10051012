import { Payout, Settlement } from '../../domain/model';
import type { ChangeSet } from '../change-set';
import { KEY_TYPES } from '../keys';
import type { LedgerStore } from '../ledger-store';

export class SettlementRepository {
  constructor(
    private readonly store: LedgerStore,
    private readonly changes: ChangeSet,
  ) {}

  get(id: string): Promise<Settlement> {
    return this.store.get(KEY_TYPES.settlement, [id], Settlement, 'settlement');
  }

  async save(settlement: Settlement, isNew = false): Promise<void> {
    await this.store.put(KEY_TYPES.settlement, [settlement.id], settlement);
    if (isNew) {
      await this.store.putIndex(KEY_TYPES.receivableSettlement, [settlement.receivableId, settlement.id]);
    }
    this.changes.add('settlements', settlement.id, settlement);
  }

  getPayout(settlementId: string, certificateId: string): Promise<Payout> {
    return this.store.get(KEY_TYPES.payout, [settlementId, certificateId], Payout, 'payout');
  }

  /** The piece's payout from a settlement, if a page cleared one for it. */
  findPayout(settlementId: string, certificateId: string): Promise<Payout | undefined> {
    return this.store.find(KEY_TYPES.payout, [settlementId, certificateId], Payout);
  }

  /** Payouts are created by the page that clears their piece, and written again only when confirmed paid. */
  async savePayout(payout: Payout, isNew = false): Promise<void> {
    await this.store.put(KEY_TYPES.payout, [payout.settlementId, payout.certificateId], payout);
    if (isNew) {
      await this.store.putIndex(KEY_TYPES.payeePayout, [payout.payeeId, payout.settlementId, payout.certificateId]);
    }
    this.changes.add('payouts', `${payout.settlementId}/${payout.certificateId}`, payout);
  }

  async payouts(settlementId: string): Promise<Payout[]> {
    const payouts: Payout[] = [];
    for await (const [, certificateId] of this.store.scan(KEY_TYPES.payout, [settlementId])) {
      payouts.push(await this.getPayout(settlementId, certificateId as string));
    }
    return payouts;
  }

  async idsOfReceivable(receivableId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const [, id] of this.store.scan(KEY_TYPES.receivableSettlement, [receivableId])) ids.push(id as string);
    return ids;
  }

  /** A payee's payouts, one page at a time. */
  async pageForPayee(
    payeeId: string,
    pageSize: number,
    bookmark: string,
  ): Promise<{ payouts: Payout[]; bookmark: string }> {
    const { entries, bookmark: next } = await this.store.pageEntries(
      KEY_TYPES.payeePayout,
      [payeeId],
      pageSize,
      bookmark,
    );
    const payouts = await Promise.all(
      entries.map(([, settlementId, certificateId]) => this.getPayout(settlementId as string, certificateId as string)),
    );
    return { payouts, bookmark: next };
  }
}
