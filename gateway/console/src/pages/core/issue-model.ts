import { parseMajor } from '../../money';
import { CURRENCY_PATTERN, DID_PATTERN, isCalendarDate, isInvoiceField } from '../../rules';

export const ISSUE_FIELDS = [
  'creditorId',
  'amount',
  'currency',
  'dueDate',
  'creditLineId',
  'invoiceCode',
  'invoiceNumber',
  'sellerRegistrationNumber',
  'buyerRegistrationNumber',
] as const;
export type IssueField = (typeof ISSUE_FIELDS)[number];
export type IssueForm = Record<IssueField, string>;

export const EMPTY_ISSUE: IssueForm = {
  creditorId: '',
  amount: '',
  currency: 'CNY',
  dueDate: '',
  creditLineId: '',
  invoiceCode: '',
  invoiceNumber: '',
  sellerRegistrationNumber: '',
  buyerRegistrationNumber: '',
};

/** Each field's check, as the chaincode makes it (its own vocabulary). */
export const ISSUE_CHECKS: Record<IssueField, (value: string) => boolean> = {
  creditorId: (v) => DID_PATTERN.test(v),
  amount: (v) => parseMajor(v).ok,
  currency: (v) => CURRENCY_PATTERN.test(v),
  dueDate: (v) => isCalendarDate(v),
  creditLineId: (v) => v !== '',
  invoiceCode: isInvoiceField,
  invoiceNumber: isInvoiceField,
  sellerRegistrationNumber: isInvoiceField,
  buyerRegistrationNumber: isInvoiceField,
};

export const invalidIssueFields = (form: IssueForm): IssueField[] =>
  ISSUE_FIELDS.filter((f) => !ISSUE_CHECKS[f](form[f]));

/** POST /receivables's body from a valid form and the documents' digests. */
export function issueBody(form: IssueForm, invoiceHash: string, contractHash: string): Record<string, unknown> {
  const amount = parseMajor(form.amount);
  if (!amount.ok) throw new Error('issueBody needs a valid form');
  return {
    creditorId: form.creditorId,
    faceAmount: amount.minor.toString(),
    currency: form.currency,
    dueDate: form.dueDate,
    invoiceHash,
    contractHash,
    creditLineId: form.creditLineId,
    invoice: {
      invoiceCode: form.invoiceCode,
      invoiceNumber: form.invoiceNumber,
      sellerRegistrationNumber: form.sellerRegistrationNumber,
      buyerRegistrationNumber: form.buyerRegistrationNumber,
    },
  };
}
