import type { Reader } from '@scf/chaincode';
import { type Expression, type SqlBool, sql } from 'kysely';
import { ALL_READERS } from './rollups';
import type { StoreDb } from './schema';

/**
 * The store's reports. Each reads only the rows the caller may read under the chaincode's
 * read table: oversight every row, an enterprise the rows whose `readers` name it; a
 * consortium bank admin reads the registry, not business, so callers refuse it before this.
 * Lists page by keyset (a cursor is the last row's sort key), so pages stay stable while
 * the store grows and cost the same at any depth.
 */
export type BusinessReader = Exclude<Reader, { kind: 'admin' }>;

export interface Page<T> {
  readonly items: T[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  readonly nextCursor?: string;
}

/** A cursor is opaque to callers: the last row's sort key, base64url JSON. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The sort key a cursor carries, or undefined when it is not one this store wrote. */
export function decodeCursor(cursor: string, size: number): string[] | undefined {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const valid =
      Array.isArray(key) && key.length === size && key.every((k) => typeof k === 'string' && k.length <= 200);
    return valid ? (key as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Rows the reader may read: everything for oversight, else those whose readers name it.
 * `narrowed`: the query already picks few rows by an indexed column, so the rule is checked
 * row by row (`= any`) instead of through the readers index, which would gather every row the
 * reader may read first (a bank's tens of thousands of pieces) only to keep fifty.
 */
function readable(reader: BusinessReader, column = 'readers', narrowed = false): Expression<SqlBool> {
  if (reader.kind === 'oversight') return sql<SqlBool>`true`;
  return narrowed
    ? sql<SqlBool>`${reader.id} = any(${sql.ref(column)})`
    : sql<SqlBool>`${sql.ref(column)} @> array[${reader.id}]::text[]`;
}

function page<T>(rows: T[], limit: number, keyOf: (row: T) => string[]): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(keyOf(items[items.length - 1]!)) };
}

export interface CertificateFilter {
  readonly holderId?: string;
  readonly status?: string;
  readonly bankId?: string;
  readonly dueFrom?: string;
  readonly dueTo?: string;
  readonly minAmount?: bigint;
  readonly maxAmount?: bigint;
}

export interface CertificateItem {
  readonly id: string;
  readonly receivableId: string;
  readonly holderId: string;
  readonly debtorId: string;
  readonly status: string;
  readonly amount: string;
  readonly dueDate: string;
  readonly bankId: string | null;
  readonly txId: string;
}

/** Certificates by holder, status, bank (the lien's), due-date range (inclusive) and amount range, by id. */
export async function listCertificates(
  db: StoreDb,
  reader: BusinessReader,
  filter: CertificateFilter,
  limit: number,
  after?: readonly string[],
): Promise<Page<CertificateItem>> {
  const f = filter;
  let query = db
    .selectFrom('certificates')
    .select(['id', 'receivable_id', 'holder_id', 'debtor_id', 'status', 'amount', 'due_date', 'bank_id', 'tx_id'])
    .where(readable(reader, 'readers', f.holderId !== undefined || f.bankId !== undefined));
  if (f.holderId !== undefined) query = query.where('holder_id', '=', f.holderId);
  if (f.status !== undefined) query = query.where('status', '=', f.status);
  if (f.bankId !== undefined) query = query.where('bank_id', '=', f.bankId);
  if (f.dueFrom !== undefined) query = query.where('due_date', '>=', f.dueFrom);
  if (f.dueTo !== undefined) query = query.where('due_date', '<=', f.dueTo);
  if (f.minAmount !== undefined) query = query.where('amount', '>=', f.minAmount.toString());
  if (f.maxAmount !== undefined) query = query.where('amount', '<=', f.maxAmount.toString());
  if (after) query = query.where('id', '>', after[0]!);
  const rows = await query
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const items = rows.map((r) => ({
    id: r.id,
    receivableId: r.receivable_id,
    holderId: r.holder_id,
    debtorId: r.debtor_id,
    status: r.status,
    amount: r.amount,
    dueDate: r.due_date,
    bankId: r.bank_id,
    txId: r.tx_id,
  }));
  return page(items, limit, (item) => [item.id]);
}

export interface OverdueItem {
  readonly id: string;
  readonly debtorId: string;
  readonly creditorId: string;
  readonly bankId: string;
  readonly dueDate: string;
  readonly faceAmount: string;
  readonly outstandingAmount: string;
  readonly daysOverdue: number;
  readonly txId: string;
}

/**
 * Receivables overdue on business date `asOf`: owed (accepted or settling) and due before
 * it, as the chaincode's isOverdue reckons it, oldest first.
 */
export async function listOverdue(
  db: StoreDb,
  reader: BusinessReader,
  asOf: string,
  limit: number,
  after?: readonly string[],
): Promise<Page<OverdueItem>> {
  let query = db
    .selectFrom('receivables')
    .select(['id', 'debtor_id', 'creditor_id', 'bank_id', 'due_date', 'face_amount', 'settled_amount', 'tx_id'])
    .select(sql<number>`(${asOf}::date - due_date)`.as('days'))
    .where('status', 'in', ['ACCEPTED', 'SETTLING'])
    .where('due_date', '<', asOf)
    .where(readable(reader));
  if (after) query = query.where(sql<SqlBool>`(due_date, id) > (${after[0]!}::date, ${after[1]!})`);
  const rows = await query
    .orderBy('due_date')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const items = rows.map((r) => ({
    id: r.id,
    debtorId: r.debtor_id,
    creditorId: r.creditor_id,
    bankId: r.bank_id,
    dueDate: r.due_date,
    faceAmount: r.face_amount,
    outstandingAmount: (BigInt(r.face_amount) - BigInt(r.settled_amount)).toString(),
    daysOverdue: Number(r.days),
    txId: r.tx_id,
  }));
  return page(items, limit, (item) => [item.dueDate, item.id]);
}

export interface ExposureItem {
  /** The core enterprise (debtor) or the bank the row is for. */
  readonly id: string;
  /** Live pieces' amounts: what is still owed on them. */
  readonly liveAmount: string;
  readonly livePieces: number;
  /** Outstanding financings: the pieces' amounts as financed. */
  readonly financedAmount: string;
  readonly financings: number;
}

type Sums = Map<string, { amount: string; count: number }>;

/** Sums by id from grouped rows; an id whose count has fallen to 0 (a running total emptied) has none. */
const sumsOf = (rows: readonly { id: string; amount: string; count: string }[]): Sums =>
  new Map(rows.filter((r) => BigInt(r.count) > 0n).map((r) => [r.id, { amount: r.amount, count: Number(r.count) }]));

/** Whose running totals a reader reads (rollups.ts): oversight's count every row, an enterprise's its readable ones. */
const totalsOf = (reader: BusinessReader): string => (reader.kind === 'oversight' ? ALL_READERS : reader.id);

/** Live and financed sums per core enterprise or per bank, over the rows the reader may read. */
async function rolledUp(db: StoreDb, reader: BusinessReader, by: 'core' | 'bank'): Promise<[Sums, Sums]> {
  const readerId = totalsOf(reader);
  const live =
    by === 'core'
      ? db
          .selectFrom('rollup_live_debtor')
          .select(['debtor_id as id', 'amount', 'pieces as count'])
          .where('reader_id', '=', readerId)
      : db
          .selectFrom('rollup_live_bank')
          .select(['bank_id as id', 'amount', 'pieces as count'])
          .where('reader_id', '=', readerId);
  const key = by === 'core' ? 'debtor_id' : 'bank_id';
  const financed = db
    .selectFrom('rollup_financed')
    .select([`${key} as id`, sql<string>`sum(amount)`.as('amount'), sql<string>`sum(financings)`.as('count')])
    .where('reader_id', '=', readerId)
    .groupBy(key);
  const [liveRows, financedRows] = await Promise.all([live.execute(), financed.execute()]);
  return [sumsOf(liveRows), sumsOf(financedRows)];
}

/** Exposure per core enterprise (what it owes, and how much of it banks have financed) or per bank. */
export async function exposure(db: StoreDb, reader: BusinessReader, by: 'core' | 'bank'): Promise<ExposureItem[]> {
  const [live, financed] = await rolledUp(db, reader, by);
  const ids = [...new Set([...live.keys(), ...financed.keys()])].sort();
  return ids.map((id) => ({
    id,
    liveAmount: live.get(id)?.amount ?? '0',
    livePieces: live.get(id)?.count ?? 0,
    financedAmount: financed.get(id)?.amount ?? '0',
    financings: financed.get(id)?.count ?? 0,
  }));
}

export interface ConcentrationItem {
  readonly bankId: string;
  readonly debtorId: string;
  readonly rank: number;
  readonly financedAmount: string;
  /** This debtor's part of the bank's outstanding financed amount, in basis points (rounded down). */
  readonly shareBps: number;
}

/** Each bank's top `top` debtors by outstanding financed amount (ties by debtor id). */
export async function concentration(
  db: StoreDb,
  reader: BusinessReader,
  top: number,
  bankId?: string,
): Promise<ConcentrationItem[]> {
  const bank = bankId === undefined ? sql<SqlBool>`true` : sql<SqlBool>`bank_id = ${bankId}`;
  const inner = db
    .selectFrom('rollup_financed')
    .select(['bank_id', 'debtor_id', 'amount'])
    .where('reader_id', '=', totalsOf(reader))
    .where('financings', '>', '0')
    .where(bank);
  const rows = await db
    .selectFrom(inner.as('t'))
    .select([
      'bank_id',
      'debtor_id',
      'amount',
      sql<string>`row_number() over (partition by bank_id order by amount desc, debtor_id)`.as('rank'),
      sql<string>`sum(amount) over (partition by bank_id)`.as('total'),
    ])
    .execute();
  return rows
    .filter((r) => Number(r.rank) <= top)
    .map((r) => ({
      bankId: r.bank_id,
      debtorId: r.debtor_id,
      rank: Number(r.rank),
      financedAmount: r.amount,
      shareBps: Number((BigInt(r.amount) * 10_000n) / BigInt(r.total)),
    }))
    .sort((a, b) => (a.bankId === b.bankId ? a.rank - b.rank : a.bankId < b.bankId ? -1 : 1));
}

export interface FinancingFilter {
  readonly bankId?: string;
  readonly status?: string;
  /** Applied on or after (ISO instant). */
  readonly from?: string;
  /** Applied before (ISO instant). */
  readonly to?: string;
}

export interface FinancingItem {
  readonly id: string;
  readonly certificateId: string;
  readonly applicantId: string;
  readonly bankId: string;
  readonly debtorId: string;
  readonly status: string;
  readonly amount: string;
  readonly appliedAt: string;
  readonly txId: string;
}

/** Financings by bank, status and period of application, oldest first. */
export async function listFinancings(
  db: StoreDb,
  reader: BusinessReader,
  filter: FinancingFilter,
  limit: number,
  after?: readonly string[],
): Promise<Page<FinancingItem>> {
  let query = db
    .selectFrom('financings')
    .select(['id', 'certificate_id', 'applicant_id', 'bank_id', 'debtor_id', 'status', 'amount', 'applied_at', 'tx_id'])
    .where(readable(reader, 'readers', filter.bankId !== undefined));
  if (filter.bankId !== undefined) query = query.where('bank_id', '=', filter.bankId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.from !== undefined) query = query.where('applied_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('applied_at', '<', filter.to);
  if (after) query = query.where(sql<SqlBool>`(applied_at, id) > (${after[0]!}::timestamptz, ${after[1]!})`);
  const rows = await query
    .orderBy('applied_at')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const items = rows.map((r) => ({
    id: r.id,
    certificateId: r.certificate_id,
    applicantId: r.applicant_id,
    bankId: r.bank_id,
    debtorId: r.debtor_id,
    status: r.status,
    amount: r.amount,
    appliedAt: r.applied_at,
    txId: r.tx_id,
  }));
  return page(items, limit, (item) => [item.appliedAt, item.id]);
}
