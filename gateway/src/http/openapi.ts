import { z } from 'zod';
import { NAMED_SCHEMAS } from './answers';
import { type DocumentedRoute, documentedRoutes } from './gateway-routes';
import { API_ERRORS, type ApiErrorCode } from './http-error';

type JsonSchema = Record<string, unknown>;

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'the request is malformed or an argument is refused',
  401: 'no valid API key (or metrics token)',
  403: 'the caller may not do this',
  404: 'no such object',
  405: 'the path does not take this method',
  408: 'the request was not received in time',
  409: "the object's state, a concurrent write or an earlier request with this key conflicts",
  413: 'the body is too large',
  415: 'the body is not JSON, or in an encoding the gateway does not read',
  422: 'the Idempotency-Key was used for another request, or a consortium limit is exceeded',
  429: 'too many requests: slow down and retry',
  500: 'the gateway failed unexpectedly (logged; nothing internal is disclosed)',
  503:
    'the ledger cannot be reached, or the consortium is not initialised: ' +
    'nothing was applied; retry (writes with the same Idempotency-Key)',
};

/** The codes answered with each status, from the two registries (GATEWAY_ERRORS and the chaincode's ERROR_CODES). */
function codesByStatus(): Map<number, ApiErrorCode[]> {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const [code, { status }] of Object.entries(API_ERRORS) as [ApiErrorCode, { status: number }][]) {
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const refTo = (kind: 'responses' | 'schemas', name: string): JsonSchema => ({ $ref: `#/components/${kind}/${name}` });

/** zod → JSON Schema 2020-12 (what OpenAPI 3.1 takes), without the per-schema `$schema` and `$id` zod adds. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io }) as JsonSchema;
  return rest;
}

/**
 * The named schemas of the answers, converted together so that they refer to one
 * another (a certificate inside a tree is a `$ref` to Certificate).
 */
class AnswerSchemas {
  private readonly registry = z.registry<{ id: string }>();
  private readonly names = new Set<string>();

  constructor(named: Readonly<Record<string, z.ZodType>>) {
    for (const [id, schema] of Object.entries(named)) {
      this.registry.add(schema, { id });
      this.names.add(id);
    }
  }

  /** A reference to the schema, naming it `name` if it has no name yet. */
  refer(schema: z.ZodType, name: string): JsonSchema {
    const known = this.registry.get(schema)?.id;
    if (known) return ref(known);
    if (this.names.has(name)) throw new Error(`two answers are named ${name}`);
    this.names.add(name);
    this.registry.add(schema, { id: name });
    return ref(name);
  }

  toJson(): Record<string, JsonSchema> {
    const { schemas } = z.toJSONSchema(this.registry, { io: 'output', uri: (id) => `#/components/schemas/${id}` });
    return Object.fromEntries(
      Object.entries(schemas).map(([id, schema]) => {
        const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
        return [id, rest];
      }),
    );
  }
}

/** An object schema as zod converts it: its properties and which of them are required. */
interface ObjectSchema {
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: string[];
}

/** The path's parameters, as strict as the route's zod schema (a string where it has none). */
function pathParameters(route: DocumentedRoute): JsonSchema[] {
  const names = [...route.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => m[1] as string);
  const params = route.params ? (jsonSchema(route.params, 'input') as ObjectSchema) : {};
  return names.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: params.properties?.[name] ?? { type: 'string' },
  }));
}

function queryParameters(route: DocumentedRoute): JsonSchema[] {
  const query = route.query ? (jsonSchema(route.query, 'input') as ObjectSchema) : {};
  return Object.entries(query.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: query.required?.includes(name) ?? false,
    schema,
  }));
}

function headerParameters(route: DocumentedRoute): JsonSchema[] {
  return (route.headers ?? []).map(({ name, required, description, schema }) => ({
    name,
    in: 'header',
    required,
    description,
    schema,
  }));
}

/** The operation's own security: none for open routes, the metrics token for /metrics; else the document's. */
function securityOf(access: DocumentedRoute['access']): JsonSchema {
  if (access === 'none') return { security: [] };
  if (access === 'metricsToken') return { security: [{ metricsToken: [] }] };
  return {};
}

function requestBodyOf(route: DocumentedRoute): JsonSchema {
  if (!route.body) return {};
  return {
    requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } },
  };
}

/** Each success status with what it carries, then each error status as a reference to its shared answer. */
function responsesOf(route: DocumentedRoute, answers: AnswerSchemas): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const mediaType = response.mediaType ?? 'application/json';
    const schema = response.schema
      ? answers.refer(response.schema, response.name ?? `${route.operationId}${status}`)
      : { type: 'string' };
    responses[status] = {
      description: response.description,
      ...(response.headers ? { headers: response.headers } : {}),
      content: {
        [mediaType]: { schema },
        ...(response.alsoAs ? { [response.alsoAs]: { schema: { type: 'string' } } } : {}),
      },
    };
  }
  for (const status of route.errors) responses[status] = refTo('responses', `Error${status}`);
  return responses;
}

function operationObject(route: DocumentedRoute, answers: AnswerSchemas): JsonSchema {
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    ...securityOf(route.access),
    parameters: [...pathParameters(route), ...queryParameters(route), ...headerParameters(route)],
    ...requestBodyOf(route),
    responses: responsesOf(route, answers),
  };
}

/** The operations by path template, and every error status they declare. */
function pathsOf(answers: AnswerSchemas): { paths: Record<string, Record<string, unknown>>; statuses: Set<number> } {
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  const statuses = new Set<number>();
  for (const route of documentedRoutes()) {
    if (operationIds.has(route.operationId)) throw new Error(`operationId ${route.operationId} is used twice`);
    operationIds.add(route.operationId);
    route.errors.forEach((status) => statuses.add(status));
    const template = route.path.replace(/:([a-zA-Z]+)/g, '{$1}');
    paths[template] ??= {};
    paths[template][route.method] = operationObject(route, answers);
  }
  return { paths, statuses };
}

/** The body of every error answer; its code is one of `codes`. */
function errorSchema(codes: readonly string[]): JsonSchema {
  return {
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        additionalProperties: false,
        properties: {
          code: {
            type: 'string',
            enum: codes,
            description:
              "a stable code to branch on: the gateway's own (GATEWAY_ERRORS) or the chaincode's " +
              '(ERROR_CODES, see README); never the message',
          },
          message: { type: 'string', description: 'for people; it may change' },
          field: { type: 'string', description: 'the refused input, e.g. body.faceAmount or path.id' },
        },
      },
    },
  };
}

/** The shared answer of one error status: the error body, with only the codes of that status. */
function errorResponse(status: number, codes: readonly ApiErrorCode[]): JsonSchema {
  if (codes.length === 0) throw new Error(`status ${status} is declared but no error code has it`);
  return {
    description: `${STATUS_TEXT[status] ?? 'an error'}: ${codes.join(', ')}`,
    content: {
      'application/json': {
        schema: {
          allOf: [
            ref('Error'),
            {
              type: 'object',
              properties: { error: { type: 'object', properties: { code: { enum: codes } } } },
            },
          ],
        },
      },
    },
  };
}

function errorResponses(statuses: ReadonlySet<number>, byStatus: Map<number, ApiErrorCode[]>): JsonSchema {
  return Object.fromEntries(
    [...statuses]
      .sort((a, b) => a - b)
      .map((status) => [`Error${status}`, errorResponse(status, byStatus.get(status) ?? [])]),
  );
}

const SECURITY_SCHEMES = {
  apiKeyBearer: {
    type: 'http',
    scheme: 'bearer',
    description: 'an API key, sent as `Authorization: Bearer <API key>`',
  },
  apiKeyHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'the same API key, sent as `X-API-Key: <API key>` (read when no Bearer credential is sent)',
  },
  metricsToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'the metrics token (SCF_METRICS_TOKEN), not an API key: for /metrics only',
  },
};

const API_DESCRIPTION =
  'Supply-chain finance on Hyperledger Fabric. ' +
  'Authenticate with an API key, as `Authorization: Bearer <API key>` or `X-API-Key: <API key>`; ' +
  'a key that is presented must be valid, even on the routes that need none. Every write needs an `Idempotency-Key`. ' +
  'Errors are `{ error: { code, message, field? } }` with a stable code; ' +
  'a path the gateway does not serve answers 404 ROUTE_NOT_FOUND, ' +
  'a method a path does not take 405 METHOD_NOT_ALLOWED (or 404).';

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests
 * and from those of the answers: every operation with its operationId, its success
 * answers and every error status it can give.
 */
export function openApiDocument(version: string): Record<string, unknown> {
  const answers = new AnswerSchemas(NAMED_SCHEMAS);
  // The operations first: they name the answer schemas that have no name yet.
  const { paths, statuses } = pathsOf(answers);
  const byStatus = codesByStatus();
  const allCodes = [...byStatus.values()].flat().sort();
  return {
    openapi: '3.1.0',
    info: { title: 'SCF ledger gateway', version, description: API_DESCRIPTION },
    servers: [{ url: '/', description: 'this gateway: paths are relative to where this document was served' }],
    components: {
      securitySchemes: SECURITY_SCHEMES,
      schemas: { Error: errorSchema(allCodes), ...answers.toJson() },
      responses: errorResponses(statuses, byStatus),
    },
    security: [{ apiKeyBearer: [] }, { apiKeyHeader: [] }],
    paths,
  };
}

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** What the docs page shows of an operation of the document. */
interface ListedOperation {
  readonly summary: string;
  readonly tags: string[];
  readonly requestBody?: unknown;
}

/** The request body's schema, folded away; nothing for an operation without a body. */
function bodyDetails(requestBody: unknown): string {
  if (!requestBody) return '';
  const schema = escapeHtml(JSON.stringify(requestBody, null, 2));
  return `<details><summary>body</summary><pre>${schema}</pre></details>`;
}

function docsRow(route: string, method: string, operation: ListedOperation): string {
  return (
    `<tr><td>${escapeHtml(operation.tags[0] ?? '')}</td>` +
    `<td><code>${method.toUpperCase()} ${escapeHtml(route)}</code></td>` +
    `<td>${escapeHtml(operation.summary)}${bodyDetails(operation.requestBody)}</td></tr>`
  );
}

const DOCS_STYLE =
  'body{font-family:system-ui,sans-serif;margin:2em}' +
  'td{vertical-align:top;padding:4px 8px;border-bottom:1px solid #ddd}pre{font-size:12px}';

/** A browsable page that needs nothing from the internet: the operations, grouped by tag. */
export function docsPage(document: Record<string, unknown>): string {
  const rows = Object.entries(document.paths as Record<string, Record<string, ListedOperation>>).flatMap(
    ([route, methods]) => Object.entries(methods).map(([method, operation]) => docsRow(route, method, operation)),
  );
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>SCF gateway API</title>\n' +
    `<style>${DOCS_STYLE}</style></head>\n` +
    '<body><h1>SCF ledger gateway</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a>. ' +
    'Every write needs <code>Idempotency-Key</code>.</p>\n' +
    `<table><tr><th>area</th><th>operation</th><th>what it does</th></tr>${rows.join('')}</table></body></html>`
  );
}
