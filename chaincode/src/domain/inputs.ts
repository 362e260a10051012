import { z } from 'zod';
import { isTimeZone } from './business-time';
import { ScfError } from './errors';
import { Role } from './model';
import {
  ATTESTED_KINDS,
  CREDENTIAL_TYPES,
  CURRENCY_PATTERN,
  DAY_COUNTS,
  DID_PATTERN,
  FINANCING_MODES,
  FREEZE_KINDS,
  GOVERNANCE_KINDS,
  HISTORY_KINDS,
  MSP_ID_PATTERN,
  SHA256_HEX_PATTERN,
} from './vocabulary';

/**
 * Shapes of caller-supplied arguments. Contract metadata does not enforce anything, so
 * every argument passes through one of these before a rule sees it.
 */
export const EnterpriseId = z
  .string()
  .regex(DID_PATTERN, 'must look like did:scf:<3-64 lowercase letters, digits or hyphens>');
const ledgerId = (prefix: string, what: string, indexed = false): z.ZodString =>
  z.string().regex(new RegExp(`^${prefix}_[0-9a-f]{16,64}${indexed ? '(_[0-9]{1,4})?' : ''}$`), `is not a ${what} id`);
export const ReceivableId = ledgerId('rcv', 'receivable');
export const CertificateId = ledgerId('crt', 'certificate', true);
export const CreditLineId = ledgerId('cl', 'credit line');
export const FinancingId = ledgerId('fin', 'financing');
export const SettlementId = ledgerId('stl', 'settlement');
export const ProposalId = ledgerId('prp', 'proposal');
export const QuoteRequestId = ledgerId('qrq', 'quote request');
export const InstructionId = ledgerId('ins', 'instruction');
export const Sha256Hex = z.string().regex(SHA256_HEX_PATTERN, 'must be a lowercase hex SHA-256 digest (64 characters)');
export const Currency = z.string().regex(CURRENCY_PATTERN, 'must be an ISO 4217 code such as "CNY"');
// Names and reasons end up in composite-key-adjacent records and logs: no control characters.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const freeText = (max: number): z.ZodString =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !CONTROL_CHARACTER.test(s), 'must not contain control characters');
export const DisplayName = freeText(200);
export const Reason = freeText(500);
export const Roles = z
  .array(Role)
  .min(1)
  .max(5)
  .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role');
export const MspId = z.string().regex(MSP_ID_PATTERN, 'is not an MSP id');
export const ClientId = z
  .string()
  .regex(/^x509::\/.+::\/.+$/, 'must be a Fabric client id "x509::<subject>::<issuer>"')
  .max(1024)
  .refine((s) => !s.includes('\u0000'), 'must not contain NUL');
export const PaymentRef = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'must be a payment reference of letters, digits and . _ : / -');
export const BasisPoints = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,4})$/, 'must be whole basis points from 0 to 99999, e.g. "385" for 3.85%')
  .transform(Number);
export const FinancingMode = z.enum(FINANCING_MODES);
export const FreezeKind = z.enum(FREEZE_KINDS);
export const AttestedKind = z.enum(ATTESTED_KINDS);
export const HistoryKind = z.enum(HISTORY_KINDS);
export const CredentialType = z.string().regex(/^[A-Z][A-Z_]{1,39}$/, 'must be a credential type such as "KYC"');
export const AmountList = z.array(z.string()).min(2);
/** The banks a holder asks to quote: 1 to 10 distinct enterprise DIDs. */
export const BankIdList = z
  .array(EnterpriseId)
  .min(1)
  .max(10)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a bank');
export const LimitsPatch = z
  .object({
    minPieceAmount: z
      .string()
      .regex(/^[1-9][0-9]{0,17}$/)
      .optional(),
    maxSplitDepth: z.number().int().min(1).max(64).optional(),
    maxSplitChildren: z.number().int().min(2).max(100).optional(),
    maxOfferSeconds: z
      .number()
      .int()
      .min(60)
      .max(365 * 24 * 3600)
      .optional(),
  })
  .strict();
/** `{"Financing:Apply": ["KYC"], …}`; that each key names a transaction is checked by the contract. */
export const CredentialPolicy = z.record(
  z.string().max(80),
  z
    .array(z.enum(CREDENTIAL_TYPES as [string]))
    .min(1)
    .max(5),
);

export const GovernanceKind = z.enum(GOVERNANCE_KINDS);
const bankMsp = z.object({ mspId: MspId }).strict();
/** What each kind of governance proposal changes, as its proposer writes it. */
export const GOVERNANCE_CHANGES = {
  limits: LimitsPatch.refine((patch) => Object.keys(patch).length > 0, 'must change at least one limit'),
  credentialPolicy: CredentialPolicy,
  addBank: bankMsp,
  removeBank: bankMsp,
  threshold: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('majority') }).strict(),
    z.object({ kind: z.literal('count'), count: z.number().int().min(1).max(32) }).strict(),
    z
      .object({
        kind: z.literal('fraction'),
        numerator: z.number().int().min(1).max(100),
        denominator: z.number().int().min(1).max(100),
      })
      .strict()
      .refine((f) => f.numerator <= f.denominator, 'a fraction of the banks is at most 1'),
  ]),
  suspendBank: bankMsp.extend({ reason: Reason }).strict(),
  reinstateBank: bankMsp,
  businessTimeZone: z
    .object({
      timeZone: z
        .string()
        .max(64)
        .refine(isTimeZone, 'must be an IANA time zone name as Intl spells it, such as "Asia/Shanghai"'),
    })
    .strict(),
  dayCount: bankMsp.extend({ dayCount: z.enum(DAY_COUNTS) }).strict(),
} as const;

export const InvoiceFields = z
  .object({
    invoiceCode: z.string().min(1).max(64),
    invoiceNumber: z.string().min(1).max(64),
    sellerRegistrationNumber: z.string().min(1).max(64),
    buyerRegistrationNumber: z.string().min(1).max(64),
  })
  .strict();
export type InvoiceFields = z.infer<typeof InvoiceFields>;

/**
 * Private inputs, sent as transient data to the deciding bank's peers only. The salt is
 * 32 random bytes chosen by the caller: without it a rival could test guesses of a rate
 * or a limit against the hash every peer keeps.
 */
const salt = Sha256Hex;
export const TermsInput = z
  .object({
    requestedAmount: z.string(),
    annualRateBps: z.number().int().min(0).max(99999),
    feeAmount: z.string(),
    tenorEnd: z.string(),
    salt,
  })
  .strict();
/** What a holder asks a price for (`Financing:Quote`): the terms without a salt, since nothing is stored. */
export const QuoteInput = TermsInput.omit({ salt: true });
export type QuoteInput = z.infer<typeof QuoteInput>;
/** Without `recourse` and `penaltyRateBps`, a decision is full recourse without penalty, as before they existed. */
export const DecisionInput = z
  .object({
    disbursedAmount: z.string(),
    recourse: z.boolean().default(true),
    penaltyRateBps: z.number().int().min(0).max(99999).default(0),
    salt,
  })
  .strict();
/** An applicant's repayment, recorded on the bank's peers (its amount is private, like the terms). */
export const RepaymentInput = z.object({ amount: z.string(), salt }).strict();
export const LimitInput = z.object({ limit: z.string(), salt }).strict();

/** Validates one argument and names it in the error, so a caller knows which field to fix. */
export function parseArg<T>(field: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue && issue.path.length > 0 ? `${field}.${issue.path.join('.')}` : field;
    throw new ScfError('INVALID_ARGUMENT', `${path} ${issue?.message ?? 'is invalid'}`);
  }
  return result.data;
}

/**
 * Keys JSON.parse keeps as plain own properties but that copying, validation and
 * canonical stringify turn into prototype changes or drop: two different documents
 * could then hash alike. Refused wherever they appear.
 */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** Nesting allowed in caller JSON; validation and canonical stringify recurse, so deeper is refused first. */
export const MAX_JSON_DEPTH = 32;

/**
 * Walks a parsed value with an explicit stack (hostile nesting cannot overflow it),
 * refusing unsafe keys and deep nesting.
 */
function requireSafeJson(field: string, value: unknown): void {
  const pending: { node: unknown; depth: number }[] = [{ node: value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, depth } = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_JSON_DEPTH) {
      throw new ScfError('INVALID_ARGUMENT', `${field} nests deeper than ${MAX_JSON_DEPTH} levels`);
    }
    for (const [key, child] of Object.entries(node)) {
      if (UNSAFE_KEYS.has(key)) throw new ScfError('INVALID_ARGUMENT', `${field} must not contain the key "${key}"`);
      pending.push({ node: child, depth: depth + 1 });
    }
  }
}

/**
 * Parses an argument that carries JSON (lists, patches, transient documents) before
 * validating its shape: the one place caller JSON is parsed.
 */
export function parseJsonArg<T>(field: string, schema: z.ZodType<T>, raw: string): T {
  let value: unknown;
  try {
    // V8's JSON.parse is not recursive, so any depth parses; the walk below bounds it.
    value = JSON.parse(raw);
  } catch {
    throw new ScfError('INVALID_ARGUMENT', `${field} must be JSON`);
  }
  requireSafeJson(field, value);
  return parseArg(field, schema, value);
}
