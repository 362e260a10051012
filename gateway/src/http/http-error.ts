import { ERROR_CODES, errorCodeOf } from '@scf/chaincode';
import { EndorsementError } from '@scf/chaincode/engine';
import { ContentionError } from '../ledger/embedded/embedded-backend';

/** Codes the gateway itself answers with, beside the chaincode's registry. */
export const GATEWAY_ERRORS = {
  VALIDATION_FAILED: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  AUTHENTICATION_REQUIRED: 401,
  READ_ONLY_CALLER: 403,
  ROUTE_NOT_FOUND: 404,
  IDEMPOTENCY_KEY_IN_FLIGHT: 409,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
} as const;

export type ApiErrorCode = keyof typeof GATEWAY_ERRORS | keyof typeof ERROR_CODES;

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: ApiErrorCode, message: string, readonly field?: string) {
    super(message);
  }
}

/**
 * Maps anything thrown below the HTTP layer to a status and a stable code. Chaincode
 * refusals keep their code and message (written for callers); anything else becomes a
 * bare INTERNAL, so no peer address, stack or path leaks.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ContentionError) return new HttpError(409, 'CONFLICT', error.message);
  if (error instanceof EndorsementError) {
    const code = error.code ?? errorCodeOf(error.message);
    if (code) return new HttpError(ERROR_CODES[code].status, code, error.message.replace(/^\[[A-Z_]+\] /, ''));
  }
  return new HttpError(500, 'INTERNAL', 'the gateway could not complete the request; it has been logged');
}
