import { randomUUID } from 'crypto';
import fc from 'fast-check';
import {
  badKey, Campaign, type Caller, callersOf, expectDemoKeysWork, type Expectation, fillPath, type KnownIds, ledgerState, type Probe,
  revokedKeyOf, type Route, routesOf, valueFor,
} from './support/campaign';
import { receivableBody } from './support/fixtures';
import { GatewayUnderTest, METRICS_TOKEN } from './support/gateway-under-test';

/**
 * The generated campaign over paths, callers and event-stream reconnects, for every route of
 * /openapi.json: percent-encoding gone wrong in every path parameter, every caller (the demo
 * roles, bank admins, no key, an unknown and a revoked key, sent either way), credentials on
 * public routes, and resume points for /events. Nothing here may change the ledger.
 */

/** Escapes that do not decode to UTF-8: bad hex, cut short, overlong, beyond U+10FFFF, surrogates, IIS-style. */
const MALFORMED = ['%', '%%', '%z', '%zz', '%4', '%G0', '%0g', '%%41', '%C0%AF', '%C1%BF', '%E0%80%AF', '%F0%80%80%AF', '%C0%80', '%FF', '%fe', '%80', '%BF',
  '%C3', '%E2%82', '%E0%A4%A', '%F8%88%80%80%80', '%FC%84%80%80%80%80', '%F4%90%80%80', '%ED%A0%80', '%ED%BF%BF', '%ed%a0%bd%ed%b8%80', '%ED%B0%80', '%u0041',
  '%uD800', '%2', '%C3%28', '%E2%28%A1', '%F0%28%8C%BC', '%c0%ae%c0%ae', '%e0%80%ae'];
/** Segments that do decode, into things a path should not hold: encoded slashes, NUL, dot segments, controls, noncharacters, the max rune. */
const WELL_FORMED = ['%2F', '%2f', '%5C', '..%2F..%2Fetc%2Fpasswd', '%00', 'a%00b', '.', '..', '%2E', '%2E%2E', '.%2E', '%2e%2e%2f', '%20', '%09', '%0A', '%0D%0A',
  '%EF%BF%BF', '%F4%8F%BF%BF', '%EF%BB%BF', '%E2%80%AE', '%25', '%2525', '%3F', '%23', '%3B', ';', ',', '!', "'", '(', ')', '*', '+', '=', '&', '@', ':', '$',
  'did:scf:core-a', 'did%3Ascf%3Acore-a', '%F0%9F%98%80', '%C3%A9', '%E4%B8%AD', 'x'.repeat(300), '%7B%7D', '%22', '%3C', '%3E', '%5B', '%5D', '%60', '%7C', '%5E',
  '"', '{', '}', '|', '\\', '^', '`', '<', '>', '[', ']'];
/** Joins tokens without making or breaking an escape (none of these is a hex digit or %). */
const SEPARATORS = ['-', '_', '~', '.'];
const OTHER_METHODS = ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'GET', 'POST'];

describe('the generated campaign over paths, callers and event-stream reconnects (every route)', () => {
  let gw: GatewayUnderTest;
  let campaign: Campaign;
  let routes: Route[];
  let callers: Caller[];
  let known: KnownIds;
  let eventIds: string[];
  let lastEventPattern: RegExp;
  /** The methods the document serves on a concrete path (HEAD wherever GET is). */
  let methodsOn: (path: string) => Set<string>;

  beforeAll(async () => {
    gw = await GatewayUnderTest.start();
    // Real records, and the events of two real transactions to resume after.
    const issued = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: randomUUID(), body: receivableBody(gw) });
    const accepted = await gw.call('POST', `/receivables/${issued.body.result.id}/accept`, { as: 'did:scf:supplier-t1', key: randomUUID(), body: {} });
    eventIds = [issued, accepted].map((a) => `${a.body.blockNumber}:${a.body.txId}`);
    const dids = Object.keys(gw.keys).filter((k) => k.startsWith('did:'));
    known = { id: [issued.body.result.id, accepted.body.result.certificate.id, gw.keys.creditLineId!, ...dids], txId: [issued.body.txId, accepted.body.txId] };
    callers = callersOf(gw, await revokedKeyOf(gw, 'did:scf:fuzz-paths-revoked'));
    const { body: document } = await gw.call('GET', '/openapi.json');
    routes = routesOf(document);
    const events = document.paths['/events'].get.parameters.find((p: { name: string }) => p.name === 'Last-Event-ID');
    lastEventPattern = new RegExp(events.schema.pattern);
    const templates = routes.map((r) => ({ route: r, pattern: new RegExp(`^${r.template.split(/\{\w+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`) }));
    methodsOn = (path) => {
      const methods = new Set(templates.filter((t) => t.pattern.test(path.split('?')[0]!)).map((t) => t.route.method.toUpperCase()));
      if (methods.has('GET')) methods.add('HEAD');
      return methods;
    };
    campaign = new Campaign('fuzz-paths-callers', gw);
  }, 60_000);
  afterAll(async () => { await gw?.stop(); });

  const paramsOf = (route: Route) => fc.tuple(...route.pathParams.map((p) => valueFor(p.schema, p.name, known).map((v) => encodeURIComponent(String(v)))));
  const bodyOf = (route: Route) => (route.body ? (valueFor(route.body, 'body', known) as fc.Arbitrary<Record<string, unknown>>)
    .map((base) => JSON.stringify({ ...base, fuzzExtra: true })) : fc.constant(undefined));
  /** What a documented request with a well-formed path expects of this caller (a write's body is always refused: it has an extra field). */
  const documented = (route: Route, caller: Caller | undefined, method: string): Expectation => {
    if (route.access === 'none') return { status: 200 };
    if (route.access === 'metricsToken') return {};
    if (!caller || caller.kind === 'none' || badKey(caller)) return { code: 'AUTHENTICATION_REQUIRED' };
    if (route.template === '/events' && method === 'GET') return { stream: true };
    return route.method === 'post' ? { refused: true } : {};
  };

  test('percent-encoding gone wrong in every path parameter of every route: what does not decode is MALFORMED_PATH, the rest is routed', async () => {
    const before = await ledgerState(gw);
    const token = fc.oneof(
      fc.constantFrom(...MALFORMED).map((t) => ({ t, bad: true })),
      { weight: 2, arbitrary: fc.constantFrom(...WELL_FORMED).map((t) => ({ t, bad: false })) },
      fc.stringMatching(/^[A-Za-z0-9]{1,12}$/).map((t) => ({ t, bad: false })),
    );
    const probes: Probe[] = routes.filter((r) => r.pathParams.length > 0).flatMap((route, r) => route.pathParams.map((_, position) => fc.sample(fc.record({
      params: paramsOf(route), tokens: fc.array(fc.tuple(token, fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 4 }),
      caller: fc.constantFrom(...callers), how: fc.constantFrom('documented', 'documented', 'documented', 'head', 'other'), other: fc.constantFrom(...OTHER_METHODS),
      query: fc.constantFrom('', '', '?pageSize=1', '?x=%zz', '?bookmark=%00', '?%%'), body: bodyOf(route), key: fc.uuid(),
    }), { numRuns: 44, seed: 11_000 + r * 10 + position }).map(({ params, tokens, caller, how, other, query, body, key }) => {
      const value = tokens.map(([{ t }], i) => (i ? tokens[i - 1]![1] : '') + t).join('');
      const malformed = tokens.some(([{ bad }]) => bad);
      const path = fillPath(route.template, params.map((p, i) => (i === position ? value : p))) + query;
      const allowed = methodsOn(path);
      // Another method the path does serve (GET and POST on one template) is the documented one here.
      const method = how === 'documented' || (how === 'other' && allowed.has(other)) ? route.method.toUpperCase()
        : how === 'head' && route.method === 'get' ? 'HEAD' : other;
      const expected: Expectation = malformed ? { code: 'MALFORMED_PATH' }
        : !allowed.has(method) ? (badKey(caller) ? { code: 'AUTHENTICATION_REQUIRED' } : { code: 'METHOD_NOT_ALLOWED' })
          : documented(route, caller, method);
      const sendsBody = method === 'POST' && body !== undefined;
      return {
        cls: 'paths', method, path, caller, body: sendsBody ? body : undefined, expect: expected, undocumented: !allowed.has(method),
        headers: sendsBody ? { 'content-type': 'application/json', ...(route.write ? { 'idempotency-key': key } : {}) } : {},
        note: `${route.method.toUpperCase()} ${route.template}, parameter ${route.pathParams[position]!.name} = ${value} (${malformed ? 'malformed' : 'decodes'})`,
      };
    })).flat());
    expect(await campaign.run(probes)).toEqual([]);
    expect(await ledgerState(gw)).toEqual(before);
  }, 120_000);

  test('every route, every caller, either key header: bad and missing keys are 401, public routes ignore credentials, nothing is carried out', async () => {
    const before = await ledgerState(gw);
    type Style = 'bearer' | 'x-api-key' | 'both' | 'junk bearer, good x-api-key' | 'basic, x-api-key' | 'bearer, padded' | 'metrics token';
    const styles = fc.constantFrom<Style>('bearer', 'x-api-key', 'both', 'junk bearer, good x-api-key', 'basic, x-api-key', 'bearer, padded', 'metrics token');
    const junk = fc.stringMatching(/^[!-~]{0,120}$/);
    const probes: Probe[] = routes.flatMap((route, r) => callers.flatMap((caller, c) => fc.sample(fc.record({
      params: paramsOf(route), style: styles, body: bodyOf(route), key: fc.uuid(), junk,
      query: route.query.length ? fc.constantFrom('', '?pageSize=2', '?pageSize=0', '?bookmark=zz') : fc.constant(''),
    }), { numRuns: route.access === 'apiKey' ? 2 : 4, seed: 21_000 + r * 20 + c }).map(({ params, style, body, key, junk: noise, query }) => {
      const headers: Record<string, string> = {};
      const presented = caller.key ?? '';
      if (caller.kind !== 'none' || style === 'metrics token') {
        if (style === 'bearer') headers.authorization = `Bearer ${presented}`;
        if (style === 'x-api-key') headers['x-api-key'] = presented;
        if (style === 'both') Object.assign(headers, { authorization: `Bearer ${presented}`, 'x-api-key': presented });
        if (style === 'junk bearer, good x-api-key') Object.assign(headers, { authorization: `Bearer junk${noise}`, 'x-api-key': presented });
        if (style === 'basic, x-api-key') Object.assign(headers, { authorization: `Basic ${Buffer.from(`user:${noise}`).toString('base64')}`, 'x-api-key': presented });
        if (style === 'bearer, padded') headers.authorization = `Bearer    ${presented}   `;
        if (style === 'metrics token') headers.authorization = `Bearer ${METRICS_TOKEN}`;
      }
      const path = fillPath(route.template, params) + query;
      // Who the gateway should see: a junk bearer token is presented, so it is what counts; the metrics token is no API key.
      const seen: Caller = style === 'junk bearer, good x-api-key' && caller.kind !== 'none' ? { name: 'junk bearer', kind: 'unknown' }
        : style === 'metrics token' ? { name: 'metrics token', kind: 'unknown' } : caller;
      let expected = documented(route, seen, route.method.toUpperCase());
      if (route.access === 'metricsToken') expected = style === 'metrics token' ? { status: 200 } : { code: 'AUTHENTICATION_REQUIRED' };
      return {
        cls: 'callers', method: route.method.toUpperCase(), path, body: route.method === 'post' ? body : undefined, expect: expected,
        headers: { ...headers, ...(route.method === 'post' ? { 'content-type': 'application/json', ...(route.write ? { 'idempotency-key': key } : {}) } : {}) },
        caller: { ...caller, key: undefined }, note: `${caller.name}, ${style}`,
      };
    })));
    // Public routes with credentials of every shape, valid or junk.
    const open = routes.filter((r) => r.access !== 'apiKey');
    probes.push(...open.flatMap((route, r) => fc.sample(fc.record({ bearer: fc.option(fc.oneof(fc.constantFrom('junk', ''), fc.stringMatching(/^[!-~]{1,200}$/))),
      apiKey: fc.option(fc.oneof(fc.constant('junk'), fc.stringMatching(/^[!-~]{1,200}$/), fc.constantFrom(...callers.filter((c) => c.key).map((c) => c.key!)))) }),
    { numRuns: 40, seed: 23_000 + r }).map(({ bearer, apiKey }): Probe => ({
      cls: 'callers', method: 'GET', path: route.template, note: 'a public route with credentials',
      headers: { ...(bearer !== null ? { authorization: `Bearer ${bearer}` } : {}), ...(apiKey !== null ? { 'x-api-key': apiKey } : {}) },
      expect: route.access === 'metricsToken' ? { code: 'AUTHENTICATION_REQUIRED' } : { status: 200 },
    }))));
    expect(await campaign.run(probes)).toEqual([]);
    expect(await ledgerState(gw)).toEqual(before);
  }, 120_000);

  test('reconnects to /events with generated Last-Event-ID and ?after= (valid, future, now, garbage), GET and HEAD: headers always come, 200 text/event-stream or a 4xx', async () => {
    const before = await ledgerState(gw);
    const height = await gw.height();
    const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
    const valid = fc.oneof(fc.constantFrom('-1', '0', ...eventIds), fc.integer({ min: 0, max: height - 1 }).map(String),
      fc.tuple(fc.integer({ min: 0, max: height - 1 }), hex).map(([b, tx]) => `${b}:${tx}`), fc.constant(`-1:${'0'.repeat(64)}`));
    const future = fc.oneof(fc.integer({ min: height, max: height + 100_000 }).map(String), fc.constantFrom('9999999999999999', '1000000000000000'),
      fc.tuple(fc.integer({ min: height, max: 2 ** 40 }), hex).map(([b, tx]) => `${b}:${tx}`));
    const garbage = fc.oneof(fc.constantFrom('', 'abc', '-2', '1.5', '01', '1e3', '0x10', '1:', ':abc', `1:${'g'.repeat(64)}`, `1:${'A'.repeat(64)}`, '12345678901234567',
      '\u0661', '1 2', '1;2', 'null', '-0', '+1', `1:${'a'.repeat(63)}`, `1:${'a'.repeat(65)}`, '1::', 'NaN', 'Infinity', '0:0', `${eventIds[0]}x`, `${eventIds[0]}:`),
    fc.stringMatching(/^[!-~][ -~]{0,40}$/));
    const resume = fc.oneof(valid, future, garbage);
    // A header carries only what its grammar allows; the query string carries anything, percent-encoded.
    const sendable = resume.filter((v) => /^[\t\x20-\x7e]*$/.test(v));
    // `?after=now` (no replay) is the query's alone: a header saying it is refused like any garbage.
    const query = fc.oneof(resume, fc.constant('now'));
    const probes: Probe[] = fc.sample(fc.record({ header: fc.option(fc.oneof(sendable, fc.constant('now'))), after: fc.option(query), method: fc.constantFrom('GET', 'GET', 'HEAD'),
      caller: fc.constantFrom(...callers) }), { numRuns: 800, seed: 31_000 }).map(({ header, after, method, caller }) => {
      // Header values lose their surrounding whitespace in transit (HTTP's optional whitespace); the header wins over the query.
      const resumeAt = header !== null ? header.trim() : after;
      return {
        cls: 'event streams', method, path: `/events${after !== null ? `?after=${encodeURIComponent(after)}` : ''}`, caller,
        headers: header !== null ? { 'last-event-id': header } : {},
        expect: caller.kind === 'none' || badKey(caller) ? { code: 'AUTHENTICATION_REQUIRED' }
          : resumeAt === null || lastEventPattern.test(resumeAt) || (header === null && after === 'now') ? { stream: true } : { code: 'VALIDATION_FAILED' },
        note: `Last-Event-ID ${JSON.stringify(header)}, after ${JSON.stringify(after)}`,
      };
    });
    expect(await campaign.run(probes, 12)).toEqual([]);
    expect(await ledgerState(gw)).toEqual(before);
  }, 120_000);

  test('afterwards: every demo key still works, and the summary', async () => {
    await expectDemoKeysWork(gw, callers);
    console.log(campaign.summary());
    expect(campaign.count('paths')).toBeGreaterThan(1800);
    expect(campaign.count('callers')).toBeGreaterThan(1300);
    expect(campaign.count('event streams')).toBeGreaterThan(600);
  });
});
