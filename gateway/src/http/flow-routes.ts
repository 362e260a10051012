import type { Express, RequestHandler } from 'express';
import { z } from 'zod';
import { prepareKeyRotation, rotateKey } from '../services/key-rotation';
import type { OfflineSigningService } from '../services/offline-signing';
import { onboardEnterprise } from '../services/onboarding';
import { completeRecovery, prepareRecovery } from '../services/recovery';
import { addUser, replacementKey } from '../services/users';
import { type EventStreams, mayReadTransaction } from './event-stream';
import type { GatewayParts } from './gateway-parts';
import { HttpError } from './http-error';
import type { IdempotentWrites } from './idempotent-write';
import {
  did,
  EMPTY_BODY,
  KEY_ROTATION_BODY,
  NEW_USER_BODY,
  OFFLINE_KEY_ROTATION_BODY,
  ONBOARDING_BODY,
  USER,
} from './operations';
import { handle, presentedKey, requirePrincipal, validate } from './request-context';
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
  offline: OfflineSigningService,
): void {
  onboardingRoutes(app, parts, writes, body);
  recoveryRoutes(app, parts, writes, body);
  keyRotationRoutes(app, parts, writes, body, offline);
  ownKeyRoutes(app, parts, body);
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

/**
 * The bank's part of a locked-out customer's recovery (services/recovery.ts): the identity
 * its guardians will bind, then, once they did, the new admin user's key.
 */
function recoveryRoutes(
  app: Express,
  parts: GatewayParts,
  writes: IdempotentWrites,
  body: readonly RequestHandler[],
): void {
  const bankAdmin = (principal: Principal): Extract<Principal, { kind: 'admin' }> => {
    if (principal.kind !== 'admin')
      throw new HttpError(403, 'FORBIDDEN', "only an admin of the enterprise's bank organisation runs its recovery");
    return principal;
  };
  app.post(
    '/enterprises/:id/recovery/identity',
    ...body,
    handle(async (req, res) => {
      await writes.run(req, res, requirePrincipal(req), { status: 201 }, async (principal) => {
        const enterpriseId = validate(did, req.params.id, 'path.id');
        validate(EMPTY_BODY, req.body, 'body');
        return prepareRecovery(parts, bankAdmin(principal), enterpriseId);
      });
    }),
  );
  app.post(
    '/enterprises/:id/recovery/completion',
    ...body,
    handle(async (req, res) => {
      await writes.run(req, res, requirePrincipal(req), { status: 201, keep: withoutApiKey }, async (principal) => {
        const enterpriseId = validate(did, req.params.id, 'path.id');
        validate(EMPTY_BODY, req.body, 'body');
        return completeRecovery(parts, bankAdmin(principal), enterpriseId);
      });
    }),
  );
}

/** Key rotation: the gateway's own for a key it holds; prepared for the old key to sign for a self-held one. */
function keyRotationRoutes(
  app: Express,
  parts: GatewayParts,
  writes: IdempotentWrites,
  body: readonly RequestHandler[],
  offline: OfflineSigningService,
): void {
  app.post(
    '/me/key-rotations',
    ...body,
    handle(async (req, res) => {
      await writes.run(req, res, requirePrincipal(req), { status: 201 }, async (caller) => {
        const signing = signingPrincipal(caller);
        if (!signing)
          throw new HttpError(
            403,
            'KEY_SELF_HELD',
            'a self-held key signs its own rotation: POST /me/key-rotations/offline {csr}',
          );
        if (signing.kind !== 'enterprise')
          throw new HttpError(403, 'FORBIDDEN', 'only an enterprise rotates its own key');
        const { csr } = validate(KEY_ROTATION_BODY, req.body, 'body');
        return rotateKey(parts, signing, req.get('idempotency-key'), csr);
      });
    }),
  );
  app.post(
    '/me/key-rotations/offline',
    ...body,
    handle(async (req, res) => {
      await writes.run(req, res, requirePrincipal(req), { status: 201 }, async (caller) => {
        if (caller.kind !== 'enterprise' || signingPrincipal(caller))
          throw new HttpError(
            403,
            'FORBIDDEN',
            'only a self-held key signs its own rotation; a key the gateway holds is rotated at /me/key-rotations',
          );
        const { csr } = validate(OFFLINE_KEY_ROTATION_BODY, req.body, 'body');
        return prepareKeyRotation({ ...parts, offline }, caller, csr, req.get('idempotency-key'));
      });
    }),
  );
}

/** A caller withdraws the API key it presents (say, after a leak); it is refused from then on. */
function ownKeyRoutes(app: Express, parts: GatewayParts, body: readonly RequestHandler[]): void {
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
      res.json({ items: await parts.principals.keysOf(requirePrincipal(req).identity) });
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
