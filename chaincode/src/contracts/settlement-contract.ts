import { Info, Returns, Transaction } from 'fabric-contract-api';
import {
  requireCollectingBank,
  requireDebtor,
  requireDebtorOrBank,
  requirePayeeOrItsBank,
  requireSelfOrOversight,
} from '../access/relationships';
import { confirmPayment, confirmPayout, settlementAsOf } from '../domain/cash-leg-rules';
import { release } from '../domain/credit-line-rules';
import { closeOnSettlement } from '../domain/financing-rules';
import { CertificateId, EnterpriseId, parseArg, PaymentRef, ReceivableId, SettlementId } from '../domain/inputs';
import type { Certificate, Receivable, Settlement } from '../domain/model';
import { parseAmount } from '../domain/money';
import { clearPage, type PageOutcome, recordPayment, requirePayable } from '../domain/settlement-rules';
import { encodeBookmark, parsePage } from './paging';
import { payoutNow, payoutsNow, readableReceivable, readableSettlement } from './readable';
import { receiptOf } from './receipt';
import { emit, reply, ScfContract } from './scf-contract';
import { businessToday } from './business-day';
import { ScfContext, type TxScope } from './scf-context';

@Info({ title: 'Settlement', description: 'Payment at maturity (兑付), cleared pro rata to every live piece in pages' })
export class SettlementContract extends ScfContract {
  constructor() {
    super('Settlement');
  }

  /**
   * The debtor records a payment (off-chain reference) at or after the due date. The
   * credit line is released by the amount paid, and the first `pageSize` pieces are
   * cleared at once; a larger tree is finished with ClearNext.
   */
  @Transaction()
  @Returns('string')
  async Pay(
    ctx: ScfContext,
    receivableId: string,
    amount: string,
    paymentRef: string,
    pageSize: string,
  ): Promise<string> {
    const tx = ctx.tx;
    const receivable = await tx.receivables.get(parseArg('receivableId', ReceivableId, receivableId));
    requireDebtor(tx.signedBy, receivable);
    const size = parsePage(pageSize, '').size;
    const ref = parseArg('paymentRef', PaymentRef, paymentRef);
    const today = await businessToday(tx);
    requirePayable(receivable, today);
    const line = await tx.creditLines.get(receivable.creditLineId);
    const recorded = recordPayment(receivable, line.bankId, parseAmount('amount', amount), ref, tx.now, today, tx.txId);
    await tx.creditLines.save(release(line, recorded.paid));
    await tx.receivables.save(recorded.receivable, receivable);
    await tx.settlements.save(recorded.settlement, true);
    return emit(tx, {
      event: 'PaymentRecorded',
      answer: await this.clear(tx, recorded.settlement, recorded.receivable, size),
    });
  }

  /** Clears the next page of a payment: the debtor or any bank awaiting a payout may push it on. */
  @Transaction()
  @Returns('string')
  async ClearNext(ctx: ScfContext, settlementId: string, pageSize: string): Promise<string> {
    const tx = ctx.tx;
    const settlement = await tx.settlements.get(parseArg('settlementId', SettlementId, settlementId));
    const receivable = await tx.receivables.get(settlement.receivableId);
    requireDebtorOrBank(tx.signedBy, receivable);
    return emit(tx, {
      event: 'SettlementPageCleared',
      answer: await this.clear(tx, settlement, receivable, parsePage(pageSize, '').size),
    });
  }

  /**
   * The collecting bank (the one whose credit line the receivable used) confirms that the
   * debtor's money arrived, with its own reference. Payouts can be confirmed paid from then on.
   */
  @Transaction()
  @Returns('string')
  async ConfirmPayment(ctx: ScfContext, settlementId: string, receiptRef: string): Promise<string> {
    const tx = ctx.tx;
    const settlement = await tx.settlements.get(parseArg('settlementId', SettlementId, settlementId));
    requireCollectingBank(tx.signedBy, settlement);
    const confirmed = confirmPayment(settlement, receiptOf(tx, parseArg('receiptRef', PaymentRef, receiptRef)));
    await tx.settlements.save(confirmed);
    return emit(tx, { event: 'PaymentConfirmed', answer: confirmed });
  }

  /**
   * The payee, or an admin of the bank organisation that onboarded it, confirms that a payout
   * arrived: PAYABLE → PAID, once. Only the payout's own key is written, so payees confirming
   * at once never contend; the settlement reads COMPLETED when the last one is paid.
   */
  @Transaction()
  @Returns('string')
  async ConfirmPayout(
    ctx: ScfContext,
    settlementId: string,
    certificateId: string,
    receiptRef: string,
  ): Promise<string> {
    const tx = ctx.tx;
    const settlement = await tx.settlements.get(parseArg('settlementId', SettlementId, settlementId));
    const payout = await tx.settlements.getPayout(
      settlement.id,
      parseArg('certificateId', CertificateId, certificateId),
    );
    requirePayeeOrItsBank(tx.signedBy, await tx.enterprises.get(payout.payeeId));
    const ref = parseArg('receiptRef', PaymentRef, receiptRef);
    const paid = confirmPayout(settlement, await payoutNow(tx, payout), receiptOf(tx, ref));
    await tx.settlements.savePayout(paid);
    return emit(tx, { event: 'PayoutPaid', answer: paid });
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: ScfContext, settlementId: string): Promise<string> {
    const tx = ctx.tx;
    return reply(await readableSettlement(tx, parseArg('settlementId', SettlementId, settlementId)));
  }

  @Transaction(false)
  @Returns('string')
  async ListByReceivable(ctx: ScfContext, receivableId: string): Promise<string> {
    const tx = ctx.tx;
    const receivable = await readableReceivable(tx, parseArg('receivableId', ReceivableId, receivableId));
    const ids = await tx.settlements.idsOfReceivable(receivable.id);
    const items = await Promise.all(
      ids.map(async (id) => settlementAsOf(await tx.settlements.get(id), await tx.settlements.payouts(id))),
    );
    return reply({ items });
  }

  /** What an enterprise is owed from settlements, one page at a time. */
  @Transaction(false)
  @Returns('string')
  async PayoutsTo(ctx: ScfContext, payeeId: string, pageSize: string, bookmark: string): Promise<string> {
    const tx = ctx.tx;
    const id = parseArg('payeeId', EnterpriseId, payeeId);
    requireSelfOrOversight(tx.signedBy, id);
    const page = parsePage(pageSize, bookmark);
    const { payouts, bookmark: next } = await tx.settlements.pageForPayee(id, page.size, page.bookmark);
    return reply({ items: await payoutsNow(tx, payouts), bookmark: encodeBookmark(next) });
  }

  /**
   * Clears the pieces after the settlement's cursor, in certificate-id order. The index
   * range read is re-checked at commit, and no piece can move while the receivable is
   * SETTLING, so the pages see one fixed set of pieces.
   */
  private async clear(
    tx: TxScope,
    settlement: Settlement,
    receivable: Receivable,
    pageSize: number,
  ): Promise<Omit<PageOutcome, 'certificates'>> {
    const ids = await tx.certificates.idsOfReceivable(receivable.id);
    const remaining = ids.slice(settlement.cursor === '' ? 0 : ids.indexOf(settlement.cursor) + 1);
    const pieces = await Promise.all(remaining.slice(0, pageSize).map((id) => tx.certificates.get(id)));
    const last = remaining.length <= pageSize;
    const outcome = clearPage(settlement, receivable, pieces, last, tx.now);
    const before = new Map(pieces.map((piece) => [piece.id, piece]));
    for (const paid of outcome.certificates) {
      const previous = before.get(paid.id) as Certificate;
      await tx.certificates.save(paid, previous);
      if (previous.status === 'PLEDGED' && paid.status === 'SETTLED') {
        await tx.financings.save(closeOnSettlement(await tx.financings.get(previous.lien.financingId), tx.now));
      }
    }
    for (const payout of outcome.payouts) await tx.settlements.savePayout(payout, true);
    await tx.settlements.save(outcome.settlement);
    await tx.receivables.save(outcome.receivable, receivable);
    return { settlement: outcome.settlement, receivable: outcome.receivable, payouts: outcome.payouts };
  }
}
