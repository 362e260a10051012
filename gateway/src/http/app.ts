import bytes from 'bytes';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Server } from 'http';
import { pinoHttp } from 'pino-http';
import type { PrincipalRegistry } from '../identity/principals';
import type { GatewayMetrics } from '../observability/metrics';
import { authFailureThrottle } from './auth-throttle';
import { consolePages } from './console-pages';
import { EventStreams } from './event-stream';
import { flowRoutes } from './flow-routes';
import type { GatewayParts, HttpSettings } from './gateway-parts';
import { HttpError, toHttpError } from './http-error';
import { IdempotentWrites } from './idempotent-write';
import { jsonBody } from './json-body';
import { ledgerRoutes } from './ledger-routes';
import { metricsRoute } from './metrics-route';
import { offlineRoutes } from './offline-routes';
import { OfflineSigningService } from '../services/offline-signing';
import { docsPage, openApiDocument } from './openapi';
import { type Authed, handle, presentedKey, refuseUnread } from './request-context';
import { hostRequired, unmatchedRoute, wellEncodedPath } from './request-guards';
import { corsPolicy, securityHeaders } from './security-headers';
import { storeRoutes } from './store-routes';
import { webhookRoutes } from './webhook-routes';
import { serverTiming } from './timing';

export type { GatewayParts, HttpSettings } from './gateway-parts';

/**
 * Errors from Express and the body reader that carry a client status become coded 4xx
 * answers; anything else is ours.
 */
function answerFor(error: unknown): HttpError {
  const status = (error as { status?: unknown }).status;
  if (!(error instanceof HttpError) && typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(400, 'VALIDATION_FAILED', 'the request could not be read; check its path, headers and body');
  }
  return toHttpError(error);
}

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

/** Routes that answer anyone, whatever credentials a request carries. */
function publicRoutes(app: express.Express, parts: GatewayParts): void {
  const document = openApiDocument('0.1.0');
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(docsPage(document));
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(
    '/readyz',
    handle(async (_req, res) => {
      const ready = await parts.backend.ready().catch(() => false);
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', backend: parts.backend.kind });
    }),
  );
  app.get('/metrics', metricsRoute(parts.metrics, parts.settings.metricsToken));
}

/** Finds the caller of an API route from its key; a key that is presented must be valid, and failures are throttled. */
function authenticate(principals: PrincipalRegistry, settings: HttpSettings): RequestHandler {
  const throttle = authFailureThrottle({
    failuresPerWindow: settings.authFailuresPerWindow,
    windowMs: settings.authWindowMs,
  });
  const invalid = (): HttpError => new HttpError(401, 'AUTHENTICATION_REQUIRED', 'the API key is not valid');
  // The registry is asked on every request, so a key revoked through any gateway is refused by all at once.
  return (req: Authed, res, next) => {
    const key = presentedKey(req);
    if (!key) return next();
    principals.authenticate(key).then((principal) => {
      req.principal = principal;
      // The throttle passes on its own 429 once the client is over the limit, else the failure stands.
      if (!principal) return void throttle(req, res, (throttled?: unknown) => next(throttled ?? invalid()));
      next();
    }, next);
  };
}

/** A write's body is JSON or nothing is done: an unparsed body must never read as an empty request. */
const jsonOnlyWrites: RequestHandler = (req, res, next) => {
  if (req.method !== 'POST' || req.is('application/json')) return next();
  refuseUnread(
    res,
    next,
    new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as JSON with Content-Type: application/json'),
  );
};

function errorAnswer(parts: GatewayParts) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const mapped = answerFor(error);
    if (mapped.status >= 500) parts.logger.error({ err: error, path: req.path }, 'request failed');
    // A stream already under way cannot change its status: end it, the client reconnects.
    if (res.headersSent) return void res.end();
    res.status(mapped.status).json({
      error: { code: mapped.code, message: mapped.message, ...(mapped.field ? { field: mapped.field } : {}) },
    });
  };
}

/**
 * The Express application: transport only. Routes parse and answer; flows live in
 * services/, and every business rule in the chaincode.
 */
export function createApp(parts: GatewayParts): express.Express {
  const { settings } = parts;
  const app = express();
  const streams = new EventStreams(parts.backend, settings.heartbeatMs, parts.reminders);
  const writes = new IdempotentWrites(parts.idempotency, parts.backend);
  app.locals.streams = streams;
  app.disable('x-powered-by');
  app.set('trust proxy', settings.trustProxy);
  // Flat query strings only: no nested objects or prototype keys can come in through them.
  app.set('query parser', 'simple');
  app.use(
    pinoHttp({
      logger: parts.logger,
      customLogLevel: logLevelOf,
      redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
    }),
  );
  app.use(serverTiming, requestMetrics(parts.metrics), ...securityHeaders());
  const cors = corsPolicy(settings.corsOrigins);
  if (cors) app.use(cors);
  app.use(hostRequired, wellEncodedPath);
  publicRoutes(app, parts);
  // The console reads no credentials: its pages call the API with the key the user signs in with.
  app.use('/console', consolePages());
  app.use(authenticate(parts.principals, settings));
  // Bodies are read by the routes that take one, so a body sent to no route is never read (that is a 404).
  const body = [
    jsonOnlyWrites,
    jsonBody({ limitBytes: bytes.parse(settings.bodyLimit) ?? 65_536, timeoutMs: settings.bodyTimeoutMs }),
  ];
  ledgerRoutes(app, parts, writes, body);
  const offline = new OfflineSigningService(parts.backend);
  flowRoutes(app, parts, writes, streams, body, offline);
  storeRoutes(app, parts);
  webhookRoutes(app, parts, writes, body);
  offlineRoutes(app, offline, writes, body);
  app.use(unmatchedRoute(app));
  app.use(errorAnswer(parts));
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
  parts.reminders.stop();
  await parts.webhooks?.stop();
  await parts.store?.close();
  await parts.idempotency.close();
  await parts.backend.close();
}
