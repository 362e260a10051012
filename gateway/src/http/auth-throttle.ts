import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { HttpError } from './http-error';

export interface AuthThrottleSettings {
  /** Failed authentications a client may make in one window before it gets 429. */
  readonly failuresPerWindow: number;
  readonly windowMs: number;
}

/**
 * Counts a client's failed authentications (a presented API key that is not valid) by its
 * address: a handler run only on a failure, which passes the failure on as 401 until the
 * client is over its limit, then answers 429 with `Retry-After`. Callers with a valid key
 * never pass through it, so no amount of honest traffic is slowed.
 */
export function authFailureThrottle(settings: AuthThrottleSettings): RequestHandler {
  return rateLimit({
    windowMs: settings.windowMs,
    limit: settings.failuresPerWindow,
    // Sets Retry-After (the time left in the client's window) when the limit is reached.
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) => {
      next(
        new HttpError(
          429,
          'TOO_MANY_REQUESTS',
          'too many failed authentications from this client; wait for Retry-After seconds, then use a valid API key',
        ),
      );
    },
  });
}
