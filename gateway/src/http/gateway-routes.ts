import { z } from 'zod';
import * as answers from './answers';
import { AFTER, EVENT_ID } from './event-stream';
import {
  did,
  EMPTY_BODY,
  KEY_ROTATION_BODY,
  NEW_USER_BODY,
  OFFLINE_KEY_ROTATION_BODY,
  ONBOARDING_BODY,
  type Operation,
  OPERATIONS,
  USER,
} from './operations';
import {
  ANY,
  type DocumentedRoute,
  IDEMPOTENCY_KEY,
  LEDGER_READ,
  LEDGER_WRITE,
  PUBLIC,
  replayHeader,
  union,
  WITH_BODY,
} from './route-docs';
import { OFFLINE_ROUTES, PreparedOfflineCall } from './offline-routes';
import { STORE_ROUTES } from './store-routes';
import { WEBHOOK_ROUTES } from './webhook-routes';

export type { Access, DocumentedResponse, DocumentedRoute, HeaderParameter } from './route-docs';

/**
 * Every route of the gateway as the OpenAPI document describes it: the ledger operations
 * (OPERATIONS) and the routes app.ts declares itself (onboarding, keys, transactions,
 * events, health, metrics, the document). A route here is documentation only: app.ts
 * serves it; the API suite checks that what it serves matches.
 */

/** Matches app.ts's resume point: `<block>:<txId>` (after that event) or `<block>` (after that block). */
const EVENT_ID_SCHEMA = { type: 'string', pattern: EVENT_ID.source };
const pascal = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1);

/**
 * A ledger operation as the document describes it: a read answers its result; a write
 * answers it committed, or pending.
 */
function fromOperation(operation: Operation): DocumentedRoute {
  const write = operation.mode === 'submit';
  const success = operation.status ?? 200;
  return {
    method: operation.method,
    path: operation.path,
    operationId: operation.operationId,
    summary: operation.summary,
    tag: operation.tag,
    access: 'apiKey',
    params: operation.params,
    query: operation.query,
    body: operation.body,
    headers: write ? [IDEMPOTENCY_KEY] : [],
    responses: write
      ? {
          [success]: {
            description: `committed: the chaincode's answer is \`result\``,
            schema: answers.committed(operation.result),
            name: `${pascal(operation.operationId)}Committed`,
            headers: replayHeader,
          },
          202: {
            description: 'ordered, but its commit was not seen in time',
            schema: answers.Pending,
            headers: { Location: { description: '/transactions/<txId>', schema: { type: 'string' } }, ...replayHeader },
          },
        }
      : {
          200: {
            description: "the chaincode's answer",
            schema: operation.result,
            name: `${pascal(operation.operationId)}Result`,
            ...('csv' in operation && operation.csv ? { alsoAs: 'text/csv' as const } : {}),
          },
        },
    errors: operation.method === 'post' ? union(write ? LEDGER_WRITE : LEDGER_READ, WITH_BODY) : LEDGER_READ,
  };
}

/** The routes app.ts declares beside OPERATIONS. */
export const GATEWAY_ROUTES: readonly DocumentedRoute[] = [
  {
    method: 'post',
    path: '/enterprises',
    operationId: 'onboardEnterprise',
    tag: 'Enterprises',
    access: 'apiKey',
    summary:
      "Onboard an enterprise: register it, enroll its identity at the bank's CA and bind it, " +
      'return its API key (bank admin)',
    description: 'Waits for both transactions to commit, so it never answers 202.',
    body: ONBOARDING_BODY,
    headers: [IDEMPOTENCY_KEY],
    responses: { 201: { description: 'onboarded', schema: answers.Onboarded, headers: replayHeader } },
    errors: LEDGER_WRITE,
  },
  {
    method: 'post',
    path: '/me/key-rotations',
    operationId: 'rotateMyKey',
    tag: 'Identity',
    access: 'apiKey',
    summary:
      "Replace the caller's Fabric identity with a newly enrolled one; " +
      'the old key stops working at once (API keys stay)',
    description:
      "Waits for the rotation to commit, so it never answers 202. With `csr` the new key is the user's own: " +
      'a gateway-held key moves to self-custody. A self-held key is rotated at /me/key-rotations/offline.',
    body: KEY_ROTATION_BODY,
    headers: [IDEMPOTENCY_KEY],
    responses: {
      201: {
        description: 'committed',
        schema: answers.committed(answers.KeyRotated),
        name: 'RotateMyKeyCommitted',
        headers: replayHeader,
      },
    },
    errors: LEDGER_WRITE,
  },
  {
    method: 'post',
    path: '/enterprises/:id/recovery/identity',
    operationId: 'prepareRecovery',
    tag: 'Identity',
    access: 'apiKey',
    summary:
      "A locked-out customer's recovery, step 1 (an admin of the bank that onboarded it): enroll the identity " +
      'its guardians are to bind, kept by this gateway',
    description:
      'Guardians then propose (POST /enterprises/{id}/recovery with the newMspId and newClientId answered here) ' +
      'and approve it, each from its own gateway; nothing changes until M of N approved.',
    params: z.object({ id: did }),
    body: EMPTY_BODY,
    headers: [IDEMPOTENCY_KEY],
    responses: { 201: { description: 'enrolled and kept', schema: answers.RecoveryPrepared, headers: replayHeader } },
    errors: LEDGER_WRITE,
  },
  {
    method: 'post',
    path: '/enterprises/:id/recovery/completion',
    operationId: 'completeRecovery',
    tag: 'Identity',
    access: 'apiKey',
    summary:
      "Step 3, once the guardians completed the recovery on the ledger (its bank's admin): the new admin " +
      "user's API key, and the old identities' keys withdrawn",
    description: 'The key is in the first answer only; a replay of the same Idempotency-Key omits it.',
    params: z.object({ id: did }),
    body: EMPTY_BODY,
    headers: [IDEMPOTENCY_KEY],
    responses: { 201: { description: 'completed', schema: answers.RecoveryCompleted, headers: replayHeader } },
    errors: LEDGER_WRITE,
  },
  {
    method: 'post',
    path: '/me/key-rotations/offline',
    operationId: 'prepareMyKeyRotation',
    tag: 'Offline signing',
    access: 'apiKey',
    summary: "A self-held key's rotation: certify the user's new request and prepare RotateKey for the old key to sign",
    description:
      'Answers the new identity and the prepared `Identity:RotateKey` call; sign it with the old key at ' +
      '`/offline-calls/{id}/proposal-signature` and `/transaction-signature`. When it commits there the API keys ' +
      'act with the new identity (at the latest when the gateway next starts).',
    body: OFFLINE_KEY_ROTATION_BODY,
    headers: [IDEMPOTENCY_KEY],
    responses: {
      201: {
        description: 'prepared for the old key to sign',
        schema: z.object({ rotation: answers.KeyRotated, call: PreparedOfflineCall }),
        name: 'KeyRotationPrepared',
        headers: replayHeader,
      },
    },
    errors: LEDGER_WRITE,
  },
  {
    method: 'post',
    path: '/me/api-key/revocation',
    operationId: 'revokeMyApiKey',
    tag: 'Identity',
    access: 'apiKey',
    summary: 'Withdraw the API key this request presents; it is refused from then on',
    body: EMPTY_BODY,
    responses: { 200: { description: 'revoked', schema: answers.Revoked } },
    errors: union(ANY, WITH_BODY),
  },
  {
    method: 'get',
    path: '/me/api-keys',
    operationId: 'listMyApiKeys',
    tag: 'Users',
    access: 'apiKey',
    summary: "The caller's own API keys, by id (the keys themselves are never stored)",
    responses: { 200: { description: 'its keys', schema: answers.ApiKeys } },
    errors: ANY,
  },
  {
    method: 'post',
    path: '/me/api-keys',
    operationId: 'issueMyApiKey',
    tag: 'Users',
    access: 'apiKey',
    summary: 'Issue the caller another API key for its own identity (shown once)',
    body: EMPTY_BODY,
    responses: { 201: { description: 'issued', schema: answers.ApiKeyIssued } },
    errors: union(ANY, WITH_BODY),
  },
  {
    method: 'post',
    path: '/me/api-keys/:keyId/revocation',
    operationId: 'revokeMyApiKeyById',
    tag: 'Users',
    access: 'apiKey',
    summary: "Withdraw one of the caller's own API keys by its id; the others keep working",
    params: z.object({ keyId: z.string().regex(/^[0-9a-f]{16}$/) }),
    body: EMPTY_BODY,
    responses: { 200: { description: 'revoked', schema: answers.Revoked } },
    errors: union(ANY, WITH_BODY, [404]),
  },
  {
    method: 'post',
    path: '/me/users',
    operationId: 'addUser',
    tag: 'Users',
    access: 'apiKey',
    summary:
      "Add a user to the caller's enterprise (its admin users): enrolled at the bank's CA, bound with its role, " +
      'its first API key returned once',
    description:
      'Waits for the binding to commit, so it never answers 202. With `csr` the user keeps its key itself: ' +
      "the bank's CA certifies the request's key, the gateway keeps the certificate only, and the user calls " +
      'the ledger through the offline signing flow (`/offline-calls`).',
    body: NEW_USER_BODY,
    headers: [IDEMPOTENCY_KEY],
    responses: { 201: { description: 'added', schema: answers.UserAdded, headers: replayHeader } },
    errors: LEDGER_WRITE,
  },
  {
    method: 'post',
    path: '/me/users/api-keys',
    operationId: 'issueUserApiKey',
    tag: 'Users',
    access: 'apiKey',
    summary: "Give a user of the caller's enterprise a new API key, say after it revoked its own (its admin users)",
    body: USER,
    headers: [IDEMPOTENCY_KEY],
    responses: { 201: { description: 'issued', schema: answers.ApiKeyIssued, headers: replayHeader } },
    errors: LEDGER_WRITE,
  },
  {
    method: 'get',
    path: '/transactions/:txId',
    operationId: 'getTransaction',
    tag: 'Audit',
    access: 'apiKey',
    summary: 'A committed transaction: block number, validation code, timestamp, endorsing organisations',
    description:
      'Read as its event is: by auditors and regulators, by its signer, and by the enterprises its event has ' +
      'records for under the read table (a consortium admin: registry transactions); anyone else 403 FORBIDDEN.',
    params: z.object({
      txId: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .describe('transaction id: lowercase hex SHA-256'),
    }),
    responses: { 200: { description: 'the transaction', schema: answers.TransactionRecord } },
    errors: union(ANY, [400, 403, 404, 503]),
  },
  {
    method: 'get',
    path: '/events',
    operationId: 'streamEvents',
    tag: 'Audit',
    access: 'apiKey',
    summary: 'Server-sent events the caller may see; resume with Last-Event-ID (<block>:<txId>)',
    description:
      'Each event is `id: <block>:<txId>`, `event: <type>` (ReceivableIssued, TransferOffered, …) ' +
      'and `data: <JSON payload>`. Auditors and regulators receive every event whole; an enterprise its ' +
      'projection of each event: only the records the read table lets it read (`parties` names only the ' +
      'caller), and no event where none remains unless a registry record concerns it; a bank admin the ' +
      'registry records (enterprises, identities, credentials, recoveries, consortium) and governance proposals. ' +
      'The gateway adds reminders for the enterprise they are for, without an `id` (they are not ledger ' +
      'positions): `event: ReceivableDueSoon` (a configured lead before the due date) and ' +
      '`event: ReceivableOverdue`, `data: {type, to, receivableId, dueDate, outstandingAmount, daysBefore, at}`.',
    query: z.object({
      after: z
        .string()
        .regex(AFTER)
        .optional()
        .describe(
          'where to resume, when Last-Event-ID is not sent: an event id, a block, or `now` (no replay: only events ' +
            'committed from now on; the stream starts with `id: <block>` and no data, the point to resume from)',
        ),
    }),
    headers: [
      {
        name: 'Last-Event-ID',
        required: false,
        description:
          'resume after this event (<block>:<txId>) or after this block (<block>); -1 or none: from the start',
        schema: EVENT_ID_SCHEMA,
      },
    ],
    responses: { 200: { description: 'an endless stream of events', mediaType: 'text/event-stream' } },
    errors: union(ANY, [400, 503]),
  },
  {
    method: 'get',
    path: '/healthz',
    operationId: 'getHealth',
    tag: 'Operations',
    access: 'none',
    summary: 'The gateway process is up',
    responses: { 200: { description: 'up', schema: answers.Health } },
    errors: PUBLIC,
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    tag: 'Operations',
    access: 'none',
    summary: 'The ledger answers: ready to serve',
    responses: {
      200: { description: 'ready', schema: answers.Readiness },
      503: { description: 'the ledger does not answer', schema: answers.Readiness },
    },
    errors: PUBLIC,
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    tag: 'Operations',
    access: 'metricsToken',
    summary: 'Prometheus metrics',
    description:
      'Protected by the metrics token (SCF_METRICS_TOKEN), sent as `Authorization: Bearer <metrics token>`, ' +
      'not by an API key; 404 when no token is configured (metrics off).',
    responses: { 200: { description: 'Prometheus text exposition format', mediaType: 'text/plain' } },
    errors: [401, 404, 500],
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'Operations',
    access: 'none',
    summary: 'This document',
    responses: {
      200: {
        description: 'the OpenAPI 3.1 document',
        schema: z.looseObject({ openapi: z.literal('3.1.0') }),
        name: 'OpenApiDocument',
      },
    },
    errors: PUBLIC,
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'getDocs',
    tag: 'Operations',
    access: 'none',
    summary: 'A browsable page of the operations',
    responses: { 200: { description: 'HTML', mediaType: 'text/html' } },
    errors: PUBLIC,
  },
];

/** Every route the document describes, ledger operations first. */
export function documentedRoutes(): readonly DocumentedRoute[] {
  return [
    ...OPERATIONS.map(fromOperation),
    ...GATEWAY_ROUTES,
    ...STORE_ROUTES.map((route) => route.doc),
    ...WEBHOOK_ROUTES,
    ...OFFLINE_ROUTES,
  ];
}
