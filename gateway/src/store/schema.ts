import type { ColumnType, Kysely } from 'kysely';
import { sql } from 'kysely';
import { SHARED_DDL, type SharedTables } from './shared-schema';

/**
 * The query store's tables: one row per ledger record as its last committed version left it,
 * and one row per version (`changes`), each with the transaction that wrote it. `readers`
 * holds the enterprises the chaincode's read table names for that version
 * (RECORD_READERS), so every query filters with the chaincode's own rule.
 * Amounts are int8 minor units (the ledger's ceiling is 2^63 − 1); sums are numeric.
 */
type Amount = ColumnType<string, string | bigint, string | bigint>;
type Json = ColumnType<unknown, string, string>;

interface RecordRow {
  id: string;
  status: string;
  tx_id: string;
  block: Amount;
  readers: string[];
  record: Json;
}

export interface CertificateRow extends RecordRow {
  receivable_id: string;
  parent_id: string | null;
  holder_id: string;
  debtor_id: string;
  amount: Amount;
  due_date: string;
  bank_id: string | null;
}

export interface ReceivableRow extends RecordRow {
  debtor_id: string;
  creditor_id: string;
  face_amount: Amount;
  settled_amount: Amount;
  due_date: string;
  bank_id: string;
}

export interface FinancingRow extends RecordRow {
  certificate_id: string;
  receivable_id: string;
  applicant_id: string;
  bank_id: string;
  debtor_id: string;
  amount: Amount;
  applied_at: string;
}

export interface ChangeRow {
  /** Assigned by the database: the order versions were stored in. */
  seq: ColumnType<string, never, never>;
  block: Amount;
  tx_id: string;
  type: string;
  at: string;
  kind: string;
  record_id: string;
  readers: string[];
  record: Json;
}

export interface TransactionRow {
  tx_id: string;
  block: Amount;
  type: string;
  at: string;
  actor: string;
}

export interface CheckpointRow {
  id: number;
  block: Amount;
  tx_id: string;
  events: Amount;
}

interface LiveTotal {
  amount: string;
  pieces: string;
}

export interface WebhookRow {
  id: string;
  enterprise_id: string;
  /** The reader the subscriber is (its roles decide: oversight reads every event whole). */
  roles: string[];
  url: string;
  /** The HMAC key deliveries are signed with; shown to the subscriber once. */
  secret: string;
  event_types: string[];
  /** Events of later blocks only: a rebuild from block 0 does not send a subscriber its past. */
  from_block: Amount;
  active: boolean;
  created_at: string;
}

export interface OutboxRow {
  id: ColumnType<string, never, never>;
  subscription_id: string;
  /** `<block>:<txId>` of a ledger event, or a reminder's key: one delivery per subscription and event. */
  event_key: string;
  type: string;
  payload: Json;
  created_at: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string;
  delivered_at: string | null;
  /** Set after the last attempt the schedule allows: delivery stopped until replayed. */
  failed_at: string | null;
}

export interface DeliveryRow {
  id: ColumnType<string, never, never>;
  outbox_id: string;
  attempt: number;
  at: string;
  status: number | null;
  error: string | null;
}

export interface StoreTables extends SharedTables {
  webhooks: WebhookRow;
  webhook_outbox: OutboxRow;
  webhook_deliveries: DeliveryRow;
  rollup_live_debtor: LiveTotal & { reader_id: string; debtor_id: string };
  rollup_live_bank: LiveTotal & { reader_id: string; bank_id: string };
  rollup_financed: { reader_id: string; bank_id: string; debtor_id: string; amount: string; financings: string };
  certificates: CertificateRow;
  receivables: ReceivableRow;
  financings: FinancingRow;
  credit_lines: RecordRow & { bank_id: string; core_id: string };
  settlements: RecordRow & { receivable_id: string; debtor_id: string };
  payouts: RecordRow & { settlement_id: string; payee_id: string; amount: Amount };
  enterprises: RecordRow & { name: string };
  changes: ChangeRow;
  transactions: TransactionRow;
  checkpoint: CheckpointRow;
}

export type StoreDb = Kysely<StoreTables>;

/** The schema's version: a store written by another version is rebuilt from block 0, not read. */
export const SCHEMA_VERSION = 3;

const RECORD_COLUMNS = `id text primary key, status text not null, tx_id text not null, block int8 not null,
  readers text[] not null, record jsonb not null`;

/** Each statement creates what is missing, so opening an existing store changes nothing. */
const DDL = [
  `create table if not exists store_meta (id int primary key, schema_version int not null)`,
  `create table if not exists checkpoint (id int primary key, block int8 not null, tx_id text not null,
     events int8 not null)`,
  `create table if not exists certificates (${RECORD_COLUMNS}, receivable_id text not null, parent_id text,
     holder_id text not null, debtor_id text not null, amount int8 not null, due_date date not null, bank_id text)`,
  `create index if not exists certificates_holder on certificates (holder_id, id)`,
  `create index if not exists certificates_bank on certificates (bank_id, id) where bank_id is not null`,
  `create index if not exists certificates_due on certificates (due_date, id)`,
  `create index if not exists certificates_status on certificates (status, id)`,
  `create index if not exists certificates_readers on certificates using gin (readers)`,
  `create index if not exists certificates_receivable on certificates (receivable_id)`,
  `create table if not exists receivables (${RECORD_COLUMNS}, debtor_id text not null, creditor_id text not null,
     face_amount int8 not null, settled_amount int8 not null, due_date date not null, bank_id text not null)`,
  `create index if not exists receivables_due on receivables (due_date, id)`,
  `create index if not exists receivables_debtor on receivables (debtor_id)`,
  `create index if not exists receivables_readers on receivables using gin (readers)`,
  `create table if not exists financings (${RECORD_COLUMNS}, certificate_id text not null, receivable_id text not null,
     applicant_id text not null, bank_id text not null, debtor_id text not null, amount int8 not null,
     applied_at timestamptz not null)`,
  `create index if not exists financings_bank on financings (bank_id, applied_at, id)`,
  `create index if not exists financings_readers on financings using gin (readers)`,
  `create table if not exists credit_lines (${RECORD_COLUMNS}, bank_id text not null, core_id text not null)`,
  `create table if not exists settlements (${RECORD_COLUMNS}, receivable_id text not null, debtor_id text not null)`,
  `create table if not exists payouts (${RECORD_COLUMNS}, settlement_id text not null, payee_id text not null,
     amount int8 not null)`,
  `create index if not exists payouts_settlement on payouts (settlement_id)`,
  `create table if not exists enterprises (${RECORD_COLUMNS}, name text not null)`,
  `create table if not exists changes (seq bigserial primary key, block int8 not null, tx_id text not null,
     type text not null, at timestamptz not null, kind text not null, record_id text not null,
     readers text[] not null, record jsonb not null)`,
  `create index if not exists changes_readers on changes using gin (readers)`,
  `create index if not exists changes_at on changes (at, seq)`,
  // Running totals for the portfolio reports, per reader ('*': oversight), kept in step with the rows (rollups.ts).
  `create table if not exists rollup_live_debtor (reader_id text not null, debtor_id text not null,
     amount numeric not null, pieces int8 not null, primary key (reader_id, debtor_id))`,
  `create table if not exists rollup_live_bank (reader_id text not null, bank_id text not null,
     amount numeric not null, pieces int8 not null, primary key (reader_id, bank_id))`,
  `create table if not exists rollup_financed (reader_id text not null, bank_id text not null, debtor_id text not null,
     amount numeric not null, financings int8 not null, primary key (reader_id, bank_id, debtor_id))`,
  `create table if not exists transactions (tx_id text primary key, block int8 not null, type text not null,
     at timestamptz not null, actor text not null)`,
];

/**
 * Subscriptions and their deliveries are the subscribers' own, not the ledger's: a rebuild
 * keeps them (the outbox's unique key keeps a re-read event from being queued twice).
 */
const WEBHOOK_DDL = [
  `create table if not exists webhooks (id text primary key, enterprise_id text not null, roles text[] not null,
     url text not null, secret text not null, event_types text[] not null, from_block int8 not null,
     active boolean not null, created_at timestamptz not null)`,
  `create index if not exists webhooks_enterprise on webhooks (enterprise_id)`,
  `create table if not exists webhook_outbox (id bigserial primary key, subscription_id text not null,
     event_key text not null, type text not null, payload jsonb not null, created_at timestamptz not null,
     attempts int not null default 0, next_attempt_at timestamptz not null, delivered_at timestamptz,
     failed_at timestamptz, unique (subscription_id, event_key))`,
  `create index if not exists webhook_outbox_due on webhook_outbox (next_attempt_at)
     where delivered_at is null and failed_at is null`,
  `create table if not exists webhook_deliveries (id bigserial primary key, outbox_id int8 not null,
     attempt int not null, at timestamptz not null, status int, error text)`,
  `create index if not exists webhook_deliveries_outbox on webhook_deliveries (outbox_id)`,
];

/** Every table the DDL creates, newest first, so that dropping them all leaves nothing behind. */
const TABLES = DDL.flatMap((statement) => /^create table if not exists (\w+)/.exec(statement)?.[1] ?? []).reverse();

/** Any number the gateways agree on: the lock that lets one gateway at a time create the tables. */
const MIGRATION_LOCK = 0x5cf_0001;

/**
 * Creates the tables; a store of another schema version is emptied first (it is rebuilt from
 * block 0). In one database transaction under an advisory lock, so gateways starting together
 * on one server do not race to create the same table.
 */
export async function migrate(db: StoreDb): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
    await sql.raw(DDL[0]!).execute(trx);
    const meta = await sql<{ schema_version: number }>`select schema_version from store_meta where id = 1`.execute(trx);
    const version = meta.rows[0]?.schema_version;
    if (version !== undefined && version !== SCHEMA_VERSION) await dropAll(trx);
    for (const statement of [...DDL, ...WEBHOOK_DDL, ...SHARED_DDL]) await sql.raw(statement).execute(trx);
    const insertVersion = sql`insert into store_meta (id, schema_version) values (1, ${SCHEMA_VERSION})`;
    await sql`${insertVersion} on conflict (id) do nothing`.execute(trx);
    // The feed locks this row to store events, so it must exist before the first event.
    await sql`insert into checkpoint (id, block, tx_id, events) values (1, -1, '', 0)
      on conflict (id) do nothing`.execute(trx);
  });
}

/** Empties the store: the next ingestion starts from block 0. */
export async function dropAll(db: StoreDb): Promise<void> {
  for (const table of TABLES) await sql.raw(`drop table if exists ${table}`).execute(db);
}
