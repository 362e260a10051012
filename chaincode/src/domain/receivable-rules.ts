import { ScfError } from './errors';
import { type Amount, formatAmount, parseStoredAmount } from './money';
import type { Certificate, Enterprise, Receivable } from './model';
import { certificateId } from './ids';
import type { InvoiceFields } from './inputs';
import { registrationNumberHash } from './invoice-key';

/** The invoice must be between the receivable's parties: its registration numbers must hash to theirs. */
export function requireInvoiceParties(
  fields: InvoiceFields,
  debtorRegistrationHash: string,
  creditorRegistrationHash: string,
): void {
  if (registrationNumberHash(fields.sellerRegistrationNumber) !== creditorRegistrationHash) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      "invoice.sellerRegistrationNumber is not the creditor's registration number",
    );
  }
  if (registrationNumberHash(fields.buyerRegistrationNumber) !== debtorRegistrationHash) {
    throw new ScfError('INVALID_ARGUMENT', "invoice.buyerRegistrationNumber is not the debtor's registration number");
  }
}

/** No double financing: an invoice backs one receivable. */
export function requireUnclaimedInvoice(claimedBy: string | undefined): void {
  if (claimedBy) {
    throw new ScfError('INVOICE_ALREADY_USED', `this invoice already backs receivable ${claimedBy}`);
  }
}

export function receivableId(txId: string): string {
  return `rcv_${txId}`;
}

export interface IssueTerms {
  readonly faceAmount: Amount;
  readonly currency: string;
  readonly dueDate: string;
  readonly invoiceHash: string;
  readonly contractHash: string;
  readonly invoiceKey: string;
  readonly creditLineId: string;
}

/** A core enterprise (debtor) issues a receivable that its supplier (creditor) must sign for. */
export function issueReceivable(
  debtor: Enterprise,
  creditor: Enterprise,
  terms: IssueTerms,
  now: string,
  today: string,
  txId: string,
): Receivable {
  if (creditor.status !== 'ACTIVE') {
    throw new ScfError('INVALID_STATE', `creditor ${creditor.id} is suspended`);
  }
  if (!creditor.roles.includes('SUPPLIER')) {
    throw new ScfError('INVALID_ARGUMENT', `creditor ${creditor.id} is not a registered supplier`);
  }
  if (creditor.id === debtor.id) {
    throw new ScfError('INVALID_ARGUMENT', 'a core enterprise cannot issue a receivable to itself');
  }
  if (terms.dueDate <= today) {
    throw new ScfError('INVALID_ARGUMENT', `dueDate ${terms.dueDate} must be after the issue date ${today}`);
  }
  return {
    id: receivableId(txId),
    debtorId: debtor.id,
    creditorId: creditor.id,
    faceAmount: formatAmount(terms.faceAmount),
    currency: terms.currency,
    dueDate: terms.dueDate,
    invoiceHash: terms.invoiceHash,
    contractHash: terms.contractHash,
    invoiceKey: terms.invoiceKey,
    creditLineId: terms.creditLineId,
    issuedAt: now,
    issueTxId: txId,
    settledAmount: '0',
    frozen: null,
    status: 'ISSUED',
  };
}

export function requireIssued(receivable: Receivable): Extract<Receivable, { status: 'ISSUED' }> {
  if (receivable.status !== 'ISSUED') {
    throw new ScfError('INVALID_STATE', `receivable ${receivable.id} is already ${receivable.status}`);
  }
  return receivable;
}

/** The first certificate of an accepted receivable: its whole face amount, held by the creditor. */
function rootCertificate(
  receivable: Extract<Receivable, { status: 'ISSUED' }>,
  now: string,
  txId: string,
): Certificate {
  return {
    id: certificateId(txId, 0),
    receivableId: receivable.id,
    debtorId: receivable.debtorId,
    parentId: null,
    holderId: receivable.creditorId,
    amount: receivable.faceAmount,
    currency: receivable.currency,
    depth: 0,
    createdAt: now,
    createdTxId: txId,
    paidAmount: '0',
    frozen: null,
    status: 'ACTIVE',
  };
}

/** The supplier signs for the receivable (签收): it becomes the holder of the first certificate. */
export function acceptReceivable(
  receivable: Receivable,
  now: string,
  txId: string,
): { readonly accepted: Receivable; readonly root: Certificate } {
  const issued = requireIssued(receivable);
  const root = rootCertificate(issued, now, txId);
  return { accepted: { ...issued, status: 'ACCEPTED', acceptedAt: now, rootCertificateId: root.id }, root };
}

/** Pieces of a receivable move only while it is accepted, unfrozen and not being settled. */
export function requireOpenReceivable(receivable: Receivable): Extract<Receivable, { status: 'ACCEPTED' }> {
  if (receivable.frozen) {
    throw new ScfError(
      'FROZEN',
      `receivable ${receivable.id} is frozen by ${receivable.frozen.by}: ${receivable.frozen.reason}`,
    );
  }
  if (receivable.status !== 'ACCEPTED') {
    throw new ScfError('INVALID_STATE', `receivable ${receivable.id} is ${receivable.status}: its pieces cannot move`);
  }
  return receivable;
}

/**
 * Past its due date with something still owed: read from the business date of the
 * transaction (domain/business-time.ts), never stored stale.
 */
export function isOverdue(receivable: Receivable, today: string): boolean {
  const owed = receivable.status === 'ACCEPTED' || receivable.status === 'SETTLING';
  return owed && today > receivable.dueDate;
}

export function refuseReceivable(receivable: Receivable, reason: string, now: string): Receivable {
  return { ...requireIssued(receivable), status: 'REFUSED', refusedAt: now, refusalReason: reason };
}

export type ReceivableView = Receivable & { readonly outstandingAmount: string; readonly overdue: boolean };

/** A receivable as callers read it: with what is still owed and whether it is overdue on business date `today`. */
export function receivableView(receivable: Receivable, today: string): ReceivableView {
  const outstanding =
    parseStoredAmount('faceAmount', receivable.faceAmount) -
    parseStoredAmount('settledAmount', receivable.settledAmount);
  return { ...receivable, outstandingAmount: formatAmount(outstanding), overdue: isOverdue(receivable, today) };
}
