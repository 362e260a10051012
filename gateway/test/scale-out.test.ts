import { readFileSync } from 'fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import path from 'path';
import { sql } from 'kysely';
import { GatewayUnderTest } from './support/gateway-under-test';
import { RoundRobinProxy } from './support/round-robin-proxy';
import { SecondGateway } from './support/second-gateway';
import { pgInstalled, startStoreServer } from './support/store-server';

/**
 * Scale-out: two gateways share one PostgreSQL server (SCF_STORE=postgres://…) and serve the
 * same callers behind one address. Gateway A is assembled as `npm start` assembles it; B is a
 * second gateway beside it with its own connection, registry, idempotency records, store feed
 * and webhook deliverer (support/second-gateway.ts), on A's embedded ledger. Each is called
 * over real HTTP, directly or through a round-robin proxy.
 */
const RUN = pgInstalled() ? describe : describe.skip;
if (!pgInstalled()) console.log('SKIPPED: two gateways sharing a database — PostgreSQL is not installed (apt-get install postgresql)');

const SLOT = process.pid % 450;
const PORTS = { database: 35_500 + SLOT, a: 33_000 + SLOT, b: 33_500 + SLOT, proxy: 34_000 + SLOT, receiver: 34_500 + SLOT };

interface Answer { status: number; body: any; headers: Headers }

/** A caller's request to a gateway at `base`, with a demo key (by name) or a key itself. */
async function call(base: string, keys: Record<string, string>, method: string, route: string,
  options: { as: string; key?: string; body?: unknown }): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${keys[options.as] ?? options.as}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.key) headers['idempotency-key'] = options.key;
  const response = await fetch(base + route, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** A webhook receiver that keeps every delivery it is sent. */
class Receiver {
  readonly received: { headers: IncomingHttpHeaders; body: string }[] = [];
  private constructor(private readonly server: Server) {}
  static async start(port: number): Promise<Receiver> {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        receiver.received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    const receiver = new Receiver(server);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return receiver;
  }
  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function until(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300 && !(await done()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await done()).toBe(true);
}

RUN('two gateways sharing one database serve the same callers', () => {
  let database: { url: string; stop: () => void };
  let a: GatewayUnderTest;
  let b: SecondGateway;
  let proxy: RoundRobinProxy;
  let receiver: Receiver;
  let keys: Record<string, string>;
  const env = (): NodeJS.ProcessEnv => ({ SCF_STORE: database.url, SCF_WEBHOOK_ALLOW_HTTP: 'true', SCF_WEBHOOK_INTERVAL_MS: '50' });
  const expiresAt = new Date(Date.now() + 365 * 86_400_000).toISOString();
  const grant = { coreId: 'did:scf:core-a', currency: 'CNY', limit: '500000', expiresAt };
  const roundKeys: string[] = [];

  beforeAll(async () => {
    database = startStoreServer(PORTS.database);
    // A starts as a gateway of its own (keys in its files), then moves to the shared database.
    const own = await GatewayUnderTest.start({ port: PORTS.a });
    await own.stop();
    a = await GatewayUnderTest.start({ dataDir: own.dataDir, env: env(), port: PORTS.a });
    keys = a.keys;
    b = await SecondGateway.start(a.parts, database.url, PORTS.b);
    proxy = await RoundRobinProxy.start([a.url, b.url], PORTS.proxy);
    receiver = await Receiver.start(PORTS.receiver);
  }, 180_000);
  afterAll(async () => {
    await proxy?.stop();
    await receiver?.stop();
    await b?.stop();
    await a?.stop();
    database?.stop();
  });

  test('a gateway moving from its own files to the shared database brings its keys: they work on the other', async () => {
    const filed = JSON.parse(readFileSync(path.join(a.dataDir, 'principals.json'), 'utf8')) as { principals: unknown[] };
    const moved = await sql<{ n: string }>`select count(*) as n from gateway_api_keys`.execute(a.parts.store!.db);
    expect(Number(moved.rows[0]!.n)).toBe(filed.principals.length);
    for (const who of ['did:scf:core-a', 'admin:Bank1MSP', 'maker:did:scf:supplier-t1'])
      expect((await call(b.url, keys, 'GET', '/me', { as: who })).status).toBe(200);
  });

  test('a webhook subscription made through one gateway is there for the other', async () => {
    const created = await call(a.url, keys, 'POST', '/webhooks', { as: 'did:scf:core-a', key: 'subscribe', body: { url: `http://127.0.0.1:${PORTS.receiver}/core` } });
    expect(created.status).toBe(201);
    const listed = await call(b.url, keys, 'GET', '/webhooks', { as: 'did:scf:core-a' });
    expect(listed.body.items.map((w: { id: string }) => w.id)).toEqual([created.body.id]);
  });

  test('the same Idempotency-Key sent to both gateways at once commits exactly one transaction, every round', async () => {
    for (let round = 0; round < 12; round++) {
      const key = `line-${round}`;
      roundKeys.push(key);
      const before = await a.height();
      const send = (base: string): Promise<Answer> => call(base, keys, 'POST', '/credit-lines', { as: 'did:scf:bank-one', key, body: grant });
      // Straight to each gateway, and through the proxy (which alternates), all at once.
      const answers = await Promise.all([send(a.url), send(b.url), send(proxy.url), send(proxy.url), send(a.url), send(b.url)]);
      // One grant: its two transactions (the public line and the bank's private limit), once.
      expect(await a.height()).toBe(before + 2);
      expect(answers.every((x) => x.status === 201 || (x.status === 409 && x.body.error.code === 'IDEMPOTENCY_KEY_IN_FLIGHT'))).toBe(true);
      const created = answers.filter((x) => x.status === 201);
      expect(new Set(created.map((x) => x.body.txId)).size).toBe(1);
      // Asked again on either gateway, after the answer: the winner's answer, replayed.
      const [onA, onB] = [await send(a.url), await send(b.url)];
      for (const replay of [onA, onB]) {
        expect(replay.status).toBe(201);
        expect(replay.headers.get('idempotent-replay')).toBe('true');
        expect(replay.body.txId).toBe(created[0]!.body.txId);
      }
      expect(await a.height()).toBe(before + 2);
    }
  });

  test('the same key with another request is 422 on the other gateway too', async () => {
    const other = await call(b.url, keys, 'POST', '/credit-lines', { as: 'did:scf:bank-one', key: roundKeys[0], body: { ...grant, limit: '1' } });
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } } });
  });

  test('a key revoked on A is refused by B on the very next request', async () => {
    const issued = await call(a.url, keys, 'POST', '/me/api-keys', { as: 'did:scf:supplier-t1', key: 'new-key', body: {} });
    expect(issued.status).toBe(201);
    expect((await call(b.url, keys, 'GET', '/me', { as: issued.body.apiKey })).status).toBe(200);
    expect((await call(a.url, keys, 'POST', '/me/api-key/revocation', { as: issued.body.apiKey, body: {} })).status).toBe(200);
    const next = await call(b.url, keys, 'GET', '/me', { as: issued.body.apiKey });
    expect(next).toMatchObject({ status: 401, body: { error: { code: 'AUTHENTICATION_REQUIRED' } } });
    // And by id, the other way round.
    const second = await call(b.url, keys, 'POST', '/me/api-keys', { as: 'did:scf:supplier-t1', key: 'second-key', body: {} });
    expect((await call(b.url, keys, 'POST', `/me/api-keys/${second.body.keyId}/revocation`, { as: 'did:scf:supplier-t1', key: 'revoke-second', body: {} })).status).toBe(200);
    expect((await call(a.url, keys, 'GET', '/me', { as: second.body.apiKey })).status).toBe(401);
  });

  test('a user added on A authenticates on B and through the proxy', async () => {
    const added = await call(a.url, keys, 'POST', '/me/users', { as: 'did:scf:supplier-t1', key: 'add-viewer', body: { login: 'viewer-scale', role: 'VIEWER' } });
    expect(added.status).toBe(201);
    keys['viewer-scale'] = added.body.apiKey;
    expect(await call(b.url, keys, 'GET', '/me', { as: 'viewer-scale' })).toMatchObject({ status: 200, body: { id: 'did:scf:supplier-t1' } });
    for (let i = 0; i < 2; i++) expect((await call(proxy.url, keys, 'GET', '/me', { as: 'viewer-scale' })).status).toBe(200);
  });

  test('both feeds store every event once, and each gateway\'s store reads the same', async () => {
    const height = await a.height();
    const feeds = [a.parts.store!, b.parts.store!];
    await until(async () => (await Promise.all(feeds.map((s) => s.checkpoint()))).every((c) => c.blockNumber >= height - 1));
    for (const store of feeds) expect(store.feed.status.failure).toBeUndefined();
    const db = a.parts.store!.db;
    const counts = await sql<{ transactions: string; events: string; changes: string; distinct_changes: string }>`
      select (select count(*) from transactions) as transactions, (select events from checkpoint where id = 1) as events,
        (select count(*) from changes) as changes, (select count(distinct (tx_id, kind, record_id)) from changes) as distinct_changes`.execute(db);
    const row = counts.rows[0]!;
    expect(Number(row.transactions)).toBe(Number(row.events));
    expect(row.changes).toBe(row.distinct_changes);
    const statuses = await Promise.all([a.url, b.url].map((base) => call(base, keys, 'GET', '/store/status', { as: 'did:scf:auditor' })));
    expect(statuses[0]!.body.checkpoint).toEqual(statuses[1]!.body.checkpoint);
  });

  test('each webhook delivery goes out once, though both gateways deliver the outbox', async () => {
    const db = a.parts.store!.db;
    const queued = async (): Promise<number> => Number((await sql<{ n: string }>`select count(*) as n from webhook_outbox`.execute(db)).rows[0]!.n);
    const undelivered = async (): Promise<number> =>
      Number((await sql<{ n: string }>`select count(*) as n from webhook_outbox where delivered_at is null`.execute(db)).rows[0]!.n);
    expect(await queued()).toBeGreaterThanOrEqual(roundKeys.length);
    await until(async () => (await undelivered()) === 0);
    // Let any round still under way on either gateway finish before counting.
    await Promise.all([a.parts.webhooks!.runOnce(), b.parts.webhooks!.runOnce()]);
    const ids = receiver.received.map((r) => String(r.headers['x-scf-delivery']));
    expect(ids).toHaveLength(await queued());
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('after both gateways restart, keys, users, revocations and answers are all still there', async () => {
    await b.stop();
    await a.stop();
    a = await GatewayUnderTest.start({ dataDir: a.dataDir, env: env(), port: PORTS.a });
    b = await SecondGateway.start(a.parts, database.url, PORTS.b);
    const before = await a.height();
    for (const base of [a.url, b.url]) {
      expect((await call(base, keys, 'GET', '/me', { as: 'viewer-scale' })).status).toBe(200);
      expect((await call(base, keys, 'GET', '/me', { as: 'did:scf:core-a' })).status).toBe(200);
      const replay = await call(base, keys, 'POST', '/credit-lines', { as: 'did:scf:bank-one', key: roundKeys[3], body: grant });
      expect(replay).toMatchObject({ status: 201 });
      expect(replay.headers.get('idempotent-replay')).toBe('true');
    }
    expect(await a.height()).toBe(before);
  }, 120_000);
});
