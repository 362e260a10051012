import { FOUR_EYES_TRANSACTIONS, GOVERNANCE_CHANGES, records, vocabulary } from '@scf/chaincode';
import { z } from 'zod';
import type { LedgerCaller, SubmitHooks, SubmitOutcome } from '../ledger/ledger-backend';
import * as terms from '../services/private-terms';
import { type Statement, statementOf } from '../services/statement';
import * as answers from './answers';
import { statementCsv } from './statement-csv';

/**
 * Every REST operation that maps onto one chaincode transaction, declared once: the
 * schemas here validate requests and generate the OpenAPI document, with `result` (what
 * the chaincode answers) for its responses. The chaincode re-validates every argument;
 * these schemas give callers early, field-named errors (400 VALIDATION_FAILED). Amounts,
 * dates, DIDs and the claims' nonce are refused here exactly as the chaincode refuses them.
 */

/**
 * A regular expression for the decimal integers from `min` (0 or 1) to `max`, without
 * leading zeros: exact, so that a pattern alone documents the bound.
 */
export function decimalUpTo(max: bigint, min: 0 | 1): RegExp {
  const digits = max.toString();
  const shorter = digits.length > 1 ? [`[1-9][0-9]{0,${digits.length - 2}}`] : [];
  const sameLength = [...digits].flatMap((digit, i) => {
    const low = i === 0 ? 1 : 0;
    const d = Number(digit);
    if (d <= low) return [];
    const rest = digits.length - i - 1;
    return [`${digits.slice(0, i)}[${low}-${d - 1}]${rest ? `[0-9]{${rest}}` : ''}`];
  });
  return new RegExp(`^(?:${[...(min === 0 ? ['0'] : []), ...shorter, ...sameLength, digits].join('|')})$`);
}

const amountMessage = `must be a string of integer minor units from 1 to ${vocabulary.MAX_AMOUNT} (2^63−1)`;
export const amount = z
  .string()
  .regex(decimalUpTo(vocabulary.MAX_AMOUNT, 1), amountMessage)
  .max(19)
  .describe(
    'integer minor units as a decimal string, e.g. "150000" for 1,500.00; ' +
      `positive and at most ${vocabulary.MAX_AMOUNT} (2^63−1), as the chaincode requires`,
  );
const feeAmount = z
  .string()
  .regex(decimalUpTo(vocabulary.MAX_AMOUNT, 0), amountMessage.replace('from 1', 'from 0'))
  .max(19)
  .describe(`integer minor units as a decimal string; 0 to ${vocabulary.MAX_AMOUNT}`);
const id = z.string().min(1).max(160);
export const did = z.string().regex(vocabulary.DID_PATTERN).describe('enterprise DID, e.g. did:scf:supplier-t1');
const sha256 = z.string().regex(vocabulary.SHA256_HEX_PATTERN).describe('lowercase hex SHA-256');
const instant = z.iso.datetime({ offset: true }).describe('ISO-8601 time with zone, e.g. 2027-03-31T16:00:00Z');
/** A real calendar date: 2027-02-30 is refused, as the chaincode refuses it. */
export const date = z.iso.date().describe('calendar date YYYY-MM-DD (an existing day)');
export const claims = z
  .object({
    nonce: z
      .string()
      .min(16)
      .describe('random, at least 16 characters, so that a short claim cannot be guessed from its public hash'),
  })
  .catchall(z.unknown())
  .describe(
    'the claims document: any JSON object with a random "nonce" of 16+ characters ' +
      '(the chaincode refuses claims without one)',
  );
const reason = z.object({ reason: z.string().min(1).max(500) }).strict();
const paymentRef = z.string().min(1).max(128);
const page = z
  .object({
    pageSize: z.coerce.number().int().min(1).max(vocabulary.MAX_PAGE_SIZE).default(50),
    bookmark: z
      .string()
      .max(vocabulary.MAX_BOOKMARK_LENGTH)
      .regex(vocabulary.BOOKMARK_PATTERN)
      .default('')
      .describe('the bookmark of the previous page; empty for the first'),
  })
  .strict();

/** Onboarding (POST /enterprises): a bank admin registers an enterprise and enrolls its identity. */
export const ONBOARDING_BODY = z
  .object({
    id: did,
    name: z.string().min(1).max(200),
    roles: z.array(z.enum(vocabulary.ROLES)).min(1),
    registrationNumber: z.string().regex(vocabulary.REGISTRATION_NUMBER_PATTERN),
  })
  .strict();

/**
 * For writes that take nothing, such as key rotation (the gateway enrolls the new identity
 * itself) and key revocation.
 */
export const EMPTY_BODY = z.object({}).strict();

const MAX_PROPOSAL_DAYS = vocabulary.MAX_PROPOSAL_SECONDS / 86_400;
const MAX_RECOVERY_DAYS = vocabulary.MAX_RECOVERY_SECONDS / 86_400;
/** Long enough for guardians to reach their own gateways, short enough that a stalled one soon lapses. */
const DEFAULT_RECOVERY_DAYS = 7;
/** A governance proposal: its kind, its change (checked with the chaincode's own shapes) and when it lapses. */
const PROPOSAL_BODY = z.discriminatedUnion(
  'kind',
  vocabulary.GOVERNANCE_KINDS.map((kind) =>
    z
      .object({
        kind: z.literal(kind),
        change: GOVERNANCE_CHANGES[kind],
        expiresAt: instant.describe(`when it lapses unapproved: after now, at most ${MAX_PROPOSAL_DAYS} days ahead`),
      })
      .strict(),
  ) as unknown as [z.ZodObject, z.ZodObject, ...z.ZodObject[]],
);

interface OperationBase<P, B, Q> {
  readonly method: 'get' | 'post';
  readonly path: string;
  /** Stable and unique: generated clients name their methods after it. */
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly params: z.ZodType<P>;
  readonly body?: z.ZodType<B>;
  readonly query?: z.ZodType<Q>;
  /** `submit` writes (and needs an Idempotency-Key); `evaluate` reads. */
  readonly mode: 'submit' | 'evaluate';
  readonly status?: number;
  /** What the chaincode answers: a read's whole answer, a write's `result`. */
  readonly result: z.ZodType;
}

export interface OperationInput<P, B, Q> {
  readonly params: P;
  readonly body: B;
  readonly query: Q;
}

/** An operation that is one chaincode transaction. */
export interface CallOperation<P = Record<string, string>, B = unknown, Q = unknown> extends OperationBase<P, B, Q> {
  readonly call: (input: OperationInput<P, B, Q>) => {
    transaction: string;
    args: string[];
    transient?: Record<string, string>;
  };
}

/**
 * A write the gateway runs as a flow of transactions (services/), such as keeping a bank's
 * terms on its own peers: `gate` names the transaction whose access policy decides who may
 * call it; the flow answers as a single write does, with its public step's transaction.
 */
export interface WriteFlowOperation<P = Record<string, string>, B = unknown, Q = unknown> extends OperationBase<
  P,
  B,
  Q
> {
  readonly gate: string;
  readonly flow: (caller: LedgerCaller, input: OperationInput<P, B, Q>, hooks: SubmitHooks) => Promise<SubmitOutcome>;
}

/** A read the gateway answers from several calls (say, from the one organisation's peers that keep the terms). */
export interface ReadFlowOperation<P = Record<string, string>, B = unknown, Q = unknown> extends OperationBase<
  P,
  B,
  Q
> {
  readonly gate: string;
  readonly read: (caller: LedgerCaller, input: OperationInput<P, B, Q>) => Promise<unknown>;
  /** The answer as CSV (text/csv), for a query with `format=csv`. */
  readonly csv?: (result: unknown) => string;
}

export type Operation<P = Record<string, string>, B = unknown, Q = unknown> =
  CallOperation<P, B, Q> | WriteFlowOperation<P, B, Q> | ReadFlowOperation<P, B, Q>;

function op<P, B, Q>(operation: Operation<P, B, Q>): Operation {
  return operation as unknown as Operation;
}

/** The transaction whose access policy decides who may call an operation. */
export function gateOf(operation: Operation, input: OperationInput<unknown, unknown, unknown>): string {
  return 'call' in operation ? operation.call(input as never).transaction : operation.gate;
}

/** Runs an operation for a caller: the one place a route, a test or the benchmark turns it into ledger calls. */
export async function runOperation(
  operation: Operation,
  caller: LedgerCaller,
  input: OperationInput<unknown, unknown, unknown>,
  hooks: SubmitHooks = {},
): Promise<{ result: unknown; attempts: number }> {
  if ('read' in operation) return { result: await operation.read(caller, input as never), attempts: 1 };
  if ('flow' in operation) return operation.flow(caller, input as never, hooks);
  const call = { identity: caller.identity, ...operation.call(input as never) };
  if (operation.mode === 'evaluate') return { result: await caller.backend.evaluate(call), attempts: 1 };
  return caller.backend.submit(call, hooks);
}

const none = EMPTY_BODY;
/** Before any ledger record: a statement without `from` covers everything. */
const LEDGER_START = '1970-01-01T00:00:00Z';
type PayoutParams = { id: string; certificateId: string };
/** What a holder asks a bank for: a quote's body, and an application's with its mode and documents. */
const FINANCING_ASK = z.object({
  certificateId: id,
  bankId: did,
  requestedAmount: amount,
  annualRateBps: z.number().int().min(0).max(99999).describe('annual rate in basis points: 385 = 3.85%'),
  feeAmount,
  tenorEnd: date.describe(
    'the last day of the financing, at most the due date; interest runs from the value date to it',
  ),
});
const byId = z.object({ id }).strict();
/** A user of the caller's enterprise, named by its Fabric identity. */
export const USER = z
  .object({ mspId: z.string().regex(vocabulary.MSP_ID_PATTERN), clientId: z.string().min(1).max(1024) })
  .strict();
/** A PKCS#10 certificate signing request, PEM, made by whoever keeps the key. */
const CSR = z
  .string()
  .max(4096)
  .regex(/^-----BEGIN CERTIFICATE REQUEST-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE REQUEST-----\s*$/);
/** POST /me/users: the new user's login (its CA name is `<enterprise>.<login>`) and role. */
export const NEW_USER_BODY = z
  .object({
    login: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/),
    role: records.UserRole,
    csr: CSR.describe(
      'for a user who keeps its key itself: its PKCS#10 request (PEM, ECDSA P-256, common name ' +
        '`<enterprise>.<login>`, e.g. `scf-sign csr`); the gateway then holds the certificate only',
    ).optional(),
  })
  .strict();
const NEXT_KEY_CSR = CSR.describe(
  "the user's own request for its next key (PEM; common name `<enterprise>.<new name>`, new at the CA)",
);
/** POST /me/key-rotations: nothing (the gateway enrolls the new key), or the user's own request (to self-custody). */
export const KEY_ROTATION_BODY = z.object({ csr: NEXT_KEY_CSR.optional() }).strict();
/** POST /me/key-rotations/offline: a self-held key's next key, the user's own request. */
export const OFFLINE_KEY_ROTATION_BODY = z.object({ csr: NEXT_KEY_CSR }).strict();
/** An issuance's invoice, sent as transient data; approval must send the very same one. */
const INSTRUCTED_INVOICE = z
  .record(z.string(), z.string().max(64))
  .optional()
  .describe('Receivable:Issue only: the invoice, as POST /receivables takes it (transient, hashed into argsHash)');
const INSTRUCTION_BODY = z
  .object({
    transaction: z.enum(Object.keys(FOUR_EYES_TRANSACTIONS) as [string, ...string[]]),
    args: z.array(z.string().max(4096)).max(12).describe("the transaction's arguments, as the chaincode takes them"),
    expiresAt: instant,
    invoice: INSTRUCTED_INVOICE,
  })
  .strict();
const APPROVAL_BODY = z
  .object({ argsHash: sha256.describe('the argsHash of the instruction reviewed'), invoice: INSTRUCTED_INVOICE })
  .strict();
/** Keys in a fixed order, so the maker's and the checker's invoice hash alike whatever order they were sent in. */
function invoiceTransient(invoice: Record<string, string> | undefined): { transient?: Record<string, string> } {
  return invoice ? { transient: { invoice: JSON.stringify(invoice, Object.keys(invoice).sort()) } } : {};
}
const byDid = z.object({ id: did }).strict();
/** A paged read of the records of one enterprise. */
type Listing = Pick<
  CallOperation<{ id: string }, unknown, z.infer<typeof page>>,
  'params' | 'query' | 'mode' | 'result' | 'call'
>;
const listing = (transaction: string, result: z.ZodType): Listing => ({
  params: byDid,
  query: page,
  mode: 'evaluate',
  result,
  call: ({ params, query }) => ({
    transaction,
    args: [params.id, String(query.pageSize), query.bookmark],
  }),
});
const { Certificate, Credential, CreditLine, Enterprise, Receivable, Recovery } = records;

export const OPERATIONS: readonly Operation[] = [
  op({
    method: 'get',
    path: '/me',
    operationId: 'getMe',
    tag: 'Enterprises',
    summary: 'The enterprise the caller acts for',
    params: none,
    mode: 'evaluate',
    result: answers.WhoAmI,
    call: () => ({ transaction: 'Enterprise:WhoAmI', args: [] }),
  }),
  op({
    method: 'get',
    path: '/consortium',
    operationId: 'getConsortium',
    tag: 'Governance',
    summary: 'The consortium configuration: member banks, limits, credential policy, approval threshold, suspensions',
    params: none,
    mode: 'evaluate',
    result: records.ConsortiumConfig,
    call: () => ({ transaction: 'Consortium:GetConfig', args: [] }),
  }),
  op({
    method: 'post',
    path: '/governance/proposals',
    operationId: 'proposeGovernanceChange',
    tag: 'Governance',
    summary: "Propose a change to the consortium's rules (a consortium bank admin; its organisation approves it)",
    params: none,
    mode: 'submit',
    status: 201,
    body: PROPOSAL_BODY,
    result: records.Proposal,
    call: ({ body }: OperationInput<unknown, z.infer<typeof PROPOSAL_BODY>, unknown>) => ({
      transaction: 'Governance:Propose',
      args: [body.kind as string, JSON.stringify(body.change), body.expiresAt as string],
    }),
  }),
  op({
    method: 'post',
    path: '/governance/proposals/:id/approve',
    operationId: 'approveGovernanceChange',
    tag: 'Governance',
    summary:
      "Approve a proposal for the caller's bank organisation; the approval that reaches the threshold applies it",
    params: byId,
    body: none,
    mode: 'submit',
    result: records.Proposal,
    call: ({ params }) => ({ transaction: 'Governance:Approve', args: [params.id] }),
  }),
  op({
    method: 'get',
    path: '/governance/proposals/:id',
    operationId: 'getGovernanceProposal',
    tag: 'Governance',
    summary: 'A proposal with who proposed and approved it (bank admins, oversight)',
    params: byId,
    mode: 'evaluate',
    result: records.Proposal,
    call: ({ params }) => ({ transaction: 'Governance:Get', args: [params.id] }),
  }),
  op({
    method: 'get',
    path: '/governance/proposals',
    operationId: 'listGovernanceProposals',
    tag: 'Governance',
    summary: 'Every proposal, oldest first (bank admins, oversight)',
    params: none,
    query: page,
    mode: 'evaluate',
    result: answers.ProposalPage,
    call: ({ query }: OperationInput<unknown, unknown, z.infer<typeof page>>) => ({
      transaction: 'Governance:List',
      args: [String(query.pageSize), query.bookmark],
    }),
  }),
  op({
    method: 'post',
    path: '/identities/unbind',
    operationId: 'unbindIdentity',
    tag: 'Enterprises',
    summary: 'Stop a Fabric identity of your own organisation from acting for its enterprise (its bank admin)',
    params: none,
    mode: 'submit',
    body: z
      .object({ mspId: z.string().regex(vocabulary.MSP_ID_PATTERN), clientId: z.string().min(1).max(1024) })
      .strict(),
    result: records.IdentityBinding,
    call: ({ body }) => ({ transaction: 'Enterprise:UnbindIdentity', args: [body.mspId, body.clientId] }),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id/users',
    operationId: 'listUsers',
    tag: 'Users',
    summary: "An enterprise's users with their roles (its own users, oversight)",
    params: byDid,
    mode: 'evaluate',
    result: z.array(records.IdentityBinding),
    call: ({ params }) => ({ transaction: 'User:List', args: [params.id] }),
  }),
  op({
    method: 'post',
    path: '/me/users/role',
    operationId: 'setUserRole',
    tag: 'Users',
    summary: "Change the role of a user of the caller's enterprise (its admin users)",
    params: none,
    mode: 'submit',
    body: USER.extend({ role: records.UserRole }).strict(),
    result: records.IdentityBinding,
    call: ({ body }) => ({ transaction: 'User:SetRole', args: [body.mspId, body.clientId, body.role] }),
  }),
  op({
    method: 'post',
    path: '/me/users/removal',
    operationId: 'removeUser',
    tag: 'Users',
    summary: "Remove a user of the caller's enterprise: its keys stop at once, the others' do not (its admin users)",
    params: none,
    mode: 'submit',
    body: USER,
    result: records.IdentityBinding,
    call: ({ body }) => ({ transaction: 'User:Remove', args: [body.mspId, body.clientId] }),
  }),
  op({
    method: 'post',
    path: '/instructions',
    operationId: 'proposeInstruction',
    tag: 'Four eyes',
    summary: 'A maker proposes a call its enterprise puts under four eyes; a checker approves or rejects it',
    params: none,
    mode: 'submit',
    status: 201,
    body: INSTRUCTION_BODY,
    result: records.Instruction,
    call: ({ body }: OperationInput<unknown, z.infer<typeof INSTRUCTION_BODY>, unknown>) => ({
      transaction: 'Instruction:Propose',
      args: [body.transaction, JSON.stringify(body.args), body.expiresAt],
      ...invoiceTransient(body.invoice),
    }),
  }),
  op({
    method: 'post',
    path: '/instructions/:id/approve',
    operationId: 'approveInstruction',
    tag: 'Four eyes',
    summary: 'A checker approves the instruction it reviewed (by argsHash): it runs now, answering as the call would',
    params: byId,
    mode: 'submit',
    body: APPROVAL_BODY,
    result: z.unknown().describe("the instructed transaction's own answer"),
    call: ({ params, body }: OperationInput<{ id: string }, z.infer<typeof APPROVAL_BODY>, unknown>) => ({
      transaction: 'Instruction:Approve',
      args: [params.id, body.argsHash],
      ...invoiceTransient(body.invoice),
    }),
  }),
  op({
    method: 'post',
    path: '/instructions/:id/reject',
    operationId: 'rejectInstruction',
    tag: 'Four eyes',
    summary: 'A checker rejects the instruction for good',
    params: byId,
    mode: 'submit',
    body: reason,
    result: records.Instruction,
    call: ({ params, body }) => ({ transaction: 'Instruction:Reject', args: [params.id, body.reason] }),
  }),
  op({
    method: 'get',
    path: '/instructions/:id',
    operationId: 'getInstruction',
    tag: 'Four eyes',
    summary: 'An instruction with its maker, checker and exact arguments (its enterprise, oversight)',
    params: byId,
    mode: 'evaluate',
    result: records.Instruction,
    call: ({ params }) => ({ transaction: 'Instruction:Get', args: [params.id] }),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id/instructions/pending',
    operationId: 'listPendingInstructions',
    tag: 'Four eyes',
    summary: "An enterprise's instructions awaiting a checker (its users, oversight)",
    ...listing('Instruction:ListPending', answers.InstructionPage),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id',
    operationId: 'getEnterprise',
    tag: 'Enterprises',
    summary: 'An enterprise with its bound identities',
    params: byDid,
    mode: 'evaluate',
    result: answers.EnterpriseWithIdentities,
    call: ({ params }) => ({ transaction: 'Enterprise:Get', args: [params.id] }),
  }),
  op({
    method: 'post',
    path: '/enterprises/:id/suspend',
    operationId: 'suspendEnterprise',
    tag: 'Enterprises',
    summary: "Suspend a customer (its bank's admin)",
    params: byDid,
    body: reason,
    mode: 'submit',
    result: Enterprise,
    call: ({ params, body }) => ({ transaction: 'Enterprise:Suspend', args: [params.id, body.reason] }),
  }),
  op({
    method: 'post',
    path: '/enterprises/:id/reinstate',
    operationId: 'reinstateEnterprise',
    tag: 'Enterprises',
    summary: 'Reinstate a suspended customer',
    params: byDid,
    body: none,
    mode: 'submit',
    result: Enterprise,
    call: ({ params }) => ({ transaction: 'Enterprise:Reinstate', args: [params.id] }),
  }),
  op({
    method: 'get',
    path: '/dids/:id',
    operationId: 'getDidDocument',
    tag: 'Identity',
    summary: 'DID document',
    params: byDid,
    mode: 'evaluate',
    result: answers.DidDocument,
    call: ({ params }) => ({ transaction: 'Identity:GetDidDocument', args: [params.id] }),
  }),
  op({
    method: 'post',
    path: '/me/services',
    operationId: 'setMyServices',
    tag: 'Identity',
    summary: "Publish service endpoints in the caller's DID document",
    params: none,
    mode: 'submit',
    body: z
      .object({
        services: z
          .array(
            z
              .object({
                id: z.string().regex(/^#[a-z0-9-]{1,40}$/),
                type: z.string().regex(/^[A-Za-z][A-Za-z0-9]{1,40}$/),
                endpoint: z.url().max(300),
              })
              .strict(),
          )
          .max(10),
      })
      .strict(),
    result: Enterprise,
    call: ({ body }) => ({ transaction: 'Identity:SetServices', args: [JSON.stringify(body.services)] }),
  }),
  op({
    method: 'post',
    path: '/me/guardians',
    operationId: 'setMyGuardians',
    tag: 'Identity',
    summary: 'Name the guardians who may together recover a lost key',
    params: none,
    mode: 'submit',
    body: z.object({ guardianIds: z.array(did).min(1).max(10), threshold: z.number().int().min(1).max(10) }).strict(),
    result: Enterprise,
    call: ({ body }) => ({
      transaction: 'Identity:SetGuardians',
      args: [JSON.stringify(body.guardianIds), String(body.threshold)],
    }),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id/recovery',
    operationId: 'getRecovery',
    tag: 'Identity',
    summary: "The enterprise's latest lost-key recovery (EXPIRED once past its expiry unapproved)",
    params: byDid,
    mode: 'evaluate',
    result: Recovery,
    call: ({ params }) => ({ transaction: 'Identity:GetRecovery', args: [params.id] }),
  }),
  op({
    method: 'post',
    path: '/enterprises/:id/recovery',
    operationId: 'proposeRecovery',
    tag: 'Identity',
    summary: 'Propose restoring access with a new identity (a guardian)',
    params: byDid,
    mode: 'submit',
    body: z
      .object({
        newMspId: z.string().min(1).max(64),
        newClientId: z.string().min(1).max(1024),
        expiresAt: instant
          .optional()
          .describe(
            `when it lapses unapproved: after now, at most ${MAX_RECOVERY_DAYS} days ahead ` +
              `(default ${DEFAULT_RECOVERY_DAYS} days)`,
          ),
      })
      .strict(),
    result: Recovery,
    call: ({ params, body }) => ({
      transaction: 'Identity:ProposeRecovery',
      args: [
        params.id,
        body.newMspId,
        body.newClientId,
        body.expiresAt ?? new Date(Date.now() + DEFAULT_RECOVERY_DAYS * 86_400_000).toISOString(),
      ],
    }),
  }),
  op({
    method: 'post',
    path: '/enterprises/:id/recovery/approve',
    operationId: 'approveRecovery',
    tag: 'Identity',
    summary: 'Approve the open recovery (a guardian)',
    params: byDid,
    body: none,
    mode: 'submit',
    result: Recovery,
    call: ({ params }) => ({ transaction: 'Identity:ApproveRecovery', args: [params.id] }),
  }),
  op({
    method: 'post',
    path: '/enterprises/:id/recovery/cancellation',
    operationId: 'cancelRecovery',
    tag: 'Identity',
    summary: 'Cancel the open recovery (an admin user of the enterprise itself, or of a guardian it names)',
    params: byDid,
    body: reason,
    mode: 'submit',
    result: Recovery,
    call: ({ params, body }) => ({ transaction: 'Identity:CancelRecovery', args: [params.id, body.reason] }),
  }),
  op({
    method: 'post',
    path: '/me/deactivate',
    operationId: 'deactivateMe',
    tag: 'Identity',
    summary: "Deregister the caller's enterprise for good (注销)",
    params: none,
    body: reason,
    mode: 'submit',
    result: Enterprise,
    call: ({ body }) => ({ transaction: 'Identity:Deactivate', args: [body.reason] }),
  }),

  op({
    method: 'post',
    path: '/receivables',
    operationId: 'issueReceivable',
    tag: 'Receivables',
    summary: 'Issue a receivable to a supplier (core enterprise)',
    params: none,
    mode: 'submit',
    status: 201,
    body: z
      .object({
        creditorId: did,
        faceAmount: amount,
        currency: z.string().regex(vocabulary.CURRENCY_PATTERN),
        dueDate: date,
        invoiceHash: sha256,
        contractHash: sha256,
        creditLineId: id,
        invoice: z
          .object({
            invoiceCode: z.string().min(1).max(64),
            invoiceNumber: z.string().min(1).max(64),
            sellerRegistrationNumber: z.string().min(1).max(64),
            buyerRegistrationNumber: z.string().min(1).max(64),
          })
          .strict()
          .describe('identifies the invoice; sent to the chaincode as transient data, never stored in clear'),
      })
      .strict(),
    result: Receivable,
    call: ({ body }) => ({
      transaction: 'Receivable:Issue',
      args: [
        body.creditorId,
        body.faceAmount,
        body.currency,
        body.dueDate,
        body.invoiceHash,
        body.contractHash,
        body.creditLineId,
      ],
      transient: { invoice: JSON.stringify(body.invoice) },
    }),
  }),
  op({
    method: 'get',
    path: '/receivables/:id',
    operationId: 'getReceivable',
    tag: 'Receivables',
    summary: 'A receivable, with what is outstanding and whether it is overdue',
    params: byId,
    mode: 'evaluate',
    result: answers.ReceivableView,
    call: ({ params }) => ({ transaction: 'Receivable:Get', args: [params.id] }),
  }),
  op({
    method: 'post',
    path: '/receivables/:id/accept',
    operationId: 'acceptReceivable',
    tag: 'Receivables',
    summary: 'Sign for a receivable (签收); creates the first certificate',
    params: byId,
    body: none,
    mode: 'submit',
    result: answers.Accepted,
    call: ({ params }) => ({ transaction: 'Receivable:Accept', args: [params.id] }),
  }),
  op({
    method: 'post',
    path: '/receivables/:id/refuse',
    operationId: 'refuseReceivable',
    tag: 'Receivables',
    summary: 'Refuse a receivable',
    params: byId,
    body: reason,
    mode: 'submit',
    result: Receivable,
    call: ({ params, body }) => ({ transaction: 'Receivable:Refuse', args: [params.id, body.reason] }),
  }),
  op({
    method: 'get',
    path: '/receivables/:id/tree',
    operationId: 'getReceivableTree',
    tag: 'Audit',
    summary: 'The whole certificate tree of a receivable',
    params: byId,
    mode: 'evaluate',
    result: answers.ReceivableTree,
    call: ({ params }) => ({ transaction: 'Trace:Tree', args: [params.id] }),
  }),
  op({
    method: 'get',
    path: '/receivables/:id/attestations',
    operationId: 'getReceivableAttestations',
    tag: 'Audit',
    summary: "Who attested the receivable's documents",
    params: byId,
    mode: 'evaluate',
    result: answers.Attestations,
    call: ({ params }) => ({ transaction: 'Trace:Attestations', args: ['receivable', params.id] }),
  }),
  op({
    method: 'post',
    path: '/receivables/:id/payments',
    operationId: 'payReceivable',
    tag: 'Settlement',
    summary: 'Record payment at maturity and clear the first page of pieces (debtor)',
    params: byId,
    mode: 'submit',
    status: 201,
    body: z
      .object({ amount, paymentRef, pageSize: z.number().int().min(1).max(vocabulary.MAX_PAGE_SIZE).default(200) })
      .strict(),
    result: answers.Cleared,
    call: ({ params, body }) => ({
      transaction: 'Settlement:Pay',
      args: [params.id, body.amount, body.paymentRef, String(body.pageSize)],
    }),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id/receivables/owed',
    operationId: 'listReceivablesOwed',
    tag: 'Receivables',
    summary: 'Receivables an enterprise owes (debtor)',
    ...listing('Receivable:ListByDebtor', answers.ReceivablePage),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id/receivables/held',
    operationId: 'listReceivablesHeld',
    tag: 'Receivables',
    summary: 'Receivables issued to an enterprise (creditor)',
    ...listing('Receivable:ListByCreditor', answers.ReceivablePage),
  }),

  op({
    method: 'get',
    path: '/certificates/:id',
    operationId: 'getCertificate',
    tag: 'Certificates',
    summary: 'A certificate',
    params: byId,
    mode: 'evaluate',
    result: Certificate,
    call: ({ params }) => ({ transaction: 'Certificate:Get', args: [params.id] }),
  }),
  op({
    method: 'post',
    path: '/certificates/:id/split',
    operationId: 'splitCertificate',
    tag: 'Certificates',
    summary: 'Split into pieces summing exactly to the certificate',
    params: byId,
    mode: 'submit',
    body: z.object({ amounts: z.array(amount).min(2).max(100) }).strict(),
    result: answers.SplitResult,
    call: ({ params, body }) => ({ transaction: 'Certificate:Split', args: [params.id, JSON.stringify(body.amounts)] }),
  }),
  op({
    method: 'post',
    path: '/certificates/:id/offer',
    operationId: 'offerCertificate',
    tag: 'Certificates',
    summary: 'Offer the certificate, or part of it (amount), to another enterprise',
    params: byId,
    mode: 'submit',
    body: z.object({ to: did, expiresAt: instant, amount: amount.optional() }).strict(),
    result: answers.Offered,
    call: ({ params, body }) =>
      body.amount
        ? { transaction: 'Certificate:OfferPart', args: [params.id, body.amount, body.to, body.expiresAt] }
        : { transaction: 'Certificate:OfferTransfer', args: [params.id, body.to, body.expiresAt] },
  }),
  op({
    method: 'post',
    path: '/certificates/:id/offer/accept',
    operationId: 'acceptOffer',
    tag: 'Certificates',
    summary: 'Sign for an offered certificate',
    params: byId,
    body: none,
    mode: 'submit',
    result: Certificate,
    call: ({ params }) => ({ transaction: 'Certificate:AcceptTransfer', args: [params.id] }),
  }),
  op({
    method: 'post',
    path: '/certificates/:id/offer/refuse',
    operationId: 'refuseOffer',
    tag: 'Certificates',
    summary: 'Refuse an offered certificate',
    params: byId,
    body: none,
    mode: 'submit',
    result: Certificate,
    call: ({ params }) => ({ transaction: 'Certificate:RefuseTransfer', args: [params.id] }),
  }),
  op({
    method: 'post',
    path: '/certificates/:id/offer/cancel',
    operationId: 'cancelOffer',
    tag: 'Certificates',
    summary: 'Withdraw an open offer (holder)',
    params: byId,
    body: none,
    mode: 'submit',
    result: Certificate,
    call: ({ params }) => ({ transaction: 'Certificate:CancelOffer', args: [params.id] }),
  }),
  op({
    method: 'get',
    path: '/certificates/:id/lineage',
    operationId: 'getCertificateLineage',
    tag: 'Audit',
    summary: 'Lineage back to the receivable',
    params: byId,
    mode: 'evaluate',
    result: answers.Lineage,
    call: ({ params }) => ({ transaction: 'Trace:Lineage', args: [params.id] }),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id/certificates',
    operationId: 'listCertificatesHeld',
    tag: 'Certificates',
    summary: 'Live certificates an enterprise holds',
    ...listing('Certificate:ListByHolder', answers.CertificatePage),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id/offers',
    operationId: 'listOffersTo',
    tag: 'Certificates',
    summary: 'Open offers awaiting an enterprise',
    ...listing('Certificate:ListOffersTo', answers.CertificatePage),
  }),

  op({
    method: 'post',
    path: '/credit-lines',
    operationId: 'grantCreditLine',
    tag: 'Credit lines',
    summary: 'Grant a core enterprise a credit line (bank)',
    params: none,
    mode: 'submit',
    status: 201,
    body: z
      .object({
        coreId: did,
        currency: z.string().regex(vocabulary.CURRENCY_PATTERN),
        limit: amount,
        expiresAt: instant,
      })
      .strict(),
    result: answers.CreditLineWithLimit,
    gate: 'CreditLine:Grant',
    flow: (caller, { body }, hooks) => terms.grantCreditLine(caller, body, hooks),
  }),
  op({
    method: 'get',
    path: '/credit-lines/:id',
    operationId: 'getCreditLine',
    tag: 'Credit lines',
    summary: 'A credit line (its limit only as a salted hash: see /credit-lines/{id}/limit)',
    params: byId,
    mode: 'evaluate',
    result: answers.CreditLineView,
    call: ({ params }) => ({ transaction: 'CreditLine:Get', args: [params.id] }),
  }),
  op({
    method: 'get',
    path: '/credit-lines/:id/limit',
    operationId: 'getCreditLineLimit',
    tag: 'Credit lines',
    summary:
      "A credit line with its limit, read from the granting bank's peers (the bank, the core enterprise, oversight)",
    params: byId,
    mode: 'evaluate',
    result: answers.CreditLineWithLimit,
    gate: 'CreditLine:GetLimit',
    read: (caller, { params }) => terms.creditLimit(caller, params.id),
  }),
  op({
    method: 'post',
    path: '/credit-lines/:id/limit',
    operationId: 'setCreditLineLimit',
    tag: 'Credit lines',
    summary: "Raise or lower the limit, on the granting bank's peers alone",
    params: byId,
    mode: 'submit',
    body: z.object({ limit: amount }).strict(),
    result: answers.CreditLineWithLimit,
    gate: 'CreditLine:SetLimit',
    flow: (caller, { params, body }, hooks) => terms.changeCreditLimit(caller, params.id, body.limit, hooks),
  }),
  op({
    method: 'post',
    path: '/credit-lines/:id/freeze',
    operationId: 'freezeCreditLine',
    tag: 'Credit lines',
    summary: 'Freeze a line',
    params: byId,
    body: none,
    mode: 'submit',
    result: CreditLine,
    call: ({ params }) => ({ transaction: 'CreditLine:Freeze', args: [params.id] }),
  }),
  op({
    method: 'post',
    path: '/credit-lines/:id/unfreeze',
    operationId: 'unfreezeCreditLine',
    tag: 'Credit lines',
    summary: 'Unfreeze a line',
    params: byId,
    body: none,
    mode: 'submit',
    result: CreditLine,
    call: ({ params }) => ({ transaction: 'CreditLine:Unfreeze', args: [params.id] }),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id/credit-lines',
    operationId: 'listCreditLines',
    tag: 'Credit lines',
    summary: 'Lines granted to a core enterprise',
    ...listing('CreditLine:ListByCore', answers.CreditLinePage),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id/credit-lines/granted',
    operationId: 'listCreditLinesGranted',
    tag: 'Credit lines',
    summary: 'Lines a bank granted',
    ...listing('CreditLine:ListByBank', answers.CreditLinePage),
  }),

  op({
    method: 'post',
    path: '/financings/quote',
    operationId: 'quoteFinancing',
    tag: 'Financing',
    summary:
      "The price of terms if funded today, computed on the bank's peers alone (holder; a read, nothing is written)",
    params: none,
    mode: 'evaluate',
    body: FINANCING_ASK.strict(),
    result: records.Price,
    gate: 'Financing:Quote',
    read: (caller, { body }) => terms.quoteFinancing(caller, body),
  }),
  op({
    method: 'post',
    path: '/financings',
    operationId: 'applyForFinancing',
    tag: 'Financing',
    summary: 'Apply to a bank for financing against a certificate (holder)',
    params: none,
    mode: 'submit',
    status: 201,
    body: FINANCING_ASK.extend({ mode: z.enum(vocabulary.FINANCING_MODES), documentsHash: sha256 }).strict(),
    result: answers.FinancingWithTerms,
    gate: 'Financing:ProposeTerms',
    flow: (caller, { body }, hooks) => terms.applyForFinancing(caller, body, hooks),
  }),
  op({
    method: 'post',
    path: '/quote-requests',
    operationId: 'requestQuotes',
    tag: 'Financing',
    summary: 'Ask banks to quote on a piece until an expiry (holder); the piece stays free until a quote is accepted',
    params: none,
    mode: 'submit',
    status: 201,
    body: z
      .object({
        certificateId: id,
        bankIds: z.array(did).min(1).max(10).describe('the banks asked, each at most once'),
        expiresAt: instant.describe("when the request lapses: after now, within the consortium's offer window"),
      })
      .strict(),
    result: records.QuoteRequest,
    call: ({ body }) => ({
      transaction: 'QuoteRequest:Open',
      args: [body.certificateId, JSON.stringify(body.bankIds), body.expiresAt],
    }),
  }),
  op({
    method: 'get',
    path: '/quote-requests/:id',
    operationId: 'getQuoteRequest',
    tag: 'Financing',
    summary: 'A quote request (the holder, the banks asked, oversight); EXPIRED once past its expiry unaccepted',
    params: byId,
    mode: 'evaluate',
    result: records.QuoteRequest,
    call: ({ params }) => ({ transaction: 'QuoteRequest:Get', args: [params.id] }),
  }),
  op({
    method: 'post',
    path: '/quote-requests/:id/quotes',
    operationId: 'answerQuoteRequest',
    tag: 'Financing',
    summary: 'A bank asked gives its binding quote, stored on its own peers alone (once per request)',
    params: byId,
    mode: 'submit',
    status: 201,
    body: FINANCING_ASK.omit({ certificateId: true, bankId: true }).strict(),
    result: answers.QuoteView,
    gate: 'QuoteRequest:Answer',
    flow: (caller, { params, body }, hooks) => terms.answerQuote(caller, params.id, body, hooks),
  }),
  op({
    method: 'get',
    path: '/quote-requests/:id/quotes/:bankId',
    operationId: 'getQuote',
    tag: 'Financing',
    summary: "One bank's quote on a request, from that bank's peers (the holder, that bank, oversight; no other bank)",
    params: z.object({ id, bankId: did }).strict(),
    mode: 'evaluate',
    result: answers.QuoteView,
    gate: 'QuoteRequest:GetQuote',
    read: (caller, { params }) => terms.readQuote(caller, params.id, params.bankId),
  }),
  op({
    method: 'post',
    path: '/quote-requests/:id/accept',
    operationId: 'acceptQuote',
    tag: 'Financing',
    summary: "Accept one bank's quote (holder): it becomes the application on those terms, the others lapse",
    params: byId,
    mode: 'submit',
    body: z
      .object({
        bankId: did,
        termsHash: sha256.describe("the quote's hash, as GET /quote-requests/{id}/quotes/{bankId} gives it"),
        mode: z.enum(vocabulary.FINANCING_MODES),
        documentsHash: sha256,
      })
      .strict(),
    result: answers.QuoteAccepted,
    call: ({ params, body }) => ({
      transaction: 'QuoteRequest:Accept',
      args: [params.id, body.bankId, body.mode, body.termsHash, body.documentsHash],
    }),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id/quote-requests',
    operationId: 'listQuoteRequestsAddressed',
    tag: 'Financing',
    summary: 'Quote requests a bank is asked to quote on',
    ...listing('QuoteRequest:ListByBank', answers.QuoteRequestPage),
  }),
  op({
    method: 'get',
    path: '/financings/:id',
    operationId: 'getFinancing',
    tag: 'Financing',
    summary: 'A financing',
    params: byId,
    mode: 'evaluate',
    result: records.Financing,
    call: ({ params }) => ({ transaction: 'Financing:Get', args: [params.id] }),
  }),
  op({
    method: 'get',
    path: '/financings/:id/terms',
    operationId: 'getFinancingTerms',
    tag: 'Financing',
    summary: "A financing's private terms, read from the deciding bank's peers (applicant, bank, oversight)",
    params: byId,
    mode: 'evaluate',
    result: answers.FinancingTerms,
    gate: 'Financing:GetTerms',
    read: (caller, { params }) => terms.financingTerms(caller, params.id),
  }),
  op({
    method: 'get',
    path: '/financings/:id/attestations',
    operationId: 'getFinancingAttestations',
    tag: 'Audit',
    summary: "Who attested the financing's documents",
    params: byId,
    mode: 'evaluate',
    result: answers.Attestations,
    call: ({ params }) => ({ transaction: 'Trace:Attestations', args: ['financing', params.id] }),
  }),
  op({
    method: 'post',
    path: '/financings/:id/approve',
    operationId: 'approveFinancing',
    tag: 'Financing',
    summary: 'Fund an application (the named bank)',
    params: byId,
    mode: 'submit',
    body: z
      .object({
        disbursedAmount: amount.describe(
          "what the bank pays out: exactly the price funding today gives (GET /financings/{id}/terms, 'price')",
        ),
        paymentRef,
        recourse: z
          .boolean()
          .optional()
          .describe('whether the applicant still owes what the settlement of the piece leaves unpaid (default true)'),
        penaltyRateBps: z
          .number()
          .int()
          .min(0)
          .max(99999)
          .optional()
          .describe('annual penalty rate in basis points on overdue principal, accrued per day (default 0)'),
      })
      .strict(),
    result: answers.FinancingWithTerms,
    gate: 'Financing:DecideTerms',
    flow: (caller, { params, body }, hooks) => terms.approveFinancing(caller, params.id, body, hooks),
  }),
  op({
    method: 'post',
    path: '/financings/:id/reject',
    operationId: 'rejectFinancing',
    tag: 'Financing',
    summary: 'Reject an application (the named bank)',
    params: byId,
    body: reason,
    mode: 'submit',
    result: answers.FinancingWithCertificate,
    call: ({ params, body }) => ({ transaction: 'Financing:Reject', args: [params.id, body.reason] }),
  }),
  op({
    method: 'post',
    path: '/financings/:id/repay',
    operationId: 'repayFinancing',
    tag: 'Financing',
    summary: "Repay part or all of what a pledge financing owes (applicant); the amount stays in the bank's collection",
    params: byId,
    mode: 'submit',
    body: z
      .object({
        amount: amount.describe("at most what is outstanding today (GET /financings/{id}/position, 'outstanding')"),
        repaymentRef: paymentRef,
      })
      .strict(),
    result: answers.FinancingRepayment,
    gate: 'Financing:RecordRepayment',
    flow: (caller, { params, body }, hooks) => terms.repayFinancing(caller, params.id, body, hooks),
  }),
  op({
    method: 'post',
    path: '/financings/:id/release',
    operationId: 'releaseFinancing',
    tag: 'Financing',
    summary: 'Confirm a pledge financing repaid in full and release the piece (the bank)',
    params: byId,
    mode: 'submit',
    body: z.object({ receiptRef: paymentRef }).strict(),
    result: answers.FinancingWithCertificate,
    call: ({ params, body }) => ({ transaction: 'Financing:Release', args: [params.id, body.receiptRef] }),
  }),
  op({
    method: 'post',
    path: '/financings/:id/surplus/confirmation',
    operationId: 'confirmFinancingSurplus',
    tag: 'Financing',
    summary:
      'Confirm the bank paid over what the settlement of a pledged piece left beyond the debt (the holder, once)',
    params: byId,
    mode: 'submit',
    body: z.object({ receiptRef: paymentRef }).strict(),
    result: records.Financing,
    call: ({ params, body }) => ({ transaction: 'Financing:ConfirmSurplus', args: [params.id, body.receiptRef] }),
  }),
  op({
    method: 'get',
    path: '/financings/:id/position',
    operationId: 'getFinancingPosition',
    tag: 'Financing',
    summary: "What a funded financing owes today, read from the deciding bank's peers (applicant, bank, oversight)",
    params: byId,
    mode: 'evaluate',
    result: records.FinancingPosition,
    gate: 'Financing:GetPosition',
    read: (caller, { params }) => terms.financingPosition(caller, params.id),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id/financings/addressed',
    operationId: 'listFinancingsAddressed',
    tag: 'Financing',
    summary: 'Applications addressed to a bank',
    ...listing('Financing:ListByBank', answers.FinancingPage),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id/financings/applied',
    operationId: 'listFinancingsApplied',
    tag: 'Financing',
    summary: "An applicant's applications",
    ...listing('Financing:ListByApplicant', answers.FinancingPage),
  }),

  op({
    method: 'post',
    path: '/settlements/:id/clear',
    operationId: 'clearSettlement',
    tag: 'Settlement',
    summary: 'Clear the next page of a payment',
    params: byId,
    mode: 'submit',
    body: z.object({ pageSize: z.number().int().min(1).max(vocabulary.MAX_PAGE_SIZE).default(200) }).strict(),
    result: answers.Cleared,
    call: ({ params, body }) => ({ transaction: 'Settlement:ClearNext', args: [params.id, String(body.pageSize)] }),
  }),
  op({
    method: 'post',
    path: '/settlements/:id/payment/confirmation',
    operationId: 'confirmSettlementPayment',
    tag: 'Settlement',
    summary: "Confirm the debtor's money arrived (the collecting bank: the one whose credit line the receivable used)",
    params: byId,
    mode: 'submit',
    body: z.object({ receiptRef: paymentRef.describe("the collecting bank's own reference for the credit") }).strict(),
    result: records.Settlement,
    call: ({ params, body }) => ({ transaction: 'Settlement:ConfirmPayment', args: [params.id, body.receiptRef] }),
  }),
  op({
    method: 'post',
    path: '/settlements/:id/payouts/:certificateId/confirmation',
    operationId: 'confirmPayoutReceived',
    tag: 'Settlement',
    summary: 'Confirm a payout arrived: PAYABLE → PAID, once (the payee, or an admin of the bank that onboarded it)',
    params: z.object({ id, certificateId: id }).strict(),
    mode: 'submit',
    body: z.object({ receiptRef: paymentRef.describe("the payee's reference for the credit") }).strict(),
    result: records.Payout,
    call: ({ params, body }: OperationInput<PayoutParams, { receiptRef: string }, unknown>) => ({
      transaction: 'Settlement:ConfirmPayout',
      args: [params.id, params.certificateId, body.receiptRef],
    }),
  }),
  op({
    method: 'get',
    path: '/receivables/:id/settlements',
    operationId: 'listReceivableSettlements',
    tag: 'Settlement',
    summary: 'Payments recorded for a receivable',
    params: byId,
    mode: 'evaluate',
    result: answers.Settlements,
    call: ({ params }) => ({ transaction: 'Settlement:ListByReceivable', args: [params.id] }),
  }),
  op({
    method: 'get',
    path: '/settlements/:id',
    operationId: 'getSettlement',
    tag: 'Settlement',
    summary: 'A settlement with its payouts',
    params: byId,
    mode: 'evaluate',
    result: answers.SettlementWithPayouts,
    call: ({ params }) => ({ transaction: 'Settlement:Get', args: [params.id] }),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id/statement',
    operationId: 'getStatement',
    tag: 'Settlement',
    summary:
      "An enterprise's statement over [from, to): opening, one line per transaction (issued, received, " +
      'transferred out, split, financed, repaid, settled, paid), closing; JSON, or CSV with format=csv ' +
      '(the enterprise itself, oversight)',
    params: byDid,
    query: z
      .object({
        from: instant.optional().describe('the first instant of the period; none: from the start of the ledger'),
        to: instant.optional().describe('the instant after the period; none: now'),
        format: z.enum(['json', 'csv']).default('json'),
      })
      .strict(),
    mode: 'evaluate',
    result: answers.Statement,
    gate: 'Statement:Holdings',
    read: (caller, { params, query }) =>
      statementOf(caller, params.id, query.from ?? LEDGER_START, query.to ?? new Date().toISOString()),
    csv: (result) => statementCsv(result as Statement),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id/payouts',
    operationId: 'listPayouts',
    tag: 'Settlement',
    summary: 'What an enterprise is owed from settlements',
    ...listing('Settlement:PayoutsTo', answers.PayoutPage),
  }),

  op({
    method: 'post',
    path: '/credentials',
    operationId: 'issueCredential',
    tag: 'Credentials',
    summary: 'Issue a credential; claims go to the private collection',
    params: none,
    mode: 'submit',
    status: 201,
    body: z
      .object({
        subjectId: did,
        type: z.enum(vocabulary.CREDENTIAL_TYPES as [string, ...string[]]),
        expiresAt: instant,
        claims,
      })
      .strict(),
    result: Credential,
    call: ({ body }) => ({
      transaction: 'Credential:Issue',
      args: [body.subjectId, body.type, body.expiresAt],
      transient: { claims: JSON.stringify(body.claims) },
    }),
  }),
  op({
    method: 'post',
    path: '/credentials/:id/revoke',
    operationId: 'revokeCredential',
    tag: 'Credentials',
    summary: 'Revoke a credential (issuer)',
    params: byId,
    body: reason,
    mode: 'submit',
    result: Credential,
    call: ({ params, body }) => ({ transaction: 'Credential:Revoke', args: [params.id, body.reason] }),
  }),
  op({
    method: 'get',
    path: '/credentials/:id/verification',
    operationId: 'verifyCredential',
    tag: 'Credentials',
    summary: 'Verify a credential',
    params: byId,
    mode: 'evaluate',
    result: answers.Verification,
    call: ({ params }) => ({ transaction: 'Credential:Verify', args: [params.id] }),
  }),
  op({
    method: 'post',
    path: '/credentials/:id/verification',
    operationId: 'verifyPresentedClaims',
    tag: 'Credentials',
    summary: 'Verify a credential and a presented claims document against it (a read)',
    params: byId,
    mode: 'evaluate',
    body: z.object({ claims }).strict(),
    result: answers.Verification,
    call: ({ params, body }) => ({
      transaction: 'Credential:Verify',
      args: [params.id],
      transient: { claims: JSON.stringify(body.claims) },
    }),
  }),
  op({
    method: 'get',
    path: '/credentials/:id/claims',
    operationId: 'getCredentialClaims',
    tag: 'Credentials',
    summary: "A credential's private claims (its issuer, its subject, oversight)",
    params: byId,
    mode: 'evaluate',
    result: answers.CredentialClaims,
    call: ({ params }) => ({ transaction: 'Credential:GetClaims', args: [params.id] }),
  }),
  op({
    method: 'get',
    path: '/enterprises/:id/credentials',
    operationId: 'listCredentials',
    tag: 'Credentials',
    summary: 'Credentials about an enterprise, with their standing',
    params: byDid,
    mode: 'evaluate',
    result: answers.SubjectCredentials,
    call: ({ params }) => ({ transaction: 'Credential:ListBySubject', args: [params.id] }),
  }),

  op({
    method: 'post',
    path: '/freezes',
    operationId: 'freeze',
    tag: 'Regulation',
    summary: 'Freeze a certificate or receivable (regulator)',
    params: none,
    mode: 'submit',
    body: z.object({ kind: z.enum(vocabulary.FREEZE_KINDS), id, reason: z.string().min(1).max(500) }).strict(),
    result: answers.Frozen,
    call: ({ body }) => ({ transaction: 'Regulator:Freeze', args: [body.kind, body.id, body.reason] }),
  }),
  op({
    method: 'post',
    path: '/unfreezes',
    operationId: 'unfreeze',
    tag: 'Regulation',
    summary: 'Lift a freeze (regulator)',
    params: none,
    mode: 'submit',
    body: z.object({ kind: z.enum(vocabulary.FREEZE_KINDS), id }).strict(),
    result: answers.Frozen,
    call: ({ body }) => ({ transaction: 'Regulator:Unfreeze', args: [body.kind, body.id] }),
  }),

  op({
    method: 'get',
    path: '/history/:kind/:id',
    operationId: 'getHistory',
    tag: 'Audit',
    summary: 'Every committed version of a record',
    params: z.object({ kind: z.enum(vocabulary.HISTORY_KINDS), id }).strict(),
    mode: 'evaluate',
    result: answers.History,
    call: ({ params }) => ({ transaction: 'Trace:History', args: [params.kind, params.id] }),
  }),
];
