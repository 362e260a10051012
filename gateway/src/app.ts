import bytes from 'bytes';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Server } from 'http';
import onHeaders from 'on-headers';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { z } from 'zod';
import type { GatewayConfig } from './config';
import { authFailureThrottle } from './http/auth-throttle';
import { EventStreams } from './http/event-stream';
import { HttpError, toHttpError } from './http/http-error';
import type { IdempotencyStore } from './http/idempotency';
import { IdempotentWrites } from './http/idempotent-write';
import { jsonBody } from './http/json-body';
import { metricsRoute } from './http/metrics-route';
import { docsPage, openApiDocument } from './http/openapi';
import { EMPTY_BODY, ONBOARDING_BODY, type Operation, OPERATIONS } from './http/operations';
import { unmatchedRoute, wellEncodedPath } from './http/request-guards';
import { corsPolicy, securityHeaders } from './http/security-headers';
import type { IdentityIssuer } from './identity/identity-issuer';
import type { Principal, PrincipalRegistry } from './identity/principals';
import type { LedgerBackend, LedgerCall, SubmitHooks, SubmitOutcome } from './ledger/ledger-backend';
import type { GatewayMetrics } from './observability/metrics';
import { rotateKey } from './services/key-rotation';
import { onboardEnterprise } from './services/onboarding';

export interface GatewayParts {
  readonly metrics: GatewayMetrics;
  readonly backend: LedgerBackend;
  readonly principals: PrincipalRegistry;
  readonly issuer: IdentityIssuer;
  readonly idempotency: IdempotencyStore;
  readonly logger: Logger;
  readonly settings: HttpSettings;
}

/** How the HTTP layer treats its clients (from GatewayConfig). */
export type HttpSettings = Pick<GatewayConfig, 'bodyLimit' | 'bodyTimeoutMs' | 'heartbeatMs' | 'metricsToken' | 'corsOrigins'
  | 'authFailuresPerWindow' | 'authWindowMs' | 'trustProxy'>;

type Authed = Request & { principal?: Principal };

/** Milliseconds since a `process.hrtime.bigint()` reading, to 0.1 ms. */
const msSince = (started: bigint): string => (Number(process.hrtime.bigint() - started) / 1e6).toFixed(1);

function validate<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = [where, ...(issue?.path ?? [])].join('.');
  throw new HttpError(400, 'VALIDATION_FAILED', `${field}: ${issue?.message ?? 'invalid'}`, field);
}

function presentedKey(req: Request): string | undefined {
  const header = req.get('authorization') ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : req.get('x-api-key');
}

function requirePrincipal(req: Authed): Principal {
  if (!req.principal) throw new HttpError(401, 'AUTHENTICATION_REQUIRED', 'send Authorization: Bearer <API key>');
  return req.principal;
}

/** Errors from Express and the body reader that carry a client status become coded 4xx answers; anything else is ours. */
function answerFor(error: unknown): HttpError {
  const status = (error as { status?: unknown }).status;
  if (!(error instanceof HttpError) && typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(400, 'VALIDATION_FAILED', 'the request could not be read; check its path, headers and body');
  }
  return toHttpError(error);
}

/** Server-Timing: the request's time in the gateway until its answer (`total`), beside the ledger's share where it was called. */
const serverTiming: RequestHandler = (_req, res, next) => {
  const started = process.hrtime.bigint();
  onHeaders(res, () => {
    const total = `total;dur=${msSince(started)}`;
    const ledger = res.getHeader('Server-Timing');
    res.setHeader('Server-Timing', ledger === undefined ? total : `${String(ledger)}, ${total}`);
  });
  next();
};

function requestMetrics(metrics: GatewayMetrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.requestSeconds.startTimer();
    res.on('finish', () => {
      // The route template, not the URL, keeps label cardinality bounded.
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      stop({ method: req.method, route });
      metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

/** Refusals are the business working (4xx); only what the gateway failed at (5xx) is an error. */
const logLevelOf = (_req: unknown, res: { statusCode: number }, error?: Error): 'error' | 'warn' | 'info' =>
  error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';

/**
 * Runs a call to the ledger and reports its duration as `Server-Timing: ledger;dur=<ms>`,
 * so a caller (or the benchmark) can tell the gateway's own share of the `total`.
 */
async function timedLedger<T>(res: Response, call: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  try {
    return await call();
  } finally {
    res.setHeader('Server-Timing', `ledger;dur=${msSince(started)}`);
  }
}

const handle = (fn: (req: Authed, res: Response) => Promise<void>): RequestHandler =>
  (req, res, next) => { fn(req as Authed, res).catch(next); };

/** Routes that answer anyone, whatever credentials a request carries. */
function publicRoutes(app: express.Express, parts: GatewayParts): void {
  const document = openApiDocument('0.1.0');
  app.get('/openapi.json', (_req, res) => { res.json(document); });
  app.get('/docs', (_req, res) => { res.type('html').send(docsPage(document)); });
  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/readyz', handle(async (_req, res) => {
    const ready = await parts.backend.ready().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', backend: parts.backend.kind });
  }));
  app.get('/metrics', metricsRoute(parts.metrics, parts.settings.metricsToken));
}

/** Finds the caller of an API route from its key; a key that is presented must be valid, and failures are throttled. */
function authenticate(principals: PrincipalRegistry, settings: HttpSettings): RequestHandler {
  const throttle = authFailureThrottle({ failuresPerWindow: settings.authFailuresPerWindow, windowMs: settings.authWindowMs });
  return (req: Authed, res, next) => {
    const key = presentedKey(req);
    if (key) {
      req.principal = principals.authenticate(key);
      // The throttle passes on its own 429 once the client is over the limit, else the failure stands.
      if (!req.principal) return void throttle(req, res, (throttled?: unknown) => next(throttled ?? new HttpError(401, 'AUTHENTICATION_REQUIRED', 'the API key is not valid')));
    }
    next();
  };
}

/** A write's body is JSON or nothing is done: an unparsed body must never read as an empty request. */
const jsonOnlyWrites: RequestHandler = (req, res, next) => {
  if (req.method !== 'POST' || req.is('application/json')) return next();
  res.setHeader('Connection', 'close');
  next(new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as JSON with Content-Type: application/json'));
};

/** The routes of the operation table: each validates its input and calls one chaincode transaction. */
function operationRoutes(app: express.Express, parts: GatewayParts, writes: IdempotentWrites, body: readonly RequestHandler[]): void {
  const { backend, metrics } = parts;
  for (const operation of OPERATIONS as readonly Operation[]) {
    app[operation.method](operation.path, ...(operation.method === 'post' ? body : []), handle(async (req, res) => {
      const principal = requirePrincipal(req);
      const params = validate(operation.params, req.params, 'path');
      const query = validate(operation.query, req.query, 'query');
      if (operation.mode === 'evaluate') {
        // A read may take a body (e.g. claims presented for verification): it travels as transient data.
        const body = validate(operation.body, req.body, 'body');
        res.json(await timedLedger(res, () => backend.evaluate({ identity: principal.identity, ...operation.call({ params, body, query }) })));
        return;
      }
      await writes.run(req, res, principal, { status: operation.status ?? 200 }, (caller, hooks) => {
        const body = validate(operation.body, req.body, 'body');
        const call = { identity: caller.identity, ...operation.call({ params, body, query }) };
        return timedLedger(res, () => submitMeasured(backend, metrics, call, hooks));
      });
    }));
  }
}

/** Submits with latency and retry metrics: every MVCC re-run is counted, whether it ends in a commit or not. */
async function submitMeasured(backend: LedgerBackend, metrics: GatewayMetrics, call: LedgerCall, hooks: SubmitHooks): Promise<SubmitOutcome> {
  const stop = metrics.submitSeconds.startTimer({ transaction: call.transaction });
  try {
    const outcome = await backend.submit(call, { ...hooks, onRetry: () => metrics.retries.inc({ transaction: call.transaction }) });
    stop({ outcome: 'committed' });
    return outcome;
  } catch (error) {
    stop({ outcome: 'refused' });
    throw error;
  }
}

/** Routes of flows the gateway runs itself: onboarding, key rotation and revocation, transactions, events. */
function gatewayRoutes(app: express.Express, parts: GatewayParts, writes: IdempotentWrites, streams: EventStreams,
  body: readonly RequestHandler[]): void {
  app.post('/enterprises', ...body, handle(async (req, res) => {
    // The new enterprise's API key is shown in the first answer only; a replay omits it.
    const keep = (body: unknown): unknown => ({ ...(body as Record<string, unknown>), apiKey: undefined });
    await writes.run(req, res, requirePrincipal(req), { status: 201, keep }, async (principal) => {
      if (principal.kind !== 'admin') throw new HttpError(403, 'FORBIDDEN', 'only a bank organisation admin onboards enterprises');
      const input = validate(ONBOARDING_BODY, req.body, 'body');
      const onboarded = await onboardEnterprise(parts, principal, input);
      return { enterprise: onboarded.enterprise, clientId: onboarded.identity.clientId, apiKey: onboarded.apiKey };
    });
  }));

  app.post('/me/key-rotations', ...body, handle(async (req, res) => {
    await writes.run(req, res, requirePrincipal(req), { status: 201 }, async (principal) => {
      if (principal.kind !== 'enterprise') throw new HttpError(403, 'FORBIDDEN', 'only an enterprise rotates its own key');
      validate(EMPTY_BODY, req.body, 'body');
      return rotateKey(parts, principal, req.get('idempotency-key'));
    });
  }));

  /** A caller withdraws the API key it presents (say, after a leak); it is refused from then on. */
  app.post('/me/api-key/revocation', ...body, handle(async (req, res) => {
    requirePrincipal(req);
    validate(EMPTY_BODY, req.body, 'body');
    await parts.principals.revoke(presentedKey(req)!);
    res.json({ revoked: true });
  }));

  app.get('/transactions/:txId', handle(async (req, res) => {
    requirePrincipal(req);
    const txId = validate(z.string().regex(/^[0-9a-f]{64}$/), req.params.txId, 'path.txId');
    const found = await parts.backend.transaction(txId);
    if (!found) throw new HttpError(404, 'NOT_FOUND', `transaction ${txId} is not committed (yet); ask again later`);
    res.json(found);
  }));

  app.get('/events', handle(async (req, res) => streams.serve(req, res, requirePrincipal(req))));
}

/** The Express application: thin routes over the ledger backend; every rule lives in the chaincode. */
export function createApp(parts: GatewayParts): express.Express {
  const { settings } = parts;
  const app = express();
  const streams = new EventStreams(parts.backend, settings.heartbeatMs);
  const writes = new IdempotentWrites(parts.idempotency, parts.backend);
  app.locals.streams = streams;
  app.disable('x-powered-by');
  app.set('trust proxy', settings.trustProxy);
  // Flat query strings only: no nested objects or prototype keys can come in through them.
  app.set('query parser', 'simple');
  app.use(pinoHttp({ logger: parts.logger, customLogLevel: logLevelOf, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] }));
  app.use(serverTiming, requestMetrics(parts.metrics), ...securityHeaders());
  const cors = corsPolicy(settings.corsOrigins);
  if (cors) app.use(cors);
  app.use(wellEncodedPath);
  publicRoutes(app, parts);
  app.use(authenticate(parts.principals, settings));
  // Bodies are read by the routes that take one, so a body sent to no route is never read (that is a 404).
  const body = [jsonOnlyWrites, jsonBody({ limitBytes: bytes.parse(settings.bodyLimit) ?? 65_536, timeoutMs: settings.bodyTimeoutMs })];
  operationRoutes(app, parts, writes, body);
  gatewayRoutes(app, parts, writes, streams, body);
  app.use(unmatchedRoute(app));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const mapped = answerFor(error);
    if (mapped.status >= 500) parts.logger.error({ err: error, path: req.path }, 'request failed');
    // A stream already under way cannot change its status: end it, the client reconnects.
    if (res.headersSent) return void res.end();
    res.status(mapped.status).json({ error: { code: mapped.code, message: mapped.message, ...(mapped.field ? { field: mapped.field } : {}) } });
  });
  return app;
}

/** Stops accepting connections and waits for in-flight requests before closing the ledger. */
export async function shutdown(server: Server, app: express.Express, parts: GatewayParts): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  (app.locals.streams as EventStreams).closeAll();
  // Keep-alive connections go idle as their last request finishes: close each one then.
  const sweeper = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  await closed;
  clearInterval(sweeper);
  await parts.idempotency.close();
  await parts.backend.close();
}
