import { createHash, timingSafeEqual } from 'crypto';
import type { RequestHandler } from 'express';
import type { GatewayMetrics } from '../observability/metrics';
import { HttpError } from './http-error';
import { bearerToken } from './request-context';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * `/metrics` shows business volumes per transaction type, so it answers only to the
 * operator's token (`Authorization: Bearer <SCF_METRICS_TOKEN>`), compared in constant
 * time; with no token configured it is off.
 */
export function metricsRoute(metrics: GatewayMetrics, token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return (req, res, next) => {
    if (!expected)
      return next(new HttpError(404, 'ROUTE_NOT_FOUND', 'metrics are off; set SCF_METRICS_TOKEN to serve them'));
    const presented = bearerToken(req) ?? '';
    if (!timingSafeEqual(digest(presented), expected)) {
      return next(new HttpError(401, 'AUTHENTICATION_REQUIRED', 'send Authorization: Bearer <metrics token>'));
    }
    metrics.registry.metrics().then((text) => res.type(metrics.registry.contentType).send(text), next);
  };
}
