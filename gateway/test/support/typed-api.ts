import { records, vocabulary } from '@scf/chaincode';
import { z } from 'zod';
import * as answers from '../../src/http/answers';
import { documentedRoutes, type DocumentedRoute } from '../../src/http/gateway-routes';
import type { ApiErrorCode } from '../../src/http/http-error';
import { amount, claims, date, decimalUpTo, EMPTY_BODY, KEY_ROTATION_BODY, ONBOARDING_BODY } from '../../src/http/operations';

/**
 * A typed view of the REST API for the test suites: each operation, by its `operationId`,
 * with the zod schemas of its path parameters, query, body and success answer.
 *
 * The gateway's operation table erases each operation's schema types (it is a list of
 * `Operation`), so the typed entries are declared here; none is trusted: before its first
 * use, each entry is compared with the route the gateway documents under the same
 * operationId (its JSON Schemas, descriptions aside, for params, query, body and the
 * success answer), and a difference fails the test. The request types are `z.input` of
 * these schemas, the answer types `z.infer`.
 */

const id = z.string().min(1).max(160);
const did = z.string().regex(vocabulary.DID_PATTERN);
const sha256 = z.string().regex(vocabulary.SHA256_HEX_PATTERN);
const instant = z.iso.datetime({ offset: true });
const feeAmount = z.string().regex(decimalUpTo(vocabulary.MAX_AMOUNT, 0)).max(19);
const byId = z.object({ id }).strict();
const byDid = z.object({ id: did }).strict();
const page = z.object({
  pageSize: z.coerce.number().int().min(1).max(vocabulary.MAX_PAGE_SIZE).default(50),
  bookmark: z.string().max(vocabulary.MAX_BOOKMARK_LENGTH).regex(vocabulary.BOOKMARK_PATTERN).default(''),
}).strict();

/** The erased schemas of the answers module, with the types of what they describe. */
type ReceivableView = records.Receivable & { outstandingAmount: string; overdue: boolean };
const typed = <T>(schema: z.ZodType): z.ZodType<T> => schema as z.ZodType<T>;
const ReceivableView = typed<ReceivableView>(answers.ReceivableView);
/** `answers.ReceivableTree`, whose recursive node type the answers module does not export. */
interface TreeNode { certificate: records.Certificate; children: TreeNode[] }
const ReceivableTree = typed<{ receivable: records.Receivable; root: TreeNode | null; livePieces: number; liveAmount: string }>(answers.ReceivableTree);

interface ReadSpec { readonly write: false; readonly params?: z.ZodType; readonly query?: z.ZodType; readonly body?: z.ZodType; readonly answer: z.ZodType; readonly result?: undefined }
/** A write answers `committed(result)`, except the gateway's own writes (onboarding), which answer `answer` itself. */
type WriteSpec = { readonly write: true; readonly params?: z.ZodType; readonly query?: undefined; readonly body: z.ZodType }
  & ({ readonly result: z.ZodType; readonly answer?: undefined } | { readonly answer: z.ZodType; readonly result?: undefined });
type Spec = ReadSpec | WriteSpec;

const read = <S extends Omit<ReadSpec, 'write' | 'result'>>(spec: S) => ({ ...spec, write: false as const });
const write = <S extends { params?: z.ZodType; body: z.ZodType } & ({ result: z.ZodType } | { answer: z.ZodType })>(spec: S) => ({ ...spec, write: true as const });

/** The operations the suites call with well-formed requests; add one here to call it typed. */
const TYPED_OPERATIONS = {
  getMe: read({ answer: answers.WhoAmI }),
  getDidDocument: read({ params: byDid, answer: answers.DidDocument }),
  setMyGuardians: write({ body: z.object({ guardianIds: z.array(did).min(1).max(10), threshold: z.number().int().min(1).max(10) }).strict(), result: records.Enterprise }),
  onboardEnterprise: write({ body: ONBOARDING_BODY, answer: answers.Onboarded }),
  rotateMyKey: write({ body: KEY_ROTATION_BODY, result: answers.KeyRotated }),
  issueReceivable: write({
    body: z.object({
      creditorId: did, faceAmount: amount, currency: z.string().regex(vocabulary.CURRENCY_PATTERN), dueDate: date,
      invoiceHash: sha256, contractHash: sha256, creditLineId: id,
      invoice: z.object({
        invoiceCode: z.string().min(1).max(64), invoiceNumber: z.string().min(1).max(64),
        sellerRegistrationNumber: z.string().min(1).max(64), buyerRegistrationNumber: z.string().min(1).max(64),
      }).strict(),
    }).strict(),
    result: records.Receivable,
  }),
  getReceivable: read({ params: byId, answer: ReceivableView }),
  acceptReceivable: write({ params: byId, body: EMPTY_BODY, result: answers.Accepted }),
  getReceivableTree: read({ params: byId, answer: ReceivableTree }),
  splitCertificate: write({ params: byId, body: z.object({ amounts: z.array(amount).min(2).max(100) }).strict(), result: answers.SplitResult }),
  offerCertificate: write({ params: byId, body: z.object({ to: did, expiresAt: instant, amount: amount.optional() }).strict(), result: answers.Offered }),
  acceptOffer: write({ params: byId, body: EMPTY_BODY, result: records.Certificate }),
  getCertificateLineage: read({ params: byId, answer: answers.Lineage }),
  listOffersTo: read({ params: byDid, query: page, answer: answers.CertificatePage }),
  applyForFinancing: write({
    body: z.object({
      certificateId: id, bankId: did, requestedAmount: amount, annualRateBps: z.number().int().min(0).max(99999), feeAmount, tenorEnd: date,
      mode: z.enum(vocabulary.FINANCING_MODES), documentsHash: sha256,
    }).strict(),
    result: answers.FinancingWithTerms,
  }),
  quoteFinancing: read({
    body: z.object({
      certificateId: id, bankId: did, requestedAmount: amount, annualRateBps: z.number().int().min(0).max(99999), feeAmount, tenorEnd: date,
    }).strict(),
    answer: records.Price,
  }),
  approveFinancing: write({ params: byId, body: z.object({ disbursedAmount: amount, paymentRef: z.string().min(1).max(128),
    recourse: z.boolean().optional(), penaltyRateBps: z.number().int().min(0).max(99999).optional() }).strict(), result: answers.FinancingWithTerms }),
  getFinancingTerms: read({ params: byId, answer: answers.FinancingTerms }),
  repayFinancing: write({ params: byId, body: z.object({ amount, repaymentRef: z.string().min(1).max(128) }).strict(), result: answers.FinancingRepayment }),
  releaseFinancing: write({ params: byId, body: z.object({ receiptRef: z.string().min(1).max(128) }).strict(), result: answers.FinancingWithCertificate }),
  getFinancingPosition: read({ params: byId, answer: records.FinancingPosition }),
  requestQuotes: write({
    body: z.object({ certificateId: id, bankIds: z.array(did).min(1).max(10), expiresAt: instant }).strict(),
    result: records.QuoteRequest,
  }),
  answerQuoteRequest: write({
    params: byId,
    body: z.object({ requestedAmount: amount, annualRateBps: z.number().int().min(0).max(99999), feeAmount, tenorEnd: date }).strict(),
    result: answers.QuoteView,
  }),
  getQuote: read({ params: z.object({ id, bankId: did }).strict(), answer: answers.QuoteView }),
  acceptQuote: write({
    params: byId,
    body: z.object({ bankId: did, termsHash: sha256, mode: z.enum(vocabulary.FINANCING_MODES), documentsHash: sha256 }).strict(),
    result: answers.QuoteAccepted,
  }),
  listFinancingsApplied: read({ params: byDid, query: page, answer: answers.FinancingPage }),
  issueCredential: write({
    body: z.object({ subjectId: did, type: z.enum(vocabulary.CREDENTIAL_TYPES as [string, ...string[]]), expiresAt: instant, claims }).strict(),
    result: records.Credential,
  }),
  verifyPresentedClaims: read({ params: byId, body: z.object({ claims }).strict(), answer: answers.Verification }),
  getHistory: read({ params: z.object({ kind: z.enum(vocabulary.HISTORY_KINDS), id }).strict(), answer: answers.History }),
  getTransaction: read({ params: z.object({ txId: z.string().regex(/^[0-9a-f]{64}$/) }), answer: answers.TransactionRecord }),
} satisfies Record<string, Spec>;

export type OperationId = keyof typeof TYPED_OPERATIONS;
type SpecOf<Id extends OperationId> = (typeof TYPED_OPERATIONS)[Id];

/** A committed write's answer: the chaincode's reply is `result`. */
export interface Committed<R> {
  txId: string;
  blockNumber: number;
  result: R;
  attempts: number;
}
/** What an operation answers on success. */
export type AnswerOf<Id extends OperationId> = SpecOf<Id> extends { write: true; result: infer R extends z.ZodType }
  ? Committed<z.infer<R>>
  : SpecOf<Id> extends { answer: infer A extends z.ZodType } ? z.infer<A> : never;

type Part<S, K extends string, Name extends string> = S extends Record<K, infer Z extends z.ZodType> ? Record<Name, z.input<Z>> : { [N in Name]?: never };
/** A well-formed request: who calls, the idempotency key of a write, and the typed params, query and body. */
export type OperationInput<Id extends OperationId> = { as?: string; headers?: Record<string, string> }
  & (SpecOf<Id> extends { write: true } ? { key: string } : { key?: never })
  & Part<SpecOf<Id>, 'params', 'params'> & Partial<Part<SpecOf<Id>, 'query', 'query'>> & Part<SpecOf<Id>, 'body', 'body'>;

/** The API's error body. */
export interface ApiError {
  error: { code: ApiErrorCode; message: string; field?: string };
}
/** The answer to a typed call: its success, a write ordered but not seen committed in time (202), or a refusal. */
export type OperationAnswer<Id extends OperationId> =
  | { ok: true; status: number; body: AnswerOf<Id>; headers: Headers }
  | { ok: 'pending'; status: 202; body: z.infer<typeof answers.Pending>; headers: Headers }
  | { ok: false; status: number; body: ApiError; headers: Headers };

/** What a typed call needs of the gateway under test: its documented `call`. */
export interface Caller {
  call(method: string, route: string, options?: { as?: string; body?: unknown; key?: string; headers?: Record<string, string> }):
    Promise<{ status: number; body: unknown; headers: Headers }>;
}

/** Sends a well-formed request for the operation; the answer is checked against /openapi.json by `call`. */
export async function callOperation<Id extends OperationId>(gw: Caller, operationId: Id, input: OperationInput<Id>): Promise<OperationAnswer<Id>> {
  const route = routeOf(operationId);
  const { params, query, body } = input as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };
  const path = route.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`${operationId}: no value for the path parameter ${name}`);
    return encodeURIComponent(value).replace(/%3A/gi, ':');
  });
  const search = new URLSearchParams(Object.entries(query ?? {}).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const answer = await gw.call(route.method.toUpperCase(), search ? `${path}?${search}` : path, {
    ...(input.as !== undefined ? { as: input.as } : {}), ...(input.key !== undefined ? { key: input.key } : {}),
    ...(input.headers ? { headers: input.headers } : {}), ...(body !== undefined ? { body } : {}),
  });
  const ok = answer.status === 202 && TYPED_OPERATIONS[operationId].write ? 'pending' : answer.status >= 200 && answer.status < 300;
  return { ...answer, ok } as OperationAnswer<Id>;
}

/** Narrows a typed answer to its success, failing the test (with the status and body) otherwise. */
export function succeeded<Id extends OperationId>(answer: OperationAnswer<Id>): Extract<OperationAnswer<Id>, { ok: true }> {
  if (answer.ok !== true) throw new Error(`expected a success, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer as Extract<OperationAnswer<Id>, { ok: true }>;
}

const checked = new Map<OperationId, DocumentedRoute>();

/** The documented route of a typed operation, once its entry here is found to match it exactly. */
function routeOf(operationId: OperationId): DocumentedRoute {
  const known = checked.get(operationId);
  if (known) return known;
  const route = documentedRoutes().find((r) => r.operationId === operationId);
  if (!route) throw new Error(`the gateway documents no operation ${operationId}`);
  const spec: Spec = TYPED_OPERATIONS[operationId];
  const success = Object.keys(route.responses).map(Number).find((status) => status !== 202 && status < 300);
  const documented = success === undefined ? undefined : route.responses[success]?.schema;
  const pairs: [string, z.ZodType | undefined, z.ZodType | undefined][] = [
    ['params', spec.params, route.params], ['query', spec.query, route.query], ['body', spec.body, route.body],
    ['answer', spec.result ? answers.committed(spec.result) : spec.answer, documented],
  ];
  for (const [part, mine, theirs] of pairs) {
    if (!sameSchema(mine, theirs)) {
      throw new Error(`typed-api: the ${part} of ${operationId} differs from the gateway's:\n  here:    ${JSON.stringify(jsonSchema(mine))}\n  gateway: ${JSON.stringify(jsonSchema(theirs))}`);
    }
  }
  if (spec.write !== (route.headers ?? []).some((h) => h.name === 'Idempotency-Key')) throw new Error(`typed-api: ${operationId} is ${spec.write ? '' : 'not '}a write here, not there`);
  checked.set(operationId, route);
  return route;
}

/** An empty params object is no params (an operation without path parameters declares `{}`). */
function sameSchema(a: z.ZodType | undefined, b: z.ZodType | undefined): boolean {
  return JSON.stringify(jsonSchema(a)) === JSON.stringify(jsonSchema(b));
}

function jsonSchema(schema: z.ZodType | undefined): unknown {
  if (!schema) return undefined;
  const json = strip(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })) as { type?: string; properties?: object };
  return json.type === 'object' && json.properties && Object.keys(json.properties).length === 0 ? undefined : json;
}

/** The schema without its descriptions: only what it accepts is compared. */
function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'description').map(([k, v]) => [k, strip(v)]));
  }
  return value;
}
