import { TRANSACTION_POLICY, type TransactionName } from '@scf/chaincode';
import { randomBytes } from 'crypto';
import type { LedgerCaller as Caller, SubmitHooks, SubmitOutcome } from '../ledger/ledger-backend';
import { ChaincodeRefusal } from '../ledger/ledger-errors';
import { submitAndWait } from './commit-wait';

/**
 * Flows that keep commercial terms (a financing's price, a credit line's limit) private to
 * the bank that decides them. Each writes the terms on that bank's peers alone (as transient
 * data, endorsed by them alone) and runs the public step that names them by their hash. The
 * public step gets the caller's idempotency hooks: it is the write a retry must never
 * repeat, while a repeated private step only stores the same terms again under a fresh salt.
 * Each flow answers as a single write does, with its public step's transaction.
 */

type Answer = Record<string, unknown>;

/** A fresh 32-byte salt: what keeps a rival from testing guesses against the hash every peer keeps. */
function salt(): string {
  return randomBytes(32).toString('hex');
}

async function evaluate(
  caller: Caller,
  transaction: string,
  args: string[],
  keptBy?: string,
  transient?: Record<string, unknown>,
): Promise<Answer> {
  const call = {
    identity: caller.identity,
    transaction,
    args,
    keptBy,
    ...(transient && { transient: documents(transient) }),
  };
  return (await caller.backend.evaluate(call)) as Answer;
}

/** Transient documents as the chaincode reads them: each a JSON text. */
function documents(transient: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(transient).map(([name, value]) => [name, JSON.stringify(value)]));
}

/** A write to the keeping organisation's collection alone, committed before the flow goes on. */
function submitPrivately(
  caller: Caller,
  transaction: string,
  args: string[],
  keptBy: string,
  transient: Record<string, unknown>,
  hooks: SubmitHooks = {},
): Promise<SubmitOutcome> {
  return submitAndWait(
    caller.backend,
    { identity: caller.identity, transaction, args, keptBy, transient: documents(transient) },
    hooks,
  );
}

function submitPublicly(
  caller: Caller,
  transaction: string,
  args: string[],
  hooks: SubmitHooks,
): Promise<SubmitOutcome> {
  return caller.backend.submit({ identity: caller.identity, transaction, args }, hooks);
}

function answering(outcome: SubmitOutcome, result: Answer): SubmitOutcome {
  return { ...outcome, result };
}

/** The organisation whose peers keep a bank's terms: the consortium bank that onboarded it. */
async function termsOrgOfBank(caller: Caller, bankId: string): Promise<string> {
  const bank = await evaluate(caller, 'Enterprise:Get', [bankId]);
  return String(bank['onboardedByMsp']);
}

/** What a holder asks a bank for. */
export interface FinancingAsk {
  readonly certificateId: string;
  readonly bankId: string;
  readonly requestedAmount: string;
  readonly annualRateBps: number;
  readonly feeAmount: string;
  readonly tenorEnd: string;
}

export interface FinancingRequest extends FinancingAsk {
  readonly mode: string;
  readonly documentsHash: string;
}

/**
 * The price of asked terms if the bank funded them today, computed on the bank's peers
 * alone (the asked rate and fee are private terms too); nothing is written.
 */
export async function quoteFinancing(caller: Caller, ask: FinancingAsk): Promise<Answer> {
  const { certificateId, bankId, ...asked } = ask;
  const termsOrg = await termsOrgOfBank(caller, bankId);
  return evaluate(caller, 'Financing:Quote', [certificateId, bankId], termsOrg, { terms: asked });
}

/** The holder proposes its terms to the bank's peers, then applies publicly on them (by hash). */
export async function applyForFinancing(
  caller: Caller,
  request: FinancingRequest,
  hooks: SubmitHooks,
): Promise<SubmitOutcome> {
  const { certificateId, bankId, mode, documentsHash, ...asked } = request;
  const termsOrg = await termsOrgOfBank(caller, bankId);
  const proposal = await submitPrivately(caller, 'Financing:ProposeTerms', [certificateId, bankId], termsOrg, {
    terms: { ...asked, salt: salt() },
  });
  const termsHash = String((proposal.result as Answer)['termsHash']);
  const args = [certificateId, bankId, mode, termsHash, documentsHash];
  const applied = await submitPublicly(caller, 'Financing:Apply', args, hooks);
  const answer = applied.result as Answer;
  const financingId = String((answer['financing'] as Answer)['id']);
  return answering(applied, {
    ...answer,
    terms: await evaluate(caller, 'Financing:GetTerms', [financingId], termsOrg),
  });
}

/** What the bank decides on funding: the disbursement (the price exactly), recourse and the penalty rate. */
export interface FundingDecision {
  readonly disbursedAmount: string;
  readonly paymentRef: string;
  readonly recourse?: boolean | undefined;
  readonly penaltyRateBps?: number | undefined;
}

/**
 * The named bank stores its decision on its own peers, then funds publicly on it (by hash).
 * A bank's identities come from its own organisation, whose peers keep its terms: the
 * decision goes there (the chaincode refuses it anywhere else).
 */
export async function approveFinancing(
  caller: Caller,
  financingId: string,
  decision: FundingDecision,
  hooks: SubmitHooks,
): Promise<SubmitOutcome> {
  const termsOrg = caller.identity.mspId;
  const { paymentRef, ...decisionTerms } = decision;
  const decided = await submitPrivately(caller, 'Financing:DecideTerms', [financingId], termsOrg, {
    decision: { ...decisionTerms, salt: salt() },
  });
  const args = [financingId, String((decided.result as Answer)['decisionHash']), paymentRef];
  const approved = await submitPublicly(caller, 'Financing:Approve', args, hooks);
  const terms = await evaluate(caller, 'Financing:GetTerms', [financingId], termsOrg);
  return answering(approved, { ...(approved.result as Answer), terms });
}

/**
 * Refuses a caller whose roles the transaction's policy (the chaincode's own table) does not
 * name, before the flow looks anything up: as its access gate would, whether the record exists or not.
 */
async function requireRoleFor(caller: Caller, transaction: TransactionName): Promise<void> {
  const policy = TRANSACTION_POLICY[transaction];
  const signer = await evaluate(caller, 'Enterprise:WhoAmI', []);
  const roles = Array.isArray(signer['roles']) ? (signer['roles'] as string[]) : [];
  if (policy.kind === 'enterprise' && !roles.some((role) => (policy.roles as readonly string[]).includes(role))) {
    throw new ChaincodeRefusal('FORBIDDEN', `${transaction} needs one of the roles ${policy.roles.join(', ')}`);
  }
}

/** The organisation whose peers keep a financing's terms, as its public record names it. */
async function termsOrgOfFinancing(caller: Caller, financingId: string): Promise<string> {
  return String((await evaluate(caller, 'Financing:Get', [financingId]))['termsOrg']);
}

/** A financing's private terms, read from the deciding bank's peers. */
export async function financingTerms(caller: Caller, financingId: string): Promise<Answer> {
  return evaluate(caller, 'Financing:GetTerms', [financingId], await termsOrgOfFinancing(caller, financingId));
}

/** What a funded financing owes today, read from the deciding bank's peers. */
export async function financingPosition(caller: Caller, financingId: string): Promise<Answer> {
  return evaluate(caller, 'Financing:GetPosition', [financingId], await termsOrgOfFinancing(caller, financingId));
}

/**
 * The applicant records a repayment's amount on the bank's peers alone, then names it
 * publicly by hash with its reference; answers the public financing and the account after it.
 */
export async function repayFinancing(
  caller: Caller,
  financingId: string,
  repayment: { readonly amount: string; readonly repaymentRef: string },
  hooks: SubmitHooks,
): Promise<SubmitOutcome> {
  await requireRoleFor(caller, 'Financing:RecordRepayment');
  const termsOrg = await termsOrgOfFinancing(caller, financingId);
  const recorded = await submitPrivately(caller, 'Financing:RecordRepayment', [financingId], termsOrg, {
    repayment: { amount: repayment.amount, salt: salt() },
  });
  const args = [financingId, String((recorded.result as Answer)['repaymentHash']), repayment.repaymentRef];
  const repaid = await submitPublicly(caller, 'Financing:Repay', args, hooks);
  const position = await evaluate(caller, 'Financing:GetPosition', [financingId], termsOrg);
  return answering(repaid, { financing: repaid.result, position });
}

/** Whose peers keep a bank's quote on a request, and what they answer of it. */
function quoteOn(caller: Caller, requestId: string, bankId: string, termsOrg: string): Promise<Answer> {
  return evaluate(caller, 'QuoteRequest:GetQuote', [requestId, bankId], termsOrg);
}

/** One bank's quote on a request, read from that bank's peers. */
export async function readQuote(caller: Caller, requestId: string, bankId: string): Promise<Answer> {
  return quoteOn(caller, requestId, bankId, await termsOrgOfBank(caller, bankId));
}

export interface QuoteTerms {
  readonly requestedAmount: string;
  readonly annualRateBps: number;
  readonly feeAmount: string;
  readonly tenorEnd: string;
}

/**
 * An asked bank stores its binding quote on its own peers alone (a bank's identities come
 * from its own organisation); the answer is the quote as the holder will read it.
 */
export async function answerQuote(
  caller: Caller,
  requestId: string,
  terms: QuoteTerms,
  hooks: SubmitHooks,
): Promise<SubmitOutcome> {
  const termsOrg = caller.identity.mspId;
  const bank = await evaluate(caller, 'Enterprise:WhoAmI', []);
  const stored = await submitPrivately(
    caller,
    'QuoteRequest:Answer',
    [requestId],
    termsOrg,
    {
      quote: { ...terms, salt: salt() },
    },
    hooks,
  );
  return answering(stored, await quoteOn(caller, requestId, String(bank['id']), termsOrg));
}

export interface CreditLineRequest {
  readonly coreId: string;
  readonly currency: string;
  readonly limit: string;
  readonly expiresAt: string;
}

/**
 * The bank grants the line publicly (no figure), then sets its limit on its own peers. A
 * refusal of the limit after the grant names the line, so the bank sets it on that line
 * rather than granting a second one.
 */
export async function grantCreditLine(
  caller: Caller,
  request: CreditLineRequest,
  hooks: SubmitHooks,
): Promise<SubmitOutcome> {
  const { coreId, currency, limit, expiresAt } = request;
  const grant = { identity: caller.identity, transaction: 'CreditLine:Grant', args: [coreId, currency, expiresAt] };
  const granted = await submitAndWait(caller.backend, grant, hooks);
  const line = granted.result as Answer;
  const lineId = String(line['id']);
  try {
    await setCreditLimit(caller, lineId, String(line['termsOrg']), limit);
  } catch (error) {
    if (!(error instanceof ChaincodeRefusal)) throw error;
    throw new ChaincodeRefusal(
      error.code,
      `credit line ${lineId} was granted, but its limit was not set (${error.message}); ` +
        `set it with POST /credit-lines/${lineId}/limit`,
    );
  }
  return answering(granted, await withLimit(caller, line));
}

function setCreditLimit(
  caller: Caller,
  creditLineId: string,
  termsOrg: string,
  limit: string,
  hooks: SubmitHooks = {},
): Promise<SubmitOutcome> {
  return submitPrivately(
    caller,
    'CreditLine:SetLimit',
    [creditLineId],
    termsOrg,
    { limit: { limit, salt: salt() } },
    hooks,
  );
}

/** The granting bank changes its line's limit, on its own organisation's peers alone. */
export async function changeCreditLimit(
  caller: Caller,
  creditLineId: string,
  limit: string,
  hooks: SubmitHooks,
): Promise<SubmitOutcome> {
  const set = await setCreditLimit(caller, creditLineId, caller.identity.mspId, limit, hooks);
  return answering(set, await creditLimit(caller, creditLineId));
}

/** A line with its limit, read from the granting bank's peers. */
export async function creditLimit(caller: Caller, creditLineId: string): Promise<Answer> {
  return withLimit(caller, await evaluate(caller, 'CreditLine:Get', [creditLineId]));
}

/** A line (as read, or as just granted) with its limit and the limit's hash, from the bank's peers. */
async function withLimit(caller: Caller, line: Answer): Promise<Answer> {
  const limit = await evaluate(caller, 'CreditLine:GetLimit', [String(line['id'])], String(line['termsOrg']));
  return { ...line, limitHash: limit['limitHash'], limit };
}
