import { randomBytes } from 'crypto';
import type { LedgerCaller as Caller, SubmitHooks } from '../ledger/ledger-backend';
import { ChaincodeRefusal } from '../ledger/ledger-errors';
import { submitAndWait } from './commit-wait';

/**
 * Flows that keep commercial terms (a financing's price, a credit line's limit) private to
 * the bank that decides them. Each first writes the terms on that bank's peers alone (as
 * transient data, endorsed by them alone), then runs the public step that names the terms
 * by their hash. The public step gets the caller's idempotency hooks: it is the write a
 * retry must never repeat, while a repeated private step only stores the same terms again
 * under a fresh salt.
 */

/** A fresh 32-byte salt: what keeps a rival from testing guesses against the hash every peer keeps. */
function salt(): string {
  return randomBytes(32).toString('hex');
}

type Answer = Record<string, unknown>;

async function evaluate(caller: Caller, transaction: string, args: string[], keptBy?: string): Promise<Answer> {
  return (await caller.backend.evaluate({ identity: caller.identity, transaction, args, keptBy })) as Answer;
}

async function submitPrivately(
  caller: Caller,
  transaction: string,
  args: string[],
  keptBy: string,
  transient: Record<string, unknown>,
): Promise<Answer> {
  const call = { identity: caller.identity, transaction, args, keptBy, transient: toTransient(transient) };
  return (await submitAndWait(caller.backend, call)).result as Answer;
}

function toTransient(document: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(document).map(([name, value]) => [name, JSON.stringify(value)]));
}

async function submitPublicly(
  caller: Caller,
  transaction: string,
  args: string[],
  hooks: SubmitHooks,
): Promise<Answer> {
  return (await caller.backend.submit({ identity: caller.identity, transaction, args }, hooks)).result as Answer;
}

/** The organisation whose peers keep a bank's terms: the consortium bank that onboarded it. */
async function termsOrgOfBank(caller: Caller, bankId: string): Promise<string> {
  const bank = await evaluate(caller, 'Enterprise:Get', [bankId]);
  return String(bank['onboardedByMsp']);
}

export interface FinancingRequest {
  readonly certificateId: string;
  readonly bankId: string;
  readonly mode: string;
  readonly requestedAmount: string;
  readonly annualRateBps: number;
  readonly feeAmount: string;
  readonly tenorEnd: string;
  readonly documentsHash: string;
}

/** The holder proposes its terms to the bank's peers, then applies publicly on them (by hash). */
export async function applyForFinancing(
  caller: Caller,
  request: FinancingRequest,
  hooks: SubmitHooks,
): Promise<Answer> {
  const { certificateId, bankId, mode, documentsHash, ...asked } = request;
  const termsOrg = await termsOrgOfBank(caller, bankId);
  const proposal = await submitPrivately(caller, 'Financing:ProposeTerms', [certificateId, bankId], termsOrg, {
    terms: { ...asked, salt: salt() },
  });
  const termsHash = String(proposal['termsHash']);
  const applied = await submitPublicly(
    caller,
    'Financing:Apply',
    [certificateId, bankId, mode, termsHash, documentsHash],
    hooks,
  );
  return { ...applied, terms: await evaluate(caller, 'Financing:GetTerms', [financingIdOf(applied)], termsOrg) };
}

function financingIdOf(answer: Answer): string {
  return String((answer['financing'] as Answer)['id']);
}

/** The named bank stores its decision on its own peers, then funds publicly on it (by hash). */
export async function approveFinancing(
  caller: Caller,
  financingId: string,
  decision: { readonly disbursedAmount: string; readonly paymentRef: string },
  hooks: SubmitHooks,
): Promise<Answer> {
  const financing = await evaluate(caller, 'Financing:Get', [financingId]);
  const termsOrg = String(financing['termsOrg']);
  const decided = await submitPrivately(caller, 'Financing:DecideTerms', [financingId], termsOrg, {
    decision: { disbursedAmount: decision.disbursedAmount, salt: salt() },
  });
  const args = [financingId, String(decided['decisionHash']), decision.paymentRef];
  const approved = await submitPublicly(caller, 'Financing:Approve', args, hooks);
  return { ...approved, terms: await evaluate(caller, 'Financing:GetTerms', [financingId], termsOrg) };
}

/** A financing's private terms, read from the deciding bank's peers. */
export async function financingTerms(caller: Caller, financingId: string): Promise<Answer> {
  const financing = await evaluate(caller, 'Financing:Get', [financingId]);
  return evaluate(caller, 'Financing:GetTerms', [financingId], String(financing['termsOrg']));
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
export async function grantCreditLine(caller: Caller, request: CreditLineRequest, hooks: SubmitHooks): Promise<Answer> {
  const { coreId, currency, limit, expiresAt } = request;
  const line = (
    await submitAndWait(
      caller.backend,
      { identity: caller.identity, transaction: 'CreditLine:Grant', args: [coreId, currency, expiresAt] },
      hooks,
    )
  ).result as Answer;
  try {
    await setCreditLimit(caller, String(line['id']), String(line['termsOrg']), limit);
  } catch (error) {
    if (!(error instanceof ChaincodeRefusal)) throw error;
    throw new ChaincodeRefusal(
      error.code,
      `credit line ${String(line['id'])} was granted, but its limit was not set (${error.message}); ` +
        `set it with POST /credit-lines/${String(line['id'])}/limit`,
    );
  }
  return creditLimit(caller, String(line['id']));
}

async function setCreditLimit(caller: Caller, creditLineId: string, termsOrg: string, limit: string): Promise<Answer> {
  return submitPrivately(caller, 'CreditLine:SetLimit', [creditLineId], termsOrg, { limit: { limit, salt: salt() } });
}

/** The granting bank changes its line's limit, on its own peers alone. */
export async function changeCreditLimit(caller: Caller, creditLineId: string, limit: string): Promise<Answer> {
  const line = await evaluate(caller, 'CreditLine:Get', [creditLineId]);
  await setCreditLimit(caller, creditLineId, String(line['termsOrg']), limit);
  return creditLimit(caller, creditLineId);
}

/** A line with its limit, read from the granting bank's peers. */
export async function creditLimit(caller: Caller, creditLineId: string): Promise<Answer> {
  const line = await evaluate(caller, 'CreditLine:Get', [creditLineId]);
  const limit = await evaluate(caller, 'CreditLine:GetLimit', [creditLineId], String(line['termsOrg']));
  return { ...line, limit };
}
