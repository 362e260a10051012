import { randomUUID } from 'crypto';
import { GatewayUnderTest } from './support/gateway-under-test';
import { sha } from './support/fixtures';
import { pgInstalled, startStoreServer } from './support/store-server';
import { storeEvent } from '../src/store/feed';
import { recomputeRollups } from '../src/store/rollups';
import type { LedgerEvent } from '../src/ledger/ledger-backend';

const STORES: ReadonlyArray<['embedded' | 'server']> = pgInstalled() ? [['embedded'], ['server']] : [['embedded']];
if (!pgInstalled()) console.log('SKIPPED: the query store on a PostgreSQL server — PostgreSQL is not installed (apt-get install postgresql)');

const DAY = 86_400_000;
const dateIn = (days: number): string => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
let invoiceNumber = 80_000;

/**
 * The query store over HTTP on the embedded ledger with its embedded PostgreSQL: fed from
 * committed events, its reports obey the read table, pages are stable, exports stream every
 * version with its transaction, and a restart resumes from the checkpoint.
 */
describe.each(STORES)('the query store (%s PostgreSQL)', (kind) => {
  let gw: GatewayUnderTest;
  let server: { url: string; stop: () => void } | undefined;
  let env: NodeJS.ProcessEnv = {};
  const ids = { receivable: '', root: '', passed: '', kept: '', financing: '', late: '' };

  const ok = async (as: string, url: string, body: object): Promise<any> => {
    const answer = await gw.call('POST', url, { as, key: randomUUID(), body });
    expect({ url, status: answer.status, error: answer.body?.error }).toMatchObject({ url, status: expect.any(Number), error: undefined });
    return answer.body;
  };
  const issue = (faceAmount: string, dueDate: string) => ok('did:scf:core-a', '/receivables', {
    creditorId: 'did:scf:supplier-t1', faceAmount, currency: 'CNY', dueDate, invoiceHash: sha(`store-${invoiceNumber}`),
    contractHash: sha('contract'), creditLineId: gw.keys.creditLineId,
    invoice: { invoiceCode: '3100231130', invoiceNumber: String(++invoiceNumber).padStart(8, '0'),
      sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' } });
  /** Reads once the store holds the transaction (the store is fed after the commit). */
  const settled = async (txId: string): Promise<void> => {
    expect(await gw.parts.store!.feed.holds(txId, 30_000)).toBe(true);
  };
  const get = (as: string, url: string) => gw.call('GET', url, { as });

  beforeAll(async () => {
    if (kind === 'server') server = startStoreServer(41_000 + (process.pid % 900));
    env = { SCF_STORE: server?.url ?? 'embedded' };
    gw = await GatewayUnderTest.start({ env });
    const issued = await issue('1000000', dateIn(30));
    ids.receivable = issued.result.id;
    ids.root = (await ok('did:scf:supplier-t1', `/receivables/${ids.receivable}/accept`, {})).result.certificate.id;
    const part = (await ok('did:scf:supplier-t1', `/certificates/${ids.root}/offer`, { to: 'did:scf:supplier-t2', amount: '400000',
      expiresAt: new Date(Date.now() + 3600_000).toISOString() })).result;
    [ids.passed, ids.kept] = [part.offered.id, part.remainder.id];
    await ok('did:scf:supplier-t2', `/certificates/${ids.passed}/offer/accept`, {});
    const ask = { certificateId: ids.kept, bankId: 'did:scf:bank-one', requestedAmount: '500000', annualRateBps: 400, feeAmount: '0',
      tenorEnd: dateIn(30) };
    const applied = (await ok('did:scf:supplier-t1', '/financings', { ...ask, mode: 'PLEDGE', documentsHash: sha('store financing') })).result;
    ids.financing = applied.financing.id;
    const funded = await ok('did:scf:bank-one', `/financings/${ids.financing}/approve`,
      { disbursedAmount: applied.terms.price.disbursedAmount, paymentRef: 'PAY-STORE-1' });
    await settled(funded.txId);
  }, 180_000);
  afterAll(async () => {
    await gw?.stop();
    server?.stop();
  });

  test('certificates by holder, bank, status, due date and amount, each caller seeing only what it may read', async () => {
    const mine = await get('did:scf:supplier-t2', '/store/certificates');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual([ids.passed]);
    // The debtor reads the whole tree; the lien bank the pledged piece; oversight everything.
    const tree = await get('did:scf:core-a', `/store/certificates?status=ACTIVE&dueFrom=${dateIn(29)}&dueTo=${dateIn(31)}`);
    expect(tree.body.items).toEqual([expect.objectContaining({ id: ids.passed, amount: '400000', holderId: 'did:scf:supplier-t2' })]);
    const pledged = await get('did:scf:bank-one', '/store/certificates?bankId=did:scf:bank-one');
    expect(pledged.body.items).toEqual([expect.objectContaining({ id: ids.kept, status: 'PLEDGED', amount: '600000' })]);
    expect((await get('did:scf:supplier-t3', '/store/certificates?bankId=did:scf:bank-one')).body.items).toEqual([]);
    const big = await get('did:scf:auditor', `/store/certificates?minAmount=500000&maxAmount=600000`);
    expect(big.body.items.map((c: { id: string }) => c.id)).toEqual([ids.kept]);
    // A consortium bank admin reads the registry, not business.
    expect(await get('admin:Bank1MSP', '/store/certificates')).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  });

  test('pages follow the cursor with no row twice or missing, and a forged cursor is a 400', async () => {
    const seen: string[] = [];
    let url = '/store/certificates?limit=1';
    for (;;) {
      const page = await get('did:scf:auditor', url);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      if (!page.body.nextCursor) break;
      url = `/store/certificates?limit=1&cursor=${page.body.nextCursor}`;
    }
    const all = (await get('did:scf:auditor', '/store/certificates?limit=200')).body.items.map((c: { id: string }) => c.id);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
    for (const cursor of ['not-base64!', Buffer.from('[1]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
      expect(await get('did:scf:auditor', `/store/certificates?cursor=${cursor}`)).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    }
    for (const bad of ['minAmount=-1', 'minAmount=1.5', 'dueFrom=2027-02-30', 'limit=0', 'limit=201', 'holderId=x', 'surprise=1', 'status=active']) {
      expect(await get('did:scf:auditor', `/store/certificates?${bad}`)).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    }
  });

  test('exposure per core and per bank, and concentration, sum what the caller may read', async () => {
    const byCore = await get('did:scf:auditor', '/store/exposure?by=core');
    expect(byCore.body.items).toEqual([expect.objectContaining({ id: 'did:scf:core-a', liveAmount: '1000000', livePieces: 2,
      financedAmount: '600000', financings: 1 })]);
    const byBank = await get('did:scf:bank-one', '/store/exposure?by=bank');
    expect(byBank.body.items).toEqual([{ id: 'did:scf:bank-one', liveAmount: '600000', livePieces: 1, financedAmount: '600000', financings: 1 }]);
    expect((await get('did:scf:supplier-t3', '/store/exposure?by=bank')).body.items).toEqual([]);
    // The supplier that holds the unfinanced piece sees only that piece's live amount.
    expect((await get('did:scf:supplier-t2', '/store/exposure?by=core')).body.items).toEqual([
      { id: 'did:scf:core-a', liveAmount: '400000', livePieces: 1, financedAmount: '0', financings: 0 }]);
    const ranked = await get('did:scf:auditor', '/store/concentration?top=5');
    expect(ranked.body.items).toEqual([{ bankId: 'did:scf:bank-one', debtorId: 'did:scf:core-a', rank: 1, financedAmount: '600000', shareBps: 10_000 }]);
    const financings = await get('did:scf:supplier-t1', '/store/financings?status=FUNDED');
    expect(financings.body.items).toEqual([expect.objectContaining({ id: ids.financing, bankId: 'did:scf:bank-one', amount: '600000' })]);
    expect((await get('did:scf:supplier-t2', '/store/financings')).body.items).toEqual([]);
  });

  test("each caller's running totals, kept by the feed step by step, are the ones summed afresh from the rows", async () => {
    const db = gw.parts.store!.db;
    // A row emptied by later versions keeps a zero total; a fresh sum has no row for it.
    const totals = async () => Promise.all(['rollup_live_debtor', 'rollup_live_bank', 'rollup_financed'].map(async (table) =>
      (await db.selectFrom(table as 'rollup_financed').selectAll().execute())
        .filter((row) => BigInt((row as { financings?: string; pieces?: string }).financings ?? (row as { pieces?: string }).pieces!) > 0n)
        .map((row) => JSON.stringify(row)).sort()));
    const kept = await totals();
    // The pieces passed on and financed moved between readers: tier 1, tier 2, the bank and oversight all have totals.
    expect(kept[0]!.map((row) => JSON.parse(row).reader_id).sort()).toEqual(
      ['*', 'did:scf:bank-one', 'did:scf:core-a', 'did:scf:supplier-t1', 'did:scf:supplier-t2']);
    await recomputeRollups(db);
    expect(await totals()).toEqual(kept);
  });

  test('a receivable is overdue from the day after its due date, as the chaincode reckons it', async () => {
    const due = dateIn(30);
    const on = await get('did:scf:auditor', `/store/receivables/overdue?asOf=${due}`);
    expect(on.body.items).toEqual([]);
    const dayAfter = new Date(Date.parse(due) + DAY).toISOString().slice(0, 10);
    const late = await get('did:scf:core-a', `/store/receivables/overdue?asOf=${dayAfter}`);
    expect(late.body.items).toEqual([expect.objectContaining({ id: ids.receivable, outstandingAmount: '1000000', daysOverdue: 1 })]);
    expect((await get('did:scf:supplier-t2', `/store/receivables/overdue?asOf=${dayAfter}`)).body.items).toEqual([]);
  });

  test('an export streams every version the enterprise read, each with its transaction, as JSON Lines and CSV', async () => {
    const jsonl = await get('did:scf:supplier-t2', '/store/exports');
    expect(jsonl.status).toBe(200);
    const rows = String(jsonl.body).trim().split('\n').map((line) => JSON.parse(line));
    // t2 read the piece while it was offered to it, then as its holder; never the piece supplier-t1 kept.
    expect(rows.filter((r) => r.kind === 'certificate').map((r) => [r.recordId, r.status])).toEqual([
      [ids.passed, 'OFFERED'], [ids.passed, 'ACTIVE']]);
    for (const row of rows) {
      const tx = await get('did:scf:supplier-t2', `/transactions/${row.txId}`);
      expect(tx).toMatchObject({ status: 200, body: { valid: true, blockNumber: Number(row.block) } });
    }
    const csv = await gw.call('GET', '/store/exports?format=csv', { as: 'did:scf:supplier-t2' });
    expect(String(csv.body).split('\r\n')[0]).toBe('seq,block,txId,at,type,kind,recordId,status,record');
    expect(String(csv.body).trim().split('\r\n')).toHaveLength(rows.length + 1);
    expect(await get('did:scf:supplier-t2', '/store/exports?enterpriseId=did:scf:supplier-t1')).toMatchObject({ status: 403 });
    const everything = await get('did:scf:auditor', '/store/exports?enterpriseId=did:scf:supplier-t2');
    expect(String(everything.body)).toBe(String(jsonl.body));
  });

  test('a restart resumes from the checkpoint: nothing lost, nothing twice', async () => {
    const before = (await get('did:scf:auditor', '/store/status')).body;
    expect(before.checkpoint.events).toBeGreaterThan(0);
    const exported = String((await get('did:scf:auditor', '/store/exports')).body);
    await gw.stop();
    gw = await GatewayUnderTest.start({ dataDir: gw.dataDir, env });
    // Written while nothing reads the store, then read by the resumed feed.
    const issued = await issue('250000', dateIn(10));
    await settled(issued.txId);
    const after = (await get('did:scf:auditor', '/store/status')).body;
    expect(after.checkpoint.events).toBe(before.checkpoint.events + 1);
    const again = String((await get('did:scf:auditor', '/store/exports')).body);
    expect(again.startsWith(exported)).toBe(true);
    // What follows is the new transaction's versions (the line it drew on, the receivable), once each.
    const added = again.slice(exported.length).trim().split('\n').map((line) => JSON.parse(line));
    expect(added.map((row) => [row.txId, row.kind])).toEqual([[issued.txId, 'creditLine'], [issued.txId, 'receivable']]);
  }, 120_000);

  test('an event that cannot be stored whole is not stored at all, and the checkpoint stays', async () => {
    const db = gw.parts.store!.db;
    const before = await gw.parts.store!.checkpoint();
    const empty = { enterprises: [], identities: [], receivables: [], certificates: [], creditLines: [], financings: [],
      quoteRequests: [], settlements: [], payouts: [], credentials: [], attestations: [], recoveries: [], proposals: [] };
    const stranger = { id: 'did:scf:half-stored', name: 'Half', roles: ['SUPPLIER'], status: 'ACTIVE' };
    // Its enterprise would be written first; its piece names a receivable nobody wrote, so the event fails after that.
    const piece = { id: 'crt_orphan', receivableId: 'rcv_missing', debtorId: 'did:scf:core-a', parentId: null, holderId: stranger.id,
      amount: '1', currency: 'CNY', depth: 0, createdAt: new Date().toISOString(), createdTxId: 'f'.repeat(64), paidAmount: '0', frozen: null, status: 'ACTIVE' };
    const event = { blockNumber: 999_999, txId: 'e'.repeat(64), type: 'ReceivableAccepted',
      payload: { ...empty, type: 'ReceivableAccepted', txId: 'e'.repeat(64), timestamp: new Date().toISOString(), actor: stranger.id,
        parties: [], enterprises: [stranger], certificates: [piece] } } as unknown as LedgerEvent;
    await expect(storeEvent(db, event)).rejects.toThrow(/no receivable rcv_missing/);
    expect(await gw.parts.store!.checkpoint()).toEqual(before);
    expect(await db.selectFrom('enterprises').select('id').where('id', '=', stranger.id).execute()).toEqual([]);
  });

  test('the check finds the store and the ledger agreeing, names a drift, and a rebuild from block 0 mends it', async () => {
    const clean = await get('did:scf:auditor', '/store/check');
    expect(clean.body).toMatchObject({ drift: [], receivables: 2, certificates: 3 });
    expect(clean.body.digest.store).toBe(clean.body.digest.ledger);
    expect(await get('did:scf:supplier-t1', '/store/check')).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    // Someone edits the store behind the feed's back.
    await gw.parts.store!.db.updateTable('certificates').set({ amount: '1' }).where('id', '=', ids.passed).execute();
    const drifted = await get('did:scf:regulator', '/store/check');
    expect(drifted.body.drift).toEqual([{ kind: 'certificate', id: ids.passed, field: 'amount', store: '1', ledger: '400000' }]);
    expect(drifted.body.digest.store).not.toBe(drifted.body.digest.ledger);
    const exported = String((await get('did:scf:auditor', '/store/exports')).body);
    await gw.stop();
    gw = await GatewayUnderTest.start({ dataDir: gw.dataDir, env: { ...env, SCF_STORE_REBUILD: 'true' } });
    await settled(JSON.parse(exported.trim().split('\n').pop()!).txId);
    const rebuilt = await get('did:scf:auditor', '/store/check');
    expect(rebuilt.body).toMatchObject({ drift: [], digest: { store: clean.body.digest.ledger } });
    // The same versions in the same order, each with its transaction (only the database's own sequence is new).
    const strip = (text: string) => text.trim().split('\n').map((line) => ({ ...JSON.parse(line), seq: undefined }));
    expect(strip(String((await get('did:scf:auditor', '/store/exports')).body))).toEqual(strip(exported));
  }, 120_000);
});
