import { ERROR_CODES } from '@scf/chaincode';
import { FabricCaUnreachable } from '../identity/fabric-ca-client';
import { SignatureRefused } from '@scf/chaincode/engine';
import { OfflineRefusal } from '../services/offline-signing';
import { ChaincodeRefusal, ContentionError, LedgerUnavailable, TransactionInvalidated } from '../ledger/ledger-errors';

/** Codes the gateway itself answers with, beside the chaincode's registry. */
export const GATEWAY_ERRORS = {
  VALIDATION_FAILED: 400,
  SIGNATURE_INVALID: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  MALFORMED_PATH: 400,
  BODY_TOO_DEEP: 400,
  BODY_NOT_DECODABLE: 400,
  MALFORMED_REQUEST: 400,
  AUTHENTICATION_REQUIRED: 401,
  READ_ONLY_CALLER: 403,
  KEY_SELF_HELD: 403,
  ROUTE_NOT_FOUND: 404,
  STORE_OFF: 404,
  OFFLINE_CALL_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  IDEMPOTENCY_KEY_IN_FLIGHT: 409,
  CONFLICT: 409,
  TRANSACTION_INVALIDATED: 409,
  OFFLINE_CALL_EXPIRED: 409,
  OFFLINE_STEP_DONE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNSUPPORTED_ENCODING: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  TOO_MANY_REQUESTS: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  LEDGER_UNAVAILABLE: 503,
  CA_UNAVAILABLE: 503,
} as const;

/** Every code the API answers with and its HTTP status: the gateway's own and the chaincode's. */
export const API_ERRORS: Readonly<Record<ApiErrorCode, { readonly status: number; readonly summary?: string }>> = {
  ...(Object.fromEntries(Object.entries(GATEWAY_ERRORS).map(([code, status]) => [code, { status }])) as Record<
    keyof typeof GATEWAY_ERRORS,
    { status: number }
  >),
  ...ERROR_CODES,
};

export type ApiErrorCode = keyof typeof GATEWAY_ERRORS | keyof typeof ERROR_CODES;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * Maps anything thrown below the HTTP layer to a status and a stable code. Chaincode
 * refusals keep their code and message (written for callers); anything else becomes a
 * bare INTERNAL, so no peer address, stack or path leaks.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof OfflineRefusal) return new HttpError(GATEWAY_ERRORS[error.code], error.code, error.message);
  // The embedded ledger's own check of a signature the gateway's check let through (it should not happen).
  if (error instanceof SignatureRefused) return new HttpError(400, 'SIGNATURE_INVALID', error.message);
  if (error instanceof ContentionError) return new HttpError(409, 'CONFLICT', error.message);
  if (error instanceof ChaincodeRefusal)
    return new HttpError(ERROR_CODES[error.code].status, error.code, error.message);
  if (error instanceof TransactionInvalidated)
    return new HttpError(409, 'TRANSACTION_INVALIDATED', `${error.message}; retry the request`);
  if (error instanceof LedgerUnavailable) {
    return new HttpError(
      503,
      'LEDGER_UNAVAILABLE',
      'the ledger cannot reach enough peers or orderers right now; ' +
        'nothing was applied, retry with the same Idempotency-Key',
    );
  }
  // A CA that cannot be reached or did not answer is an outage to wait out, not a fault of
  // the gateway: onboarding and key rotation resume where they stopped when retried.
  if (error instanceof FabricCaUnreachable) {
    return new HttpError(
      503,
      'CA_UNAVAILABLE',
      "the bank's Fabric CA cannot be reached right now; retry with the same Idempotency-Key",
    );
  }
  return new HttpError(500, 'INTERNAL', 'the gateway could not complete the request; it has been logged');
}
