import { ERROR_CODES } from '@scf/chaincode';
import fc from 'fast-check';
import pino from 'pino';
import { createApp, type GatewayParts } from '../src/http/app';
import { configFromEnv } from '../src/config';
import { GATEWAY_ERRORS } from '../src/http/http-error';
import { openApiDocument } from '../src/http/openapi';
import { amount, claims, date, decimalUpTo, OPERATIONS } from '../src/http/operations';
import { GatewayMetrics } from '../src/observability/metrics';
import { OpenApiValidator, type Problem } from './support/openapi-validator';

type Json = Record<string, any>;
const document = openApiDocument('test') as Json;
const validator = new OpenApiValidator(document);
const MAX = 2n ** 63n - 1n;

const certificate = {
  id: `crt_${'a'.repeat(16)}`, receivableId: `rcv_${'b'.repeat(16)}`, parentId: null, holderId: 'did:scf:supplier-t1', amount: '100000',
  currency: 'CNY', depth: 0, createdAt: '2027-01-01T00:00:00.000Z', createdTxId: 'c'.repeat(64), debtorId: 'did:scf:core', paidAmount: '0', frozen: null, status: 'ACTIVE',
};
const json = 'application/json; charset=utf-8';
/** The kinds of the problems found, once each. */
const kinds = (problems: readonly Problem[]) => [...new Set(problems.map((p) => p.kind))];
const operations = Object.entries(document.paths as Record<string, Record<string, Json>>)
  .flatMap(([template, methods]) => Object.entries(methods).map(([method, operation]) => ({ template, method, operation })));

describe('the response validator of the API suite', () => {
  test('accepts an answer the document describes', () => {
    expect(validator.check({ method: 'GET', url: `/certificates/${certificate.id}`, status: 200, contentType: json, body: certificate })).toEqual([]);
    expect(validator.check({ method: 'GET', url: '/certificates/x', status: 404, contentType: json,
      body: { error: { code: 'NOT_FOUND', message: 'certificate x does not exist' } } })).toEqual([]);
  });

  test('reports a body that does not match its status\'s schema', () => {
    const check = (body: unknown) => kinds(validator.check({ method: 'GET', url: `/certificates/${certificate.id}`, status: 200, contentType: json, body }));
    expect(check({ ...certificate, amount: 100000 })).toEqual(['body']);
    expect(check({ ...certificate, amount: '-1' })).toEqual(['body']);
    expect(check({ ...certificate, status: 'OFFERED' })).toEqual(['body']);
    expect(check({ ...certificate, secret: 'leaked' })).toEqual(['body']);
    expect(check({ ...certificate, createdAt: '2027-02-30T00:00:00.000Z' })).toEqual(['body']);
    const committed = (result: unknown) => kinds(validator.check({ method: 'POST', url: `/certificates/${certificate.id}/offer/accept`, status: 200, contentType: json,
      body: { txId: 'd'.repeat(64), blockNumber: 7, result, attempts: 1 } }));
    expect(committed(certificate)).toEqual([]);
    expect(committed({ certificate })).toEqual(['body']);
  });

  test('reports an undeclared status, an undeclared media type, an error code of another status and an unknown route', () => {
    expect(kinds(validator.check({ method: 'GET', url: '/healthz', status: 418, contentType: json, body: { status: 'ok' } }))).toEqual(['status']);
    expect(kinds(validator.check({ method: 'GET', url: '/certificates/x', status: 202, contentType: json, body: {} }))).toEqual(['status']);
    expect(kinds(validator.check({ method: 'GET', url: '/healthz', status: 200, contentType: 'text/html', body: 'ok' }))).toEqual(['media-type']);
    expect(kinds(validator.check({ method: 'POST', url: '/receivables', status: 409, contentType: json,
      body: { error: { code: 'VALIDATION_FAILED', message: 'm' } } }))).toEqual(['body']);
    expect(kinds(validator.check({ method: 'POST', url: '/receivables', status: 409, contentType: json,
      body: { error: { code: 'INVOICE_ALREADY_USED', message: 'm', detail: 'x' } } }))).toEqual(['body']);
    expect(kinds(validator.check({ method: 'GET', url: '/nowhere', status: 200, contentType: json, body: {} }))).toEqual(['route']);
    expect(validator.check({ method: 'GET', url: '/nowhere', status: 404, contentType: json,
      body: { error: { code: 'ROUTE_NOT_FOUND', message: 'no such route' } } })).toEqual([]);
  });

  test('every schema in the document compiles as JSON Schema 2020-12 under ajv\'s strict mode', () => {
    // A check with a status every operation declares compiles that schema; a bad schema would throw.
    for (const { template, method, operation } of operations) {
      for (const status of Object.keys(operation.responses)) {
        const url = template.replace(/\{\w+\}/g, 'x');
        const mediaType = Object.keys(operation.responses[status].content ?? { [json]: {} })[0] ?? json;
        expect(kinds(validator.check({ method, url, status: Number(status), contentType: mediaType, body: null })).filter((k) => k !== 'body')).toEqual([]);
      }
    }
  });
});

describe('the OpenAPI document', () => {
  test('describes every route the gateway serves', () => {
    const parts = { metrics: new GatewayMetrics(), logger: pino({ level: 'silent' }), settings: configFromEnv({}) } as unknown as GatewayParts;
    const app = createApp(parts) as unknown as { _router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
    const served = app._router.stack.flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((m) => `${m} ${layer.route!.path}`) : []));
    const documented = operations.map(({ template, method }) => `${method} ${template.replace(/\{(\w+)\}/g, ':$1')}`);
    expect(served.length).toBeGreaterThan(60);
    expect([...documented].sort()).toEqual([...served].sort());
  });

  test('gives every operation a unique camelCase operationId and declares its success and error answers', () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    for (const { template, method, operation } of operations) {
      const statuses = Object.keys(operation.responses).map(Number);
      expect([template, statuses.some((s) => s >= 200 && s < 300)]).toEqual([template, true]);
      expect([template, 'default' in operation.responses]).toEqual([template, false]);
      const ledger = OPERATIONS.find((o) => o.method === method && o.path.replace(/:(\w+)/g, '{$1}') === template);
      if (!ledger) continue;
      expect([template, statuses]).toEqual([template, expect.arrayContaining([400, 401, 403, 404, 429, 503])]);
      if (ledger.mode === 'submit') {
        expect([template, statuses]).toEqual([template, expect.arrayContaining([202, 408, 409, 413, 415, 422])]);
        expect(operation.responses[202].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Pending' });
        expect(operation.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }));
      }
    }
  });

  test('the error codes are those of the two registries, each under its status', () => {
    const registered = { ...GATEWAY_ERRORS, ...Object.fromEntries(Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status])) };
    expect([...document.components.schemas.Error.properties.error.properties.code.enum].sort()).toEqual(Object.keys(registered).sort());
    for (const [name, response] of Object.entries(document.components.responses as Record<string, Json>)) {
      const codes: string[] = response.content['application/json'].schema.allOf[1].properties.error.properties.code.enum;
      expect(codes.map((code) => `${code} ${registered[code as keyof typeof registered]}`)).toEqual(codes.map((code) => `${code} ${name.slice('Error'.length)}`));
    }
    for (const code of ['MALFORMED_PATH', 'BODY_TOO_DEEP', 'BODY_NOT_DECODABLE', 'METHOD_NOT_ALLOWED', 'REQUEST_TIMEOUT', 'UNSUPPORTED_ENCODING', 'TOO_MANY_REQUESTS']) {
      expect(Object.keys(registered)).toContain(code);
    }
  });

  test('names both ways of presenting an API key, and which routes need none', () => {
    expect(document.security).toEqual([{ apiKeyBearer: [] }, { apiKeyHeader: [] }]);
    expect(document.components.securitySchemes.apiKeyHeader).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
    const open = operations.filter(({ operation }) => operation.security?.length === 0).map(({ template }) => template).sort();
    expect(open).toEqual(['/docs', '/healthz', '/openapi.json', '/readyz']);
    expect(document.paths['/metrics'].get.security).toEqual([{ metricsToken: [] }]);
  });

  test('path parameters are as strict as the server: ids, DIDs, history kinds and transaction ids', () => {
    const parameter = (template: string, name: string) => document.paths[template].get.parameters.find((p: Json) => p.name === name).schema;
    expect(parameter('/certificates/{id}', 'id')).toMatchObject({ minLength: 1, maxLength: 160 });
    expect(parameter('/enterprises/{id}', 'id').pattern).toBe('^did:scf:[a-z0-9][a-z0-9-]{1,62}$');
    expect(parameter('/history/{kind}/{id}', 'kind').enum).toEqual(['certificate', 'receivable', 'enterprise', 'creditLine', 'financing', 'settlement']);
    expect(parameter('/transactions/{txId}', 'txId').pattern).toBe('^[0-9a-f]{64}$');
  });
});

describe('the request schemas refuse what the chaincode refuses', () => {
  test('an amount is accepted exactly when it is a positive integer of at most 2^63−1, and its pattern says so', () => {
    const pattern = new RegExp(document.paths['/receivables'].post.requestBody.content['application/json'].schema.properties.faceAmount.pattern);
    const near = fc.bigInt({ min: MAX - 10_000n, max: MAX + 10_000n });
    const anywhere = fc.bigInt({ min: 0n, max: 10n ** 21n });
    fc.assert(fc.property(fc.oneof(near, anywhere, fc.bigInt({ min: 0n, max: 1000n })), (value) => {
      const expected = value >= 1n && value <= MAX;
      expect([value, amount.safeParse(value.toString()).success, pattern.test(value.toString())]).toEqual([value, expected, expected]);
    }), { numRuns: 3000 });
    for (const refused of ['0', '01', '-1', '1.5', ' 1', '9223372036854775808', '9999999999999999999', '1'.repeat(20)]) {
      expect([refused, amount.safeParse(refused).success]).toEqual([refused, false]);
    }
  });

  test('the pattern builder is exact for other ceilings too', () => {
    fc.assert(fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 2n * 10n ** 12n }), fc.constantFrom<0 | 1>(0, 1), (max, value, min) => {
      expect(decimalUpTo(max, min).test(value.toString())).toBe(value >= BigInt(min) && value <= max);
    }), { numRuns: 2000 });
  });

  test('a date must exist in the calendar', () => {
    for (const [value, ok] of [['2027-02-28', true], ['2028-02-29', true], ['2000-02-29', true], ['2027-02-29', false], ['2100-02-29', false],
      ['2027-02-30', false], ['2027-04-31', false], ['2027-13-01', false], ['2027-1-01', false]] as const) {
      expect([value, date.safeParse(value).success]).toEqual([value, ok]);
    }
    expect(document.paths['/receivables'].post.requestBody.content['application/json'].schema.properties.dueDate.format).toBe('date');
  });

  test('credential claims must carry a random nonce of 16 characters or more', () => {
    expect(claims.safeParse({ nonce: 'a9f3e1c07b2d4e6f', kyc: 'passed' }).success).toBe(true);
    expect(claims.safeParse({ kyc: 'passed' }).success).toBe(false);
    expect(claims.safeParse({ nonce: 'short', kyc: 'passed' }).success).toBe(false);
    expect(claims.safeParse({ nonce: 1234567890123456 }).success).toBe(false);
    const schema = document.paths['/credentials'].post.requestBody.content['application/json'].schema.properties.claims;
    expect(schema).toMatchObject({ required: ['nonce'], properties: { nonce: { type: 'string', minLength: 16 } } });
  });
});
