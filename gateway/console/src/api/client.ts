import {
  type ChaincodeCall,
  type OfflineSigner,
  offlineCallFor,
  type Prepared,
  type ProposalSigned,
} from './offline-calls';
import type { ToSign } from './self-held-key';
import type { WriteOutcome } from './types';

/** An answer the gateway refused, with its stable code (the gateway's and the chaincode's registries). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth sending again with the same Idempotency-Key: nothing was applied, or it may still be. */
  get retryable(): boolean {
    return (
      this.status === 0 || this.status >= 500 || this.code === 'IDEMPOTENCY_KEY_IN_FLIGHT' || this.code === 'CONFLICT'
    );
  }
}

/**
 * The REST API as the console calls it: the same routes, headers and idempotency keys as
 * any client. The API key is held by this object in memory only (never a URL, never storage).
 * With a self-held user's `signer`, the routes it may take go through the offline flow
 * (POST /offline-calls and its two signature steps) signed by the user's own key.
 */
export class ApiClient {
  constructor(
    private readonly apiKey: string,
    private readonly signer?: OfflineSigner,
  ) {}

  /**
   * The signature sent with each offline step's Idempotency-Key, until its action is done:
   * WebCrypto's ECDSA is randomised, and a retry must send the very same body, or the gateway
   * answers 422 IDEMPOTENCY_KEY_REUSED instead of replaying or resuming the step.
   */
  private readonly signatures = new Map<string, string>();

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.apiKey}`, accept: 'application/json', ...extra };
  }

  async get<T>(path: string): Promise<T> {
    const call = this.signer && offlineCallFor('GET', path);
    if (call) {
      const outcome = await this.offline(call, crypto.randomUUID());
      // A read (evaluate mode) is answered at the proposal step, never pending.
      if (outcome.status !== 'pending') return outcome.result as T;
    }
    return this.answer<T>(await this.send(path, { headers: this.headers() }));
  }

  /** A read that takes a body (POST /financings/quote): no idempotency key, nothing is written. */
  async read<T>(path: string, body: unknown): Promise<T> {
    const init = {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify(body),
    };
    return this.answer<T>(await this.send(path, init));
  }

  /** A write: `idempotencyKey` is one user action's, reused when that action is retried. */
  async write<T>(path: string, body: unknown, idempotencyKey: string): Promise<WriteOutcome<T>> {
    const call = this.signer && offlineCallFor('POST', path, body);
    if (call) return (await this.offline(call, idempotencyKey)) as WriteOutcome<T>;
    const headers = this.headers({ 'content-type': 'application/json', 'idempotency-key': idempotencyKey });
    const answer = await this.answer<{ status?: string; txId: string; result?: T }>(
      await this.send(path, { method: 'POST', headers, body: JSON.stringify(body) }),
    );
    if (answer.status === 'PENDING') return { status: 'pending', txId: answer.txId };
    return { status: 'committed', txId: answer.txId, result: answer.result as T };
  }

  /** A write the gateway answers with its own shape (POST /me/users, /me/api-keys, /enterprises). */
  async post<T>(path: string, body: unknown, idempotencyKey: string): Promise<WriteOutcome<T>> {
    const headers = this.headers({ 'content-type': 'application/json', 'idempotency-key': idempotencyKey });
    const result = await this.answer<T>(await this.send(path, { method: 'POST', headers, body: JSON.stringify(body) }));
    return { status: 'answered', result };
  }

  /** A file the API answers (a statement as CSV, an export as CSV or JSON Lines), as a Blob to save. */
  async download(path: string, accept = 'text/csv'): Promise<Blob> {
    const response = await this.send(path, { headers: this.headers({ accept }) });
    if (!response.ok) return this.answer<never>(response);
    return response.blob();
  }

  /** The raw answer, for a stream (GET /events) or a file (CSV exports). */
  stream(path: string, signal: AbortSignal, extra: Record<string, string> = {}): Promise<Response> {
    return this.send(path, { headers: this.headers(extra), signal });
  }

  /**
   * The offline flow, each step's Idempotency-Key derived from the action's (as `scf-sign
   * submit --request-key` does). A write's transaction is signed only once the person agreed
   * to the call and the result the chaincode endorsed.
   */
  private async offline(call: ChaincodeCall, actionKey: string): Promise<WriteOutcome<unknown>> {
    const signer = this.signer!;
    const post = async <A>(path: string, name: string, body: unknown): Promise<A> => {
      const headers = this.headers({ 'content-type': 'application/json', 'idempotency-key': `${actionKey}:${name}` });
      return this.answer<A>(await this.send(path, { method: 'POST', headers, body: JSON.stringify(body) }));
    };
    const signStep = async <A>(id: string, name: 'proposal' | 'transaction', toSign: ToSign): Promise<A> => {
      const key = `${actionKey}:${name}`;
      const signature = this.signatures.get(key) ?? (await signer.key.sign(toSign));
      this.signatures.set(key, signature);
      return post<A>(`/offline-calls/${seg(id)}/${name}-signature`, name, { signature });
    };
    const prepared = await post<Prepared>('/offline-calls', 'prepare', call);
    const signed = await signStep<ProposalSigned>(prepared.id, 'proposal', prepared.proposal);
    if (signed.mode === 'evaluate') return this.done(actionKey, { status: 'answered', result: signed.result });
    if (!(await signer.confirm({ ...call, result: signed.result })))
      throw new ApiError(0, 'SIGNING_DECLINED', 'you declined to sign this transaction; nothing was written');
    const answer = await signStep<{ status?: string; txId: string; result?: unknown }>(
      prepared.id,
      'transaction',
      signed.transaction,
    );
    if (answer.status === 'PENDING') return this.done(actionKey, { status: 'pending', txId: answer.txId });
    return this.done(actionKey, { status: 'committed', txId: answer.txId, result: answer.result });
  }

  private done<O>(actionKey: string, outcome: O): O {
    this.signatures.delete(`${actionKey}:proposal`);
    this.signatures.delete(`${actionKey}:transaction`);
    return outcome;
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(path, { ...init, credentials: 'omit', cache: 'no-store' });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, 'NETWORK', 'the gateway could not be reached; check the connection and retry');
    }
  }

  private async answer<T>(response: Response): Promise<T> {
    const text = await response.text();
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    if (response.ok) return body as T;
    const error = (body as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'INTERNAL', error?.message ?? response.statusText, error?.field);
  }
}

/** Path segments are ids from the ledger or the user: always encoded. */
export const seg = (value: string): string => encodeURIComponent(value);
