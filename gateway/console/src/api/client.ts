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
 */
export class ApiClient {
  constructor(private readonly apiKey: string) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.apiKey}`, accept: 'application/json', ...extra };
  }

  async get<T>(path: string): Promise<T> {
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
