import type { Express, RequestHandler } from 'express';
import { z } from 'zod';
import { rotateKey } from '../services/key-rotation';
import { onboardEnterprise } from '../services/onboarding';
import { addUser, replacementKey } from '../services/users';
import { type EventStreams, mayReadTransaction } from './event-stream';
import type { GatewayParts } from './gateway-parts';
import { HttpError } from './http-error';
import type { IdempotentWrites } from './idempotent-write';
import { EMPTY_BODY, NEW_USER_BODY, ONBOARDING_BODY, USER } from './operations';
import { handle, presentedKey, requirePrincipal, requireSigner, validate } from './request-context';
import { type Principal, type SigningPrincipal, signingPrincipal } from '../identity/principals';

const KEY_ID = z.string().regex(/^[0-9a-f]{16}$/);

/** The new enterprise's API key is shown in the first answer only: a replay omits it, so no record holds it. */
const withoutApiKey = (answer: unknown): unknown => ({ ...(answer as Record<string, unknown>), apiKey: undefined });

/**
 * Routes of flows the gateway runs itself (services/): onboarding, key rotation and revocation;
 * transactions and events.
 */
export function flowRoutes(
  app: Express,
  parts: GatewayParts,
  writes: IdempotentWrites,
  streams: EventStreams,
  body: readonly RequestHandler[],
): void {
  onboardingRoutes(app, parts, writes, body);
  ownKeyRoutes(app, parts, writes, body);
  apiKeyRoutes(app, parts, body);
  userRoutes(app, parts, writes, body);
  transactionRoutes(app, parts);
  eventRoutes(app, streams);
}

function onboardingRoutes(
  app: Express,
  parts: GatewayParts,
  writes: IdempotentWrites,
  body: readonly RequestHandler[],
): void {
  app.post(
    '/enterprises',
    ...body,
    handle(async (req, res) => {
      await writes.run(req, res, requirePrincipal(req), { status: 201, keep: withoutApiKey }, async (principal) => {
        if (principal.kind !== 'admin')
          throw new HttpError(403, 'FORBIDDEN', 'only a bank organisation admin onboards enterprises');
        const input = validate(ONBOARDING_BODY, req.body, 'body');
        const onboarded = await onboardEnterprise(parts, principal, input);
        return { enterprise: onboarded.enterprise, clientId: onboarded.identity.clientId, apiKey: onboarded.apiKey };
      });
    }),
  );
}

/** The caller's own credentials: its Fabric identity is rotated, an API key it presents revoked. */
function ownKeyRoutes(
  app: Express,
  parts: GatewayParts,
  writes: IdempotentWrites,
  body: readonly RequestHandler[],
): void {
  app.post(
    '/me/key-rotations',
    ...body,
    handle(async (req, res) => {
      await writes.run(req, res, requirePrincipal(req), { status: 201 }, async (caller) => {
        if (!signingPrincipal(caller))
          throw new HttpError(
            403,
            'KEY_SELF_HELD',
            'the gateway rotates only keys it holds; a self-held key is replaced by a new user added with ' +
              'the new certificate signing request (POST /me/users with csr), then the old one removed',
          );
        const principal = requireSigner(req);
        if (principal.kind !== 'enterprise')
          throw new HttpError(403, 'FORBIDDEN', 'only an enterprise rotates its own key');
        validate(EMPTY_BODY, req.body, 'body');
        return rotateKey(parts, principal, req.get('idempotency-key'));
      });
    }),
  );

  // A caller withdraws the API key it presents (say, after a leak); it is refused from then on.
  app.post(
    '/me/api-key/revocation',
    ...body,
    handle(async (req, res) => {
      requirePrincipal(req);
      validate(EMPTY_BODY, req.body, 'body');
      await parts.principals.revoke(presentedKey(req)!);
      res.json({ revoked: true });
    }),
  );
}

/** Each user's own API keys: listed by id, another issued, one withdrawn by its id. */
function apiKeyRoutes(app: Express, parts: GatewayParts, body: readonly RequestHandler[]): void {
  app.get(
    '/me/api-keys',
    handle(async (req, res) => {
      res.json({ items: parts.principals.keysOf(requirePrincipal(req).identity) });
    }),
  );
  app.post(
    '/me/api-keys',
    ...body,
    handle(async (req, res) => {
      const principal = requirePrincipal(req);
      validate(EMPTY_BODY, req.body, 'body');
      res.status(201).json(await parts.principals.issueIdentifiedKey(principal));
    }),
  );
  app.post(
    '/me/api-keys/:keyId/revocation',
    ...body,
    handle(async (req, res) => {
      const principal = requirePrincipal(req);
      const keyId = validate(KEY_ID, req.params.keyId, 'path.keyId');
      validate(EMPTY_BODY, req.body, 'body');
      if (!(await parts.principals.revokeById(principal.identity, keyId)))
        throw new HttpError(404, 'NOT_FOUND', `the caller has no API key ${keyId}`);
      res.json({ revoked: true });
    }),
  );
}

/** An enterprise's admin users add users (enrolled at the bank's CA) and give a user a new key. */
function userRoutes(
  app: Express,
  parts: GatewayParts,
  writes: IdempotentWrites,
  body: readonly RequestHandler[],
): void {
  const enterprisePrincipal = (principal: Principal): Extract<SigningPrincipal, { kind: 'enterprise' }> => {
    const signing = signingPrincipal(principal);
    if (signing?.kind !== 'enterprise')
      throw new HttpError(403, 'FORBIDDEN', "only an enterprise's admin whose key the gateway holds manages its users");
    return signing;
  };
  app.post(
    '/me/users',
    ...body,
    handle(async (req, res) => {
      await writes.run(req, res, requirePrincipal(req), { status: 201, keep: withoutApiKey }, async (principal) =>
        addUser(parts, enterprisePrincipal(principal), validate(NEW_USER_BODY, req.body, 'body')),
      );
    }),
  );
  app.post(
    '/me/users/api-keys',
    ...body,
    handle(async (req, res) => {
      await writes.run(req, res, requirePrincipal(req), { status: 201, keep: withoutApiKey }, async (principal) =>
        replacementKey(parts, enterprisePrincipal(principal), validate(USER, req.body, 'body')),
      );
    }),
  );
}

function transactionRoutes(app: Express, parts: GatewayParts): void {
  app.get(
    '/transactions/:txId',
    handle(async (req, res) => {
      const principal = requirePrincipal(req);
      const txId = validate(z.string().regex(/^[0-9a-f]{64}$/), req.params.txId, 'path.txId');
      const found = await parts.backend.transaction(txId);
      // Transaction ids are unguessable digests, so "not committed yet" tells a writer polling its own no secret.
      if (!found) throw new HttpError(404, 'NOT_FOUND', `transaction ${txId} is not committed (yet); ask again later`);
      const { event, ...record } = found;
      if (!mayReadTransaction(principal, event))
        throw new HttpError(403, 'FORBIDDEN', `transaction ${txId} is for its parties, auditors and regulators`);
      res.json(record);
    }),
  );
}

function eventRoutes(app: Express, streams: EventStreams): void {
  app.get(
    '/events',
    handle(async (req, res) => streams.serve(req, res, requirePrincipal(req))),
  );
}
