import { z } from 'zod';

/**
 * Every REST operation that maps onto one chaincode transaction, declared once: the
 * schemas here validate requests and generate the OpenAPI document. The chaincode
 * re-validates every argument; these schemas give callers early, field-named errors.
 */
const amount = z.string().regex(/^[1-9][0-9]{0,18}$/).describe('integer minor units as a decimal string, e.g. "150000" for 1,500.00');
const id = z.string().min(1).max(160);
const did = z.string().regex(/^did:scf:[a-z0-9][a-z0-9-]{1,62}$/).describe('enterprise DID, e.g. did:scf:supplier-t1');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/).describe('lowercase hex SHA-256');
const instant = z.string().datetime({ offset: true }).describe('ISO-8601 time with zone');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('calendar date YYYY-MM-DD');
const reason = z.object({ reason: z.string().min(1).max(500) }).strict();
const paymentRef = z.string().min(1).max(128);
const page = z.object({ pageSize: z.coerce.number().int().min(1).max(200).default(50), bookmark: z.string().max(2048).default('') }).strict();

/** Onboarding (POST /enterprises): a bank admin registers an enterprise and enrolls its identity. */
export const ONBOARDING_BODY = z.object({
  id: did,
  name: z.string().min(1).max(200),
  roles: z.array(z.enum(['CORE', 'SUPPLIER', 'BANK', 'AUDITOR', 'REGULATOR'])).min(1),
  registrationNumber: z.string().regex(/^[0-9A-Za-z -]{6,64}$/),
}).strict();

/** For writes that take nothing, such as key rotation (the gateway enrolls the new identity itself) and key revocation. */
export const EMPTY_BODY = z.object({}).strict();

export interface Operation<P = Record<string, string>, B = unknown, Q = unknown> {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly params: z.ZodType<P>;
  readonly body?: z.ZodType<B>;
  readonly query?: z.ZodType<Q>;
  /** `submit` writes (and needs an Idempotency-Key); `evaluate` reads. */
  readonly mode: 'submit' | 'evaluate';
  readonly status?: number;
  readonly call: (input: { params: P; body: B; query: Q }) => { transaction: string; args: string[]; transient?: Record<string, string> };
}

function op<P, B, Q>(operation: Operation<P, B, Q>): Operation {
  return operation as unknown as Operation;
}

const none = EMPTY_BODY;
const byId = z.object({ id }).strict();
const listing = (transaction: string) => ({ params: byId, query: page, mode: 'evaluate' as const,
  call: ({ params, query }: { params: { id: string }; query: z.infer<typeof page> }) => ({ transaction, args: [params.id, String(query.pageSize), query.bookmark] }) });

export const OPERATIONS: readonly Operation[] = [
  op({ method: 'get', path: '/me', tag: 'Enterprises', summary: 'The enterprise the caller acts for', params: none, mode: 'evaluate',
    call: () => ({ transaction: 'Enterprise:WhoAmI', args: [] }) }),
  op({ method: 'get', path: '/enterprises/:id', tag: 'Enterprises', summary: 'An enterprise with its bound identities', params: byId, mode: 'evaluate',
    call: ({ params }) => ({ transaction: 'Enterprise:Get', args: [params.id] }) }),
  op({ method: 'post', path: '/enterprises/:id/suspend', tag: 'Enterprises', summary: 'Suspend a customer (its bank\'s admin)', params: byId, body: reason, mode: 'submit',
    call: ({ params, body }) => ({ transaction: 'Enterprise:Suspend', args: [params.id, body.reason] }) }),
  op({ method: 'post', path: '/enterprises/:id/reinstate', tag: 'Enterprises', summary: 'Reinstate a suspended customer', params: byId, body: none, mode: 'submit',
    call: ({ params }) => ({ transaction: 'Enterprise:Reinstate', args: [params.id] }) }),
  op({ method: 'get', path: '/dids/:id', tag: 'Identity', summary: 'DID document', params: byId, mode: 'evaluate',
    call: ({ params }) => ({ transaction: 'Identity:GetDidDocument', args: [params.id] }) }),
  op({ method: 'post', path: '/me/services', tag: 'Identity', summary: 'Publish service endpoints in the caller\'s DID document', params: none, mode: 'submit',
    body: z.object({ services: z.array(z.object({ id: z.string(), type: z.string(), endpoint: z.string() }).strict()).max(10) }).strict(),
    call: ({ body }) => ({ transaction: 'Identity:SetServices', args: [JSON.stringify(body.services)] }) }),
  op({ method: 'post', path: '/me/guardians', tag: 'Identity', summary: 'Name the guardians who may together recover a lost key', params: none, mode: 'submit',
    body: z.object({ guardianIds: z.array(did).min(1).max(10), threshold: z.number().int().min(1).max(10) }).strict(),
    call: ({ body }) => ({ transaction: 'Identity:SetGuardians', args: [JSON.stringify(body.guardianIds), String(body.threshold)] }) }),
  op({ method: 'post', path: '/enterprises/:id/recovery', tag: 'Identity', summary: 'Propose restoring access with a new identity (a guardian)', params: byId, mode: 'submit',
    body: z.object({ newMspId: z.string().min(1).max(64), newClientId: z.string().min(1).max(1024) }).strict(),
    call: ({ params, body }) => ({ transaction: 'Identity:ProposeRecovery', args: [params.id, body.newMspId, body.newClientId] }) }),
  op({ method: 'post', path: '/enterprises/:id/recovery/approve', tag: 'Identity', summary: 'Approve the open recovery (a guardian)', params: byId, body: none, mode: 'submit',
    call: ({ params }) => ({ transaction: 'Identity:ApproveRecovery', args: [params.id] }) }),
  op({ method: 'post', path: '/me/deactivate', tag: 'Identity', summary: 'Deregister the caller\'s enterprise for good (注销)', params: none, body: reason, mode: 'submit',
    call: ({ body }) => ({ transaction: 'Identity:Deactivate', args: [body.reason] }) }),

  op({ method: 'post', path: '/receivables', tag: 'Receivables', summary: 'Issue a receivable to a supplier (core enterprise)', params: none, mode: 'submit', status: 201,
    body: z.object({
      creditorId: did, faceAmount: amount, currency: z.string().regex(/^[A-Z]{3}$/), dueDate: date,
      invoiceHash: sha256, contractHash: sha256, creditLineId: id,
      invoice: z.object({ invoiceCode: z.string().min(1).max(64), invoiceNumber: z.string().min(1).max(64),
        sellerRegistrationNumber: z.string().min(1).max(64), buyerRegistrationNumber: z.string().min(1).max(64) }).strict()
        .describe('identifies the invoice; sent to the chaincode as transient data, never stored in clear'),
    }).strict(),
    call: ({ body }) => ({ transaction: 'Receivable:Issue',
      args: [body.creditorId, body.faceAmount, body.currency, body.dueDate, body.invoiceHash, body.contractHash, body.creditLineId],
      transient: { invoice: JSON.stringify(body.invoice) } }) }),
  op({ method: 'get', path: '/receivables/:id', tag: 'Receivables', summary: 'A receivable, with what is outstanding and whether it is overdue', params: byId, mode: 'evaluate',
    call: ({ params }) => ({ transaction: 'Receivable:Get', args: [params.id] }) }),
  op({ method: 'post', path: '/receivables/:id/accept', tag: 'Receivables', summary: 'Sign for a receivable (签收); creates the first certificate', params: byId, body: none, mode: 'submit',
    call: ({ params }) => ({ transaction: 'Receivable:Accept', args: [params.id] }) }),
  op({ method: 'post', path: '/receivables/:id/refuse', tag: 'Receivables', summary: 'Refuse a receivable', params: byId, body: reason, mode: 'submit',
    call: ({ params, body }) => ({ transaction: 'Receivable:Refuse', args: [params.id, body.reason] }) }),
  op({ method: 'get', path: '/receivables/:id/tree', tag: 'Audit', summary: 'The whole certificate tree of a receivable', params: byId, mode: 'evaluate',
    call: ({ params }) => ({ transaction: 'Trace:Tree', args: [params.id] }) }),
  op({ method: 'get', path: '/receivables/:id/attestations', tag: 'Audit', summary: 'Who attested the receivable\'s documents', params: byId, mode: 'evaluate',
    call: ({ params }) => ({ transaction: 'Trace:Attestations', args: ['receivable', params.id] }) }),
  op({ method: 'post', path: '/receivables/:id/payments', tag: 'Settlement', summary: 'Record payment at maturity and clear the first page of pieces (debtor)', params: byId, mode: 'submit', status: 201,
    body: z.object({ amount, paymentRef, pageSize: z.number().int().min(1).max(200).default(200) }).strict(),
    call: ({ params, body }) => ({ transaction: 'Settlement:Pay', args: [params.id, body.amount, body.paymentRef, String(body.pageSize)] }) }),
  op({ method: 'get', path: '/enterprises/:id/receivables/owed', tag: 'Receivables', summary: 'Receivables an enterprise owes (debtor)', ...listing('Receivable:ListByDebtor') }),
  op({ method: 'get', path: '/enterprises/:id/receivables/held', tag: 'Receivables', summary: 'Receivables issued to an enterprise (creditor)', ...listing('Receivable:ListByCreditor') }),

  op({ method: 'get', path: '/certificates/:id', tag: 'Certificates', summary: 'A certificate', params: byId, mode: 'evaluate',
    call: ({ params }) => ({ transaction: 'Certificate:Get', args: [params.id] }) }),
  op({ method: 'post', path: '/certificates/:id/split', tag: 'Certificates', summary: 'Split into pieces summing exactly to the certificate', params: byId, mode: 'submit',
    body: z.object({ amounts: z.array(amount).min(2).max(100) }).strict(),
    call: ({ params, body }) => ({ transaction: 'Certificate:Split', args: [params.id, JSON.stringify(body.amounts)] }) }),
  op({ method: 'post', path: '/certificates/:id/offer', tag: 'Certificates', summary: 'Offer the certificate, or part of it (amount), to another enterprise', params: byId, mode: 'submit',
    body: z.object({ to: did, expiresAt: instant, amount: amount.optional() }).strict(),
    call: ({ params, body }) => (body.amount
      ? { transaction: 'Certificate:OfferPart', args: [params.id, body.amount, body.to, body.expiresAt] }
      : { transaction: 'Certificate:OfferTransfer', args: [params.id, body.to, body.expiresAt] }) }),
  op({ method: 'post', path: '/certificates/:id/offer/accept', tag: 'Certificates', summary: 'Sign for an offered certificate', params: byId, body: none, mode: 'submit',
    call: ({ params }) => ({ transaction: 'Certificate:AcceptTransfer', args: [params.id] }) }),
  op({ method: 'post', path: '/certificates/:id/offer/refuse', tag: 'Certificates', summary: 'Refuse an offered certificate', params: byId, body: none, mode: 'submit',
    call: ({ params }) => ({ transaction: 'Certificate:RefuseTransfer', args: [params.id] }) }),
  op({ method: 'post', path: '/certificates/:id/offer/cancel', tag: 'Certificates', summary: 'Withdraw an open offer (holder)', params: byId, body: none, mode: 'submit',
    call: ({ params }) => ({ transaction: 'Certificate:CancelOffer', args: [params.id] }) }),
  op({ method: 'get', path: '/certificates/:id/lineage', tag: 'Audit', summary: 'Lineage back to the receivable', params: byId, mode: 'evaluate',
    call: ({ params }) => ({ transaction: 'Trace:Lineage', args: [params.id] }) }),
  op({ method: 'get', path: '/enterprises/:id/certificates', tag: 'Certificates', summary: 'Live certificates an enterprise holds', ...listing('Certificate:ListByHolder') }),
  op({ method: 'get', path: '/enterprises/:id/offers', tag: 'Certificates', summary: 'Open offers awaiting an enterprise', ...listing('Certificate:ListOffersTo') }),

  op({ method: 'post', path: '/credit-lines', tag: 'Credit lines', summary: 'Grant a core enterprise a credit line (bank)', params: none, mode: 'submit', status: 201,
    body: z.object({ coreId: did, currency: z.string().regex(/^[A-Z]{3}$/), limit: amount, expiresAt: instant }).strict(),
    call: ({ body }) => ({ transaction: 'CreditLine:Grant', args: [body.coreId, body.currency, body.limit, body.expiresAt] }) }),
  op({ method: 'get', path: '/credit-lines/:id', tag: 'Credit lines', summary: 'A credit line', params: byId, mode: 'evaluate',
    call: ({ params }) => ({ transaction: 'CreditLine:Get', args: [params.id] }) }),
  op({ method: 'post', path: '/credit-lines/:id/limit', tag: 'Credit lines', summary: 'Raise or lower the limit', params: byId, mode: 'submit',
    body: z.object({ limit: amount }).strict(), call: ({ params, body }) => ({ transaction: 'CreditLine:SetLimit', args: [params.id, body.limit] }) }),
  op({ method: 'post', path: '/credit-lines/:id/freeze', tag: 'Credit lines', summary: 'Freeze a line', params: byId, body: none, mode: 'submit',
    call: ({ params }) => ({ transaction: 'CreditLine:Freeze', args: [params.id] }) }),
  op({ method: 'post', path: '/credit-lines/:id/unfreeze', tag: 'Credit lines', summary: 'Unfreeze a line', params: byId, body: none, mode: 'submit',
    call: ({ params }) => ({ transaction: 'CreditLine:Unfreeze', args: [params.id] }) }),
  op({ method: 'get', path: '/enterprises/:id/credit-lines', tag: 'Credit lines', summary: 'Lines granted to a core enterprise', ...listing('CreditLine:ListByCore') }),

  op({ method: 'post', path: '/financings', tag: 'Financing', summary: 'Apply to a bank for financing against a certificate (holder)', params: none, mode: 'submit', status: 201,
    body: z.object({ certificateId: id, bankId: did, mode: z.enum(['PLEDGE', 'ASSIGNMENT']), requestedAmount: amount,
      annualRateBps: z.number().int().min(0).max(99999), feeAmount: z.string().regex(/^(0|[1-9][0-9]{0,18})$/), tenorEnd: date, documentsHash: sha256 }).strict(),
    call: ({ body }) => ({ transaction: 'Financing:Apply', args: [body.certificateId, body.bankId, body.mode, body.requestedAmount,
      String(body.annualRateBps), body.feeAmount, body.tenorEnd, body.documentsHash] }) }),
  op({ method: 'get', path: '/financings/:id', tag: 'Financing', summary: 'A financing', params: byId, mode: 'evaluate',
    call: ({ params }) => ({ transaction: 'Financing:Get', args: [params.id] }) }),
  op({ method: 'post', path: '/financings/:id/approve', tag: 'Financing', summary: 'Fund an application (the named bank)', params: byId, mode: 'submit',
    body: z.object({ disbursedAmount: amount, paymentRef }).strict(),
    call: ({ params, body }) => ({ transaction: 'Financing:Approve', args: [params.id, body.disbursedAmount, body.paymentRef] }) }),
  op({ method: 'post', path: '/financings/:id/reject', tag: 'Financing', summary: 'Reject an application (the named bank)', params: byId, body: reason, mode: 'submit',
    call: ({ params, body }) => ({ transaction: 'Financing:Reject', args: [params.id, body.reason] }) }),
  op({ method: 'post', path: '/financings/:id/repay', tag: 'Financing', summary: 'Record repayment, releasing the pledge (applicant)', params: byId, mode: 'submit',
    body: z.object({ repaymentRef: paymentRef }).strict(), call: ({ params, body }) => ({ transaction: 'Financing:Repay', args: [params.id, body.repaymentRef] }) }),
  op({ method: 'get', path: '/enterprises/:id/financings/addressed', tag: 'Financing', summary: 'Applications addressed to a bank', ...listing('Financing:ListByBank') }),
  op({ method: 'get', path: '/enterprises/:id/financings/applied', tag: 'Financing', summary: 'An applicant\'s applications', ...listing('Financing:ListByApplicant') }),

  op({ method: 'post', path: '/settlements/:id/clear', tag: 'Settlement', summary: 'Clear the next page of a payment', params: byId, mode: 'submit',
    body: z.object({ pageSize: z.number().int().min(1).max(200).default(200) }).strict(),
    call: ({ params, body }) => ({ transaction: 'Settlement:ClearNext', args: [params.id, String(body.pageSize)] }) }),
  op({ method: 'get', path: '/receivables/:id/settlements', tag: 'Settlement', summary: 'Payments recorded for a receivable', params: byId, mode: 'evaluate',
    call: ({ params }) => ({ transaction: 'Settlement:ListByReceivable', args: [params.id] }) }),
  op({ method: 'get', path: '/settlements/:id', tag: 'Settlement', summary: 'A settlement with its payouts', params: byId, mode: 'evaluate',
    call: ({ params }) => ({ transaction: 'Settlement:Get', args: [params.id] }) }),
  op({ method: 'get', path: '/enterprises/:id/payouts', tag: 'Settlement', summary: 'What an enterprise is owed from settlements', ...listing('Settlement:PayoutsTo') }),

  op({ method: 'post', path: '/credentials', tag: 'Credentials', summary: 'Issue a credential; claims go to the private collection', params: none, mode: 'submit', status: 201,
    body: z.object({ subjectId: did, type: z.string().regex(/^[A-Z][A-Z_]{1,39}$/), expiresAt: instant,
      claims: z.record(z.string(), z.unknown()).describe('must include a random "nonce" of 16+ characters') }).strict(),
    call: ({ body }) => ({ transaction: 'Credential:Issue', args: [body.subjectId, body.type, body.expiresAt], transient: { claims: JSON.stringify(body.claims) } }) }),
  op({ method: 'post', path: '/credentials/:id/revoke', tag: 'Credentials', summary: 'Revoke a credential (issuer)', params: byId, body: reason, mode: 'submit',
    call: ({ params, body }) => ({ transaction: 'Credential:Revoke', args: [params.id, body.reason] }) }),
  op({ method: 'get', path: '/credentials/:id/verification', tag: 'Credentials', summary: 'Verify a credential', params: byId, mode: 'evaluate',
    call: ({ params }) => ({ transaction: 'Credential:Verify', args: [params.id] }) }),
  op({ method: 'post', path: '/credentials/:id/verification', tag: 'Credentials', summary: 'Verify a credential and a presented claims document against it (a read)', params: byId, mode: 'evaluate',
    body: z.object({ claims: z.record(z.string(), z.unknown()) }).strict(),
    call: ({ params, body }) => ({ transaction: 'Credential:Verify', args: [params.id], transient: { claims: JSON.stringify(body.claims) } }) }),
  op({ method: 'get', path: '/enterprises/:id/credentials', tag: 'Credentials', summary: 'Credentials about an enterprise, with their standing', params: byId, mode: 'evaluate',
    call: ({ params }) => ({ transaction: 'Credential:ListBySubject', args: [params.id] }) }),

  op({ method: 'post', path: '/freezes', tag: 'Regulation', summary: 'Freeze a certificate or receivable (regulator)', params: none, mode: 'submit',
    body: z.object({ kind: z.enum(['certificate', 'receivable']), id, reason: z.string().min(1).max(500) }).strict(),
    call: ({ body }) => ({ transaction: 'Regulator:Freeze', args: [body.kind, body.id, body.reason] }) }),
  op({ method: 'post', path: '/unfreezes', tag: 'Regulation', summary: 'Lift a freeze (regulator)', params: none, mode: 'submit',
    body: z.object({ kind: z.enum(['certificate', 'receivable']), id }).strict(),
    call: ({ body }) => ({ transaction: 'Regulator:Unfreeze', args: [body.kind, body.id] }) }),

  op({ method: 'get', path: '/history/:kind/:id', tag: 'Audit', summary: 'Every committed version of a record',
    params: z.object({ kind: z.enum(['certificate', 'receivable', 'enterprise', 'creditLine', 'financing', 'settlement']), id }).strict(), mode: 'evaluate',
    call: ({ params }) => ({ transaction: 'Trace:History', args: [params.kind, params.id] }) }),
];
