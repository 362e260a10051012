import fc from 'fast-check';
import net from 'net';
import { Campaign, fillPath, HANG_BOUND_MS, ledgerState, type Probe, type ProbeAnswer, type Route, routesOf, valueFor } from './support/campaign';
import { GatewayUnderTest } from './support/gateway-under-test';

/**
 * The generated campaign below HTTP's grammar, for every route of /openapi.json: bytes a
 * client library would refuse to send (raw non-ASCII and control bytes in a path, a header
 * over the size limit, conflicting or broken framing, no Host, an invalid method token),
 * sent over a plain socket. Node's HTTP parser refuses these before the application sees
 * them; the answer must still be the API's: a JSON error with a registered code, never a
 * 5xx, never a hang.
 */

/** Sends bytes as they are on a new connection; resolves with the answer parsed, or why there was none. */
function sendBytes(url: string, bytes: Buffer): Promise<ProbeAnswer | { failure: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => { socket.destroy(); resolve({ failure: `no answer within ${HANG_BOUND_MS} ms (hung)` }); }, HANG_BOUND_MS);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = text.slice(0, end < 0 ? text.length : end).split('\r\n');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1];
      if (!status) return resolve({ failure: `no HTTP answer (${JSON.stringify(text.slice(0, 80))})` });
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const body = Buffer.from(end < 0 ? '' : text.slice(end + 4), 'latin1');
      const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
      resolve({ status: Number(status), headers, text: (length === undefined ? body : body.subarray(0, length)).toString('utf8') });
    });
    socket.end(bytes);
  });
}

describe('the generated campaign below HTTP\'s grammar (every route)', () => {
  let gw: GatewayUnderTest;
  let campaign: Campaign;
  let routes: Route[];
  let key: string;
  beforeAll(async () => {
    gw = await GatewayUnderTest.start();
    key = gw.keys['did:scf:supplier-t1']!;
    routes = routesOf((await gw.call('GET', '/openapi.json')).body);
    campaign = new Campaign('fuzz-protocol', gw);
  }, 60_000);
  afterAll(async () => { await gw?.stop(); });

  test('raw bytes in every path parameter, broken framing, oversized headers, no Host: a registered JSON error, never a bare 400', async () => {
    const before = await ledgerState(gw);
    const request = (method: string, path: string, headers: string[], body = '') => Buffer.concat([
      Buffer.from(`${method} `, 'latin1'), Buffer.from(path, 'latin1'), Buffer.from(` HTTP/1.1\r\n${['Host: gateway', ...headers, 'Connection: close'].join('\r\n')}\r\n\r\n${body}`, 'latin1')]);
    const probes: (Probe & { bytes: Buffer })[] = [];
    // Bytes a path may not hold unencoded: controls, space, DEL, and every byte above ASCII (raw UTF-8 or Latin-1).
    const rawByte = fc.oneof(fc.integer({ min: 0x80, max: 0xff }), fc.constantFrom(0x00, 0x09, 0x0b, 0x0c, 0x1b, 0x20, 0x7f));
    routes.filter((r) => r.pathParams.length > 0).forEach((route, r) => route.pathParams.forEach((_, position) => {
      for (const { params, byte, method } of fc.sample(fc.record({
        params: fc.tuple(...route.pathParams.map((p) => valueFor(p.schema, p.name).map((v) => encodeURIComponent(String(v))))), byte: rawByte,
        method: fc.constantFrom(route.method.toUpperCase(), 'HEAD') }), { numRuns: 4, seed: 61_000 + r * 10 + position })) {
        const path = fillPath(route.template, params.map((p, i) => (i === position ? `${p}${String.fromCharCode(byte)}x` : p)));
        probes.push({ bytes: request(method, path, [`Authorization: Bearer ${key}`]),
          cls: 'raw bytes', method, path, caller: { name: 'did:scf:supplier-t1', kind: 'enterprise' }, expect: { refused: true }, undocumented: true, note: `byte 0x${byte.toString(16)} in ${route.pathParams[position]!.name}` });
      }
    }));
    // Framing the parser refuses, on every operation that takes a body.
    const framings: [string, (body: string) => [string[], string]][] = [
      ['Transfer-Encoding and Content-Length', (b) => [['Transfer-Encoding: chunked', `Content-Length: ${b.length}`], `${b.length.toString(16)}\r\n${b}\r\n0\r\n\r\n`]],
      ['two Content-Lengths', (b) => [[`Content-Length: ${b.length}`, `Content-Length: ${b.length + 1}`], b]],
      ['Content-Length not a number', (b) => [['Content-Length: 1e3'], b]],
      ['a chunk size that is not hex', (b) => [['Transfer-Encoding: chunked'], `zz\r\n${b}\r\n0\r\n\r\n`]],
      ['a folded header line', (b) => [[`Content-Length: ${b.length}`, 'X-Folded: a', ' b'], b]],
    ];
    routes.filter((r) => r.method === 'post' && r.body).forEach((route) => framings.forEach(([label, frame]) => {
      const [headers, body] = frame('{}');
      const path = fillPath(route.template, route.pathParams.map(() => 'x'));
      probes.push({ bytes: request('POST', path, [`Authorization: Bearer ${key}`, 'Content-Type: application/json', 'Idempotency-Key: k', ...headers], body),
        cls: 'framing', method: 'POST', path, caller: { name: 'did:scf:supplier-t1', kind: 'enterprise' }, expect: { refused: true }, undocumented: true, note: label });
    }));
    // Every route: headers over the parser's limit, an HTTP/1.1 request without Host, a method that is not a token.
    routes.forEach((route) => {
      const path = fillPath(route.template, route.pathParams.map(() => 'x'));
      probes.push({ bytes: request('GET', path, [`X-API-Key: ${'k'.repeat(20_000)}`]), cls: 'framing', method: 'GET', path, expect: { refused: true }, undocumented: true, note: 'a 20 kB header' });
      probes.push({ bytes: Buffer.from(`GET ${path} HTTP/1.1\r\nAuthorization: Bearer ${key}\r\nConnection: close\r\n\r\n`, 'latin1'),
        cls: 'framing', method: 'GET', path, expect: { refused: true }, undocumented: true, note: 'no Host' });
      probes.push({ bytes: request('G(E)T', path, []), cls: 'framing', method: 'G(E)T', path, expect: { refused: true }, undocumented: true, note: 'a method that is not a token' });
    });
    const failures = await campaign.run(probes, 8, (probe) => sendBytes(gw.url, probe.bytes));
    console.log(campaign.summary());
    expect(failures).toEqual([]);
    expect(await ledgerState(gw)).toEqual(before);
  }, 120_000);
});
