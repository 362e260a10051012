import { TRANSACTION_NAMES } from '@scf/chaincode';
import type { Express, RequestHandler } from 'express';
import { z } from 'zod';
import { type OfflineSigningService, PREPARED_TTL_MS } from '../services/offline-signing';
import * as answers from './answers';
import type { IdempotentWrites } from './idempotent-write';
import { handle, requirePrincipal, validate } from './request-context';
import { type DocumentedRoute, IDEMPOTENCY_KEY, LEDGER_WRITE, replayHeader } from './route-docs';

/**
 * The offline signing flow over REST, the same on both backends: prepare a call, sign the
 * proposal's digest, sign the transaction's digest. For users who keep their keys themselves
 * (and anyone whose key the gateway does not hold); `scf-sign submit` runs all three.
 */

/**
 * Every transaction but a key rotation: RotateKey here would bind a key the gateway never
 * certified and leave the caller's API keys on the retired one (self-held rotation is not offered yet).
 */
const OFFLINE_TRANSACTIONS = TRANSACTION_NAMES.filter((name) => name !== 'Identity:RotateKey');

const CALL_BODY = z
  .object({
    transaction: z.enum(OFFLINE_TRANSACTIONS as [string, ...string[]]).describe('`Contract:Transaction`'),
    args: z.array(z.string().max(4096)).max(12).describe("the transaction's arguments, as the chaincode takes them"),
    transient: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,40}$/), z.string().max(16_384))
      .optional()
      .describe('transient data (private values, as UTF-8 text): part of the signed proposal, never of the ledger'),
  })
  .strict();
const SIGNATURE_BODY = z
  .object({
    signature: z
      .string()
      .regex(/^[A-Za-z0-9+/_-]{8,400}={0,2}$/)
      .describe("base64 of the ECDSA signature (DER, low-S) over the step's digest, by the caller's own key"),
  })
  .strict();
const byId = z.object({ id: z.string().regex(/^off_[0-9a-f]{32}$/) }).strict();

const ToSign = z.object({
  digest: z.string().describe('hex SHA-256 of `message`: what to sign'),
  message: z
    .string()
    .describe(
      'base64 of the bytes a peer verifies the signature over: the Fabric Proposal (or transaction Payload) ' +
        'protobuf on Fabric, canonical JSON on the embedded ledger; decode it to see what is signed',
    ),
});
export const PreparedOfflineCall = z.object({
  id: z.string(),
  txId: z.string(),
  mode: z.enum(['evaluate', 'submit']).describe('evaluate: a read (one signature); submit: a write (two)'),
  proposal: ToSign,
  expiresAt: z.string().describe(`when the prepared call is forgotten (${PREPARED_TTL_MS / 1000} s)`),
});
const ProposalSigned = z.union([
  z.object({ id: z.string(), txId: z.string(), mode: z.literal('evaluate'), result: z.unknown() }),
  z.object({
    id: z.string(),
    txId: z.string(),
    mode: z.literal('submit'),
    result: z.unknown().describe("the chaincode's answer if the transaction commits: what the signer commits to"),
    transaction: ToSign,
    expiresAt: z.string(),
  }),
]);

const signatureOf = (body: unknown): Uint8Array =>
  Buffer.from(validate(SIGNATURE_BODY, body, 'body').signature, 'base64');

/** The three steps; each is a write with an Idempotency-Key, whose replay answers the first answer again. */
export function offlineRoutes(
  app: Express,
  offline: OfflineSigningService,
  writes: IdempotentWrites,
  body: readonly RequestHandler[],
): void {
  app.post(
    '/offline-calls',
    ...body,
    handle(async (req, res) => {
      await writes.run(req, res, requirePrincipal(req), { status: 201 }, (principal) =>
        offline.prepare(principal, validate(CALL_BODY, req.body, 'body')),
      );
    }),
  );
  app.post(
    '/offline-calls/:id/proposal-signature',
    ...body,
    handle(async (req, res) => {
      await writes.run(req, res, requirePrincipal(req), { status: 200 }, (principal) =>
        offline.signProposal(principal, validate(byId, req.params, 'path').id, signatureOf(req.body)),
      );
    }),
  );
  app.post(
    '/offline-calls/:id/transaction-signature',
    ...body,
    handle(async (req, res) => {
      await writes.run(req, res, requirePrincipal(req), { status: 200 }, (principal, hooks) =>
        offline.signTransaction(principal, validate(byId, req.params, 'path').id, signatureOf(req.body), hooks),
      );
    }),
  );
}

const tag = 'Offline signing';
const STEP_ERRORS = LEDGER_WRITE;

export const OFFLINE_ROUTES: readonly DocumentedRoute[] = [
  {
    method: 'post',
    path: '/offline-calls',
    operationId: 'prepareOfflineCall',
    tag,
    access: 'apiKey',
    summary: 'Step 1 of 3: prepare a chaincode call for the caller to sign with its own key (self-held keys)',
    description:
      "Builds the call's proposal with the caller's certificate (`@hyperledger/fabric-gateway`'s offline flow) " +
      'and answers its digest. Sign it (ECDSA P-256, DER, low-S; `scf-sign sign <digest>`) and POST the ' +
      'signature to `/offline-calls/{id}/proposal-signature`. A self-held key is refused by every other ' +
      "ledger route (403 KEY_SELF_HELD). Prepared calls live in the gateway's memory until `expiresAt`.",
    body: CALL_BODY,
    headers: [IDEMPOTENCY_KEY],
    responses: {
      201: { description: 'prepared', schema: PreparedOfflineCall, name: 'OfflineCallPrepared', headers: replayHeader },
    },
    errors: STEP_ERRORS,
  },
  {
    method: 'post',
    path: '/offline-calls/:id/proposal-signature',
    operationId: 'signOfflineProposal',
    tag,
    access: 'apiKey',
    summary: "Step 2 of 3: the proposal's signature; a read answers its result, a write is endorsed",
    description:
      "The signature is checked against the caller's certificate first (400 SIGNATURE_INVALID: another key, " +
      'another digest, high-S). A read (`mode: evaluate`) is answered here. A write is endorsed by the peers ' +
      "and answered with the chaincode's result and the transaction to sign next. A step signed twice is " +
      '409 OFFLINE_STEP_DONE, an unknown call 404 OFFLINE_CALL_NOT_FOUND, an expired one 409 OFFLINE_CALL_EXPIRED.',
    params: byId,
    body: SIGNATURE_BODY,
    headers: [IDEMPOTENCY_KEY],
    responses: {
      200: {
        description: 'evaluated or endorsed',
        schema: ProposalSigned,
        name: 'OfflineProposalSigned',
        headers: replayHeader,
      },
    },
    errors: STEP_ERRORS,
  },
  {
    method: 'post',
    path: '/offline-calls/:id/transaction-signature',
    operationId: 'signOfflineTransaction',
    tag,
    access: 'apiKey',
    summary: "Step 3 of 3: the transaction's signature; the gateway orders it and answers it committed",
    description:
      "On Fabric the commit status request is the gateway's own (it asks after the transaction id and needs no " +
      'authority over it), so the caller signs twice in all. A commit not seen in time is 202, as for any write.',
    params: byId,
    body: SIGNATURE_BODY,
    headers: [IDEMPOTENCY_KEY],
    responses: {
      200: {
        description: 'committed',
        schema: answers.committed(z.unknown()),
        name: 'OfflineTransactionCommitted',
        headers: replayHeader,
      },
      202: {
        description: 'ordered, but its commit was not seen in time',
        schema: answers.Pending,
        headers: { Location: { description: '/transactions/<txId>', schema: { type: 'string' } }, ...replayHeader },
      },
    },
    errors: STEP_ERRORS,
  },
];
