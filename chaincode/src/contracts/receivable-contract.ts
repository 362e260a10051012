import { Info, Returns, Transaction } from 'fabric-contract-api';
import { actingEnterprise, requireCreditLineHolder, requireCreditor } from '../access/relationships';
import { ScfError } from '../domain/errors';
import {
  CreditLineId,
  Currency,
  EnterpriseId,
  InvoiceFields,
  parseArg,
  ReceivableId,
  Reason,
  Sha256Hex,
} from '../domain/inputs';
import { invoiceKey } from '../domain/invoice-key';
import { parseAmount, parseStoredAmount } from '../domain/money';
import {
  acceptReceivable,
  issueReceivable,
  receivableView,
  refuseReceivable,
  requireInvoiceParties,
  requireUnclaimedInvoice,
} from '../domain/receivable-rules';
import { consume, release } from '../domain/credit-line-rules';
import { parseDate } from '../domain/time';
import { attestDocuments } from './attestations';
import { enterpriseListing } from './paging';
import { transientJson } from './transient';
import { readableReceivable } from './readable';
import { emit, reply, ScfContract } from './scf-contract';
import { businessToday } from './business-day';
import { ScfContext, type TxScope } from './scf-context';

@Info({
  title: 'Receivable',
  description: 'Confirmed trade debts: issued by the core enterprise, signed for by the supplier',
})
export class ReceivableContract extends ScfContract {
  constructor() {
    super('Receivable');
  }

  /**
   * Transient `invoice`: JSON {invoiceCode, invoiceNumber, sellerRegistrationNumber,
   * buyerRegistrationNumber}. It never enters the public ledger; only its salted key does.
   */
  @Transaction()
  @Returns('string')
  async Issue(
    ctx: ScfContext,
    creditorId: string,
    faceAmount: string,
    currency: string,
    dueDate: string,
    invoiceHash: string,
    contractHash: string,
    creditLineId: string,
  ): Promise<string> {
    const tx = ctx.tx;
    const debtor = actingEnterprise(tx.signedBy);
    await tx.consortium.get();
    const creditor = await tx.enterprises.get(parseArg('creditorId', EnterpriseId, creditorId));
    const line = await tx.creditLines.get(parseArg('creditLineId', CreditLineId, creditLineId));
    const terms = {
      faceAmount: parseAmount('faceAmount', faceAmount),
      currency: parseArg('currency', Currency, currency),
      dueDate: parseDate('dueDate', dueDate),
      invoiceHash: parseArg('invoiceHash', Sha256Hex, invoiceHash),
      contractHash: parseArg('contractHash', Sha256Hex, contractHash),
      invoiceKey: await this.invoiceKeyFor(tx, debtor.registrationNumberHash, creditor.registrationNumberHash),
      creditLineId: line.id,
    };
    requireUnclaimedInvoice(await tx.receivables.invoiceClaimedBy(terms.invoiceKey));
    const receivable = issueReceivable(debtor, creditor, terms, tx.now, await businessToday(tx), tx.txId);
    requireCreditLineHolder(tx.signedBy, line);
    const limit = await tx.terms.limitView(line.termsOrg, line.id);
    if (!limit) throw new ScfError('CREDIT_LIMIT_EXCEEDED', `credit line ${line.id} has no limit set by its bank yet`);
    await tx.creditLines.save(consume(line, limit, terms.currency, terms.faceAmount, tx.now));
    await tx.receivables.save(receivable);
    await attestDocuments(tx, 'receivable', receivable.id, {
      invoiceHash: receivable.invoiceHash,
      contractHash: receivable.contractHash,
    });
    return emit(tx, { event: 'ReceivableIssued', answer: receivable });
  }

  @Transaction()
  @Returns('string')
  async Accept(ctx: ScfContext, receivableId: string): Promise<string> {
    const tx = ctx.tx;
    const receivable = await tx.receivables.get(parseArg('receivableId', ReceivableId, receivableId));
    requireCreditor(tx.signedBy, receivable);
    const { accepted, root } = acceptReceivable(receivable, tx.now, tx.txId);
    await tx.receivables.save(accepted, receivable);
    await tx.certificates.save(root);
    return emit(tx, { event: 'ReceivableAccepted', answer: { receivable: accepted, certificate: root } });
  }

  @Transaction()
  @Returns('string')
  async Refuse(ctx: ScfContext, receivableId: string, reason: string): Promise<string> {
    const tx = ctx.tx;
    const receivable = await tx.receivables.get(parseArg('receivableId', ReceivableId, receivableId));
    requireCreditor(tx.signedBy, receivable);
    const refused = refuseReceivable(receivable, parseArg('reason', Reason, reason), tx.now);
    const line = await tx.creditLines.get(receivable.creditLineId);
    await tx.creditLines.save(release(line, parseStoredAmount('faceAmount', receivable.faceAmount)));
    await tx.receivables.save(refused, receivable);
    return emit(tx, { event: 'ReceivableRefused', answer: refused });
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: ScfContext, receivableId: string): Promise<string> {
    const tx = ctx.tx;
    const receivable = await readableReceivable(tx, parseArg('receivableId', ReceivableId, receivableId));
    return reply(receivableView(receivable, await businessToday(tx)));
  }

  @Transaction(false)
  @Returns('string')
  async ListByDebtor(ctx: ScfContext, debtorId: string, pageSize: string, bookmark: string): Promise<string> {
    return this.list(ctx.tx, 'debtor', debtorId, pageSize, bookmark);
  }

  @Transaction(false)
  @Returns('string')
  async ListByCreditor(ctx: ScfContext, creditorId: string, pageSize: string, bookmark: string): Promise<string> {
    return this.list(ctx.tx, 'creditor', creditorId, pageSize, bookmark);
  }

  private async list(
    tx: TxScope,
    party: 'debtor' | 'creditor',
    enterpriseId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const today = await businessToday(tx);
    return reply(
      await enterpriseListing(
        tx,
        enterpriseId,
        pageSize,
        bookmark,
        (id, size, mark) => tx.receivables.listIds(party, id, size, mark),
        async (id) => receivableView(await tx.receivables.get(id), today),
      ),
    );
  }

  /** The invoice must be between these two parties: its registration numbers must match theirs. */
  private async invoiceKeyFor(
    tx: TxScope,
    debtorRegistrationHash: string,
    creditorRegistrationHash: string,
  ): Promise<string> {
    const fields = transientJson(
      tx,
      'invoice',
      InvoiceFields,
      '{invoiceCode, invoiceNumber, sellerRegistrationNumber, buyerRegistrationNumber}',
    );
    requireInvoiceParties(fields, debtorRegistrationHash, creditorRegistrationHash);
    return invoiceKey(fields, await tx.consortium.invoiceSalt());
  }
}
