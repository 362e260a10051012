import { randomUUID } from 'crypto';
import { readdirSync, readFileSync, statSync } from 'fs';
import path from 'path';
import { Writable } from 'stream';
import { gzipSync } from 'zlib';
import pino from 'pino';
import { codeOf, heldCertificate, rawRequest, receivableBody } from './support/fixtures';
import { GatewayUnderTest } from './support/gateway-under-test';

/** Every file under a folder, with its path. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]);
}

const json = (body: unknown) => JSON.stringify(body);

describe('defects an outside tester found, each refused as a class', () => {
  let gw: GatewayUnderTest;
  let auth: Record<string, string>;
  beforeAll(async () => {
    gw = await GatewayUnderTest.start({ settings: { bodyTimeoutMs: 300, heartbeatMs: 100 } });
    auth = { authorization: `Bearer ${gw.keys['did:scf:supplier-t1']}` };
  }, 60_000);
  afterAll(async () => { await gw.stop(); });

  test('parallel duplicates of one Idempotency-Key build exactly one transaction, and every answer is the replay or 409', async () => {
    const expiresAt = new Date(Date.now() + 365 * 86_400_000).toISOString();
    for (let trial = 0; trial < 10; trial++) {
      const before = await gw.height();
      const key = `line-${trial}`;
      const answers = await Promise.all(Array.from({ length: 8 }, () => gw.call('POST', '/credit-lines', { as: 'did:scf:bank-one', key,
        body: { coreId: 'did:scf:core-a', currency: 'CNY', limit: '500000', expiresAt } })));
      // One grant: its two transactions (the public line and the bank's private limit), once.
      expect(await gw.height()).toBe(before + 2);
      const created = answers.filter((a) => a.status === 201);
      expect(new Set(created.map((a) => a.body.txId)).size).toBe(1);
      expect(answers.every((a) => a.status === 201 || (a.status === 409 && a.body.error.code === 'IDEMPOTENCY_KEY_IN_FLIGHT'))).toBe(true);
    }
  });

  test('a losing duplicate cannot erase the winner\'s answer: a later retry replays the original 200', async () => {
    const { certificateId } = await heldCertificate(gw);
    const split = () => gw.call('POST', `/certificates/${certificateId}/split`, { as: 'did:scf:supplier-t1', key: 'split-once', body: { amounts: ['400000', '600000'] } });
    const answers = await Promise.all(Array.from({ length: 10 }, split));
    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 200).map((a) => a.body.error.code)).toEqual(Array(9).fill('IDEMPOTENCY_KEY_IN_FLIGHT'));
    const retry = await split();
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replay')).toBe('true');
    expect(retry.body.txId).toBe(won[0]!.body.txId);
  });

  test.each(['/certificates/%E0%A4%A', '/certificates/%', '/certificates/%zz', '/certificates/%FF', '/certificates/%ED%A0%80'])(
    'a path that does not percent-decode (%s) is 400 MALFORMED_PATH, with or without a key', async (bad) => {
      for (const headers of [{}, auth]) {
        const answer = await rawRequest(gw.url, { path: bad, headers });
        expect({ status: answer.status, code: codeOf(answer) }).toEqual({ status: 400, code: 'MALFORMED_PATH' });
      }
    });

  test('charsets other than UTF-8 are 415; encodings other than gzip and deflate are 415; a body that is not what its encoding says is 400', async () => {
    const body = json({ reason: 'x' });
    const post = (headers: Record<string, string>, payload: string | Buffer = body) => rawRequest(gw.url, { method: 'POST', path: '/me/deactivate',
      headers: { ...auth, 'idempotency-key': randomUUID(), 'content-length': Buffer.byteLength(payload), ...headers }, body: payload });
    for (const charset of ['latin1', 'binary', 'ucs-2', 'utf-16le']) {
      const answer = await post({ 'content-type': `application/json; charset=${charset}` });
      expect({ charset, status: answer.status, code: codeOf(answer) }).toEqual({ charset, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
    for (const encoding of ['br', 'zstd', 'compress', 'x-unknown', 'gzip, gzip', 'identity, gzip']) {
      const answer = await post({ 'content-type': 'application/json', 'content-encoding': encoding });
      expect({ encoding, status: answer.status, code: codeOf(answer) }).toEqual({ encoding, status: 415, code: 'UNSUPPORTED_ENCODING' });
    }
    const notGzip = await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect({ status: notGzip.status, code: codeOf(notGzip) }).toEqual({ status: 400, code: 'BODY_NOT_DECODABLE' });
    const notUtf8 = await post({ 'content-type': 'application/json' }, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]));
    expect({ status: notUtf8.status, code: codeOf(notUtf8) }).toEqual({ status: 400, code: 'BODY_NOT_DECODABLE' });
    // A real gzip body is read: this one then fails validation on its content, not its encoding.
    const gzipped = await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(json({ reason: '' })));
    expect({ status: gzipped.status, code: codeOf(gzipped) }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });

  test('deep nesting is refused before parsing, and prototype keys anywhere in a body are refused', async () => {
    const before = await gw.height();
    const post = (route: string, text: string) => rawRequest(gw.url, { method: 'POST', path: route,
      headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: text });
    for (const depth of [33, 4_000, 5_000]) {
      const answer = await post('/me/services', `{"services":${'['.repeat(depth)}${']'.repeat(depth)}}`);
      expect({ depth, status: answer.status, code: codeOf(answer) }).toEqual({ depth, status: 400, code: 'BODY_TOO_DEEP' });
    }
    const claims = (extra: string) => `{"subjectId":"did:scf:supplier-t1","type":"KYC","expiresAt":"2030-01-01T00:00:00Z","claims":{"nonce":"b3f1c9a07e5d4c2a","level":"basic"${extra}}}`;
    for (const extra of [',"__proto__":{"rating":"AAA"}', ',"constructor":{"prototype":{}}', ',"x":{"prototype":1}', ',"\\u005f_proto__":{}']) {
      const answer = await rawRequest(gw.url, { method: 'POST', path: '/credentials',
        headers: { authorization: `Bearer ${gw.keys['did:scf:bank-one']}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: claims(extra) });
      expect({ extra, status: answer.status, code: codeOf(answer) }).toEqual({ extra, status: 400, code: 'VALIDATION_FAILED' });
    }
    expect(await gw.height()).toBe(before);
  });

  test('the event stream answers at once, with heartbeats, when nothing new is there; HEAD answers headers', async () => {
    const height = await gw.height();
    // Resuming after the newest block (the usual reconnect), and after a block still to come.
    for (const [route, headers] of [['/events', { 'last-event-id': String(height - 1) }], [`/events?after=${height + 1000}`, {}]] as const) {
      const controller = new AbortController();
      const response = await fetch(gw.url + route, { headers: { ...auth, ...headers }, signal: controller.signal });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = response.body!.getReader();
      let text = '';
      while (!text.includes(': heartbeat')) text += Buffer.from((await reader.read()).value!).toString('utf8');
      controller.abort();
    }
    const head = await rawRequest(gw.url, { method: 'HEAD', path: '/events', headers: auth });
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/^text\/event-stream/);
  });

  test('?after=now skips the replay: the stream opens at the current height and carries only what is committed next', async () => {
    await heldCertificate(gw); // history the replay would have sent
    const height = await gw.height();
    const controller = new AbortController();
    const response = await fetch(`${gw.url}/events?after=now`, { headers: auth, signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const blocks: string[] = [];
    let buffer = '';
    const next = async (): Promise<string> => {
      while (!buffer.includes('\n\n')) buffer += Buffer.from((await reader.read()).value!).toString('utf8');
      const block = buffer.slice(0, buffer.indexOf('\n\n'));
      buffer = buffer.slice(block.length + 2);
      return block;
    };
    const nextWithId = async (): Promise<string> => {
      for (let block = await next(); ; block = await next()) if (/^id: /m.test(block)) return block;
    };
    blocks.push(await nextWithId());
    const { receivableId } = await heldCertificate(gw);
    blocks.push(await nextWithId());
    controller.abort();
    // The resume point alone (no data, so no event), then the first transaction committed after connecting.
    expect(blocks[0]).toBe(`id: ${height - 1}`);
    expect(blocks[1]).toMatch(new RegExp(`^id: ${height}:[0-9a-f]{64}\nevent: ReceivableIssued\ndata: .*${receivableId}`));
  });

  test('a declared length over the limit is refused before the body is sent; a slow body gets 408', async () => {
    const headers = { ...auth, 'content-type': 'application/json', 'idempotency-key': randomUUID() };
    // The body is never written: the answer must come from the headers alone.
    for (const length of [50 * 1024 * 1024, 10 * 1024 ** 3]) {
      const answer = await rawRequest(gw.url, { method: 'POST', path: '/me/deactivate', headers: { ...headers, 'content-length': length }, body: (req) => req.write('{"') });
      expect({ status: answer.status, code: codeOf(answer), connection: answer.headers.connection }).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE', connection: 'close' });
    }
    const slow = await rawRequest(gw.url, { method: 'POST', path: '/me/deactivate', headers: { ...headers, 'content-length': 100 }, body: (req) => req.write('{"') });
    expect({ status: slow.status, code: codeOf(slow) }).toEqual({ status: 408, code: 'REQUEST_TIMEOUT' });
    // Sent chunked, with no length declared, the limit applies as it arrives.
    const chunked = await rawRequest(gw.url, { method: 'POST', path: '/me/deactivate', headers: { ...headers, 'transfer-encoding': 'chunked' },
      body: (req) => { for (let i = 0; i < 40; i++) req.write('x'.repeat(1024)); req.end(); } });
    expect({ status: chunked.status, code: codeOf(chunked) }).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  test('public routes ignore credentials, good or bad', async () => {
    for (const route of ['/healthz', '/openapi.json', '/docs', '/readyz']) {
      const answer = await rawRequest(gw.url, { path: route, headers: { authorization: 'Bearer junk', 'x-api-key': 'junk' } });
      expect({ route, status: answer.status }).toEqual({ route, status: 200 });
    }
  });

  test('security headers: nosniff everywhere, no-store on authenticated answers, CSP and no framing on /docs, no CORS by default', async () => {
    const me = await rawRequest(gw.url, { path: '/me', headers: { ...auth, origin: 'https://evil.example' } });
    expect(me.status).toBe(200);
    expect(me.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
    expect(me.headers['access-control-allow-origin']).toBeUndefined();
    const docs = await rawRequest(gw.url, { path: '/docs' });
    expect(docs.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(docs.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(docs.headers['x-frame-options']).toBe('DENY');
  });

  test('a known path with a wrong method is 405 with Allow; an unknown path 404', async () => {
    const wrong = await rawRequest(gw.url, { method: 'DELETE', path: '/certificates/abc', headers: auth });
    expect({ status: wrong.status, code: codeOf(wrong), allow: wrong.headers.allow }).toEqual({ status: 405, code: 'METHOD_NOT_ALLOWED', allow: 'GET, HEAD' });
    const getWrite = await rawRequest(gw.url, { method: 'GET', path: '/receivables', headers: auth });
    expect({ status: getWrite.status, allow: getWrite.headers.allow }).toEqual({ status: 405, allow: 'POST' });
    const unknown = await rawRequest(gw.url, { path: '/no/such/route', headers: auth });
    expect({ status: unknown.status, code: codeOf(unknown) }).toEqual({ status: 404, code: 'ROUTE_NOT_FOUND' });
  });

  test('a bank admin\'s key on GET /me describes the admin', async () => {
    const me = await gw.call('GET', '/me', { as: 'admin:Bank1MSP' });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'admin', mspId: 'Bank1MSP' });
  });

  test('onboarding\'s API key is in the first answer only: never in a replay, never in a file', async () => {
    const body = { id: 'did:scf:supplier-secret', name: 'Secret Keeping Ltd', roles: ['SUPPLIER'], registrationNumber: '91320000MA1FL0099Z' };
    const first = await gw.call('POST', '/enterprises', { as: 'admin:Bank1MSP', key: 'onboard-secret', body });
    expect(first.status).toBe(201);
    const apiKey = first.body.apiKey as string;
    expect(apiKey).toMatch(/^scf_/);
    const replay = await gw.call('POST', '/enterprises', { as: 'admin:Bank1MSP', key: 'onboard-secret', body });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replay')).toBe('true');
    expect(replay.body.apiKey).toBeUndefined();
    expect(replay.body.clientId).toBe(first.body.clientId);
    for (const file of filesUnder(gw.dataDir)) expect({ file, holdsKey: readFileSync(file).includes(apiKey) }).toEqual({ file, holdsKey: false });
    expect(statSync(gw.dataDir).mode & 0o077).toBe(0);
  });
});

describe('failed authentications are throttled per client', () => {
  test('past the limit a client gets 429 with Retry-After; a valid key is never counted or refused', async () => {
    const gw = await GatewayUnderTest.start({ settings: { authFailuresPerWindow: 5, authWindowMs: 60_000 } });
    try {
      for (let i = 0; i < 20; i++) expect((await gw.call('GET', '/me', { as: 'did:scf:supplier-t1' })).status).toBe(200);
      const bad = await Promise.all(Array.from({ length: 5 }, (_, i) => gw.call('GET', '/me', { as: `scf_guess_${i}` })));
      expect(bad.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
      const throttled = await gw.call('GET', '/me', { as: 'scf_guess_6' });
      expect({ status: throttled.status, code: throttled.body.error.code }).toEqual({ status: 429, code: 'TOO_MANY_REQUESTS' });
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await gw.call('GET', '/me', { as: 'did:scf:supplier-t1' })).status).toBe(200);
    } finally {
      await gw.stop();
    }
  }, 60_000);
});

describe('operations', () => {
  test('a refusal is logged at warn (a 4xx), not as an error', async () => {
    const lines: { level: number; res?: { statusCode: number } }[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write(chunk, _encoding, done) { lines.push(JSON.parse(String(chunk))); done(); } }));
    const gw = await GatewayUnderTest.start({ logger });
    try {
      const refused = await gw.call('POST', '/receivables', { as: 'did:scf:supplier-t1', key: randomUUID(), body: receivableBody(gw) });
      expect(refused.status).toBe(403);
      const logged = lines.filter((l) => l.res?.statusCode === 403);
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.every((l) => l.level === 40)).toBe(true);
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    } finally {
      await gw.stop();
    }
  }, 60_000);
});
