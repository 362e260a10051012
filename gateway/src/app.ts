import express, { type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'http';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { IdentityIssuer } from './identity/identity-issuer';
import type { Principal, PrincipalRegistry } from './identity/principals';
import { HttpError, toHttpError } from './http/http-error';
import { IdempotencyStore, type PendingTransaction } from './http/idempotency';
import { docsPage, openApiDocument } from './http/openapi';
import { EMPTY_BODY, ONBOARDING_BODY, type Operation, OPERATIONS } from './http/operations';
import type { EventPosition, LedgerBackend, LedgerCall, LedgerEvent, SubmitHooks, SubmitOutcome } from './ledger/ledger-backend';
import { CommitPending } from './ledger/ledger-errors';
import { rotateKey } from './services/key-rotation';
import { onboardEnterprise } from './services/onboarding';
import onHeaders from 'on-headers';
import { pinoHttp } from 'pino-http';
import type { GatewayMetrics } from './observability/metrics';

export interface GatewayParts {
  readonly metrics: GatewayMetrics;
  readonly backend: LedgerBackend;
  readonly principals: PrincipalRegistry;
  readonly issuer: IdentityIssuer;
  readonly idempotency: IdempotencyStore;
  readonly logger: Logger;
  readonly bodyLimit: string;
}

const READ_ONLY_ROLES = new Set(['AUDITOR']);
const OVERSIGHT_ROLES = new Set(['AUDITOR', 'REGULATOR']);

type Authed = Request & { principal?: Principal };

const EVENT_ID = /^(-1|0|[1-9][0-9]{0,15})(?::([0-9a-f]{64}))?$/;

/** Milliseconds since a `process.hrtime.bigint()` reading, to 0.1 ms. */
const msSince = (started: bigint) => (Number(process.hrtime.bigint() - started) / 1e6).toFixed(1);

/** Reads a resume point: `<block>:<txId>` (after that event) or `<block>` (after that block); none starts at the beginning. */
function eventPosition(id: string | undefined): EventPosition {
  if (id === undefined) return { blockNumber: -1 };
  const match = EVENT_ID.exec(id);
  if (!match) throw new HttpError(400, 'VALIDATION_FAILED', 'Last-Event-ID must be an event id (<block>:<txId>) or a block number', 'Last-Event-ID');
  return { blockNumber: Number(match[1]), ...(match[2] ? { txId: match[2] } : {}) };
}

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

const scopeOf = (p: Principal) => (p.kind === 'enterprise' ? p.enterpriseId : `admin:${p.mspId}`);

/** The Express application: thin routes over the ledger backend; every rule lives in the chaincode. */
export function createApp(parts: GatewayParts): express.Express {
  const { backend, principals, idempotency, logger, metrics } = parts;
  const app = express();
  const streams = new Set<Response>();
  app.locals.streams = streams;
  app.disable('x-powered-by');
  app.use(pinoHttp({ logger, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] }));
  // Server-Timing: the request's time in the gateway until its answer (`total`), beside the ledger's share where it was called.
  app.use((_req, res, next) => {
    const started = process.hrtime.bigint();
    onHeaders(res, () => {
      const total = `total;dur=${msSince(started)}`;
      const ledger = res.getHeader('Server-Timing');
      res.setHeader('Server-Timing', ledger === undefined ? total : `${String(ledger)}, ${total}`);
    });
    next();
  });
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
  // A write's body is JSON or nothing is done: an unparsed body must never read as an empty request.
  app.use((req, _res, next) => next(req.method === 'POST' && !req.is('application/json')
    ? new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as JSON with Content-Type: application/json') : undefined));
  app.use(express.json({ limit: parts.bodyLimit, strict: true }));
  app.use((req: Authed, _res, next) => {
    const key = presentedKey(req);
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
  async function submit(call: LedgerCall, hooks?: SubmitHooks): Promise<SubmitOutcome> {
    const stop = metrics.submitSeconds.startTimer({ transaction: call.transaction });
    try {
      const outcome = await backend.submit(call, hooks);
      stop({ outcome: 'committed' });
      if (outcome.attempts > 1) metrics.retries.inc({ transaction: call.transaction }, outcome.attempts - 1);
      return outcome;
    } catch (error) {
      stop({ outcome: 'refused' });
      throw error;
    }
  }

  const pendingAnswer = (txId: string) => ({
    status: 'PENDING', txId, transaction: `/transactions/${txId}`,
    message: 'submitted; its commit was not confirmed in time. Repeat this request with the same Idempotency-Key, or GET the transaction, to learn the outcome',
  });

  /**
   * Answers a retried request whose transaction was pending: by looking the transaction
   * up, never by building it again while it may still commit. Returns false when that
   * transaction can no longer change anything (invalidated, or never ordered because the
   * gateway stopped between endorsing and ordering it): the request may then run.
   */
  async function settlePending(scope: string, key: string, fingerprint: string, pending: PendingTransaction, res: Response): Promise<boolean> {
    const record = await backend.transaction(pending.txId);
    if (!record && Date.now() - pending.since < backend.orphanAfterMs) {
      res.status(202).location(`/transactions/${pending.txId}`).set('Idempotent-Replay', 'true').json(pendingAnswer(pending.txId));
      return true;
    }
    if (!record || !record.valid) {
      // Never ordered, or invalidated (say, a lost MVCC race): nothing changed, so the request runs afresh.
      await idempotency.forget(scope, key);
      return false;
    }
    const body = { txId: record.txId, blockNumber: record.blockNumber, result: pending.result, attempts: 1 };
    await idempotency.complete(scope, key, { fingerprint, status: pending.status, body });
    res.status(pending.status).set('Idempotent-Replay', 'true').json(body);
    return true;
  }

  /**
   * Runs a write once per Idempotency-Key, replaying the stored answer on retries. A
   * single-transaction write notes its transaction id when endorsed, before ordering, so
   * even a crash of the gateway cannot make a retry build a second transaction.
   */
  async function once(req: Authed, res: Response, status: number, work: (principal: Principal, hooks: SubmitHooks) => Promise<unknown>): Promise<void> {
    const principal = requirePrincipal(req);
    if (principal.kind === 'enterprise' && principal.roles.every((r) => READ_ONLY_ROLES.has(r))) {
      throw new HttpError(403, 'READ_ONLY_CALLER', 'auditors read only');
    }
    const key = req.get('idempotency-key');
    if (!key || key.length > 128) throw new HttpError(400, 'IDEMPOTENCY_KEY_REQUIRED', 'every write needs an Idempotency-Key header (at most 128 characters)');
    const scope = scopeOf(principal);
    const fingerprint = IdempotencyStore.fingerprint(req.method, req.originalUrl, req.body);
    const replay = await idempotency.begin(scope, key, fingerprint);
    if (replay && 'pending' in replay) {
      // Settled, or never ordered and forgotten: then the request runs afresh.
      return await settlePending(scope, key, fingerprint, replay.pending, res) ? undefined : once(req, res, status, work);
    }
    if (replay) {
      res.status(replay.status).set('Idempotent-Replay', 'true').json(replay.body);
      return;
    }
    const hooks: SubmitHooks = {
      onEndorsed: (txId, result) => idempotency.note(scope, key, { fingerprint, pending: { txId, status, result, since: Date.now() } }),
    };
    try {
      const body = await work(principal, hooks);
      await idempotency.complete(scope, key, { fingerprint, status, body });
      res.status(status).json(body);
    } catch (error) {
      if (error instanceof CommitPending) {
        await idempotency.complete(scope, key, { fingerprint, pending: { txId: error.txId, status, result: error.result, since: Date.now() } });
        res.status(202).location(`/transactions/${error.txId}`).json(pendingAnswer(error.txId));
        return;
      }
      // Refused before ordering (or invalidated): nothing changed, so the key is free again.
      await idempotency.forget(scope, key);
      idempotency.release(scope, key);
      throw error;
    }
  }

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
        res.json(await timedLedger(res, () => backend.evaluate({ identity: principal.identity, ...operation.call({ params, body, query }) })));
        return;
      }
      await once(req, res, operation.status ?? 200, (principal, hooks) => {
        const body = validate(operation.body, req.body, 'body');
        return timedLedger(res, () => submit({ identity: principal.identity, ...operation.call({ params, body, query }) }, hooks));
      });
    }));
  }

  app.post('/enterprises', handle(async (req, res) => {
    await once(req, res, 201, async (principal) => {
      if (principal.kind !== 'admin') throw new HttpError(403, 'FORBIDDEN', 'only a bank organisation admin onboards enterprises');
      const input = validate(ONBOARDING_BODY, req.body, 'body');
      const onboarded = await onboardEnterprise(parts, principal, input);
      return { enterprise: onboarded.enterprise, clientId: onboarded.identity.clientId, apiKey: onboarded.apiKey };
    });
  }));

  app.post('/me/key-rotations', handle(async (req, res) => {
    await once(req, res, 201, async (principal) => {
      if (principal.kind !== 'enterprise') throw new HttpError(403, 'FORBIDDEN', 'only an enterprise rotates its own key');
      validate(EMPTY_BODY, req.body, 'body');
      return rotateKey(parts, principal, req.get('idempotency-key'));
    });
  }));

  /** A caller withdraws the API key it presents (say, after a leak); it is refused from then on. */
  app.post('/me/api-key/revocation', handle(async (req, res) => {
    requirePrincipal(req);
    validate(EMPTY_BODY, req.body, 'body');
    await principals.revoke(presentedKey(req)!);
    res.json({ revoked: true });
  }));

  app.get('/transactions/:txId', handle(async (req, res) => {
    requirePrincipal(req);
    const txId = validate(z.string().regex(/^[0-9a-f]{64}$/), req.params.txId, 'path.txId');
    const found = await backend.transaction(txId);
    if (!found) throw new HttpError(404, 'NOT_FOUND', `transaction ${txId} is not committed (yet); ask again later`);
    res.json(found);
  }));

  /**
   * Server-sent events: the caller's own events (all of them for auditors and regulators).
   * Each event's id is `<block>:<txId>`; a client resumes after it with Last-Event-ID
   * (or `?after=`), or after a whole block with `<block>`.
   */
  app.get('/events', handle(async (req, res) => {
    const principal = requirePrincipal(req);
    const after = eventPosition(req.get('last-event-id') ?? (typeof req.query.after === 'string' ? req.query.after : undefined));
    const seesAll = principal.kind === 'admin' || principal.roles.some((r) => OVERSIGHT_ROLES.has(r));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (event: LedgerEvent) => {
      if (!seesAll && principal.kind === 'enterprise' && !event.payload.parties.includes(principal.enterpriseId)) return;
      res.write(`id: ${event.blockNumber}:${event.txId}\nevent: ${event.type}\ndata: ${JSON.stringify(event.payload)}\n\n`);
    };
    const unsubscribe = await backend.subscribe(after, send);
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
