import { z } from 'zod';
import { GATEWAY_ERRORS } from './http-error';
import { EMPTY_BODY, ONBOARDING_BODY, OPERATIONS } from './operations';

const errorBody = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: {
    code: { type: 'string', description: `a stable code: the chaincode's (see README) or one of ${Object.keys(GATEWAY_ERRORS).join(', ')}` },
    message: { type: 'string' }, field: { type: 'string' } } } },
};

const errorResponse = { description: 'an error with a stable code', content: { 'application/json': { schema: errorBody } } };
const pendingResponse = { description: 'ordered, commit not yet seen: { status: PENDING, txId }; repeat with the same Idempotency-Key or GET /transactions/{txId}' };
const idempotencyKey = { name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', maxLength: 128 } };

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of OPERATIONS) {
    const route = operation.path.replace(/:([a-zA-Z]+)/g, '{$1}');
    const names = [...operation.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => m[1]);
    const query = operation.query ? z.toJSONSchema(operation.query, { io: 'input' }) as { properties?: Record<string, unknown> } : undefined;
    paths[route] ??= {};
    paths[route][operation.method] = {
      summary: operation.summary,
      tags: [operation.tag],
      parameters: [
        ...names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        ...Object.entries(query?.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
        ...(operation.mode === 'submit' ? [idempotencyKey] : []),
      ],
      ...(operation.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(operation.body, { io: 'input' }) } } } } : {}),
      responses: {
        [operation.status ?? 200]: { description: operation.mode === 'submit' ? 'committed: { txId, blockNumber, result }' : 'the answer' },
        ...(operation.mode === 'submit' ? { 202: pendingResponse } : {}),
        default: errorResponse,
      },
    };
  }
  const write = (summary: string, tag: string, body: z.ZodType, created: string) => ({ post: {
    summary, tags: [tag], parameters: [idempotencyKey],
    requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(body, { io: 'input' }) } } },
    responses: { 201: { description: created }, default: errorResponse },
  } });
  paths['/enterprises'] = write('Onboard an enterprise: register it, enroll its identity at the bank\'s CA and bind it, return its API key (bank admin)',
    'Enterprises', ONBOARDING_BODY, '{ enterprise, clientId, apiKey }');
  paths['/me/key-rotations'] = write('Replace the caller\'s Fabric identity with a newly enrolled one; the old key stops working at once (API keys stay)',
    'Identity', EMPTY_BODY, 'committed: { txId, blockNumber, result: { retired, current } }');
  paths['/me/api-key/revocation'] = { post: { summary: 'Withdraw the API key this request presents; it is refused from then on', tags: ['Identity'],
    requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(EMPTY_BODY, { io: 'input' }) } } },
    responses: { 200: { description: '{ revoked: true }' }, default: errorResponse } } };
  paths['/transactions/{txId}'] = { get: { summary: 'A committed transaction: block number, validation code, timestamp, endorsing organisations', tags: ['Audit'],
    parameters: [{ name: 'txId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } }],
    responses: { 200: { description: 'the transaction' }, default: errorResponse } } };
  paths['/events'] = { get: { summary: 'Server-sent events the caller may see; resume with Last-Event-ID (<block>:<txId>)', tags: ['Audit'],
    parameters: [{ name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } }],
    responses: { 200: { description: 'text/event-stream' }, default: errorResponse } } };
  return {
    openapi: '3.1.0',
    info: { title: 'SCF ledger gateway', version, description: 'Supply-chain finance on Hyperledger Fabric. Authenticate with `Authorization: Bearer <API key>`.' },
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
    security: [{ apiKey: [] }],
    paths,
  };
}

/** A browsable page that needs nothing from the internet: the operations, grouped by tag. */
export function docsPage(document: Record<string, unknown>): string {
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows = Object.entries(document.paths as Record<string, Record<string, { summary: string; tags: string[]; requestBody?: unknown }>>)
    .flatMap(([route, methods]) => Object.entries(methods).map(([method, op]) =>
      `<tr><td>${escape(op.tags[0] ?? '')}</td><td><code>${method.toUpperCase()} ${escape(route)}</code></td><td>${escape(op.summary)}${op.requestBody ? `<details><summary>body</summary><pre>${escape(JSON.stringify(op.requestBody, null, 2))}</pre></details>` : ''}</td></tr>`));
  return `<!doctype html><html><head><meta charset="utf-8"><title>SCF gateway API</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}td{vertical-align:top;padding:4px 8px;border-bottom:1px solid #ddd}pre{font-size:12px}</style></head>
<body><h1>SCF ledger gateway</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a>. Every write needs <code>Idempotency-Key</code>.</p>
<table><tr><th>area</th><th>operation</th><th>what it does</th></tr>${rows.join('')}</table></body></html>`;
}
