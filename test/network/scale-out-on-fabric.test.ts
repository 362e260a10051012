import { type ChildProcess, spawn } from 'child_process';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { receivableBody } from '../../gateway/test/support/fixtures';
import { pgInstalled, startStoreServer } from '../../gateway/test/support/store-server';
import { fabricBinariesFound, networkAt, ROOT } from './fabric-network';

/**
 * Two gateway processes, as `npm start` runs them, on one Fabric network and one PostgreSQL
 * server (SCF_STORE=postgres://…): started together, they serve the same callers; one
 * SIGKILLed mid-load, the other answers the retries without a second transaction; the query
 * store they fed agrees with the ledger.
 */
const found = fabricBinariesFound() && pgInstalled();
if (!fabricBinariesFound()) console.log('SKIPPED: two gateways on a real Fabric network — the Fabric binaries were not found on FABRIC_BIN or PATH');
else if (!pgInstalled()) console.log('SKIPPED: two gateways on a real Fabric network — PostgreSQL is not installed (apt-get install postgresql)');

// A network of its own (run folder and ports).
const OFFSET = Number(process.env.SCF_TEST_SCALEOUT_OFFSET ?? '33000');
const RUN = path.join(ROOT, 'network/run-scaleout');
const network = networkAt({ SCF_NETWORK_DIR: RUN, SCF_PORT_OFFSET: String(OFFSET) });
const MAIN = path.join(ROOT, 'gateway/dist/main.js');
const PORTS = { database: OFFSET + 2_950, a: OFFSET + 900, b: OFFSET + 901 };

interface Answer { status: number; body: any; headers: Headers }

interface GatewayProcess { readonly url: string; readonly dataDir: string; child: ChildProcess }

function spawnGateway(port: number, databaseUrl: string): GatewayProcess {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'scf-scaleout-'));
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, SCF_BACKEND: 'fabric', SCF_NETWORK_DIR: RUN, SCF_DATA_DIR: dataDir, SCF_STORE: databaseUrl, PORT: String(port),
      CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING' },
    stdio: 'ignore',
  });
  return { url: `http://127.0.0.1:${port}`, dataDir, child };
}

async function ready(gateway: GatewayProcess): Promise<void> {
  for (let i = 0; i < 1_800; i++) {
    if (await fetch(`${gateway.url}/readyz`).then((r) => r.ok, () => false)) return;
    if (gateway.child.exitCode !== null) throw new Error(`the gateway at ${gateway.url} exited with ${gateway.child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the gateway at ${gateway.url} did not start`);
}

async function call(base: string, key: string, method: string, route: string, options: { idempotencyKey?: string; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const response = await fetch(base + route, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

(found ? describe : describe.skip)('two gateway processes on one Fabric network and one database', () => {
  let database: { url: string; stop: () => void };
  let a: GatewayProcess;
  let b: GatewayProcess;
  let keys: Record<string, string>;
  const expiresAt = new Date(Date.now() + 365 * 86_400_000).toISOString();
  const grant = { coreId: 'did:scf:core-a', currency: 'CNY', limit: '500000', expiresAt };

  /** Every line bank one granted, counted page by page. */
  async function linesGranted(): Promise<number> {
    let [count, bookmark] = [0, ''];
    do {
      const page = await call(b.url, keys['did:scf:bank-one']!, 'GET', `/enterprises/did:scf:bank-one/credit-lines/granted?pageSize=100&bookmark=${encodeURIComponent(bookmark)}`);
      expect(page.status).toBe(200);
      count += page.body.items.length;
      bookmark = page.body.bookmark;
    } while (bookmark);
    return count;
  }

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm test does)`);
    network('up');
    network('deploy');
    database = startStoreServer(PORTS.database);
    // Started together on an empty database: one seeds it, the other waits and finds its keys.
    [a, b] = [spawnGateway(PORTS.a, database.url), spawnGateway(PORTS.b, database.url)];
    await Promise.all([ready(a), ready(b)]);
  }, 900_000);
  afterAll(async () => {
    for (const gateway of [a, b]) gateway?.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    database?.stop();
    network('down', '--purge');
  }, 180_000);

  test('started together, exactly one gateway seeded the consortium; the other serves its keys', async () => {
    const seeded = [a, b].filter((gateway) => existsSync(path.join(gateway.dataDir, 'demo-keys.json')));
    expect(seeded).toHaveLength(1);
    keys = JSON.parse(readFileSync(path.join(seeded[0]!.dataDir, 'demo-keys.json'), 'utf8')) as Record<string, string>;
    for (const gateway of [a, b]) expect((await call(gateway.url, keys['did:scf:core-a']!, 'GET', '/me')).body).toMatchObject({ id: 'did:scf:core-a' });
  });

  test('the same Idempotency-Key sent to both at once commits one transaction, and replays on either', async () => {
    const before = await linesGranted();
    const rounds = 4;
    for (let round = 0; round < rounds; round++) {
      const send = (base: string): Promise<Answer> =>
        call(base, keys['did:scf:bank-one']!, 'POST', '/credit-lines', { idempotencyKey: `fabric-line-${round}`, body: grant });
      const answers = await Promise.all([send(a.url), send(b.url), send(a.url), send(b.url)]);
      expect(answers.every((x) => x.status === 201 || (x.status === 409 && x.body.error.code === 'IDEMPOTENCY_KEY_IN_FLIGHT'))).toBe(true);
      const txIds = new Set(answers.filter((x) => x.status === 201).map((x) => x.body.txId));
      expect(txIds.size).toBe(1);
      for (const base of [a.url, b.url]) expect((await send(base)).body.txId).toBe([...txIds][0]);
    }
    expect(await linesGranted()).toBe(before + rounds);
  }, 300_000);

  test('a key revoked through one gateway is refused by the other on the next request', async () => {
    const issued = await call(a.url, keys['did:scf:supplier-t1']!, 'POST', '/me/api-keys', { idempotencyKey: 'fabric-new-key', body: {} });
    expect(issued.status).toBe(201);
    expect((await call(b.url, issued.body.apiKey, 'GET', '/me')).status).toBe(200);
    expect((await call(a.url, issued.body.apiKey, 'POST', '/me/api-key/revocation', { body: {} })).status).toBe(200);
    expect((await call(b.url, issued.body.apiKey, 'GET', '/me')).status).toBe(401);
  });

  test('one gateway SIGKILLed mid-load: clients retrying on the other get every write once', async () => {
    const before = await linesGranted();
    const clients = Array.from({ length: 8 }, (_, i) => `killed-${i}`);
    // The gateway dies as the first write is acknowledged, with the others in flight.
    let killed!: () => void;
    const firstAcknowledged = new Promise<void>((resolve) => (killed = resolve));
    const first = clients.map((key) => call(a.url, keys['did:scf:bank-one']!, 'POST', '/credit-lines', { idempotencyKey: key, body: grant })
      .then((answer) => { killed(); return answer; }, () => undefined));
    await Promise.race([firstAcknowledged, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    a.child.kill('SIGKILL');
    const acknowledged = (await Promise.all(first)).map((answer) => (answer?.status === 201 ? answer.body.txId as string : undefined));
    console.log(`scale-out on Fabric: ${acknowledged.filter(Boolean).length} of ${clients.length} writes acknowledged before the SIGKILL`);
    // A request the dead gateway held keeps its key until the lease ends (60 s): until then, 409 in flight.
    const finals = await Promise.all(clients.map(async (key) => {
      for (let tries = 0; tries < 120; tries++) {
        const answer = await call(b.url, keys['did:scf:bank-one']!, 'POST', '/credit-lines', { idempotencyKey: key, body: grant });
        if (answer.status === 201) return answer;
        expect([409, 202]).toContain(answer.status);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      throw new Error(`no answer for ${key}`);
    }));
    finals.forEach((answer, i) => {
      if (acknowledged[i]) expect(answer.body.txId).toBe(acknowledged[i]);
    });
    expect(new Set(finals.map((answer) => answer.body.txId)).size).toBe(clients.length);
    expect(await linesGranted()).toBe(before + clients.length);
  }, 400_000);

  test('the store the gateways fed agrees with the ledger, and a holder finds its new piece in its report', async () => {
    const issued = await call(b.url, keys['did:scf:core-a']!, 'POST', '/receivables', { idempotencyKey: 'fabric-store-issue', body: receivableBody({ keys }, '700000') });
    const accepted = await call(b.url, keys['did:scf:supplier-t1']!, 'POST', `/receivables/${issued.body.result.id}/accept`, { idempotencyKey: 'fabric-store-accept', body: {} });
    const piece = accepted.body.result.certificate.id as string;
    // The store is fed after the commit: wait until its checkpoint passes the acceptance's block.
    for (let tries = 0; tries < 300; tries++) {
      const status = await call(b.url, keys['did:scf:auditor']!, 'GET', '/store/status');
      if (status.body.checkpoint.blockNumber >= accepted.body.blockNumber) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const check = await call(b.url, keys['did:scf:auditor']!, 'GET', '/store/check');
    expect(check.body).toMatchObject({ drift: [], receivables: expect.any(Number) });
    expect(check.body.receivables).toBeGreaterThan(0);
    expect(check.body.digest.store).toBe(check.body.digest.ledger);
    let [found, cursor] = [false, ''];
    do {
      const page = await call(b.url, keys['did:scf:supplier-t1']!, 'GET', `/store/certificates?holderId=did:scf:supplier-t1&limit=200${cursor && `&cursor=${cursor}`}`);
      found ||= page.body.items.some((item: { id: string }) => item.id === piece);
      cursor = page.body.nextCursor ?? '';
    } while (cursor && !found);
    expect(found).toBe(true);
  }, 120_000);
});
