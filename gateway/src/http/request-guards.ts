import type { Express, RequestHandler } from 'express';
import { HttpError } from './http-error';
import { refuseUnread } from './request-context';

/**
 * Refuses a path that does not percent-decode (`%zz`, a cut-off `%E0%A4%A`, an encoded lone
 * surrogate): the router would otherwise throw while reading its parameters.
 */
export const wellEncodedPath: RequestHandler = (req, _res, next) => {
  try {
    decodeURIComponent(req.path);
    next();
  } catch {
    next(new HttpError(400, 'MALFORMED_PATH', 'the path is not valid percent-encoded UTF-8'));
  }
};

/** HTTP/1.1 requires a Host header (RFC 9112, 3.2): a request without one is malformed. */
export const hostRequired: RequestHandler = (req, res, next) => {
  if (req.httpVersion !== '1.1' || req.headers.host !== undefined) return next();
  refuseUnread(res, next, new HttpError(400, 'MALFORMED_REQUEST', 'an HTTP/1.1 request needs a Host header'));
};

interface RouteLayer {
  readonly route?: { readonly methods: Readonly<Record<string, boolean>> };
  match(path: string): boolean;
}

/** The methods the app's routes answer on `path` (HEAD wherever GET is), in a stable order. */
function allowedMethods(app: Express, path: string): string[] {
  const stack = (app as unknown as { _router: { stack: readonly RouteLayer[] } })._router.stack;
  const methods = new Set<string>();
  for (const layer of stack) {
    if (!layer.route || !layer.match(path)) continue;
    for (const method of Object.keys(layer.route.methods)) methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/**
 * After every route: a known path asked with another method gets 405 and `Allow`, an
 * unknown path 404.
 */
export function unmatchedRoute(app: Express): RequestHandler {
  return (req, res, next) => {
    const allowed = allowedMethods(app, req.path);
    if (allowed.length === 0) return next(new HttpError(404, 'ROUTE_NOT_FOUND', 'no such route; see /openapi.json'));
    res.setHeader('Allow', allowed.join(', '));
    next(new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here; use ${allowed.join(' or ')}`));
  };
}
