import fc from 'fast-check';
import { ledgerState, segment } from './support/campaign';
import { fetchRetryingReset, GatewayUnderTest } from './support/gateway-under-test';

interface JsonSchema { type?: string; properties?: Record<string, JsonSchema>; required?: string[]; items?: JsonSchema; enum?: unknown[] }
interface OpenApiOperation { parameters?: { name: string; in: string }[]; requestBody?: { content: { 'application/json': { schema: JsonSchema } } } }

const CALLERS = ['did:scf:core-a', 'did:scf:supplier-t1', 'did:scf:supplier-t2', 'did:scf:bank-one', 'did:scf:regulator', 'admin:Bank1MSP'];

/** Strings that break naive code: composite-key separators, NUL, the max rune, path tricks, unicode, sizes. */
const nastyString = fc.oneof(
  fc.constantFrom('', '\u0000', 'a\u0000b', '\u{10FFFF}', 'rcv_\u0000\u{10FFFF}', '../../etc/passwd', '%00', '%2F..%2F', '𝟘𝟙', '\u202Eevil', 'did:scf:\u0000x',
    '<script>', "' OR 1=1 --", '{"$gt":""}', '\\', '\uD800', 'x'.repeat(5000)),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
/** Amounts that must never be read as money: negative, fractional, exponent, hex, beyond 2^63-1, or not strings at all. */
const nastyAmount = fc.constantFrom<unknown>('-1', '0', '10.5', '1e5', '0x10', ' 100', '100 ', '٣٠٠', '9223372036854775808', '18446744073709551616',
  '9'.repeat(40), 10.5, -100, 1e308, Number.MAX_SAFE_INTEGER + 2, null, true, [], {});
const wrongType = fc.constantFrom<unknown>(12, -1, 1.5, true, null, [], [1, 'a'], {}, { nested: { deep: [] } });

/** A body that the schema must refuse: at least one of an extra field, a wrong type, a missing field or a bad amount, plus noise. */
function invalidBody(schema: JsonSchema | undefined) {
  const properties = Object.keys(schema?.properties ?? {});
  const required = schema?.required ?? [];
  const plausible = (s: JsonSchema | undefined): fc.Arbitrary<unknown> =>
    s?.enum ? fc.constantFrom(...s.enum) : s?.type === 'number' || s?.type === 'integer' ? fc.integer() : s?.type === 'array' ? fc.array(nastyString, { maxLength: 3 })
      : s?.type === 'object' ? fc.constant({}) : fc.oneof(nastyString, nastyAmount);
  const base = fc.record(Object.fromEntries(properties.map((p) => [p, plausible(schema?.properties?.[p])])) as Record<string, fc.Arbitrary<unknown>>);
  const breakage = fc.oneof(
    fc.record({ kind: fc.constant('extra'), field: fc.constantFrom('status', 'holderId', 'amount', '__proto__', 'constructor', 'creditorId\u0000', 'faceAmount '), value: fc.oneof(nastyString, wrongType) }),
    ...(required.length ? [fc.record({ kind: fc.constant('missing'), field: fc.constantFrom(...required), value: fc.constant(undefined) })] : []),
    ...(properties.length ? [fc.record({ kind: fc.constant('wrong-type'), field: fc.constantFrom(...properties), value: wrongType.filter((v) => typeof v !== 'string') })] : []),
  );
  return fc.tuple(base, breakage).map(([body, broken]) => {
    const result: Record<string, unknown> = { ...body };
    if (broken.kind === 'missing') delete result[broken.field];
    else if (broken.kind === 'extra' && broken.field === '__proto__') return `{${JSON.stringify(result).slice(1, -1)}${Object.keys(result).length ? ',' : ''}"__proto__":{"isAdmin":true}}`;
    else result[broken.field] = broken.value;
    // Wrong-typed values of array or number fields may be valid by accident (an array for an array): add a field the strict schema refuses.
    if (broken.kind === 'wrong-type') result['unexpected'] = broken.value;
    return JSON.stringify(result);
  });
}

describe('a fuzz campaign generated from the OpenAPI document, whose every answer the document describes', () => {
  let gw: GatewayUnderTest;
  beforeAll(async () => { gw = await GatewayUnderTest.start(); }, 60_000);
  afterAll(async () => { await gw.stop(); });

  test('thousands of malformed requests: no 5xx, every error has a code and a declared status, and the ledger state is byte-for-byte unchanged', async () => {
    // Real objects, so that some mutated requests reach real records.
    const line = gw.keys.creditLineId!;
    const before = await ledgerState(gw);
    const { body: document } = await gw.call('GET', '/openapi.json');
    const ids = fc.oneof(nastyString, fc.constantFrom(line, 'did:scf:supplier-t1', 'did:scf:core-a', `rcv_${'0'.repeat(64)}`));
    const statuses = new Map<number, number>();
    let sent = 0;
    const failures: string[] = [];
    const send = async (method: string, route: string, body: string | undefined, headers: Record<string, string>, as: string) => {
      const response = await fetchRetryingReset(gw.url + route, {
        method: method.toUpperCase(), body,
        headers: { authorization: `Bearer ${gw.keys[as]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      });
      const text = await response.text();
      sent++;
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      let parsed: any;
      try { parsed = JSON.parse(text); } catch { parsed = undefined; }
      const wellFormedError = typeof parsed?.error?.code === 'string' && parsed.error.code.length > 0 && typeof parsed.error.message === 'string';
      const wrote = method !== 'get' && response.status < 300;
      if (wrote || response.status >= 500 || (response.status >= 400 && !wellFormedError)) failures.push(`${method.toUpperCase()} ${route} ${body?.slice(0, 200)} → ${response.status} ${text.slice(0, 200)}`);
      // Every answer, refusals included, is one the document declares, with the body it declares.
      const contentType = response.headers.get('content-type');
      const problems = gw.validator.check({ method, url: route, status: response.status, contentType, body: /^application\/json\b/.test(contentType ?? '') ? parsed : text });
      failures.push(...problems.map((p) => `${p.detail} (request body ${body?.slice(0, 200)})`));
    };

    for (const [template, methods] of Object.entries(document.paths as Record<string, Record<string, OpenApiOperation>>)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (template === '/events' || method !== 'post' && method !== 'get') continue;
        const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
        const schema = operation.requestBody?.content['application/json'].schema;
        const samples = fc.sample(fc.record({
          params: fc.tuple(...names.map(() => ids)),
          body: invalidBody(schema),
          as: fc.constantFrom(...CALLERS),
          key: fc.oneof(fc.uuid(), fc.constant('k'.repeat(200)), fc.constant('')),
          query: fc.constantFrom('', '?pageSize=-1', '?pageSize=abc', '?pageSize=100000', '?bookmark=%00', '?bookmark=' + 'b'.repeat(3000), '?extra=1'),
        }), { numRuns: 60, seed: template.length * 7919 + method.length });
        for (const sample of samples) {
          const route = template.replace(/\{(\w+)\}/g, (_, name: string) => segment(String(sample.params[names.indexOf(name)] ?? 'x')));
          if (method === 'get') await send('get', route + sample.query, undefined, {}, sample.as);
          else await send('post', route, sample.body, { 'idempotency-key': sample.key || 'fuzz' }, sample.as);
        }
        if (method === 'post') {
          // Broken envelopes: not JSON, the wrong media type, a body over the limit.
          await send('post', template.replace(/\{(\w+)\}/g, 'x'), '{"unterminated": ', { 'idempotency-key': 'fuzz-json' }, 'did:scf:core-a');
          await send('post', template.replace(/\{(\w+)\}/g, 'x'), '{"a":1}', { 'idempotency-key': 'fuzz-type', 'content-type': 'text/plain' }, 'did:scf:core-a');
          await send('post', template.replace(/\{(\w+)\}/g, 'x'), JSON.stringify({ padding: 'p'.repeat(40_000) }), { 'idempotency-key': 'fuzz-size' }, 'did:scf:core-a');
        }
      }
    }
    console.log(`fuzz: ${sent} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(2500);
    expect(await ledgerState(gw)).toEqual(before);
  }, 240_000);
});
