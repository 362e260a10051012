import { stateDigest } from '@scf/chaincode/engine';
import fc from 'fast-check';
import http from 'http';
import { API_ERRORS } from '../../src/http/http-error';
import type { EmbeddedBackend } from '../../src/ledger/embedded/embedded-backend';
import type { GatewayUnderTest } from './gateway-under-test';

/**
 * The generated campaign's shared parts: the routes read from the served OpenAPI document,
 * schema-valid values generated from it, callers, a byte-exact sender that never waits
 * forever, and the checks every answer must pass (see `Campaign.check`).
 */

/** The ledger's namespaces, public and private: the campaign's state digest covers them all. */
export const NAMESPACES = ['scf', 'scf$$pscfBankSecrets', 'scf$$pscfCredentialClaims'];

/** Percent-encodes every UTF-8 byte, so even a lone surrogate (sent as U+FFFD) makes a path segment. */
export const segment = (value: string): string => [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

export interface JsonSchema {
  $ref?: string; type?: string; enum?: unknown[]; const?: unknown; pattern?: string; format?: string;
  minLength?: number; maxLength?: number; minimum?: number; maximum?: number; minItems?: number; maxItems?: number;
  properties?: Record<string, JsonSchema>; required?: string[]; items?: JsonSchema; additionalProperties?: boolean | JsonSchema;
  oneOf?: JsonSchema[]; anyOf?: JsonSchema[];
}

export interface Parameter { readonly name: string; readonly in: 'path' | 'query' | 'header'; readonly schema: JsonSchema }

/** One operation of the served document, as the campaign reads it. */
export interface Route {
  /** OpenAPI style: `/certificates/{id}`. */
  readonly template: string;
  readonly method: 'get' | 'post';
  readonly operationId: string;
  /** The path parameters, in the order they appear in the path. */
  readonly pathParams: readonly Parameter[];
  readonly query: readonly Parameter[];
  readonly body?: JsonSchema;
  /** A write: it needs an Idempotency-Key. */
  readonly write: boolean;
  readonly access: 'apiKey' | 'none' | 'metricsToken';
}

interface OperationObject {
  operationId: string;
  parameters?: (Parameter & { $ref?: string })[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  security?: Record<string, string[]>[];
}

/** Every operation the document serves (HEAD is not listed: it is GET without a body). */
export function routesOf(document: { paths: Record<string, Record<string, OperationObject>> }): Route[] {
  const resolve = <T>(node: T & { $ref?: string }): T => (node.$ref
    ? node.$ref.replace(/^#\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], document) as T
    : node);
  return Object.entries(document.paths).flatMap(([template, methods]) => Object.entries(methods)
    .filter(([method]) => method === 'get' || method === 'post')
    .map(([method, operation]) => {
      const parameters = (operation.parameters ?? []).map((p) => resolve(p));
      const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const security = operation.security;
      return {
        template, method: method as 'get' | 'post', operationId: operation.operationId,
        pathParams: names.map((name) => parameters.find((p) => p.in === 'path' && p.name === name) ?? { name, in: 'path' as const, schema: { type: 'string' } }),
        query: parameters.filter((p) => p.in === 'query'),
        body: operation.requestBody ? resolve(operation.requestBody.content['application/json']!.schema) : undefined,
        write: parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key'),
        access: security === undefined ? 'apiKey' : security.length === 0 ? 'none' : 'metricsToken' in (security[0] ?? {}) ? 'metricsToken' : 'apiKey',
      };
    }));
}

/** A route's path with its parameters filled in, each already percent-encoded as it is to be sent. */
export const fillPath = (template: string, encoded: readonly string[]): string => {
  let i = 0;
  return template.replace(/\{(\w+)\}/g, () => encoded[i++]!);
};

/** Real record ids, so that generated requests also reach real objects. */
export interface KnownIds { readonly [name: string]: readonly string[] }

/**
 * Values the document's schema accepts. Patterns are generated from the pattern itself;
 * `known` offers real ids for parameters and fields of that name.
 */
export function valueFor(schema: JsonSchema, name = '', known: KnownIds = {}): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  // A union (a governance proposal, by kind): a value of any one of its options.
  const options = schema.oneOf ?? schema.anyOf;
  if (options) return fc.oneof(...options.map((option) => valueFor(option, name, known)));
  switch (schema.type) {
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const min = schema.minItems ?? 0;
      return fc.array(valueFor(schema.items ?? {}, name, known), { minLength: min, maxLength: Math.min(schema.maxItems ?? min + 3, min + 3) });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const record = fc.record(Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, valueFor(s, key, known)])),
        { requiredKeys: (schema.required ?? []).filter((k) => k in properties) });
      if (typeof schema.additionalProperties !== 'object') return record;
      // An open object: a few more members, of the declared type (a credential policy's lists) or of any JSON (the claims).
      const member = Object.keys(schema.additionalProperties).length > 0 ? valueFor(schema.additionalProperties, name, known)
        : fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
      const extra = fc.dictionary(fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,11}$/).filter((k) => !(k in properties) && !PROTOTYPE_KEYS.includes(k)),
        member, { maxKeys: 3 });
      return fc.tuple(record, extra).map(([own, more]) => ({ ...more, ...own }));
    }
    default:
      break;
  }
  const fromSchema = stringFor(schema);
  const pattern = schema.pattern ? new RegExp(schema.pattern) : undefined;
  const real = (known[name] ?? []).filter((v) => (!pattern || pattern.test(v)) && v.length >= (schema.minLength ?? 0) && v.length <= (schema.maxLength ?? Infinity));
  return real.length > 0 ? fc.oneof(fc.constantFrom(...real), fromSchema) : fromSchema;
}

/** Strings generated from each pattern, drawn once (with a fixed seed): generating from a long pattern each time is slow. */
const fromPattern = new Map<string, fc.Arbitrary<string>>();

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const fits = (s: string) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? Infinity);
  if (schema.pattern) {
    const id = `${schema.pattern} ${schema.minLength} ${schema.maxLength}`;
    if (!fromPattern.has(id)) fromPattern.set(id, fc.constantFrom(...fc.sample(fc.stringMatching(new RegExp(schema.pattern)).filter(fits), { numRuns: 400, seed: 7 })));
    return fromPattern.get(id)!;
  }
  if (schema.format === 'uri') return fc.tuple(fc.stringMatching(/^[a-z]{1,12}$/), fc.stringMatching(/^[a-z0-9/]{0,20}$/)).map(([host, p]) => `https://${host}.example/${p}`);
  const min = schema.minLength ?? 0;
  return fc.string({ minLength: min, maxLength: Math.min(schema.maxLength ?? min + 24, min + 24) });
}

/** Where a body's fields are: each declared property at any depth, array items included, with how many containers enclose it. */
export interface FieldPath {
  readonly path: readonly (string | number)[];
  /** Arrays and objects around the value at this path (a top-level field: 1, the body object). */
  readonly enclosing: number;
  readonly schema: JsonSchema;
}

export function fieldPaths(schema: JsonSchema, path: (string | number)[] = [], enclosing = 0): FieldPath[] {
  const here: FieldPath[] = [{ path, enclosing, schema }];
  const options = schema.oneOf ?? schema.anyOf;
  if (options) return [...here, ...options.flatMap((option) => fieldPaths(option, path, enclosing))];
  if (schema.type === 'object') {
    return [...here, ...Object.entries(schema.properties ?? {}).flatMap(([key, s]) => fieldPaths(s, [...path, key], enclosing + 1))];
  }
  if (schema.type === 'array' && schema.items) return [...here, ...fieldPaths(schema.items, [...path, 0], enclosing + 1)];
  return here;
}

/** A deep copy of `value` with `replacement` at `path` (containers on the way are made if missing). */
export function setAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const array = Array.isArray(value) ? [...value] : [];
    array[head] = setAt(array[head], rest, replacement);
    return array;
  }
  const object = value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
  object[head!] = setAt(object[head!], rest, replacement);
  return object;
}

/** A string no generated value contains: it marks where raw JSON text goes. */
const MARK = 'raw-json-goes-here-7f3c9a1e';

/** JSON text of `value` with the raw JSON `text` at `path` (text JSON.stringify could not write: deep nesting, escaped keys). */
export function withRawAt(value: unknown, path: readonly (string | number)[], text: string): string {
  return JSON.stringify(setAt(value, path, MARK)).replace(`"${MARK}"`, () => text);
}

/** JSON text of `value` with the raw member `"key": value` added to the object at `path`. */
export function withRawMemberAt(value: unknown, path: readonly (string | number)[], member: string): string {
  const at = path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);
  const object = at !== null && typeof at === 'object' && !Array.isArray(at) ? at : {};
  return JSON.stringify(setAt(value, path, { ...(object as object), [MARK]: 0 })).replace(`"${MARK}":0`, () => member);
}

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Who sends a request: a demo caller, a bank admin, nobody, an unknown or a revoked key. */
export interface Caller {
  readonly name: string;
  readonly kind: 'enterprise' | 'admin' | 'none' | 'unknown' | 'revoked';
  /** The API key presented, if any. */
  readonly key?: string;
  readonly roles?: readonly string[];
}

export const DEMO_ROLES: Readonly<Record<string, string>> = {
  'did:scf:core-a': 'CORE', 'did:scf:supplier-t1': 'SUPPLIER', 'did:scf:supplier-t2': 'SUPPLIER', 'did:scf:supplier-t3': 'SUPPLIER',
  'did:scf:bank-one': 'BANK', 'did:scf:auditor': 'AUDITOR', 'did:scf:regulator': 'REGULATOR',
};

/** The seven demo enterprises, both bank admins, no key, an unknown key and a revoked one. */
export function callersOf(gw: GatewayUnderTest, revokedKey: string): Caller[] {
  return [
    ...Object.entries(DEMO_ROLES).map(([name, role]) => ({ name, kind: 'enterprise' as const, key: gw.keys[name]!, roles: [role] })),
    ...['admin:Bank1MSP', 'admin:Bank2MSP'].map((name) => ({ name, kind: 'admin' as const, key: gw.keys[name]! })),
    { name: 'no key', kind: 'none' },
    { name: 'unknown key', kind: 'unknown', key: 'scf_0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c' },
    { name: 'revoked key', kind: 'revoked', key: revokedKey },
  ];
}

/** Whether a caller's key is refused (401) wherever one is needed. */
export const badKey = (caller: Caller): boolean => caller.kind === 'unknown' || caller.kind === 'revoked';

/** Onboards an enterprise and revokes its key: the campaign's revoked key. */
export async function revokedKeyOf(gw: GatewayUnderTest, id: string): Promise<string> {
  const onboarded = await gw.call('POST', '/enterprises', { as: 'admin:Bank1MSP', key: `onboard-${id}`,
    body: { id, name: 'Revoked Key Holder', roles: ['SUPPLIER'], registrationNumber: `9133000${id.length}REVOKED` } });
  const key = onboarded.body.apiKey as string;
  const revoked = await gw.call('POST', '/me/api-key/revocation', { as: key, body: {} });
  if (revoked.status !== 200) throw new Error(`could not revoke the campaign's key: ${revoked.status}`);
  return key;
}

/** The ledger's height and digest of every namespace, public and private. */
/** After a campaign: every demo caller's key (enterprises' and admins') still authenticates. */
export async function expectDemoKeysWork(gw: GatewayUnderTest, callers: readonly Caller[]): Promise<void> {
  for (const caller of callers.filter((c) => c.kind === 'enterprise' || c.kind === 'admin')) {
    expect({ caller: caller.name, status: (await gw.call('GET', '/me', { as: caller.key })).status })
      .toEqual({ caller: caller.name, status: 200 });
  }
}

export async function ledgerState(gw: GatewayUnderTest): Promise<{ height: number; digest: string }> {
  return { height: await gw.height(), digest: await stateDigest((gw.parts.backend as EmbeddedBackend).engine.store, NAMESPACES) };
}

/** What an answer must be, beyond what every answer must be. */
export interface Expectation {
  /** This error code (and its registered status). */
  readonly code?: string;
  /** One of these codes. */
  readonly codes?: readonly string[];
  /** This status (for answers that are not errors). */
  readonly status?: number;
  /** None of these codes. */
  readonly not?: readonly string[];
  /** Never a success: nothing in this request may be carried out. */
  readonly refused?: boolean;
  /** If the answer is VALIDATION_FAILED, it names this field. */
  readonly field?: string;
  /** The answer is an event stream (200 text/event-stream). */
  readonly stream?: boolean;
}

export interface Probe {
  /** The class of input, for the summary. */
  readonly cls: string;
  readonly method: string;
  /** The path exactly as sent, with its query string. */
  readonly path: string;
  readonly caller?: Caller;
  readonly headers?: http.OutgoingHttpHeaders;
  /** Sent as is, with its Content-Length unless the headers say otherwise; or written by the function (slowly, partly, never). */
  readonly body?: string | Buffer | ((req: http.ClientRequest) => void);
  readonly expect: Expectation;
  /**
   * A method the document does not serve on this path: the answer is not checked against the
   * document (which says nothing of it) but against its expectation (405, or a refusal that
   * comes before routing: a malformed path, a bad key).
   */
  readonly undocumented?: boolean;
  /** Also expect `Connection: close` (a refused body is not read). */
  readonly closes?: boolean;
  /** What the generator meant, for a failure's report. */
  readonly note?: string;
}

export interface ProbeAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  /** The first bytes of an event stream, which is then closed. */
  readonly streamed?: string;
}

/** How long an answer (its headers, and the first bytes of a stream) may take before the request counts as hung. */
export const HANG_BOUND_MS = 20_000;

/** Sends one request as given, on its own connection; resolves with the answer, or with why there was none. */
export function sendProbe(url: string, probe: Probe, boundMs = HANG_BOUND_MS): Promise<ProbeAnswer | { readonly failure: string }> {
  const { hostname, port } = new URL(url);
  const headers: http.OutgoingHttpHeaders = { ...(probe.caller?.key ? { authorization: `Bearer ${probe.caller.key}` } : {}), ...probe.headers };
  if (typeof probe.body === 'string' || Buffer.isBuffer(probe.body)) {
    const hasLength = Object.keys(headers).some((h) => h.toLowerCase() === 'content-length' || h.toLowerCase() === 'transfer-encoding');
    if (!hasLength) headers['content-length'] = Buffer.byteLength(probe.body);
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: ProbeAnswer | { failure: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const req = http.request({ host: hostname, port, method: probe.method, path: probe.path, headers, agent: false }, (res) => {
      const stream = res.statusCode === 200 && /^text\/event-stream/.test(res.headers['content-type'] ?? '') && probe.method !== 'HEAD';
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (stream) settle({ status: res.statusCode!, headers: res.headers, text: '', streamed: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('end', () => settle({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error) => settle({ failure: `the answer broke off: ${error.message}` }));
    });
    const timer = setTimeout(() => settle({ failure: `no answer within ${boundMs} ms (hung)` }), boundMs);
    // The server may answer and close before a refused body is sent in full: the answer still comes.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') settle({ failure: `request failed: ${error.message}` });
    });
    req.on('close', () => setImmediate(() => settle({ failure: 'the connection closed without an answer' })));
    if (typeof probe.body === 'function') probe.body(req);
    else req.end(probe.body);
  });
}

/** Runs `work` over `items`, `concurrency` at a time. */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

const printable = (text: string, max = 160): string => JSON.stringify(text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text);

/**
 * Sends probes and checks every answer: never a 5xx, never a hang; every 4xx a JSON error
 * whose code is in the gateway's registry (API_ERRORS) with that status; every answer to a
 * documented method described by the OpenAPI document; and what the probe expects.
 */
export class Campaign {
  readonly statuses = new Map<number, number>();
  readonly classes = new Map<string, number>();
  /** Failures of the current run (the first 40 described), and of the whole campaign. */
  private failures: string[] = [];
  private failureCount = 0;

  constructor(readonly name: string, private readonly gw: GatewayUnderTest) {}

  get sent(): number {
    return [...this.classes.values()].reduce((a, b) => a + b, 0);
  }

  count(cls: string): number {
    return this.classes.get(cls) ?? 0;
  }

  /** Sends the probes, `concurrency` at a time (by `sendProbe`, or `send`); returns the failures found. */
  async run<P extends Probe>(probes: readonly P[], concurrency = 8,
    send: (probe: P) => Promise<ProbeAnswer | { readonly failure: string }> = (probe) => sendProbe(this.gw.url, probe)): Promise<string[]> {
    const mark = this.failureCount;
    this.failures = [];
    await pool(probes, concurrency, async (probe) => { this.record(probe, await send(probe)); });
    const found = this.failureCount - mark;
    return found > this.failures.length ? [...this.failures, `…and ${found - this.failures.length} more`] : this.failures;
  }

  /** Counts and checks an answer to a probe, however it was sent. */
  record(probe: Probe, outcome: ProbeAnswer | { readonly failure: string }): ProbeAnswer | undefined {
    this.classes.set(probe.cls, (this.classes.get(probe.cls) ?? 0) + 1);
    if ('failure' in outcome) {
      this.fail(probe, outcome.failure);
      return undefined;
    }
    this.statuses.set(outcome.status, (this.statuses.get(outcome.status) ?? 0) + 1);
    for (const problem of this.check(probe, outcome)) this.fail(probe, `→ ${outcome.status} ${printable(outcome.text, 300)}: ${problem}`);
    return outcome;
  }

  /** Records a failure found outside `send` (say, a property over several answers). */
  fail(probe: Probe | undefined, what: string): void {
    this.failureCount++;
    if (this.failures.length >= 40) return;
    if (!probe) {
      this.failures.push(what);
      return;
    }
    const headers = Object.fromEntries(Object.entries(probe.headers ?? {}).map(([k, v]) => [k, typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…` : v]));
    const body = typeof probe.body === 'function' ? '(written by the probe)' : probe.body === undefined ? '(none)'
      : Buffer.isBuffer(probe.body) ? `base64:${probe.body.toString('base64').slice(0, 200)}` : printable(probe.body);
    this.failures.push(`[${probe.cls}] ${probe.method} ${printable(probe.path, 300)} as ${probe.caller?.name ?? 'no key'}`
      + ` headers ${JSON.stringify(headers)} body ${body}${probe.note ? ` (${probe.note})` : ''} ${what}`);
  }

  /** The problems with one answer. */
  check(probe: Probe, answer: ProbeAnswer): string[] {
    const problems: string[] = [];
    const { status } = answer;
    const contentType = String(answer.headers['content-type'] ?? '');
    const isJson = /^application\/json\b/.test(contentType);
    let body: any;
    if (isJson && answer.text) {
      try { body = JSON.parse(answer.text); } catch { problems.push('a JSON content type with a body that is not JSON'); }
    }
    const code: string | undefined = body?.error?.code;
    if (status >= 500) problems.push('a 5xx');
    if (status < 200 || status >= 600) problems.push('not an HTTP status the API uses');
    if (status >= 400) {
      if (!isJson) problems.push('an error that is not JSON');
      else if (probe.method !== 'HEAD') {
        if (typeof code !== 'string' || code.length === 0 || typeof body?.error?.message !== 'string') problems.push('an error without error.code and error.message');
        else if (API_ERRORS[code as keyof typeof API_ERRORS]?.status !== status) problems.push(`code ${code} is not registered with status ${status}`);
      }
    }
    // Every answer to a documented method is one the document describes (HEAD as GET, without its body).
    if (!probe.undocumented && (probe.method === 'GET' || probe.method === 'POST' || probe.method === 'HEAD')) {
      const documented = this.gw.validator.check({ method: probe.method === 'HEAD' ? 'GET' : probe.method, url: probe.path, status, contentType: contentType || null,
        body: probe.method === 'HEAD' || answer.streamed !== undefined ? undefined : isJson ? body : answer.text });
      problems.push(...documented.map((p) => `not as documented: ${p.detail}`));
    }
    const e = probe.expect;
    const got = code ?? `status ${status}`;
    if (e.code !== undefined) {
      const wanted = API_ERRORS[e.code as keyof typeof API_ERRORS]?.status;
      if (status !== wanted || (probe.method !== 'HEAD' && code !== e.code)) problems.push(`expected ${wanted} ${e.code}, got ${status} ${got}`);
    }
    if (e.codes && !(e.codes.includes(code ?? '') || (probe.method === 'HEAD' && e.codes.some((c) => API_ERRORS[c as keyof typeof API_ERRORS]?.status === status)))) {
      problems.push(`expected one of ${e.codes.join(', ')}, got ${status} ${got}`);
    }
    if (e.status !== undefined && status !== e.status) problems.push(`expected status ${e.status}, got ${status} ${got}`);
    if (e.not && code !== undefined && e.not.includes(code)) problems.push(`expected none of ${e.not.join(', ')}, got ${code}`);
    if (e.refused && status < 400) problems.push(`expected a refusal, got ${status}`);
    if (e.field !== undefined && code === 'VALIDATION_FAILED' && body?.error?.field !== e.field) problems.push(`expected VALIDATION_FAILED on ${e.field}, got it on ${body?.error?.field}`);
    if (e.stream) {
      if (status !== 200 || !/^text\/event-stream/.test(contentType)) problems.push(`expected an event stream, got ${status} ${contentType}`);
      else if (probe.method === 'GET' && !answer.streamed) problems.push('an event stream that sent nothing');
    }
    if (probe.closes && answer.headers.connection !== 'close') problems.push(`expected Connection: close, got ${answer.headers.connection}`);
    return problems;
  }

  /** One line: requests per class, statuses. */
  summary(): string {
    const classes = [...this.classes].map(([cls, n]) => `${cls} ${n}`).join(', ');
    const statuses = JSON.stringify(Object.fromEntries([...this.statuses].sort(([a], [b]) => a - b)));
    const fivexx = [...this.statuses].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
    return `${this.name}: ${this.sent} requests (${classes}); statuses ${statuses}; ${fivexx} 5xx; ${this.failureCount} failures`;
  }
}
