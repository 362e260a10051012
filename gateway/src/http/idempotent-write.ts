import type { Request, Response } from 'express';
import type { Principal } from '../identity/principals';
import type { LedgerBackend, SubmitHooks } from '../ledger/ledger-backend';
import { CommitPending, OrderingUncertain } from '../ledger/ledger-errors';
import { HttpError } from './http-error';
import { IdempotencyStore, type PendingTransaction } from './idempotency';

const READ_ONLY_ROLES = new Set(['AUDITOR']);
const MAX_KEY_LENGTH = 128;

export interface WriteOptions {
  /** The status of a fresh success. */
  readonly status: number;
  /**
   * What of the answer may be kept for replays: an answer that carries a secret (a new API
   * key) is stored and replayed without it, so no record ever holds one.
   */
  readonly keep?: (body: unknown) => unknown;
}

export type WriteWork = (principal: Principal, hooks: SubmitHooks) => Promise<unknown>;

const scopeOf = (p: Principal): string => (p.kind === 'enterprise' ? p.enterpriseId : `admin:${p.mspId}`);

const pendingAnswer = (txId: string): Record<string, string> => ({
  status: 'PENDING',
  txId,
  transaction: `/transactions/${txId}`,
  message:
    'submitted; its commit was not confirmed in time. ' +
    'Repeat this request with the same Idempotency-Key, or GET the transaction, to learn the outcome',
});

function idempotencyKey(req: Request): string {
  const key = req.get('idempotency-key');
  if (!key || key.length > MAX_KEY_LENGTH) {
    throw new HttpError(
      400,
      'IDEMPOTENCY_KEY_REQUIRED',
      `every write needs an Idempotency-Key header (at most ${MAX_KEY_LENGTH} characters)`,
    );
  }
  return key;
}

/**
 * Runs writes once per caller and Idempotency-Key. A key is claimed before anything else
 * happens, so duplicates sent together get 409 `IDEMPOTENCY_KEY_IN_FLIGHT` and never build
 * a transaction of their own; retries after the answer replay it. A single-transaction
 * write notes its transaction id when endorsed, before ordering, so even a crash of the
 * gateway cannot make a retry build a second transaction.
 */
export class IdempotentWrites {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly backend: LedgerBackend,
  ) {}

  async run(req: Request, res: Response, principal: Principal, options: WriteOptions, work: WriteWork): Promise<void> {
    if (principal.kind === 'enterprise' && principal.roles.every((r) => READ_ONLY_ROLES.has(r))) {
      throw new HttpError(403, 'READ_ONLY_CALLER', 'auditors read only');
    }
    const key = idempotencyKey(req);
    const scope = scopeOf(principal);
    const fingerprint = IdempotencyStore.fingerprint(req.method, req.originalUrl, req.body);
    const stored = await this.store.claim(scope, key, fingerprint);
    try {
      if (stored && 'pending' in stored && (await this.settlePending(scope, key, fingerprint, stored.pending, res)))
        return;
      if (stored && !('pending' in stored)) {
        res.status(stored.status).set('Idempotent-Replay', 'true').json(stored.body);
        return;
      }
      await this.runFresh(res, principal, { scope, key, fingerprint }, options, work);
    } finally {
      this.store.release(scope, key);
    }
  }

  private async runFresh(
    res: Response,
    principal: Principal,
    id: { scope: string; key: string; fingerprint: string },
    options: WriteOptions,
    work: WriteWork,
  ): Promise<void> {
    const { scope, key, fingerprint } = id;
    const hooks: SubmitHooks = {
      onEndorsed: (txId, result) =>
        this.store.note(scope, key, {
          fingerprint,
          pending: { txId, status: options.status, result, since: Date.now() },
        }),
    };
    let body: unknown;
    try {
      body = await work(principal, hooks);
    } catch (error) {
      if (error instanceof CommitPending) {
        await this.store.complete(scope, key, {
          fingerprint,
          pending: { txId: error.txId, status: options.status, result: error.result, since: Date.now() },
        });
        res.status(202).location(`/transactions/${error.txId}`).json(pendingAnswer(error.txId));
        return;
      }
      // Refused before ordering (or invalidated): nothing changed, so the key is free again. When some
      // orderers may have taken it, the transaction noted at endorsement stays: a retry looks it up.
      if (!(error instanceof OrderingUncertain)) await this.store.forget(scope, key);
      throw error;
    }
    await this.store.complete(scope, key, {
      fingerprint,
      status: options.status,
      body: options.keep ? options.keep(body) : body,
    });
    res.status(options.status).json(body);
  }

  /**
   * Answers a retried request whose transaction was pending: by looking the transaction
   * up, never by building it again while it may still commit. Returns false when that
   * transaction can no longer change anything (invalidated, or never ordered because the
   * gateway stopped between endorsing and ordering it): the request may then run.
   */
  private async settlePending(
    scope: string,
    key: string,
    fingerprint: string,
    pending: PendingTransaction,
    res: Response,
  ): Promise<boolean> {
    const record = await this.backend.transaction(pending.txId);
    if (!record && Date.now() - pending.since < this.backend.orphanAfterMs) {
      res
        .status(202)
        .location(`/transactions/${pending.txId}`)
        .set('Idempotent-Replay', 'true')
        .json(pendingAnswer(pending.txId));
      return true;
    }
    if (!record || !record.valid) {
      // Never ordered, or invalidated (say, a lost MVCC race): nothing changed, so the request runs afresh.
      await this.store.forget(scope, key);
      return false;
    }
    const body = { txId: record.txId, blockNumber: record.blockNumber, result: pending.result, attempts: 1 };
    await this.store.complete(scope, key, { fingerprint, status: pending.status, body });
    res.status(pending.status).set('Idempotent-Replay', 'true').json(body);
    return true;
  }
}
