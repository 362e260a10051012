import bytes from 'bytes';
import fc from 'fast-check';
import { gzipSync } from 'zlib';
import { badKey, Campaign, type Caller, callersOf, fillPath, ledgerState, type Probe, revokedKeyOf, type Route, routesOf, valueFor } from './support/campaign';
import { GatewayUnderTest } from './support/gateway-under-test';

/**
 * The generated campaign over bodies that do not arrive, for every operation of
 * /openapi.json that takes one, on a gateway that waits 200 ms for a body: a declared length
 * over the limit is refused from the headers alone (the body is never sent, so an answer
 * that waited for it would be 408), a body that stalls part-way (declared, chunked or
 * compressed) is 408. Each is answered on a closed connection; nothing hangs; the ledger
 * does not move.
 */
describe('the generated campaign over slow and oversized bodies (every operation that takes one)', () => {
  let gw: GatewayUnderTest;
  let campaign: Campaign;
  let bodyRoutes: Route[];
  let callers: Caller[];
  const limit = bytes.parse('16kb')!;

  beforeAll(async () => {
    gw = await GatewayUnderTest.start({ settings: { bodyTimeoutMs: 200 } });
    callers = callersOf(gw, await revokedKeyOf(gw, 'did:scf:fuzz-slow-revoked'));
    const { body: document } = await gw.call('GET', '/openapi.json');
    bodyRoutes = routesOf(document).filter((r) => r.method === 'post' && r.body);
    campaign = new Campaign('fuzz-slow-bodies', gw);
  }, 60_000);
  afterAll(async () => { await gw?.stop(); });

  test('a declared length over the limit is 413 without the body; a body that stalls is 408; never a hang', async () => {
    const before = await ledgerState(gw);
    type Kind = 'declared over, withheld' | 'declared over, gzip, withheld' | 'declared, stalls' | 'chunked, stalls' | 'gzip, stalls' | 'chunked, nothing sent';
    const kinds = fc.constantFrom<Kind>('declared over, withheld', 'declared over, gzip, withheld', 'declared, stalls', 'chunked, stalls', 'gzip, stalls', 'chunked, nothing sent');
    const probes: Probe[] = bodyRoutes.flatMap((route, r) => fc.sample(fc.record({
      params: fc.tuple(...route.pathParams.map((p) => valueFor(p.schema, p.name).map((v) => encodeURIComponent(String(v))))),
      base: valueFor(route.body!, 'body'), caller: fc.constantFrom(...callers), key: fc.uuid(), kind: kinds,
      over: fc.oneof(fc.integer({ min: limit + 1, max: 4 * limit }), fc.constantFrom(1_000_000, 50 * 1024 * 1024, 10 * 1024 ** 3, 10 ** 13)),
      share: fc.double({ min: 0, max: 0.99, noNaN: true }), chunk: fc.integer({ min: 1, max: 2048 }),
    }), { numRuns: 20, seed: 41_000 + r }).map(({ params, base, caller, key, kind, over, share, chunk }) => {
      const text = JSON.stringify({ ...(base as object), fuzzExtra: 'x'.repeat(chunk) });
      const gzipped = gzipSync(text);
      const headers: Record<string, string | number> = { 'content-type': 'application/json', ...(route.write ? { 'idempotency-key': key } : {}) };
      let sent = '';
      let body: (req: import('http').ClientRequest) => void;
      switch (kind) {
        case 'declared over, withheld':
        case 'declared over, gzip, withheld':
          headers['content-length'] = over;
          if (kind.includes('gzip')) headers['content-encoding'] = 'gzip';
          sent = text.slice(0, Math.floor(share * 64));
          body = (req) => { req.flushHeaders(); if (sent) req.write(sent); };
          break;
        case 'declared, stalls':
          headers['content-length'] = Buffer.byteLength(text);
          sent = text.slice(0, Math.floor(share * text.length));
          body = (req) => { req.flushHeaders(); if (sent) req.write(sent); };
          break;
        case 'chunked, stalls':
          headers['transfer-encoding'] = 'chunked';
          sent = text.slice(0, Math.floor(share * text.length));
          body = (req) => { req.flushHeaders(); for (let at = 0; at < sent.length; at += chunk) req.write(sent.slice(at, at + chunk)); };
          break;
        case 'gzip, stalls':
          Object.assign(headers, { 'content-encoding': 'gzip', 'content-length': gzipped.length });
          body = (req) => { req.flushHeaders(); req.write(gzipped.subarray(0, Math.floor(share * gzipped.length))); };
          break;
        default:
          headers['transfer-encoding'] = 'chunked';
          body = (req) => { req.flushHeaders(); };
      }
      const over413 = kind.startsWith('declared over');
      return {
        cls: 'slow bodies', method: 'POST', path: fillPath(route.template, params), caller, headers, body,
        expect: badKey(caller) ? { code: 'AUTHENTICATION_REQUIRED' } : { code: over413 ? 'PAYLOAD_TOO_LARGE' : 'REQUEST_TIMEOUT' },
        closes: !badKey(caller), note: `${kind}${over413 ? `, declared ${over} bytes` : ''}, ${share.toFixed(2)} sent`,
      };
    }));
    expect(await campaign.run(probes, 24)).toEqual([]);
    expect(await ledgerState(gw)).toEqual(before);
    console.log(campaign.summary());
    expect(campaign.count('slow bodies')).toBeGreaterThan(600);
  }, 120_000);
});
