import { createHash, createHmac } from 'crypto';
import type { InvoiceFields } from './inputs';

/**
 * An invoice is identified by its code and number and the two parties' registration
 * numbers, not by the file's hash (a one-byte edit changes that). Fields are normalised
 * so that full-width digits, spacing, hyphens and letter case cannot make one invoice
 * look like two.
 */
export function normaliseIdentifier(value: string): string {
  return value
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-_.]/g, '');
}

/**
 * The double-financing key: HMAC-SHA256 under the consortium's secret salt, which lives
 * in the banks' private data collection. Without the salt, the key cannot be reversed
 * by enumerating invoice numbers, so it reveals nothing readable.
 */
export function invoiceKey(fields: InvoiceFields, salt: Uint8Array): string {
  const canonical = [
    'scf-invoice-v1',
    normaliseIdentifier(fields.invoiceCode),
    normaliseIdentifier(fields.invoiceNumber),
    normaliseIdentifier(fields.sellerRegistrationNumber),
    normaliseIdentifier(fields.buyerRegistrationNumber),
  ].join('\u001f');
  return createHmac('sha256', salt).update(canonical, 'utf8').digest('hex');
}

/**
 * How an enterprise's registration number is recorded: SHA-256 of the normalised number.
 * Issuance uses it to check that the invoice's seller and buyer are the receivable's parties.
 */
export function registrationNumberHash(registrationNumber: string): string {
  return createHash('sha256').update(normaliseIdentifier(registrationNumber), 'utf8').digest('hex');
}
