/**
 * Every refusal the chaincode can give, with a stable machine-readable code.
 * The code travels to clients as the message prefix `[CODE]` (the only part of a
 * chaincode error Fabric returns), so callers branch on the code, never on text.
 */
export const ERROR_CODES = {
  INVALID_ARGUMENT: { status: 400, summary: 'An argument is missing, malformed or out of range.' },
  UNAUTHENTICATED: {
    status: 401,
    summary:
      'The signer is neither bound to a registered enterprise nor an organisation admin: ' +
      'the chaincode cannot tell who it is.',
  },
  FORBIDDEN: { status: 403, summary: 'The signer may not perform this transaction.' },
  ENTERPRISE_SUSPENDED: { status: 403, summary: "The signer's enterprise is suspended." },
  ENTERPRISE_DEACTIVATED: { status: 403, summary: "The signer's enterprise is deactivated (注销) for good." },
  CREDENTIAL_REQUIRED: {
    status: 403,
    summary: "The consortium requires the signer's enterprise to hold a valid credential of a type it lacks.",
  },
  BANK_SUSPENDED: {
    status: 403,
    summary:
      "The consortium suspended the bank organisation that onboarded the enterprise (or the admin's own) " +
      'from new business.',
  },
  BANK_LEFT: {
    status: 403,
    summary:
      "The bank organisation that onboarded the enterprise (or the counterparty's) has left the consortium: " +
      'what it had runs off, it takes no new business.',
  },
  FOUR_EYES_REQUIRED: {
    status: 409,
    summary:
      "The enterprise's four-eyes policy needs a second user for this call: propose it (Instruction:Propose) " +
      'and a checker approves it.',
  },
  INSTRUCTION_EXPIRED: {
    status: 409,
    summary: 'The instruction expired before a checker decided it: propose it again.',
  },
  INSTRUCTION_CHANGED: {
    status: 409,
    summary: 'What the checker approves is not what the maker proposed (arguments or transient data differ).',
  },
  NOT_FOUND: { status: 404, summary: 'The named object does not exist.' },
  ALREADY_EXISTS: { status: 409, summary: 'An object with this id or key already exists.' },
  INVOICE_ALREADY_USED: { status: 409, summary: 'The invoice already backs a receivable (no double financing).' },
  INVALID_STATE: { status: 409, summary: 'The object is not in a state that allows this transaction.' },
  OFFER_EXPIRED: { status: 409, summary: 'The transfer offer has expired and went back to the holder.' },
  QUOTE_EXPIRED: {
    status: 409,
    summary: 'The quote request expired before this quote or acceptance: the holder asks again.',
  },
  PROPOSAL_EXPIRED: { status: 409, summary: 'The governance proposal expired before enough banks approved it.' },
  RECOVERY_EXPIRED: {
    status: 409,
    summary: 'The lost-key recovery expired before enough guardians approved it: a guardian proposes a new one.',
  },
  FROZEN: { status: 409, summary: 'A regulator froze the certificate or receivable: nothing under it moves.' },
  CREDIT_LIMIT_EXCEEDED: {
    status: 409,
    summary: 'The credit line has too little available limit, or is frozen or expired.',
  },
  TERMS_ELSEWHERE: {
    status: 409,
    summary: "Private terms are kept by the deciding bank's peers only: this peer neither holds nor computes them.",
  },
  TERMS_MISMATCH: {
    status: 409,
    summary: "The terms named do not match what the bank's collection holds for this application.",
  },
  ALREADY_CONFIRMED: {
    status: 409,
    summary: 'The payment or payout was already confirmed as received: a confirmation is recorded once.',
  },
  PAYMENT_UNCONFIRMED: {
    status: 409,
    summary: "The collecting bank has not confirmed the debtor's payment yet: no payout can be confirmed as paid.",
  },
  PRICE_MISMATCH: {
    status: 409,
    summary:
      "The decided disbursement is not the financing's price (amount less discount interest and fee, " +
      'domain/pricing.ts), or the decision was priced for another value date than the funding date.',
  },
  REPAYMENT_EXCEEDS_OUTSTANDING: {
    status: 409,
    summary: 'The repayment is more than the financing has outstanding today (principal and penalty).',
  },
  NOT_REPAID: {
    status: 409,
    summary: 'The financing still has something outstanding: its pledge is released only when repaid in full.',
  },
  NOT_DUE: { status: 409, summary: 'The receivable is not yet due: it settles at or after its due date.' },
  TIMESTAMP_OUT_OF_RANGE: {
    status: 400,
    summary: "The proposal timestamp is too far from the endorsing peer's clock.",
  },
  LIMIT_EXCEEDED: {
    status: 422,
    summary: 'A configured consortium limit (piece amount, split depth or width) is exceeded.',
  },
  NOT_INITIALISED: { status: 503, summary: 'The consortium has not been initialised on this channel.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A refusal as it crosses the Fabric boundary: its stable code and the text written for callers. */
export interface Refusal {
  readonly code: ErrorCode;
  readonly detail: string;
}

/** Writes a refusal as the one message Fabric carries back: `[CODE] detail`. */
export function refusalMessage(code: ErrorCode, detail: string): string {
  return `[${code}] ${detail}`;
}

const REFUSAL = /\[([A-Z_]+)\] /g;

function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

/**
 * Reads a refusal back out of a message, wherever it sits: peers and the Gateway wrap the
 * chaincode's message ("chaincode response 500, [CODE] detail"). The first known code wins;
 * everything after it is the detail.
 */
export function parseRefusal(message: string): Refusal | undefined {
  for (const match of message.matchAll(REFUSAL)) {
    const code = match[1] as string;
    if (isErrorCode(code)) return { code, detail: message.slice((match.index ?? 0) + match[0].length) };
  }
  return undefined;
}

/** The code of a refusal message, if it carries one. */
export function errorCodeOf(message: string): ErrorCode | undefined {
  return parseRefusal(message)?.code;
}

export class ScfError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
  ) {
    super(refusalMessage(code, detail));
    this.name = 'ScfError';
  }
}
