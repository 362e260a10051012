import type { Express, RequestHandler } from 'express';
import { z } from 'zod';
import type { Principal } from '../identity/principals';
import { deliveriesOf, disable, replay, subscribe, subscriptionsOf } from '../store/webhooks';
import type { GatewayParts } from './gateway-parts';
import { HttpError } from './http-error';
import type { IdempotentWrites } from './idempotent-write';
import { EMPTY_BODY } from './operations';
import { handle, requirePrincipal, validate } from './request-context';
import { requireStore } from './store-routes';
import { ANY, type DocumentedRoute, IDEMPOTENCY_KEY, replayHeader, union, WITH_BODY } from './route-docs';

const SUBSCRIPTION_BODY = z
  .object({
    url: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .describe('where deliveries are POSTed; https (http only where the operator allows it)'),
    eventTypes: z
      .array(z.string().regex(/^[A-Z][A-Za-z]{2,40}$/))
      .max(50)
      .default([])
      .describe(
        'event types to receive (ReceivableIssued, TransferOffered, FinancingFunded, PayoutPaid, ' +
          'ReceivableDueSoon…); empty: all',
      ),
  })
  .strict();
const DELIVERIES_QUERY = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
const byId = z.object({ id: z.string().regex(/^wh_[0-9a-f]{24}$/) }).strict();
const byDelivery = z
  .object({ id: z.string().regex(/^wh_[0-9a-f]{24}$/), outboxId: z.string().regex(/^[1-9][0-9]{0,17}$/) })
  .strict();
const Subscription = z.object({
  id: z.string(),
  enterpriseId: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
});
const Created = Subscription.extend({ secret: z.string().describe('HMAC-SHA256 key of X-SCF-Signature: shown once') });
const Delivery = z.object({
  outboxId: z.string(),
  eventKey: z.string(),
  type: z.string(),
  deliveredAt: z.string().nullable(),
  failedAt: z.string().nullable(),
  attempts: z.array(
    z.object({
      attempt: z.number().int(),
      at: z.string(),
      status: z.number().int().nullable(),
      error: z.string().nullable(),
    }),
  ),
});
const WRITE_ERRORS = union(ANY, WITH_BODY, [403, 404, 409, 422]);
const READ_ERRORS = union(ANY, [400, 403, 404]);
const tag = 'Webhooks';

export const WEBHOOK_ROUTES: readonly DocumentedRoute[] = [
  {
    method: 'post',
    path: '/webhooks',
    operationId: 'createWebhook',
    tag,
    access: 'apiKey',
    summary: 'Subscribe an endpoint to the events the caller may see, signed with a secret shown once',
    description:
      'Each delivery is a POST of `{id, type, eventId, payload}`: the event as the caller would read it on /events ' +
      '(its projection under the read table), or a reminder. Headers: `X-SCF-Event`, `X-SCF-Delivery` (the same on ' +
      'every retry of one delivery: drop repeats), ' +
      '`X-SCF-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. A 2xx answer delivers it; ' +
      'anything else is retried with a doubling backoff. Events committed after the subscription only.',
    body: SUBSCRIPTION_BODY,
    headers: [IDEMPOTENCY_KEY],
    responses: { 201: { description: 'subscribed', schema: Created, name: 'WebhookCreated', headers: replayHeader } },
    errors: WRITE_ERRORS,
  },
  {
    method: 'get',
    path: '/webhooks',
    operationId: 'listWebhooks',
    tag,
    access: 'apiKey',
    summary: "The caller's subscriptions",
    responses: {
      200: { description: 'subscriptions', schema: z.object({ items: z.array(Subscription) }), name: 'WebhookList' },
    },
    errors: READ_ERRORS,
  },
  {
    method: 'post',
    path: '/webhooks/:id/disable',
    operationId: 'disableWebhook',
    tag,
    access: 'apiKey',
    summary: 'Stop deliveries to a subscription (what is queued waits, and is sent if it is enabled again by a replay)',
    params: byId,
    body: EMPTY_BODY,
    headers: [IDEMPOTENCY_KEY],
    responses: {
      200: {
        description: 'disabled',
        schema: z.object({ id: z.string(), active: z.literal(false) }),
        name: 'WebhookDisabled',
        headers: replayHeader,
      },
    },
    errors: WRITE_ERRORS,
  },
  {
    method: 'get',
    path: '/webhooks/:id/deliveries',
    operationId: 'listWebhookDeliveries',
    tag,
    access: 'apiKey',
    summary: 'The delivery log: each delivery (newest first) with every attempt, its status or error',
    params: byId,
    query: DELIVERIES_QUERY,
    responses: {
      200: { description: 'deliveries', schema: z.object({ items: z.array(Delivery) }), name: 'WebhookDeliveries' },
    },
    errors: READ_ERRORS,
  },
  {
    method: 'post',
    path: '/webhooks/:id/deliveries/:outboxId/replay',
    operationId: 'replayWebhookDelivery',
    tag,
    access: 'apiKey',
    summary: 'Send a delivery again (delivered, failed or waiting): it is due at once',
    params: byDelivery,
    body: EMPTY_BODY,
    headers: [IDEMPOTENCY_KEY],
    responses: {
      200: {
        description: 'queued',
        schema: z.object({ outboxId: z.string(), queued: z.literal(true) }),
        name: 'WebhookReplayed',
        headers: replayHeader,
      },
    },
    errors: WRITE_ERRORS,
  },
];

/** Webhooks are an enterprise's: a consortium admin has none. */
function subscriber(principal: Principal): Extract<Principal, { kind: 'enterprise' }> {
  if (principal.kind !== 'enterprise')
    throw new HttpError(403, 'FORBIDDEN', 'webhooks belong to an enterprise: use its API key');
  return principal;
}

const notFound = (): HttpError =>
  new HttpError(404, 'NOT_FOUND', 'no such webhook subscription or delivery of the caller');

type Routes = (app: Express, parts: GatewayParts, writes: IdempotentWrites, body: readonly RequestHandler[]) => void;

const subscriptionRoutes: Routes = (app, parts, writes, body) => {
  app.post(
    '/webhooks',
    ...body,
    handle(async (req, res) => {
      await writes.run(req, res, requirePrincipal(req), { status: 201, offLedger: true }, async (principal) => {
        const caller = subscriber(principal);
        const input = validate(SUBSCRIPTION_BODY, req.body, 'body');
        if (!parts.settings.webhookAllowHttp && !input.url.startsWith('https://'))
          throw new HttpError(400, 'VALIDATION_FAILED', 'body.url: webhooks are delivered over https only', 'body.url');
        const { db } = requireStore(parts);
        const fromBlock = await parts.backend.height();
        return subscribe(db, { enterpriseId: caller.enterpriseId, roles: caller.roles, ...input, fromBlock });
      });
    }),
  );
  app.get(
    '/webhooks',
    handle(async (req, res) => {
      const caller = subscriber(requirePrincipal(req));
      res.json({ items: await subscriptionsOf(requireStore(parts).db, caller.enterpriseId) });
    }),
  );
  app.post(
    '/webhooks/:id/disable',
    ...body,
    handle(async (req, res) => {
      await writes.run(req, res, requirePrincipal(req), { status: 200, offLedger: true }, async (principal) => {
        const caller = subscriber(principal);
        const { id } = validate(byId, req.params, 'path');
        validate(EMPTY_BODY, req.body, 'body');
        if (!(await disable(requireStore(parts).db, caller.enterpriseId, id))) throw notFound();
        return { id, active: false };
      });
    }),
  );
};

const deliveryRoutes: Routes = (app, parts, writes, body) => {
  app.get(
    '/webhooks/:id/deliveries',
    handle(async (req, res) => {
      const caller = subscriber(requirePrincipal(req));
      const { id } = validate(byId, req.params, 'path');
      const { limit } = validate(DELIVERIES_QUERY, req.query, 'query');
      const items = await deliveriesOf(requireStore(parts).db, caller.enterpriseId, id, limit);
      if (!items) throw notFound();
      res.json({ items });
    }),
  );
  app.post(
    '/webhooks/:id/deliveries/:outboxId/replay',
    ...body,
    handle(async (req, res) => {
      await writes.run(req, res, requirePrincipal(req), { status: 200, offLedger: true }, async (principal) => {
        const caller = subscriber(principal);
        const { id, outboxId } = validate(byDelivery, req.params, 'path');
        validate(EMPTY_BODY, req.body, 'body');
        if (!(await replay(requireStore(parts).db, caller.enterpriseId, id, outboxId))) throw notFound();
        return { outboxId, queued: true };
      });
    }),
  );
};

/** Subscriptions and their deliveries: each enterprise manages its own. */
export const webhookRoutes: Routes = (app, parts, writes, body) => {
  subscriptionRoutes(app, parts, writes, body);
  deliveryRoutes(app, parts, writes, body);
};
