import { type EventPayload, RECORD_READERS, type records } from '@scf/chaincode';
import type { Transaction } from 'kysely';
import type { LedgerEvent } from '../ledger/ledger-backend';
import { type Counted, recount } from './rollups';
import { queueEvent } from './webhooks';
import type { StoreTables } from './schema';

type Trx = Transaction<StoreTables>;
type RowTable = Exclude<keyof StoreTables, 'changes' | 'checkpoint'>;

/** One record version as the store keeps it: its table's columns, and the change row it adds. */
interface Version {
  readonly table: RowTable;
  readonly kind: string;
  readonly id: string;
  readonly status: string;
  readonly readers: string[];
  readonly record: unknown;
  readonly columns: Record<string, string | bigint | null>;
}

/** What a version needs from records written earlier (in this event or a past one). */
class Lookup {
  constructor(
    private readonly trx: Trx,
    private readonly event: EventPayload,
  ) {}

  async dueDate(receivableId: string): Promise<string> {
    const inEvent = this.event.receivables.find((r) => r.id === receivableId);
    if (inEvent) return inEvent.dueDate;
    const row = await this.trx
      .selectFrom('receivables')
      .select('due_date')
      .where('id', '=', receivableId)
      .executeTakeFirst();
    return required(row, 'receivable', receivableId).due_date;
  }

  async bankOfLine(lineId: string): Promise<string> {
    const inEvent = this.event.creditLines.find((l) => l.id === lineId);
    if (inEvent) return inEvent.bankId;
    const row = await this.trx.selectFrom('credit_lines').select('bank_id').where('id', '=', lineId).executeTakeFirst();
    return required(row, 'credit line', lineId).bank_id;
  }

  async piece(certificateId: string): Promise<{ amount: string; debtorId: string }> {
    const inEvent = this.event.certificates.find((c) => c.id === certificateId);
    if (inEvent) return { amount: inEvent.amount, debtorId: inEvent.debtorId };
    const row = await this.trx
      .selectFrom('certificates')
      .select(['amount', 'debtor_id'])
      .where('id', '=', certificateId)
      .executeTakeFirst();
    const found = required(row, 'certificate', certificateId);
    return { amount: found.amount, debtorId: found.debtor_id };
  }

  /** The amount first financed: later payments lower the piece, not the loan. */
  async financedAmount(financingId: string): Promise<string | undefined> {
    const row = await this.trx
      .selectFrom('financings')
      .select('amount')
      .where('id', '=', financingId)
      .executeTakeFirst();
    return row?.amount;
  }

  async debtorOfSettlement(settlementId: string): Promise<string> {
    const inEvent = this.event.settlements.find((s) => s.id === settlementId);
    if (inEvent) return inEvent.debtorId;
    const row = await this.trx
      .selectFrom('settlements')
      .select('debtor_id')
      .where('id', '=', settlementId)
      .executeTakeFirst();
    return required(row, 'settlement', settlementId).debtor_id;
  }
}

/** Events come in ledger order, so a record an event refers to is already stored: if not, the store is corrupt. */
function required<T>(row: T | undefined, what: string, id: string): T {
  if (row === undefined) throw new Error(`the query store has no ${what} ${id}, which the ledger wrote earlier`);
  return row;
}

async function receivable(r: records.Receivable, look: Lookup): Promise<Version> {
  const columns = {
    debtor_id: r.debtorId,
    creditor_id: r.creditorId,
    face_amount: r.faceAmount,
    settled_amount: r.settledAmount,
    due_date: r.dueDate,
    bank_id: await look.bankOfLine(r.creditLineId),
  };
  return {
    table: 'receivables',
    kind: 'receivable',
    id: r.id,
    status: r.status,
    readers: RECORD_READERS.receivable(r),
    record: r,
    columns,
  };
}

async function certificate(c: records.Certificate, look: Lookup): Promise<Version> {
  const columns = {
    receivable_id: c.receivableId,
    parent_id: c.parentId,
    holder_id: c.holderId,
    debtor_id: c.debtorId,
    amount: c.amount,
    due_date: await look.dueDate(c.receivableId),
    // The bank a piece is tied to while the lien stands (applied for or pledged).
    bank_id: c.status === 'PLEDGED' ? c.lien.bankId : null,
  };
  return {
    table: 'certificates',
    kind: 'certificate',
    id: c.id,
    status: c.status,
    readers: RECORD_READERS.certificate(c),
    record: c,
    columns,
  };
}

async function financing(f: records.Financing, look: Lookup): Promise<Version> {
  const piece = await look.piece(f.certificateId);
  const columns = {
    certificate_id: f.certificateId,
    receivable_id: f.receivableId,
    applicant_id: f.applicantId,
    bank_id: f.bankId,
    debtor_id: piece.debtorId,
    amount: (await look.financedAmount(f.id)) ?? piece.amount,
    applied_at: f.appliedAt,
  };
  return {
    table: 'financings',
    kind: 'financing',
    id: f.id,
    status: f.status,
    readers: RECORD_READERS.financing(f),
    record: f,
    columns,
  };
}

async function payout(p: records.Payout, look: Lookup): Promise<Version> {
  const debtorId = await look.debtorOfSettlement(p.settlementId);
  const columns = { settlement_id: p.settlementId, payee_id: p.payeeId, amount: p.amount };
  const id = `${p.settlementId}:${p.certificateId}`;
  return {
    table: 'payouts',
    kind: 'payout',
    id,
    status: p.status,
    readers: RECORD_READERS.payout(p, debtorId),
    record: p,
    columns,
  };
}

function settlement(s: records.Settlement): Version {
  // The payees join the readers below, once this event's payouts are stored (refreshSettlementReaders).
  const readers = RECORD_READERS.settlement(s, []);
  const columns = { receivable_id: s.receivableId, debtor_id: s.debtorId };
  return { table: 'settlements', kind: 'settlement', id: s.id, status: s.status, readers, record: s, columns };
}

function creditLine(l: records.CreditLine): Version {
  const columns = { bank_id: l.bankId, core_id: l.coreId };
  return {
    table: 'credit_lines',
    kind: 'creditLine',
    id: l.id,
    status: l.status,
    readers: RECORD_READERS.creditLine(l),
    record: l,
    columns,
  };
}

/** Registry records are every member's; as a change, an enterprise's own record concerns that enterprise. */
function enterprise(e: records.Enterprise): Version {
  return {
    table: 'enterprises',
    kind: 'enterprise',
    id: e.id,
    status: e.status,
    readers: [e.id],
    record: e,
    columns: { name: e.name },
  };
}

/** The versions an event carries, in an order where each finds what it refers to. */
async function versionsOf(event: EventPayload, look: Lookup): Promise<Version[]> {
  const versions: Version[] = [...event.enterprises.map(enterprise), ...event.creditLines.map(creditLine)];
  for (const r of event.receivables) versions.push(await receivable(r, look));
  for (const c of event.certificates) versions.push(await certificate(c, look));
  for (const f of event.financings) versions.push(await financing(f, look));
  versions.push(...event.settlements.map(settlement));
  for (const p of event.payouts) versions.push(await payout(p, look));
  return versions;
}

/** The counted columns of a certificate's or financing's stored version, before this one replaces it. */
async function storedVersion(trx: Trx, table: 'certificates' | 'financings', id: string): Promise<Counted | undefined> {
  return trx
    .selectFrom(table)
    .select(['status', 'amount', 'debtor_id', 'bank_id', 'readers'])
    .where('id', '=', id)
    .executeTakeFirst();
}

async function put(trx: Trx, version: Version, txId: string, block: bigint): Promise<void> {
  const counted = version.table === 'certificates' || version.table === 'financings' ? version.table : undefined;
  const before = counted ? await storedVersion(trx, counted, version.id) : undefined;
  const row = {
    id: version.id,
    status: version.status,
    tx_id: txId,
    block,
    readers: version.readers,
    record: JSON.stringify(version.record),
    ...version.columns,
  };
  // The tables share the record columns; each adds its own, which `columns` carries.
  await (trx as unknown as Transaction<Record<RowTable, typeof row>>)
    .insertInto(version.table)
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
  if (counted)
    await recount(trx, counted, before, {
      status: version.status,
      readers: version.readers,
      ...version.columns,
    } as unknown as Counted);
}

/** A settlement is read by its debtor, its collecting bank and every payee it has cleared to so far. */
async function refreshSettlementReaders(trx: Trx, settlementIds: ReadonlySet<string>): Promise<void> {
  for (const id of settlementIds) {
    const row = await trx.selectFrom('settlements').select('record').where('id', '=', id).executeTakeFirst();
    const payouts = await trx.selectFrom('payouts').select('record').where('settlement_id', '=', id).execute();
    const readers = RECORD_READERS.settlement(
      required(row, 'settlement', id).record as records.Settlement,
      payouts.map((p) => p.record as records.Payout),
    );
    await trx
      .updateTable('settlements')
      .set({ readers: [...new Set(readers)] })
      .where('id', '=', id)
      .execute();
  }
}

/**
 * Writes what one committed transaction changed: the records' current rows and one change row
 * per version, each with the transaction's id. Runs inside the transaction that moves the
 * checkpoint, so an event is stored exactly once or not at all.
 */
export async function projectEvent(trx: Trx, event: LedgerEvent): Promise<void> {
  const { payload } = event;
  const block = BigInt(event.blockNumber);
  const versions = await versionsOf(payload, new Lookup(trx, payload));
  for (const version of versions) await put(trx, version, event.txId, block);
  const settlements = new Set([...payload.settlements.map((s) => s.id), ...payload.payouts.map((p) => p.settlementId)]);
  await refreshSettlementReaders(trx, settlements);
  await queueEvent(trx, event);
  await trx
    .insertInto('transactions')
    .values({ tx_id: event.txId, block, type: payload.type, at: payload.timestamp, actor: payload.actor })
    .execute();
  if (versions.length === 0) return;
  await trx
    .insertInto('changes')
    .values(
      versions.map((v) => ({
        block,
        tx_id: event.txId,
        type: payload.type,
        at: payload.timestamp,
        kind: v.kind,
        record_id: v.id,
        readers: v.readers,
        record: JSON.stringify(v.record),
      })),
    )
    .execute();
}
