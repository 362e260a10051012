import type { z } from 'zod';

/** How the OpenAPI document describes a route (gateway-routes.ts and store-routes.ts list theirs). */

/** Who may call: an API key (Authorization: Bearer or X-API-Key), nobody in particular, or the metrics scraper. */
export type Access = 'apiKey' | 'none' | 'metricsToken';

export interface DocumentedResponse {
  readonly description: string;
  /** The body's schema; a text body is described by its media type alone. */
  readonly schema?: z.ZodType;
  /** The name of its schema among the document's components, when the schema has none yet. */
  readonly name?: string;
  readonly mediaType?: 'application/json' | 'application/x-ndjson' | 'text/plain' | 'text/html' | 'text/event-stream';
  /** A second form of the same answer, text (say, CSV for `format=csv`). */
  readonly alsoAs?: 'text/csv';
  readonly headers?: Readonly<
    Record<string, { readonly description: string; readonly schema: Record<string, unknown> }>
  >;
}

export interface HeaderParameter {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
  readonly schema: Record<string, unknown>;
}

export interface DocumentedRoute {
  readonly method: 'get' | 'post';
  /** Express style: `/certificates/:id`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly access: Access;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly headers?: readonly HeaderParameter[];
  readonly body?: z.ZodType;
  /** Success statuses and what they carry. */
  readonly responses: Readonly<Record<number, DocumentedResponse>>;
  /** Error statuses it can answer, each with the shared error body. */
  readonly errors: readonly number[];
}

/**
 * Statuses any route may answer: a presented API key that is not valid, too many requests,
 * a request line and headers over Node's 16 kB (431, before any route runs), an unexpected failure.
 */
export const ANY = [401, 429, 431, 500];
/** A route open to anyone: it reads no credentials, so only oversized headers or a failure of the gateway itself. */
export const PUBLIC = [431, 500];
/** A request with a body: not JSON or malformed (400), too deep, too large, not read in time, not JSON at all. */
export const WITH_BODY = [400, 408, 413, 415];
/** A call to the ledger: refused input, refused caller, missing object, ledger out of reach. */
export const LEDGER_READ = [400, 401, 403, 404, 429, 431, 500, 503];
/** A write: a read's statuses, a body's, a state or idempotency conflict, a reused key or a limit. */
export const LEDGER_WRITE = [...LEDGER_READ, 408, 409, 413, 415, 422];
export const union = (...sets: number[][]): number[] => [...new Set(sets.flat())].sort((a, b) => a - b);

export const IDEMPOTENCY_KEY: HeaderParameter = {
  name: 'Idempotency-Key',
  required: true,
  schema: { type: 'string', minLength: 1, maxLength: 128 },
  description:
    'one key per intended write: a retry with the same key and body replays the first answer and applies nothing ' +
    'twice; the same key with another body is refused (422)',
};
export const replayHeader = {
  'Idempotent-Replay': {
    description: '"true" when this is the stored answer to an earlier request with the same key',
    schema: { type: 'string', enum: ['true'] },
  },
};
