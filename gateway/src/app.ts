import express, { type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'http';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { CertificateAuthorities } from './identity/certificate-authorities';
import type { Principal, PrincipalRegistry } from './identity/principals';
import { HttpError, toHttpError } from './http/http-error';
import { IdempotencyStore } from './http/idempotency';
import { docsPage, openApiDocument } from './http/openapi';
import { type Operation, OPERATIONS } from './http/operations';
import type { LedgerBackend, LedgerCall, LedgerEvent, SubmitOutcome } from './ledger/ledger-backend';
import { pinoHttp } from 'pino-http';
import type { GatewayMetrics } from './observability/metrics';

export interface GatewayParts {
  readonly metrics: GatewayMetrics;
  readonly backend: LedgerBackend;
  readonly principals: PrincipalRegistry;
  readonly authorities: CertificateAuthorities;
  readonly idempotency: IdempotencyStore;
  readonly logger: Logger;
  readonly bodyLimit: string;
}

const READ_ONLY_ROLES = new Set(['AUDITOR']);
const OVERSIGHT_ROLES = new Set(['AUDITOR', 'REGULATOR']);
const Onboarding = z.object({
  id: z.string().regex(/^did:scf:[a-z0-9][a-z0-9-]{1,62}$/),
  name: z.string().min(1).max(200),
  roles: z.array(z.enum(['CORE', 'SUPPLIER', 'BANK', 'AUDITOR', 'REGULATOR'])).min(1),
  registrationNumber: z.string().regex(/^[0-9A-Za-z -]{6,64}$/),
}).strict();

type Authed = Request & { principal?: Principal };

function validate<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = [where, ...(issue?.path ?? [])].join('.');
  throw new HttpError(400, 'VALIDATION_FAILED', `${field}: ${issue?.message ?? 'invalid'}`, field);
}

function requirePrincipal(req: Authed): Principal {
  if (!req.principal) throw new HttpError(401, 'AUTHENTICATION_REQUIRED', 'send Authorization: Bearer <API key>');
  return req.principal;
}

const scopeOf = (p: Principal) => (p.kind === 'enterprise' ? p.enterpriseId : `admin:${p.mspId}`);

/** The Express application: thin routes over the ledger backend; every rule lives in the chaincode. */
export function createApp(parts: GatewayParts): express.Express {
  const { backend, principals, idempotency, logger, metrics } = parts;
  const app = express();
  const streams = new Set<Response>();
  app.locals.streams = streams;
  app.disable('x-powered-by');
  app.use(pinoHttp({ logger, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] }));
  app.use((req, res, next) => {
    const stop = metrics.requestSeconds.startTimer();
    res.on('finish', () => {
      // The route template, not the URL, keeps label cardinality bounded.
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      stop({ method: req.method, route });
      metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  });
  app.use(express.json({ limit: parts.bodyLimit, strict: true }));
  app.use((req: Authed, _res, next) => {
    const header = req.get('authorization') ?? '';
    const key = header.startsWith('Bearer ') ? header.slice(7).trim() : req.get('x-api-key');
    if (key) {
      req.principal = principals.authenticate(key);
      if (!req.principal) return next(new HttpError(401, 'AUTHENTICATION_REQUIRED', 'the API key is not valid'));
    }
    next();
  });

  const document = openApiDocument('0.1.0');
  app.get('/openapi.json', (_req, res) => { res.json(document); });
  app.get('/docs', (_req, res) => { res.type('html').send(docsPage(document)); });
  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/metrics', async (_req, res) => { res.type(metrics.registry.contentType).send(await metrics.registry.metrics()); });
  app.get('/readyz', async (_req, res) => {
    const ready = await backend.ready().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', backend: backend.kind });
  });

  /** Submits with submit-latency and retry metrics. */
  async function submit(call: LedgerCall): Promise<SubmitOutcome> {
    const stop = metrics.submitSeconds.startTimer({ transaction: call.transaction });
    try {
      const outcome = await backend.submit(call);
      stop({ outcome: 'committed' });
      if (outcome.attempts > 1) metrics.retries.inc({ transaction: call.transaction }, outcome.attempts - 1);
      return outcome;
    } catch (error) {
      stop({ outcome: 'refused' });
      throw error;
    }
  }

  /** Runs a write once per Idempotency-Key, replaying the stored answer on retries. */
  async function once(req: Authed, res: Response, status: number, work: (principal: Principal) => Promise<unknown>): Promise<void> {
    const principal = requirePrincipal(req);
    if (principal.kind === 'enterprise' && principal.roles.every((r) => READ_ONLY_ROLES.has(r))) {
      throw new HttpError(403, 'READ_ONLY_CALLER', 'auditors read only');
    }
    const key = req.get('idempotency-key');
    if (!key || key.length > 128) throw new HttpError(400, 'IDEMPOTENCY_KEY_REQUIRED', 'every write needs an Idempotency-Key header (at most 128 characters)');
    const fingerprint = IdempotencyStore.fingerprint(req.method, req.originalUrl, req.body);
    const replay = await idempotency.begin(scopeOf(principal), key, fingerprint);
    if (replay) {
      res.status(replay.status).set('Idempotent-Replay', 'true').json(replay.body);
      return;
    }
    try {
      const body = await work(principal);
      await idempotency.complete(scopeOf(principal), key, { fingerprint, status, body });
      res.status(status).json(body);
    } catch (error) {
      idempotency.release(scopeOf(principal), key);
      throw error;
    }
  }

  const handle = (fn: (req: Authed, res: Response) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => { fn(req as Authed, res).catch(next); };

  for (const operation of OPERATIONS as readonly Operation[]) {
    app[operation.method](operation.path, handle(async (req, res) => {
      const params = validate(operation.params, req.params, 'path');
      const query = validate(operation.query, req.query, 'query');
      if (operation.mode === 'evaluate') {
        const principal = requirePrincipal(req);
        // A read may take a body (e.g. claims presented for verification): it travels as transient data.
        const body = validate(operation.body, req.body, 'body');
        res.json(await backend.evaluate({ identity: principal.identity, ...operation.call({ params, body, query }) }));
        return;
      }
      await once(req, res, operation.status ?? 200, (principal) => {
        const body = validate(operation.body, req.body, 'body');
        return submit({ identity: principal.identity, ...operation.call({ params, body, query }) });
      });
    }));
  }

  app.post('/enterprises', handle(async (req, res) => {
    await once(req, res, 201, async (principal) => {
      if (principal.kind !== 'admin') throw new HttpError(403, 'FORBIDDEN', 'only a bank organisation admin onboards enterprises');
      const input = validate(Onboarding, req.body, 'body');
      const identity = await parts.authorities.of(principal.mspId).issue({ commonName: input.id.slice('did:scf:'.length), attributes: { 'scf.enterpriseId': input.id } });
      const registered = await submit({ identity: principal.identity, transaction: 'Enterprise:Register',
        args: [input.id, input.name, JSON.stringify(input.roles)], transient: { registrationNumber: input.registrationNumber } });
      await submit({ identity: principal.identity, transaction: 'Enterprise:BindIdentity', args: [input.id, principal.mspId, identity.clientId] });
      const apiKey = await principals.issueKey({ kind: 'enterprise', enterpriseId: input.id, roles: input.roles, identity });
      return { enterprise: registered.result, clientId: identity.clientId, apiKey };
    });
  }));

  app.get('/transactions/:txId', handle(async (req, res) => {
    requirePrincipal(req);
    const txId = validate(z.string().regex(/^[0-9a-f]{64}$/), req.params.txId, 'path.txId');
    const found = await backend.transaction(txId);
    if (!found) throw new HttpError(404, 'NOT_FOUND', `transaction ${txId} is not committed (yet); ask again later`);
    res.json(found);
  }));

  /** Server-sent events: the caller's own events (all of them for auditors and regulators), resumable by block number. */
  app.get('/events', handle(async (req, res) => {
    const principal = requirePrincipal(req);
    const from = Number(req.get('last-event-id') ?? req.query.after ?? -1);
    if (!Number.isInteger(from) || from < -1) throw new HttpError(400, 'VALIDATION_FAILED', 'Last-Event-ID must be a block number', 'Last-Event-ID');
    const seesAll = principal.kind === 'admin' || principal.roles.some((r) => OVERSIGHT_ROLES.has(r));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (event: LedgerEvent) => {
      if (!seesAll && principal.kind === 'enterprise' && !event.payload.parties.includes(principal.enterpriseId)) return;
      res.write(`id: ${event.blockNumber}\nevent: ${event.type}\ndata: ${JSON.stringify(event.payload)}\n\n`);
    };
    const unsubscribe = await backend.subscribe(from, send);
    streams.add(res);
    req.on('close', () => { unsubscribe(); streams.delete(res); });
  }));

  app.use((_req, _res, next) => next(new HttpError(404, 'ROUTE_NOT_FOUND', 'no such route; see /openapi.json')));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const bodyError = error as { type?: string; status?: number };
    const mapped = bodyError.type === 'entity.too.large' ? new HttpError(413, 'PAYLOAD_TOO_LARGE', `the body exceeds ${parts.bodyLimit}`)
      : bodyError.type === 'entity.parse.failed' ? new HttpError(400, 'VALIDATION_FAILED', 'the body is not valid JSON', 'body')
        : toHttpError(error);
    if (mapped.status >= 500) logger.error({ err: error, path: req.path }, 'request failed');
    res.status(mapped.status).json({ error: { code: mapped.code, message: mapped.message, ...(mapped.field ? { field: mapped.field } : {}) } });
  });
  return app;
}

/** Stops accepting connections and waits for in-flight requests before closing the ledger. */
export async function shutdown(server: Server, app: express.Express, parts: GatewayParts): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  (app.locals.streams as Set<Response>).forEach((stream) => stream.end());
  // Keep-alive connections go idle as their last request finishes: close each one then.
  const sweeper = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  await closed;
  clearInterval(sweeper);
  await parts.idempotency.close();
  await parts.backend.close();
}
