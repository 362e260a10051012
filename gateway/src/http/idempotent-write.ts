import { createHash } from 'crypto';
import type { Request, Response } from 'express';
import type { Principal } from '../identity/principals';
import type { LedgerBackend, SubmitHooks } from '../ledger/ledger-backend';
import { CommitPending, OrderingUncertain } from '../ledger/ledger-errors';
import { HttpError } from './http-error';
import type { IdempotencyClaim, IdempotencyRecords, PendingTransaction } from '../store/idempotency-records';

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
  /**
   * The write changes the gateway's own state only (a webhook subscription), never the
   * ledger, so a read-only caller (an auditor) may make it.
   */
  readonly offLedger?: true;
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

/** An answer decided while the key was held, sent once the key is released (so a retry right after it replays). */
interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly replay?: boolean;
  readonly location?: string;
}

const pending202 = (txId: string, replay: boolean): Answer => ({
  status: 202,
  body: pendingAnswer(txId),
  replay,
  location: `/transactions/${txId}`,
});

const inFlight = (): HttpError =>
  new HttpError(
    409,
    'IDEMPOTENCY_KEY_IN_FLIGHT',
    'a request with this Idempotency-Key is still being processed; retry shortly',
  );

export function fingerprintOf(method: string, route: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${route} ${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

/**
 * Runs writes once per caller and Idempotency-Key. A key is claimed before anything else
 * happens, so duplicates sent together get 409 `IDEMPOTENCY_KEY_IN_FLIGHT` and never build
 * a transaction of their own; retries after the answer replay it, and the same key with
 * another request is 422. A single-transaction write notes its transaction id when
 * endorsed, before ordering, so even a crash of the gateway cannot make a retry build a
 * second transaction.
 */
export class IdempotentWrites {
  constructor(
    private readonly records: IdempotencyRecords,
    private readonly backend: LedgerBackend,
  ) {}

  async run(req: Request, res: Response, principal: Principal, options: WriteOptions, work: WriteWork): Promise<void> {
    if (!options.offLedger && principal.kind === 'enterprise' && principal.roles.every((r) => READ_ONLY_ROLES.has(r))) {
      throw new HttpError(403, 'READ_ONLY_CALLER', 'auditors read only');
    }
    const key = idempotencyKey(req);
    const fingerprint = fingerprintOf(req.method, req.originalUrl, req.body);
    const claim = await this.records.claim(scopeOf(principal), key);
    if (!claim) throw inFlight();
    let answer: Answer;
    try {
      answer = await this.answer(claim, fingerprint, principal, options, work);
    } finally {
      await claim.release();
    }
    if (answer.location) res.location(answer.location);
    if (answer.replay) res.set('Idempotent-Replay', 'true');
    res.status(answer.status).json(answer.body);
  }

  private async answer(
    claim: IdempotencyClaim,
    fingerprint: string,
    principal: Principal,
    options: WriteOptions,
    work: WriteWork,
  ): Promise<Answer> {
    const { stored } = claim;
    if (stored && stored.fingerprint !== fingerprint) {
      throw new HttpError(
        422,
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key was used for a different request; use a new key',
      );
    }
    if (stored && !('pending' in stored)) return { status: stored.status, body: stored.body, replay: true };
    const settled = stored ? await this.settlePending(claim, fingerprint, stored.pending) : undefined;
    return settled ?? this.runFresh(claim, fingerprint, principal, options, work);
  }

  private async runFresh(
    claim: IdempotencyClaim,
    fingerprint: string,
    principal: Principal,
    options: WriteOptions,
    work: WriteWork,
  ): Promise<Answer> {
    const hooks: SubmitHooks = {
      onEndorsed: (txId, result) =>
        claim.save({ fingerprint, pending: { txId, status: options.status, result, since: Date.now() } }),
    };
    let body: unknown;
    try {
      body = await work(principal, hooks);
    } catch (error) {
      if (error instanceof CommitPending) {
        await claim.save({
          fingerprint,
          pending: { txId: error.txId, status: options.status, result: error.result, since: Date.now() },
        });
        return pending202(error.txId, false);
      }
      // Refused before ordering (or invalidated): nothing changed, so the key is free again. When some
      // orderers may have taken it, the transaction noted at endorsement stays: a retry looks it up.
      if (!(error instanceof OrderingUncertain)) await claim.forget();
      throw error;
    }
    await claim.save({ fingerprint, status: options.status, body: options.keep ? options.keep(body) : body });
    return { status: options.status, body };
  }

  /**
   * Answers a retried request whose transaction was pending: by looking the transaction
   * up, never by building it again while it may still commit. Returns undefined when that
   * transaction can no longer change anything (invalidated, or never ordered because the
   * gateway stopped between endorsing and ordering it): the request may then run.
   */
  private async settlePending(
    claim: IdempotencyClaim,
    fingerprint: string,
    pending: PendingTransaction,
  ): Promise<Answer | undefined> {
    const record = await this.backend.transaction(pending.txId);
    if (!record && Date.now() - pending.since < this.backend.orphanAfterMs) return pending202(pending.txId, true);
    if (!record || !record.valid) {
      // Never ordered, or invalidated (say, a lost MVCC race): nothing changed, so the request runs afresh.
      await claim.forget();
      return undefined;
    }
    const body = { txId: record.txId, blockNumber: record.blockNumber, result: pending.result, attempts: 1 };
    await claim.save({ fingerprint, status: pending.status, body });
    return { status: pending.status, body, replay: true };
  }
}
