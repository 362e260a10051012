import { loadForRead, RECORD_READERS, readablePayouts, readerOf, requireReader } from '../access/read-policy';
import { holdingFreeze, payoutAsOf, settlementAsOf } from '../domain/cash-leg-rules';
import { asOf } from '../domain/certificate-rules';
import type { Certificate, CreditLine, Financing, Payout, Receivable, Settlement } from '../domain/model';
import type { HISTORY_KINDS } from '../domain/vocabulary';
import type { TxScope } from './scf-context';

type HistoryKind = (typeof HISTORY_KINDS)[number];

/**
 * Loads a record for a query and applies its rule from the read table (access/read-policy.ts):
 * every query and the history of every record go through these, so they obey one table.
 */

export async function readableReceivable(tx: TxScope, id: string): Promise<Receivable> {
  const receivable = await loadForRead(tx.signedBy, `receivable ${id}`, () => tx.receivables.get(id));
  requireReader(tx.signedBy, RECORD_READERS.receivable(receivable), `receivable ${id}`);
  return receivable;
}

/** As of the transaction time: the recipient of an offer that has expired reads it no more. */
export async function readableCertificate(tx: TxScope, id: string): Promise<Certificate> {
  const stored = await loadForRead(tx.signedBy, `certificate ${id}`, () => tx.certificates.get(id));
  const certificate = asOf(stored, tx.now);
  requireReader(tx.signedBy, RECORD_READERS.certificate(certificate), `certificate ${id}`);
  return certificate;
}

export async function readableCreditLine(tx: TxScope, id: string): Promise<CreditLine> {
  const line = await loadForRead(tx.signedBy, `credit line ${id}`, () => tx.creditLines.get(id));
  requireReader(tx.signedBy, RECORD_READERS.creditLine(line), `credit line ${id}`);
  return line;
}

export async function readableFinancing(tx: TxScope, id: string): Promise<Financing> {
  const financing = await loadForRead(tx.signedBy, `financing ${id}`, () => tx.financings.get(id));
  requireReader(tx.signedBy, RECORD_READERS.financing(financing), `financing ${id}`);
  return financing;
}

/** A payout as it stands now: HELD while a freeze on the piece or its receivable stands, else PAYABLE or PAID. */
export async function payoutNow(tx: TxScope, payout: Payout): Promise<Payout> {
  if (payout.status === 'PAID') return payout;
  const certificate = await tx.certificates.get(payout.certificateId);
  return payoutAsOf(payout, holdingFreeze(certificate, await tx.receivables.get(certificate.receivableId)));
}

export function payoutsNow(tx: TxScope, payouts: readonly Payout[]): Promise<Payout[]> {
  return Promise.all(payouts.map((payout) => payoutNow(tx, payout)));
}

/**
 * A settlement as it stands now (COMPLETED once every payout is PAID) with the payouts the
 * caller may read: all of them for the debtor and oversight, only its own for a payee or
 * the collecting bank (the others are other branches' holders).
 */
export async function readableSettlement(
  tx: TxScope,
  id: string,
): Promise<{ settlement: Settlement; payouts: Payout[] }> {
  const stored = await loadForRead(tx.signedBy, `settlement ${id}`, () => tx.settlements.get(id));
  const payouts = await tx.settlements.payouts(stored.id);
  requireReader(tx.signedBy, RECORD_READERS.settlement(stored, payouts), `settlement ${id}`);
  const settlement = settlementAsOf(stored, payouts);
  return { settlement, payouts: await payoutsNow(tx, readablePayouts(readerOf(tx.signedBy), settlement, payouts)) };
}

/** The kinds whose history and attestations are read, each under its own record's rule. */
const READABLE_BY_KIND: Readonly<Record<HistoryKind, (tx: TxScope, id: string) => Promise<unknown>>> = {
  receivable: readableReceivable,
  certificate: readableCertificate,
  creditLine: readableCreditLine,
  financing: readableFinancing,
  settlement: readableSettlement,
  // The registry: every member reads enterprises (Enterprise:Get).
  enterprise: (tx, id) => tx.enterprises.get(id),
};

/** Applies the rule of the record `kind`/`id`, refusing a caller who may not read it. */
export async function readableRecord(tx: TxScope, kind: HistoryKind, id: string): Promise<void> {
  await READABLE_BY_KIND[kind](tx, id);
}
