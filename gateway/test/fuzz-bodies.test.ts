import bytes from 'bytes';
import fc from 'fast-check';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'zlib';
import { MAX_JSON_DEPTH } from '../src/http/json-body';
import {
  badKey, Campaign, type Caller, callersOf, expectDemoKeysWork, type Expectation, fieldPaths, fillPath, type KnownIds, ledgerState, PROTOTYPE_KEYS, type Probe, revokedKeyOf,
  type Route, routesOf, valueFor, withRawAt, withRawMemberAt,
} from './support/campaign';
import { heldCertificate } from './support/fixtures';
import { GatewayUnderTest } from './support/gateway-under-test';

/**
 * The generated campaign over request bodies, for every operation of /openapi.json that
 * takes one: encodings, charsets and media types; nesting from 1 to thousands of levels in
 * every field; prototype keys anywhere, escaped or not; complete bodies at and over the
 * limit. Each body is the document's schema-valid body with one thing wrong, so nothing may
 * ever be carried out: the ledger must not move.
 */

/** Codes of the body reader: a body refused for how it was sent, not for what it says. */
const ENVELOPE = ['UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_ENCODING', 'BODY_NOT_DECODABLE', 'PAYLOAD_TOO_LARGE', 'REQUEST_TIMEOUT', 'BODY_TOO_DEEP'];
const EXTRA = 'fuzzExtra';

type ContentTypeVerdict = 'json' | 'not-json' | 'charset' | 'garbage';
const contentTypes: fc.Arbitrary<{ value?: string; verdict: ContentTypeVerdict }> = fc.oneof(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=UTF-8', 'application/json;charset=utf8', 'Application/JSON',
    'APPLICATION/JSON; CHARSET=UTF-8', 'application/json; charset="utf-8"', 'application/json ; charset=utf-8', 'application/json; foo=bar', ' application/json')
    .map((value) => ({ value, verdict: 'json' as const })),
  fc.constantFrom(undefined, 'text/plain', 'text/plain; charset=utf-8', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
    'application/vnd.api+json', 'application/json-patch+json', 'application/merge-patch+json', 'application/jsonx', 'application/xml', 'application', '*/*',
    'application/*', 'json', 'application/json, text/plain', 'application/octet-stream')
    .map((value) => ({ value, verdict: 'not-json' as const })),
  fc.constantFrom('latin1', 'iso-8859-1', 'binary', 'ucs-2', 'ucs2', 'utf-16', 'utf-16le', 'utf-16be', 'utf-32', 'us-ascii', 'windows-1252', 'utf-7', 'cesu-8', 'utf-8x',
    'utf8mb4', '"latin1"', 'utf-8; charset=latin1')
    .map((charset) => ({ value: `application/json; charset=${charset}`, verdict: 'charset' as const })),
  // Parameters that do not parse.
  fc.constantFrom('application/json; charset=', 'application/json; charset', 'application/json;;', 'application/json; =utf-8', 'application/json; charset=utf-8;',
    'application/json; charset=utf 8', 'application/json; charset="utf-8', 'application/json; charset=\u00e9')
    .map((value) => ({ value, verdict: 'charset' as const })),
  // Parameters nobody can label: refused or read, never anything else.
  fc.stringMatching(/^[ -~]{0,30}$/).map((params) => ({ value: `application/json; ${params}`, verdict: 'garbage' as const })),
);

type EncodingVerdict = 'plain' | 'unsupported' | 'corrupt';
interface Encoding { readonly value?: string; readonly verdict: EncodingVerdict; readonly encode: (body: Buffer) => Buffer; readonly label: string }
const same = (body: Buffer) => body;
const corruptTail = (body: Buffer, from: number) => Buffer.concat([body.subarray(0, body.length - from), Buffer.from(body.subarray(body.length - from).map((b) => b ^ 0xff))]);
const ACCEPTED_GZIP = ['gzip', 'x-gzip', 'GZIP', ' gzip ', 'Gzip', 'X-GZIP', '\tgzip'];
const ACCEPTED_DEFLATE = ['deflate', 'DEFLATE', 'Deflate ', '\tdeflate'];
const encodings: fc.Arbitrary<Encoding> = fc.oneof(
  fc.constant<Encoding>({ verdict: 'plain', encode: same, label: 'none' }),
  fc.constantFrom('identity', 'Identity', ' IDENTITY').map((value): Encoding => ({ value, verdict: 'plain', encode: same, label: 'identity' })),
  fc.constantFrom(...ACCEPTED_GZIP).map((value): Encoding => ({ value, verdict: 'plain', encode: (b) => gzipSync(b), label: 'gzip' })),
  fc.constantFrom(...ACCEPTED_DEFLATE).map((value): Encoding => ({ value, verdict: 'plain', encode: (b) => deflateSync(b), label: 'deflate' })),
  // Valid codings, broken bodies.
  fc.tuple(fc.constantFrom(...ACCEPTED_GZIP), fc.integer({ min: 1, max: 40 })).map(([value, cut]): Encoding => ({ value, verdict: 'corrupt', label: `gzip cut ${cut}`,
    encode: (b) => { const z = gzipSync(b); return z.subarray(0, Math.max(1, z.length - cut)); } })),
  fc.constantFrom(...ACCEPTED_GZIP).map((value): Encoding => ({ value, verdict: 'corrupt', label: 'gzip bad CRC', encode: (b) => corruptTail(gzipSync(b), 8) })),
  fc.constantFrom(...ACCEPTED_GZIP).map((value): Encoding => ({ value, verdict: 'corrupt', label: 'gzip with a tail', encode: (b) => Buffer.concat([gzipSync(b), Buffer.from('trailing text')]) })),
  fc.constantFrom(...ACCEPTED_GZIP).map((value): Encoding => ({ value, verdict: 'corrupt', label: 'plain as gzip', encode: same })),
  fc.constantFrom(...ACCEPTED_GZIP).map((value): Encoding => ({ value, verdict: 'corrupt', label: 'deflate as gzip', encode: (b) => deflateSync(b) })),
  fc.constantFrom(...ACCEPTED_DEFLATE).map((value): Encoding => ({ value, verdict: 'corrupt', label: 'raw deflate', encode: (b) => deflateRawSync(b) })),
  fc.constantFrom(...ACCEPTED_DEFLATE).map((value): Encoding => ({ value, verdict: 'corrupt', label: 'gzip as deflate', encode: (b) => gzipSync(b) })),
  fc.constantFrom(...ACCEPTED_DEFLATE).map((value): Encoding => ({ value, verdict: 'corrupt', label: 'plain as deflate', encode: same })),
  fc.tuple(fc.constantFrom(...ACCEPTED_DEFLATE), fc.integer({ min: 1, max: 20 })).map(([value, cut]): Encoding => ({ value, verdict: 'corrupt', label: `deflate cut ${cut}`,
    encode: (b) => { const z = deflateSync(b); return z.subarray(0, Math.max(1, z.length - cut)); } })),
  fc.constantFrom(...ACCEPTED_DEFLATE).map((value): Encoding => ({ value, verdict: 'corrupt', label: 'deflate bad Adler-32', encode: (b) => corruptTail(deflateSync(b), 4) })),
  // Codings the gateway does not take, alone or stacked, in any case.
  fc.constantFrom<[string, (b: Buffer) => Buffer]>(['br', (b) => brotliCompressSync(b)], ['BR', (b) => brotliCompressSync(b)], ['zstd', same], ['compress', same],
    ['x-compress', same], ['x-unknown', same], ['aes128gcm', same], ['exi', same], ['pack200-gzip', (b) => gzipSync(b)], ['chunked', same],
    ['gzip;q=1.0', (b) => gzipSync(b)], ['gzip, gzip', (b) => gzipSync(gzipSync(b))], ['gzip,deflate', (b) => gzipSync(deflateSync(b))],
    ['deflate, gzip', (b) => deflateSync(gzipSync(b))], ['identity, gzip', (b) => gzipSync(b)], ['gzip, identity', (b) => gzipSync(b)], ['GZIP, BR', same])
    .map(([value, encode]): Encoding => ({ value, verdict: 'unsupported', encode, label: value })),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/).filter((v) => !['gzip', 'x-gzip', 'deflate', 'identity'].includes(v))
    .map((value): Encoding => ({ value, verdict: 'unsupported', encode: same, label: value })),
);

type BytesVerdict = 'utf8' | 'undecodable' | 'either';
/** How the JSON text becomes bytes: UTF-8 (with a BOM or not), broken UTF-8 inside a string, or UTF-16. */
const byteForms: fc.Arbitrary<{ verdict: BytesVerdict; label: string; bad?: Buffer; utf16?: boolean; bom?: boolean }> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ verdict: 'utf8' as const, label: 'utf-8' }) },
  fc.constant({ verdict: 'utf8' as const, label: 'utf-8 with BOM', bom: true }),
  fc.constantFrom([0xff], [0xfe], [0x80], [0xc0, 0xaf], [0xc1, 0xbf], [0xe0, 0x80, 0xaf], [0xf0, 0x80, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf],
    [0xe2, 0x82], [0xc3], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe9, 0x74, 0xe9])
    .map((b) => ({ verdict: 'undecodable' as const, label: `bytes ${Buffer.from(b).toString('hex')}`, bad: Buffer.from(b) })),
  fc.constant({ verdict: 'either' as const, label: 'utf-16le', utf16: true }),
);

const keyHeader = fc.oneof(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9._~:-]{1,128}$/));

describe('the generated campaign over request bodies (every operation that takes one)', () => {
  let gw: GatewayUnderTest;
  let campaign: Campaign;
  let bodyRoutes: Route[];
  let callers: Caller[];
  let known: KnownIds;
  let limit: number;

  beforeAll(async () => {
    gw = await GatewayUnderTest.start();
    limit = bytes.parse('16kb')!;
    const { receivableId, certificateId } = await heldCertificate(gw);
    const dids = Object.keys(gw.keys).filter((k) => k.startsWith('did:'));
    known = { id: [receivableId, certificateId, gw.keys.creditLineId!, ...dids], certificateId: [certificateId], subjectId: dids, creditorId: dids };
    callers = callersOf(gw, await revokedKeyOf(gw, 'did:scf:fuzz-bodies-revoked'));
    const { body: document } = await gw.call('GET', '/openapi.json');
    bodyRoutes = routesOf(document).filter((r) => r.method === 'post' && r.body);
    campaign = new Campaign('fuzz-bodies', gw);
  }, 60_000);
  afterAll(async () => { await gw?.stop(); });

  /** A request on `route` with generated parameters, caller and key; what it expects when its body is read and refused. */
  const request = (route: Route) => fc.record({
    params: fc.tuple(...route.pathParams.map((p) => valueFor(p.schema, p.name, known).map((v) => encodeURIComponent(String(v))))),
    caller: fc.constantFrom(...callers),
    key: keyHeader,
    base: valueFor(route.body!, 'body', known) as fc.Arbitrary<Record<string, unknown>>,
  });
  const headersOf = (route: Route, key: string, extra: Record<string, string | number | undefined>) =>
    Object.fromEntries(Object.entries({ ...(route.write ? { 'idempotency-key': key } : {}), ...extra }).filter(([, v]) => v !== undefined)) as Record<string, string | number>;
  /** A body read in full and refused for what it says (or its caller): never a body-reader code, never a success. */
  const readAndRefused = (caller: Caller, field?: string): Expectation => (badKey(caller) || caller.kind === 'none'
    ? { code: 'AUTHENTICATION_REQUIRED' } : { not: ENVELOPE, refused: true, ...(field ? { field } : {}) });

  /** The generated bodies themselves are what the document accepts: otherwise a refusal would prove nothing. */
  test('the campaign\'s base bodies are valid by the document', () => {
    const problems = bodyRoutes.flatMap((route) => fc.sample(request(route), { numRuns: 20, seed: 1 })
      .flatMap((s) => gw.validator.checkRequestBody('post', route.template, s.base).map((p) => `${route.template}: ${p}`)));
    expect(problems).toEqual([]);
    expect(bodyRoutes.length).toBeGreaterThan(25);
  });

  test('encodings, charsets and media types: each refused with its code before anything runs, or read and then refused for the extra field', async () => {
    const before = await ledgerState(gw);
    const probes: Probe[] = bodyRoutes.flatMap((route, r) => fc.sample(fc.record({ request: request(route), contentType: contentTypes, encoding: encodings, form: byteForms }),
      { numRuns: 60, seed: 1300 + r }).map(({ request: { params, caller, key, base }, contentType, encoding, form }) => {
      const text = JSON.stringify({ ...base, [EXTRA]: 'before|after' });
      let plain = form.utf16 ? Buffer.from(text, 'utf16le') : Buffer.from(text, 'utf8');
      if (form.bad) {
        const [head, tail] = text.split('|');
        plain = Buffer.concat([Buffer.from(head!), form.bad, Buffer.from(tail!)]);
      }
      if (form.bom) plain = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain]);
      const body = encoding.encode(plain);
      const expected: Expectation = badKey(caller) ? { code: 'AUTHENTICATION_REQUIRED' }
        : contentType.verdict === 'not-json' || contentType.verdict === 'charset' ? { code: 'UNSUPPORTED_MEDIA_TYPE' }
          : contentType.verdict === 'garbage' ? { refused: true }
            : encoding.verdict === 'unsupported' ? { code: 'UNSUPPORTED_ENCODING' }
              : encoding.verdict === 'corrupt' || form.verdict === 'undecodable' ? { code: 'BODY_NOT_DECODABLE' }
                : form.verdict === 'either' ? { codes: ['VALIDATION_FAILED', 'BODY_NOT_DECODABLE'] }
                  : readAndRefused(caller, 'body');
      return {
        cls: 'encodings', method: 'POST', path: fillPath(route.template, params), caller, body,
        headers: headersOf(route, key, { 'content-type': contentType.value, 'content-encoding': encoding.value }),
        // A body refused for its headers is never read: its connection is closed.
        expect: expected, closes: ['UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_ENCODING'].includes(expected.code ?? ''),
        note: `content-type ${contentType.verdict}, encoding ${encoding.label}, bytes ${form.label}`,
      };
    }));
    expect(await campaign.run(probes)).toEqual([]);
    expect(await ledgerState(gw)).toEqual(before);
  }, 120_000);

  test('nesting from 1 to thousands of levels in every field: deeper than the limit is BODY_TOO_DEEP, the rest is read and refused', async () => {
    const before = await ledgerState(gw);
    const nested = (levels: number, shape: 'arrays' | 'objects' | 'mixed', seed: number, leaf: string) => {
      let open = '';
      let close = '';
      let state = seed;
      for (let i = 0; i < levels; i++) {
        state = (state * 1103515245 + 12345) & 0x7fffffff;
        const array = shape === 'arrays' || (shape === 'mixed' && (state & 1) === 1);
        open += array ? '[' : '{"":';
        close = (array ? ']' : '}') + close;
      }
      return open + leaf + close;
    };
    const levels = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(MAX_JSON_DEPTH - 2, MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1),
      fc.integer({ min: 33, max: 3000 }), fc.constantFrom(1000, 2500, 3000));
    const probes: Probe[] = bodyRoutes.flatMap((route, r) => [...fieldPaths(route.body!), { path: [EXTRA], enclosing: 1, schema: {} }].flatMap((field, f) =>
      fc.sample(fc.record({ request: request(route), levels, shape: fc.constantFrom('arrays' as const, 'objects' as const, 'mixed' as const),
        seed: fc.nat(), leaf: fc.constantFrom('1', 'null', 'true', '"leaf"', '-0.5e3'), inString: fc.boolean() }),
      { numRuns: field.path.length === 0 ? 12 : 7, seed: 3100 + r * 100 + f }).map(({ request: { params, caller, key, base }, levels: n, shape, seed, leaf, inString }) => {
        // Sometimes the brackets are inside a string, where they nest nothing (the body gets an extra field, so it is still refused).
        const asString = inString && field.path.length > 0;
        const text = asString
          ? withRawAt({ ...base, [EXTRA]: 1 }, field.path, JSON.stringify(`"\\${'['.repeat(Math.min(n, 4000))}{"a":`))
          : withRawAt(base, field.path, nested(n, shape, seed, leaf));
        const depth = asString ? field.enclosing : field.enclosing + n;
        const expected: Expectation = badKey(caller) ? { code: 'AUTHENTICATION_REQUIRED' }
          : Buffer.byteLength(text) > limit ? { code: 'PAYLOAD_TOO_LARGE' }
            : depth > MAX_JSON_DEPTH ? { code: 'BODY_TOO_DEEP' } : readAndRefused(caller);
        return {
          cls: 'depth', method: 'POST', path: fillPath(route.template, params), caller, body: text,
          headers: headersOf(route, key, { 'content-type': 'application/json' }), expect: expected,
          note: `${asString ? 'brackets in a string' : `${n} levels of ${shape}`} at ${field.path.join('.') || 'the body'} (depth ${depth})`,
        };
      })));
    expect(await campaign.run(probes)).toEqual([]);
    expect(await ledgerState(gw)).toEqual(before);
  }, 120_000);

  test('__proto__, constructor and prototype as keys at any depth, escaped or not, in every body: 400 VALIDATION_FAILED on the body', async () => {
    const before = await ledgerState(gw);
    /** The key as JSON text, with some of its characters written as \u escapes. */
    const keyText = fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.array(fc.nat({ max: 3 }), { minLength: 11, maxLength: 11 }))
      .map(([key, escapes]) => `"${[...key].map((c, i) => (escapes[i] === 0 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
        : escapes[i] === 1 ? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : c)).join('')}"`);
    const valueText = fc.constantFrom('{}', '{"isAdmin":true}', 'null', '1', '"x"', '[]', '{"prototype":{"polluted":1}}', '[{"__proto__":{}}]', '{"toString":"x"}');
    const probes: Probe[] = bodyRoutes.flatMap((route, r) => {
      const fields = fieldPaths(route.body!);
      const objects = fields.filter((f) => f.schema.type === 'object');
      const placement = fc.oneof(
        fc.constantFrom(...objects).map((at) => ({ at, levels: 0 })),
        // Under new containers in any field: [{"a":[{"__proto__":…}]}], within the depth limit.
        fc.record({ at: fc.constantFrom(...fields.filter((f) => f.path.length > 0), { path: [EXTRA], enclosing: 1, schema: {} }), levels: fc.integer({ min: 1, max: 24 }) }),
      );
      return fc.sample(fc.record({ request: request(route), key: keyText, value: valueText, placement, arrays: fc.nat() }), { numRuns: 36, seed: 5100 + r })
        .map(({ request: { params, caller, key, base }, key: member, value, placement: { at, levels }, arrays }) => {
          let text: string;
          if (levels === 0) {
            text = withRawMemberAt(base, at.path, `${member}:${value}`);
          } else {
            let inner = `{${member}:${value}}`;
            for (let i = 0; i < levels; i++) inner = (arrays >> i) & 1 ? `[${inner}]` : `{"a":${inner}}`;
            text = withRawAt(base, at.path, inner);
          }
          return {
            cls: 'prototype keys', method: 'POST', path: fillPath(route.template, params), caller, body: text,
            headers: headersOf(route, key, { 'content-type': 'application/json' }),
            expect: badKey(caller) ? { code: 'AUTHENTICATION_REQUIRED' } : { code: 'VALIDATION_FAILED', field: 'body' },
            note: `${member} at ${at.path.join('.') || 'the body'}${levels ? ` under ${levels} containers` : ''}`,
          };
        });
    });
    expect(await campaign.run(probes)).toEqual([]);
    expect(await ledgerState(gw)).toEqual(before);
  }, 120_000);

  test('complete bodies at and over the limit: over it is 413 on a closed connection, whether declared, chunked (ended or not) or compressed', async () => {
    const before = await ledgerState(gw);
    type Size = 'at the limit' | 'declared over' | 'chunked over, ended' | 'chunked over, never ended' | 'gzip bomb' | 'gzip at the limit';
    const probes: Probe[] = bodyRoutes.flatMap((route, r) => fc.sample(fc.record({ request: request(route),
      size: fc.constantFrom<Size>('at the limit', 'declared over', 'chunked over, ended', 'chunked over, never ended', 'gzip bomb', 'gzip at the limit'),
      over: fc.integer({ min: 1, max: 3 * limit }), chunk: fc.integer({ min: 1, max: 8192 }) }), { numRuns: 14, seed: 7100 + r })
      .map(({ request: { params, caller, key, base }, size, over, chunk }) => {
        const padded = (total: number) => {
          const text = JSON.stringify({ ...base, [EXTRA]: '' });
          return `${text.slice(0, -3)}${' '.repeat(Math.max(0, total - Buffer.byteLength(text)))}""}`;
        };
        const fits = size === 'at the limit' || size === 'gzip at the limit';
        const text = padded(fits ? limit : limit + over);
        const headers = headersOf(route, key, { 'content-type': 'application/json', ...(size.startsWith('gzip') ? { 'content-encoding': 'gzip' } : {}) });
        let body: Probe['body'] = size.startsWith('gzip') ? gzipSync(text) : text;
        if (size.startsWith('chunked')) {
          headers['transfer-encoding'] = 'chunked';
          body = (req) => {
            for (let at = 0; at < text.length; at += chunk) req.write(text.slice(at, at + chunk));
            if (size === 'chunked over, ended') req.end();
          };
        }
        return {
          cls: 'oversized bodies', method: 'POST', path: fillPath(route.template, params), caller, headers, body,
          expect: badKey(caller) ? { code: 'AUTHENTICATION_REQUIRED' } : fits ? readAndRefused(caller) : { code: 'PAYLOAD_TOO_LARGE' },
          closes: !badKey(caller) && !fits, note: `${size}, ${Buffer.byteLength(text)} bytes`,
        };
      }));
    expect(await campaign.run(probes, 6)).toEqual([]);
    expect(await ledgerState(gw)).toEqual(before);
  }, 120_000);

  test('afterwards: every demo key still works, and the summary', async () => {
    await expectDemoKeysWork(gw, callers);
    console.log(campaign.summary());
    expect(campaign.count('encodings')).toBeGreaterThan(1500);
    expect(campaign.count('depth')).toBeGreaterThan(900);
    expect(campaign.count('prototype keys')).toBeGreaterThan(900);
  });
});
