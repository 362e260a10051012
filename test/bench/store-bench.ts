/**
 * The query store's figures for `npm run bench`: each report's latency (p50, p95 over repeated
 * calls with varied parameters) on a store of `certificates` pieces, and how many committed
 * events a second the feed stores. The large store is seeded by SQL in bulk (through the
 * feed it would take hours); its rows have the shape the feed writes, readers included.
 */
import { randomBytes } from 'crypto';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { performance } from 'perf_hooks';
import { sql } from 'kysely';
import type { LedgerEvent } from '../../gateway/src/ledger/ledger-backend';
import { openStore, type StoreConnection } from '../../gateway/src/store/connection';
import { readCheckpoint, storeEvent, StoreFeed } from '../../gateway/src/store/feed';
import { pgInstalled, startStoreServer } from '../../gateway/test/support/store-server';
import { concentration, exposure, listCertificates, listFinancings, listOverdue } from '../../gateway/src/store/queries';
import { recomputeRollups } from '../../gateway/src/store/rollups';
import { migrate, type StoreDb } from '../../gateway/src/store/schema';

const DEBTORS = 20;
const HOLDERS = 2000;
const BANKS = 5;
const PIECES_PER_RECEIVABLE = 100;

export interface QueryFigure {
  readonly query: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly rows: number;
}

export interface StoreFigures {
  readonly database: string;
  readonly certificates: number;
  readonly seedSeconds: number;
  readonly queries: QueryFigure[];
  /** Split events stored a second: arriving one at a time, and queued up (the feed batches them). */
  readonly ingestEventsPerSecond: { readonly alone: number; readonly queued: number };
}

/** Rows as the feed writes them, in bulk: pieces spread over debtors, holders, banks, statuses and due dates. */
async function seed(db: StoreDb, certificates: number): Promise<void> {
  const receivables = Math.ceil(certificates / PIECES_PER_RECEIVABLE);
  await sql`insert into receivables (id, status, tx_id, block, readers, record, debtor_id, creditor_id, face_amount, settled_amount, due_date, bank_id)
    select 'rcv_' || lpad(r::text, 9, '0'), case when r % 10 = 0 then 'SETTLED' else 'ACCEPTED' end, md5(r::text), r,
      array['did:scf:core-' || (r % ${DEBTORS}), 'did:scf:supplier-' || (r % ${HOLDERS})], '{}'::jsonb,
      'did:scf:core-' || (r % ${DEBTORS}), 'did:scf:supplier-' || (r % ${HOLDERS}), 100000000, 0,
      date '2026-01-01' + (r % 540), 'did:scf:bank-' || (r % ${BANKS})
    from generate_series(1, ${receivables}) r`.execute(db);
  // Every fifth piece is pledged to a bank (its financing below); a tenth are settled, a tenth split.
  await sql`insert into certificates (id, status, tx_id, block, readers, record, receivable_id, parent_id, holder_id, debtor_id, amount, due_date, bank_id)
    select 'crt_' || lpad(c::text, 10, '0'),
      case when c % 5 = 0 then 'PLEDGED' when c % 10 = 1 then 'SETTLED' when c % 10 = 3 then 'SPLIT' else 'ACTIVE' end,
      md5(c::text), c / 10,
      array['did:scf:supplier-' || (c % ${HOLDERS}), 'did:scf:core-' || ((c / ${PIECES_PER_RECEIVABLE} + 1) % ${DEBTORS})]
        || case when c % 5 = 0 then array['did:scf:bank-' || ((c / 5) % ${BANKS})] else array[]::text[] end,
      '{}'::jsonb, 'rcv_' || lpad((c / ${PIECES_PER_RECEIVABLE} + 1)::text, 9, '0'), null,
      'did:scf:supplier-' || (c % ${HOLDERS}), 'did:scf:core-' || ((c / ${PIECES_PER_RECEIVABLE} + 1) % ${DEBTORS}),
      1000 + (c::int8 * 7919) % 1000000, date '2026-01-01' + ((c / ${PIECES_PER_RECEIVABLE} + 1) % 540),
      case when c % 5 = 0 then 'did:scf:bank-' || ((c / 5) % ${BANKS}) end
    from generate_series(1, ${certificates}) c`.execute(db);
  await sql`insert into financings (id, status, tx_id, block, readers, record, certificate_id, receivable_id, applicant_id, bank_id, debtor_id, amount, applied_at)
    select 'fin_' || c.id, 'FUNDED', c.tx_id, c.block, array[c.holder_id, c.bank_id], '{}'::jsonb, c.id, c.receivable_id,
      c.holder_id, c.bank_id, c.debtor_id, c.amount, timestamptz '2026-01-01' + (c.block % 365) * interval '1 day'
    from certificates c where c.status = 'PLEDGED'`.execute(db);
  await recomputeRollups(db);
  await sql`analyze`.execute(db);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(query: string, runs: number, call: (i: number) => Promise<number>): Promise<QueryFigure> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    rows = await call(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  return { query, p50Ms: round(percentile(times, 50)), p95Ms: round(percentile(times, 95)), rows };
}

async function queryFigures(db: StoreDb, runs: number): Promise<QueryFigure[]> {
  const oversight = { kind: 'oversight' } as const;
  const holder = (i: number) => ({ kind: 'enterprise', id: `did:scf:supplier-${(i * 37) % HOLDERS}` }) as const;
  const bank = (i: number) => ({ kind: 'enterprise', id: `did:scf:bank-${i % BANKS}` }) as const;
  const day = (i: number): string => new Date(Date.UTC(2026, 0, 1 + (i % 500))).toISOString().slice(0, 10);
  return [
    await timed('certificates of a holder (as that holder)', runs, async (i) =>
      (await listCertificates(db, holder(i), { holderId: holder(i).id }, 50)).items.length),
    await timed('certificates pledged to a bank (as that bank)', runs, async (i) =>
      (await listCertificates(db, bank(i), { bankId: bank(i).id, status: 'PLEDGED' }, 50)).items.length),
    await timed('certificates by due-date and amount range (oversight)', runs, async (i) =>
      (await listCertificates(db, oversight, { dueFrom: day(i), dueTo: day(i + 30), minAmount: 500_000n, maxAmount: 600_000n }, 50)).items.length),
    await timed('overdue receivables on a date (oversight)', runs, async (i) =>
      (await listOverdue(db, oversight, day(i + 100), 50)).items.length),
    await timed('exposure per core enterprise (oversight)', Math.ceil(runs / 4), async () => (await exposure(db, oversight, 'core')).length),
    await timed('exposure of a bank (as that bank)', Math.ceil(runs / 4), async (i) => (await exposure(db, bank(i), 'bank')).length),
    await timed('concentration: top 10 debtors per bank (oversight)', Math.ceil(runs / 4), async () => (await concentration(db, oversight, 10)).length),
    await timed('financings of a bank in a quarter (as that bank)', runs, async (i) =>
      (await listFinancings(db, bank(i), { bankId: bank(i).id, from: `${day(i)}T00:00:00Z`, to: `${day(i + 90)}T00:00:00Z` }, 50)).items.length),
  ];
}

/** Committed events of the shape a split writes (the parent retired, two children). */
function splitEvents(count: number, from: number): LedgerEvent[] {
  const base = { identities: [], receivables: [], creditLines: [], financings: [], quoteRequests: [], settlements: [], payouts: [],
    credentials: [], attestations: [], recoveries: [], proposals: [], enterprises: [], parties: [] };
  const piece = (id: string, status: string) => ({ id, receivableId: 'rcv_000000001', debtorId: 'did:scf:core-1', parentId: null,
    holderId: 'did:scf:supplier-1', amount: '1000', currency: 'CNY', depth: 0, createdAt: '2026-12-01T00:00:00.000Z', createdTxId: 'x',
    paidAmount: '0', frozen: null, status, ...(status === 'SPLIT' ? { childIds: [`${id}a`, `${id}b`], retiredAt: '2026-12-01T00:00:00.000Z' } : {}) });
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const txId = randomBytes(32).toString('hex');
    const id = `crt_ingest_${i}`;
    const payload = { ...base, type: 'CertificateSplit', txId, timestamp: new Date().toISOString(), actor: 'did:scf:supplier-1',
      certificates: [piece(id, 'SPLIT'), piece(`${id}a`, 'ACTIVE'), piece(`${id}b`, 'ACTIVE')] };
    return { blockNumber: 10_000_000 + i, txId, type: 'CertificateSplit', payload } as unknown as LedgerEvent;
  });
}

const storeCheckpointEvents = async (db: StoreDb): Promise<number> => (await readCheckpoint(db)).events;

/**
 * Events a second the store takes: one at a time (each arriving alone, as at a quiet
 * ledger), and through the feed when they come faster than it stores them (it then stores
 * what has queued up in one transaction).
 */
async function ingestRates(db: StoreDb, events: number): Promise<{ alone: number; queued: number }> {
  const rate = (start: number): number => Math.round(events / ((performance.now() - start) / 1000));
  let start = performance.now();
  for (const event of splitEvents(events, 0)) await storeEvent(db, event);
  const alone = rate(start);
  const burst = splitEvents(events, events);
  const feed = new StoreFeed(db, { subscribe: async (_after, listener) => { burst.forEach(listener); return () => undefined; } }, (error) => { throw error; });
  const before = (await storeCheckpointEvents(db));
  start = performance.now();
  await feed.start();
  while (feed.status.events - before < events) await new Promise((resolve) => setTimeout(resolve, 5));
  const queued = rate(start);
  await feed.stop();
  return { alone, queued };
}

/** Opens a new store: a PostgreSQL server of its own when the packages are installed, else the embedded one. */
async function newStore(): Promise<{ connection: StoreConnection; name: string; stop: () => void }> {
  if (pgInstalled()) {
    const { url, stop } = startStoreServer(41_900 + (process.pid % 90));
    return { connection: await openStore({ kind: 'server', url }), name: 'PostgreSQL server (Debian)', stop };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scf-bench-pglite-'));
  return { connection: await openStore({ kind: 'embedded', dir }), name: 'PGlite (embedded)', stop: () => undefined };
}

export async function storeBench(
  certificates: number,
  log: (line: string) => void,
  { runs = 200, events = 2000 }: { readonly runs?: number; readonly events?: number } = {},
): Promise<StoreFigures> {
  const { connection, name, stop } = await newStore();
  try {
    await migrate(connection.db);
    log(`query store: seeding ${certificates.toLocaleString('en')} certificates into ${name} …`);
    const seedStart = performance.now();
    await seed(connection.db, certificates);
    const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
    log(`query store: seeded in ${seedSeconds} s; timing each report …`);
    const queries = await queryFigures(connection.db, runs);
    const ingestEventsPerSecond = await ingestRates(connection.db, events);
    return { database: name, certificates, seedSeconds, queries, ingestEventsPerSecond };
  } finally {
    await connection.close();
    stop();
  }
}
