import { ScfError } from '../domain/errors';
import type {
  Certificate,
  CreditLine,
  Financing,
  Instruction,
  Payout,
  QuoteRequest,
  Receivable,
  Settlement,
} from '../domain/model';
import type { Actor } from './actor';
import type { TransactionName } from './policy';
import { OVERSIGHT_ROLES } from './policy';

/**
 * Need to know: who may read each record kind, in one table beside the write table
 * (policy.ts). Auditors and regulators (OVERSIGHT_ROLES) read everything; an enterprise
 * reads a restricted record only when the record's rule names it; registry records
 * (enterprises, DID documents, consortium config, credential status) are every member's.
 * Every query, the history of a record and the gateway's event projections use these
 * functions, so they cannot disagree. Each rule is a function of the record alone.
 */
export const RECORD_READERS = {
  /** The debtor owes it, the original creditor is owed it. */
  receivable: (r: Receivable): string[] => [r.debtorId, r.creditorId],
  /**
   * The holder owns the piece; the offer's recipient must see what it signs for; the bank
   * it was applied or pledged to lends against it while the lien stands; the debtor pays
   * every holder, so it sees the whole tree.
   */
  certificate: (c: Certificate): string[] => [
    c.holderId,
    ...(c.status === 'OFFERED' ? [c.offer.to] : []),
    ...(c.status === 'PLEDGED' ? [c.lien.bankId] : []),
    c.debtorId,
  ],
  /** The granting bank and the core enterprise it was granted to. */
  creditLine: (l: CreditLine): string[] => [l.bankId, l.coreId],
  /** The applicant and the bank it applied to: the terms are theirs. */
  financing: (f: Financing): string[] => [f.applicantId, f.bankId],
  /** The holder who asked and the banks it asked (who learn who else was asked, not what they quoted). */
  quoteRequest: (q: QuoteRequest): string[] => [q.holderId, ...q.bankIds],
  /**
   * The paying debtor, the bank it paid into (which confirms the money arrived), and each
   * enterprise it was cleared to (which sees only its own payouts).
   */
  settlement: (s: Settlement, payouts: readonly Payout[]): string[] => [
    s.debtorId,
    s.collectingBankId,
    ...payouts.map((p) => p.payeeId),
  ],
  /** The enterprise's own internal control: its users (and oversight) see maker, checker and arguments. */
  instruction: (i: Instruction): string[] => [i.enterpriseId],
  /** The payee it is owed to, and the debtor who paid it. */
  payout: (p: Payout, debtorId: string): string[] => [p.payeeId, debtorId],
} as const;

/** Which rule each query transaction obeys, and why: the README shows this table. */
export const READ_TABLE: Readonly<Record<ReadTransaction, string>> = {
  'Consortium:GetConfig': 'registry: every member and consortium bank admins (the limits every client must respect)',
  'Governance:Get': "consortium bank admins, oversight (the consortium's own business; no enterprise is a party)",
  'Governance:List': "consortium bank admins, oversight (the consortium's own business; no enterprise is a party)",
  'Enterprise:Get': 'registry: every member and consortium bank admins (counterparties must be looked up)',
  'Enterprise:WhoAmI': 'the signer itself (a client checks its identity is bound)',
  'User:List': "the enterprise's own users, oversight (who acts for it, in which role)",
  'Instruction:Get': "the enterprise's own users, oversight (its internal control: maker, checker, exact arguments)",
  'Instruction:ListPending': "the enterprise's own users, oversight (what awaits its checkers)",
  'Identity:GetDidDocument': 'registry: every member and consortium bank admins (signatures must be verifiable)',
  'Identity:GetRecovery':
    "registry: every member and consortium bank admins (guardians act on it; the enterprise's bank completes it)",
  'Credential:Verify': 'registry: every member (whoever relies on a presented credential must check its status)',
  'Credential:ListBySubject': "registry: every member (an enterprise's standing; the claims stay private)",
  'Credential:GetClaims': 'issuer, subject, oversight (the claims themselves)',
  'Receivable:Get': 'receivable rule: debtor, creditor, oversight (a later holder reads it through Trace:Lineage)',
  'Receivable:ListByDebtor': 'the debtor itself, oversight (its own business)',
  'Receivable:ListByCreditor': 'the creditor itself, oversight (its own business)',
  'Certificate:Get': 'certificate rule: holder, offer recipient, lien bank, debtor, oversight',
  'Certificate:ListByHolder': 'the holder itself, oversight (its own pieces)',
  'Certificate:ListOffersTo': 'the recipient itself, oversight (what awaits its signature)',
  'CreditLine:Get': 'credit line rule: granting bank, core enterprise, oversight',
  'CreditLine:GetLimit':
    "credit line rule, on the granting bank's peers only (the limit is that bank's private term; others hold its hash)",
  'CreditLine:ListByCore': 'the core enterprise itself, oversight (the lines granted to it)',
  'CreditLine:ListByBank': 'the bank itself, oversight (the lines it granted)',
  'Financing:Quote':
    "the piece's holder, on the chosen bank's peers only (the terms it asks about are private; nothing is written)",
  'Financing:Get': 'financing rule: applicant, bank, oversight (the application is theirs; its price is private)',
  'Financing:GetTerms':
    "financing rule, on the deciding bank's peers only (rate, fee and amounts are its private terms)",
  'Financing:GetPosition':
    "financing rule, on the deciding bank's peers only (what is owed follows from its private terms and repayments)",
  'Financing:ListByBank': 'the bank itself, oversight (what it was asked to finance)',
  'Financing:ListByApplicant': 'the applicant itself, oversight (its own applications)',
  'QuoteRequest:Get': 'quote request rule: the holder, the banks asked, oversight (who asked whom, until when)',
  'QuoteRequest:GetQuote':
    "the holder and the quoting bank, oversight, on that bank's peers only (a rival asked never reads it)",
  'QuoteRequest:ListByBank': 'the bank itself, oversight (what it is asked to quote on)',
  'Settlement:Get':
    'settlement rule: debtor, collecting bank (the payouts only where it is a payee), ' +
    'payees (each sees only its own payouts), oversight',
  'Settlement:ListByReceivable': 'receivable rule: debtor, creditor, oversight',
  'Settlement:PayoutsTo': 'the payee itself, oversight (what it is owed)',
  'Trace:Lineage': 'certificate rule of the piece asked: its readers see its ancestors up to the receivable',
  'Trace:Tree': 'the debtor (it pays every holder) and oversight; a holder gets its branch from Trace:Lineage',
  'Trace:Attestations': 'the rule of the receivable or financing attested',
  'Trace:History': "the rule of the record's current version; enterprises are registry (every member)",
  'Statement:Holdings':
    'the enterprise itself, oversight (its own holdings over time: lines name no other enterprise, ' +
    'and a piece it passed on gives no line after it left)',
};

export type ReadTransaction = Extract<
  TransactionName,
  | `${string}:Get${string}`
  | `${string}:List${string}`
  | `Trace:${string}`
  | `Statement:${string}`
  | 'Enterprise:WhoAmI'
  | 'Credential:Verify'
  | 'Settlement:PayoutsTo'
  | 'Financing:Quote'
>;

/** Who reads: oversight (everything), a consortium bank admin (the registry) or one enterprise. */
export type Reader =
  { readonly kind: 'oversight' } | { readonly kind: 'admin' } | { readonly kind: 'enterprise'; readonly id: string };

/** The reader an enterprise with these roles is (the gateway knows its callers by id and roles). */
export function enterpriseReader(id: string, roles: readonly string[]): Reader {
  return roles.some((r) => (OVERSIGHT_ROLES as readonly string[]).includes(r))
    ? { kind: 'oversight' }
    : { kind: 'enterprise', id };
}

export function readerOf(actor: Actor): Reader {
  return actor.kind === 'admin' ? { kind: 'admin' } : enterpriseReader(actor.enterprise.id, actor.enterprise.roles);
}

export function mayRead(reader: Reader, readers: readonly string[]): boolean {
  return reader.kind === 'oversight' || (reader.kind === 'enterprise' && readers.includes(reader.id));
}

/** Oversight reads everything; anyone else only a record that names it among its readers. */
export function requireReader(actor: Actor, readers: readonly string[], what: string): void {
  if (mayRead(readerOf(actor), readers)) return;
  throw new ScfError('FORBIDDEN', `${what} is not readable by this caller`);
}

/**
 * Loads a record for a read. A record that does not exist is NOT_FOUND for oversight (who
 * could read any) and FORBIDDEN for everyone else, so a stranger cannot tell a missing
 * record from someone else's.
 */
export async function loadForRead<T>(actor: Actor, what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ScfError && error.code === 'NOT_FOUND' && readerOf(actor).kind !== 'oversight') {
      throw new ScfError('FORBIDDEN', `${what} is not readable by this caller`);
    }
    throw error;
  }
}

/** The payouts of a settlement a reader may see: all for the debtor and oversight, its own for a payee. */
export function readablePayouts(reader: Reader, settlement: Settlement, payouts: readonly Payout[]): Payout[] {
  return payouts.filter((p) => mayRead(reader, RECORD_READERS.payout(p, settlement.debtorId)));
}
