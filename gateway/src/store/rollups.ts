import { sql, type Transaction } from 'kysely';
import type { StoreDb, StoreTables } from './schema';

/**
 * Running totals for the portfolio reports (exposure, concentration), kept in step with the
 * rows by the feed in the same database transaction, so those reports read a few rows instead
 * of summing every piece. Each row of `certificates` or `financings` contributes to them by its
 * current state, once for oversight (`ALL_READERS`) and once for each enterprise its `readers`
 * name, so every caller's totals are sums over exactly the rows the read table lets it read,
 * with the rule itself kept in one place (RECORD_READERS). A new version takes its old
 * contribution out and puts its new one in.
 */
export const LIVE_STATUSES = ['ACTIVE', 'OFFERED', 'PLEDGED'];
/** A financing the bank has paid out and not been repaid or settled for. */
export const OUTSTANDING_STATUSES = ['FUNDED'];

/** The reader id of oversight's totals, which count every row: no DID looks like it. */
export const ALL_READERS = '*';

/** The columns a rolled-up row is counted by: both tables have them. */
export interface Counted {
  readonly status: string;
  readonly amount: string;
  readonly debtor_id: string;
  readonly bank_id: string | null;
  readonly readers: readonly string[];
}

type Trx = Transaction<StoreTables>;
type Sign = 1n | -1n;

async function add(trx: Trx, table: string, key: Record<string, string>, amount: bigint, count: Sign): Promise<void> {
  const columns = Object.keys(key);
  const [total, counter] = table === 'rollup_financed' ? ['amount', 'financings'] : ['amount', 'pieces'];
  const keys = sql.join(columns.map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(table)} (${keys}, ${sql.ref(total!)}, ${sql.ref(counter!)})
    values (${sql.join(Object.values(key))}, ${amount.toString()}, ${count.toString()})
    on conflict (${keys}) do update set
      ${sql.ref(total!)} = ${sql.table(table)}.${sql.ref(total!)} + excluded.${sql.ref(total!)},
      ${sql.ref(counter!)} = ${sql.table(table)}.${sql.ref(counter!)} + excluded.${sql.ref(counter!)}`.execute(trx);
}

/** Oversight, and each enterprise that may read the row. */
const countedFor = (row: Counted): string[] => [ALL_READERS, ...new Set(row.readers)];

async function countPiece(trx: Trx, row: Counted, sign: Sign): Promise<void> {
  if (!LIVE_STATUSES.includes(row.status)) return;
  const amount = BigInt(row.amount) * sign;
  for (const reader_id of countedFor(row)) {
    await add(trx, 'rollup_live_debtor', { reader_id, debtor_id: row.debtor_id }, amount, sign);
    if (row.bank_id !== null) await add(trx, 'rollup_live_bank', { reader_id, bank_id: row.bank_id }, amount, sign);
  }
}

async function countFinancing(trx: Trx, row: Counted, sign: Sign): Promise<void> {
  if (!OUTSTANDING_STATUSES.includes(row.status) || row.bank_id === null) return;
  for (const reader_id of countedFor(row)) {
    const key = { reader_id, bank_id: row.bank_id, debtor_id: row.debtor_id };
    await add(trx, 'rollup_financed', key, BigInt(row.amount) * sign, sign);
  }
}

/** Moves a certificate's or financing's contribution from its old version (none if new) to its new one. */
export async function recount(
  trx: Trx,
  table: 'certificates' | 'financings',
  before: Counted | undefined,
  after: Counted,
): Promise<void> {
  const count = table === 'certificates' ? countPiece : countFinancing;
  if (before) await count(trx, before, -1n);
  await count(trx, after, 1n);
}

/** Recomputes every total from the rows (after a bulk load). */
export async function recomputeRollups(db: StoreDb): Promise<void> {
  const live = sql.join(LIVE_STATUSES);
  await sql`delete from rollup_live_debtor`.execute(db);
  await sql`delete from rollup_live_bank`.execute(db);
  await sql`delete from rollup_financed`.execute(db);
  // Each row counts for oversight and for every distinct reader it names.
  const counted = sql`unnest(array[${ALL_READERS}]::text[] || array(select distinct unnest(readers))) as reader_id`;
  await sql`insert into rollup_live_debtor select reader_id, debtor_id, sum(amount), count(*)
    from certificates, ${counted} where status in (${live}) group by reader_id, debtor_id`.execute(db);
  await sql`insert into rollup_live_bank select reader_id, bank_id, sum(amount), count(*)
    from certificates, ${counted} where status in (${live}) and bank_id is not null
    group by reader_id, bank_id`.execute(db);
  await sql`insert into rollup_financed select reader_id, bank_id, debtor_id, sum(amount), count(*)
    from financings, ${counted} where status in (${sql.join(OUTSTANDING_STATUSES)})
    group by reader_id, bank_id, debtor_id`.execute(db);
}
