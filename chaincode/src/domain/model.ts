import { z } from 'zod';

/**
 * The ledger's records. Each schema checks a record whenever it is read back, so a
 * corrupted or foreign value is refused at the boundary instead of flowing into rules.
 * States are closed unions: an offer exists only on an OFFERED certificate, children
 * only on a SPLIT one, so a bad combination cannot be represented.
 */

import {
  AMOUNT_PATTERN,
  DAY_COUNTS,
  DEFAULT_BUSINESS_TIME_ZONE,
  ROLES,
  SHA256_HEX_PATTERN,
  USER_ROLES,
} from './vocabulary';

export { ROLES };
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
export const UserRole = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof UserRole>;
export const DayCount = z.enum(DAY_COUNTS);
export type DayCount = z.infer<typeof DayCount>;

const amountString = z.string().regex(AMOUNT_PATTERN);
const isoTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/)
  .meta({ format: 'date-time' });
/** A calendar date YYYY-MM-DD, always checked by `parseDate` before it is stored. */
const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .meta({ format: 'date' });
const sha256Hex = z.string().regex(SHA256_HEX_PATTERN);

const enterpriseBase = z.object({
  id: z.string(),
  name: z.string(),
  registrationNumberHash: sha256Hex,
  roles: z.array(Role).min(1),
  onboardedByMsp: z.string(),
  registeredAt: isoTime,
  /** Service endpoints published in the enterprise's DID document. */
  services: z.array(z.object({ id: z.string(), type: z.string(), endpoint: z.string() })),
  /** Enterprises named in advance to approve recovery of a lost key, and how many must. */
  guardians: z.object({ ids: z.array(z.string()).min(1), threshold: z.number().int().min(1) }).nullable(),
  /**
   * Four eyes: each transaction named needs a second user (a checker) from this amount in
   * minor units ("0": always). Absent: none does. Changed only through four eyes itself.
   */
  fourEyes: z.record(z.string(), amountString).optional(),
});
export const Enterprise = z.discriminatedUnion('status', [
  enterpriseBase.extend({ status: z.literal('ACTIVE') }),
  enterpriseBase.extend({ status: z.literal('SUSPENDED'), suspendedAt: isoTime, suspensionReason: z.string() }),
  /** 注销: deregistered for good; its identities act no more. */
  enterpriseBase.extend({ status: z.literal('DEACTIVATED'), deactivatedAt: isoTime, deactivationReason: z.string() }),
]);
export type Enterprise = z.infer<typeof Enterprise>;
export type EnterpriseStatus = Enterprise['status'];

/**
 * Binds one Fabric client identity (MSP id + X.509 subject/issuer id) to an enterprise: one
 * user of it, with its role inside the enterprise. A binding written before users existed
 * read as the enterprise's admin, which is what its one identity was.
 */
export const IdentityBinding = z.object({
  enterpriseId: z.string(),
  mspId: z.string(),
  clientId: z.string(),
  boundAt: isoTime,
  role: UserRole.default('ADMIN'),
  /** The user, which outlives a key rotation; absent, the first identity names it (`userIdOf`). */
  userId: z.string().optional(),
  /**
   * Who holds the private key: `SELF` once the key itself declared so (Identity:DeclareSelfCustody);
   * absent, the key is held by its bank's gateway, which enrolled it. A new key starts absent.
   */
  keyCustody: z.literal('SELF').optional(),
});
export type IdentityBinding = z.infer<typeof IdentityBinding>;

/**
 * A binding as stored: with a copy of its enterprise, so the access check reads one key. Every
 * write of the enterprise rewrites its bindings' copies in the same transaction; a binding
 * written before copies existed has none and the check reads the enterprise instead.
 */
export const StoredBinding = IdentityBinding.extend({ enterprise: Enterprise.optional() });
export type StoredBinding = z.infer<typeof StoredBinding>;

/** A user's part in an instruction: who (across key rotations), with which key, when. */
export const InstructionVote = z.object({ userId: z.string(), mspId: z.string(), clientId: z.string(), at: isoTime });
export type InstructionVote = z.infer<typeof InstructionVote>;

/**
 * A maker's call to a transaction that needs four eyes, recorded with its exact arguments
 * instead of run: a checker of the same enterprise approves it (it runs then, every check
 * again) or rejects it. `argsHash` binds the arguments and the transient data's hashes.
 * Reads report a PENDING one past `expiresAt` as EXPIRED; nothing is written when it lapses.
 */
const instructionBase = z.object({
  id: z.string(),
  enterpriseId: z.string(),
  transaction: z.string(),
  args: z.array(z.string()),
  argsHash: sha256Hex,
  maker: InstructionVote,
  proposedAt: isoTime,
  expiresAt: isoTime,
});
export const Instruction = z.discriminatedUnion('status', [
  instructionBase.extend({ status: z.literal('PENDING') }),
  instructionBase.extend({ status: z.literal('EXPIRED') }),
  instructionBase.extend({ status: z.literal('EXECUTED'), checker: InstructionVote, executedTxId: z.string() }),
  instructionBase.extend({ status: z.literal('REJECTED'), checker: InstructionVote, reason: z.string() }),
]);
export type Instruction = z.infer<typeof Instruction>;

/**
 * How many consortium banks must approve a governance proposal: a majority (more than
 * half), a count (capped at the number of banks) or at least a fraction of the banks.
 */
export const ApprovalThreshold = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('majority') }),
  z.object({ kind: z.literal('count'), count: z.number().int().min(1) }),
  z.object({ kind: z.literal('fraction'), numerator: z.number().int().min(1), denominator: z.number().int().min(1) }),
]);
export type ApprovalThreshold = z.infer<typeof ApprovalThreshold>;

const consortiumLimits = z.object({
  minPieceAmount: amountString,
  maxSplitDepth: z.number().int().min(1),
  maxSplitChildren: z.number().int().min(2),
  maxOfferSeconds: z.number().int().min(60),
});
const credentialPolicy = z.record(z.string(), z.array(z.string()));

export const ConsortiumConfig = z.object({
  bankMspIds: z.array(z.string()).min(1),
  limits: consortiumLimits,
  /** Transactions that require the acting enterprise to hold a valid credential of each listed type. */
  credentialPolicy,
  initialisedAt: isoTime,
  /** The defaults read a configuration written before governance existed as it behaved then. */
  approvalThreshold: ApprovalThreshold.default({ kind: 'majority' }),
  /** Bank organisations the consortium suspended from new business (access/bank-suspension.ts). */
  suspendedBankMspIds: z.array(z.string()).default([]),
  /** The IANA zone in which due dates, tenors, day counts and overdue are reckoned. */
  businessTimeZone: z.string().default(DEFAULT_BUSINESS_TIME_ZONE),
  /** Each bank organisation's day-count convention where it is not the default (ACT/360). */
  dayCounts: z.record(z.string(), DayCount).default({}),
});
export type ConsortiumConfig = z.infer<typeof ConsortiumConfig>;
export type ConsortiumLimits = ConsortiumConfig['limits'];

/** Who proposed or approved a governance proposal: one consortium bank admin, when. */
export const GovernanceVote = z.object({ mspId: z.string(), clientId: z.string(), at: isoTime });
export type GovernanceVote = z.infer<typeof GovernanceVote>;

const bankMsp = z.object({ mspId: z.string() });
const proposalBase = z.object({
  id: z.string(),
  proposedAt: isoTime,
  expiresAt: isoTime,
  /** The proposer's approval first, then one per organisation, in order. */
  approvals: z.array(GovernanceVote).min(1),
  /**
   * OPEN until a majority approves (APPLIED). Nothing is written when it lapses: reads
   * report an OPEN proposal past its `expiresAt` as EXPIRED, and approvals are refused.
   */
  status: z.enum(['OPEN', 'APPLIED', 'EXPIRED']),
  appliedAt: isoTime.nullable(),
  appliedTxId: z.string().nullable(),
});
/** A change to the consortium's rules, applied only once enough bank organisations approve it. */
export const Proposal = z.discriminatedUnion('kind', [
  proposalBase.extend({ kind: z.literal('limits'), change: consortiumLimits.partial() }),
  proposalBase.extend({ kind: z.literal('credentialPolicy'), change: credentialPolicy }),
  proposalBase.extend({ kind: z.literal('addBank'), change: bankMsp }),
  proposalBase.extend({ kind: z.literal('removeBank'), change: bankMsp }),
  proposalBase.extend({ kind: z.literal('threshold'), change: ApprovalThreshold }),
  proposalBase.extend({ kind: z.literal('suspendBank'), change: bankMsp.extend({ reason: z.string() }) }),
  proposalBase.extend({ kind: z.literal('reinstateBank'), change: bankMsp }),
  proposalBase.extend({ kind: z.literal('businessTimeZone'), change: z.object({ timeZone: z.string() }) }),
  proposalBase.extend({ kind: z.literal('dayCount'), change: bankMsp.extend({ dayCount: DayCount }) }),
]);
export type Proposal = z.infer<typeof Proposal>;
export type GovernanceKind = Proposal['kind'];

/** A regulator's hold on a receivable or certificate: nothing under it moves or is financed. */
export const Freeze = z.object({ by: z.string(), reason: z.string(), at: isoTime });
export type Freeze = z.infer<typeof Freeze>;

const receivableBase = z.object({
  id: z.string(),
  debtorId: z.string(),
  creditorId: z.string(),
  faceAmount: amountString,
  currency: z.string().regex(/^[A-Z]{3}$/),
  dueDate: calendarDate,
  invoiceHash: sha256Hex,
  contractHash: sha256Hex,
  /** Salted hash of the invoice's identifying fields: the double-financing guard. */
  invoiceKey: sha256Hex,
  /** The bank credit line whose limit this receivable consumes until it is paid. */
  creditLineId: z.string(),
  issuedAt: isoTime,
  issueTxId: z.string(),
  /** Paid so far by the debtor; live pieces + settledAmount = faceAmount. */
  settledAmount: amountString,
  frozen: Freeze.nullable(),
});
const accepted = { acceptedAt: isoTime, rootCertificateId: z.string() };
export const Receivable = z.discriminatedUnion('status', [
  receivableBase.extend({ status: z.literal('ISSUED') }),
  receivableBase.extend({ status: z.literal('ACCEPTED'), ...accepted }),
  /** A payment is being cleared to the live pieces, page by page: no piece may move meanwhile. */
  receivableBase.extend({ status: z.literal('SETTLING'), ...accepted, settlementId: z.string() }),
  /** Paid in full: every piece is settled. */
  receivableBase.extend({ status: z.literal('SETTLED'), ...accepted, settledAt: isoTime }),
  receivableBase.extend({ status: z.literal('REFUSED'), refusedAt: isoTime, refusalReason: z.string() }),
]);
export type Receivable = z.infer<typeof Receivable>;
export type ReceivableStatus = Receivable['status'];

export const FINANCING_MODES = ['PLEDGE', 'ASSIGNMENT'] as const;
export type FinancingMode = (typeof FINANCING_MODES)[number];

/** The lock a financing puts on a piece: applied for (awaiting the bank) or funded against a pledge. */
export const Lien = z.object({
  financingId: z.string(),
  bankId: z.string(),
  stage: z.enum(['APPLIED', 'PLEDGED']),
  since: isoTime,
});
export type Lien = z.infer<typeof Lien>;

export const TransferOffer = z.object({
  to: z.string(),
  offeredAt: isoTime,
  expiresAt: isoTime,
});
export type TransferOffer = z.infer<typeof TransferOffer>;

const certificateBase = z.object({
  id: z.string(),
  receivableId: z.string(),
  /** The receivable's debtor, who pays every piece and so may read each (access/read-policy.ts). */
  debtorId: z.string(),
  parentId: z.string().nullable(),
  holderId: z.string(),
  amount: amountString,
  currency: z.string(),
  /** 0 for the root certificate, parent's depth + 1 for a split child. */
  depth: z.number().int().min(0),
  createdAt: isoTime,
  createdTxId: z.string(),
  /** Received from settlements so far; `amount` is what is still owed on the piece. */
  paidAmount: amountString,
  frozen: Freeze.nullable(),
});
export const Certificate = z.discriminatedUnion('status', [
  certificateBase.extend({ status: z.literal('ACTIVE') }),
  certificateBase.extend({ status: z.literal('OFFERED'), offer: TransferOffer }),
  /** Locked by a financing: while applied for, and while it stands as collateral for a loan. */
  certificateBase.extend({ status: z.literal('PLEDGED'), lien: Lien }),
  certificateBase.extend({ status: z.literal('SPLIT'), childIds: z.array(z.string()).min(2), retiredAt: isoTime }),
  certificateBase.extend({ status: z.literal('SETTLED'), settledAt: isoTime }),
]);
export type Certificate = z.infer<typeof Certificate>;
export type CertificateStatus = Certificate['status'];
export type LiveCertificate = Extract<Certificate, { status: 'ACTIVE' | 'OFFERED' | 'PLEDGED' }>;

/** An organisation's MSP id: whose peers keep a record's private terms. */
const mspId = z.string().min(1);

/**
 * A bank's credit line to a core enterprise. Its limit is the bank's private term: it
 * lives in the granting bank's implicit collection (see CreditLimit), never here.
 */
export const CreditLine = z.object({
  id: z.string(),
  bankId: z.string(),
  coreId: z.string(),
  currency: z.string(),
  /** The granting bank's organisation: its peers keep the limit and must endorse every change to the line. */
  termsOrg: mspId,
  used: amountString,
  expiresAt: isoTime,
  grantedAt: isoTime,
  status: z.enum(['ACTIVE', 'FROZEN']),
});
export type CreditLine = z.infer<typeof CreditLine>;

/**
 * Who confirmed that money arrived, with their reference and when: the payment's collecting
 * bank, or a payout's payee (or an admin of the bank organisation that onboarded it).
 * `by` is the acting enterprise id, or `msp:<MSP id>` for a bank organisation's admin.
 */
export const Receipt = z.object({
  by: z.string(),
  mspId: z.string(),
  clientId: z.string(),
  ref: z.string(),
  at: isoTime,
  txId: z.string(),
});
export type Receipt = z.infer<typeof Receipt>;

/**
 * A repayment the applicant recorded (public): its amount is private, in the bank's collection
 * under `repaymentHash` (RepaymentRecord); the reference and time are the applicant's.
 */
export const RepaymentEntry = z.object({ repaymentHash: sha256Hex, ref: z.string(), at: isoTime, txId: z.string() });
export type RepaymentEntry = z.infer<typeof RepaymentEntry>;

const financingBase = z.object({
  id: z.string(),
  certificateId: z.string(),
  receivableId: z.string(),
  applicantId: z.string(),
  bankId: z.string(),
  mode: z.enum(FINANCING_MODES),
  /** The bank's organisation, whose peers alone keep the terms (price, fee, amounts). */
  termsOrg: mspId,
  /** SHA-256 of the applicant's proposed terms as the bank's collection holds them (salted). */
  termsHash: sha256Hex,
  appliedAt: isoTime,
  /** The quote request whose accepted quote this financing is (domain/quote-rules.ts); absent otherwise. */
  quoteRequestId: z.string().optional(),
});
/** `decisionHash`: SHA-256 of the bank's decided terms (disbursed amount, salted) in its collection. */
const decided = {
  decidedAt: isoTime,
  decisionHash: sha256Hex,
  paymentRef: z.string(),
  /** The applicant's repayments in the order they were recorded; absent until the first. */
  repayments: z.array(RepaymentEntry).optional(),
};
export const Financing = z.discriminatedUnion('status', [
  financingBase.extend({ status: z.literal('APPLIED') }),
  financingBase.extend({ status: z.literal('REJECTED'), decidedAt: isoTime, reason: z.string() }),
  financingBase.extend({ status: z.literal('FUNDED'), ...decided }),
  /**
   * Repaid in full: the bank confirmed it (`receipt`) and released the pledge. A pledge
   * released before repayments had amounts carries the applicant's `repaymentRef` instead.
   */
  financingBase.extend({
    status: z.literal('REPAID'),
    ...decided,
    repaidAt: isoTime,
    receipt: Receipt.optional(),
    repaymentRef: z.string().optional(),
  }),
  /**
   * The financed piece was paid at maturity: the bank took its share from the settlement.
   * `surplusReceipt`: the holder confirmed it received what the bank owed it beyond the debt.
   */
  financingBase.extend({
    status: z.literal('SETTLED'),
    ...decided,
    settledAt: isoTime,
    surplusReceipt: Receipt.optional(),
  }),
]);
export type Financing = z.infer<typeof Financing>;
/** A financing the bank funded: it has a decision. */
export type DecidedFinancing = Extract<Financing, { decisionHash: string }>;
/** A pledge the bank funded: repaid while pledged, or after its settlement left something owed. */
export type FundedPledge = Extract<Financing, { status: 'FUNDED' | 'SETTLED' }>;

/**
 * Private records: each lives in one bank's implicit collection (its peers only); every
 * other peer holds only the SHA-256 of its bytes, which the salt makes unguessable.
 */
const salt = sha256Hex;

/** What an applicant asks a bank for, content-addressed by its hash until the application names it. */
export const ProposedTerms = z.object({
  kind: z.literal('proposed'),
  certificateId: z.string(),
  applicantId: z.string(),
  bankId: z.string(),
  requestedAmount: amountString,
  /** Annual interest rate in basis points (1/100 of a percent): 385 = 3.85%. */
  annualRateBps: z.number().int().min(0),
  feeAmount: amountString,
  tenorEnd: calendarDate,
  proposedAt: isoTime,
  salt,
  /** Set when the bank itself proposed these terms as its binding quote on a request; absent for an applicant's. */
  quoteRequestId: z.string().optional(),
});
export type ProposedTerms = z.infer<typeof ProposedTerms>;

/**
 * A financing's price (domain/pricing.ts): discount interest on the financed amount at the
 * annual rate over the days from the value date to the tenor end, under the bank's day count;
 * what is disbursed is the financed amount less that interest and the fee, exactly.
 */
export const Price = z.object({
  financedAmount: amountString,
  annualRateBps: z.number().int().min(0),
  dayCount: DayCount,
  valueDate: calendarDate,
  tenorEnd: calendarDate,
  days: z.number().int().min(1),
  interestAmount: amountString,
  feeAmount: amountString,
  disbursedAmount: amountString,
});
export type Price = z.infer<typeof Price>;

/** What the bank decided to pay out on one application: the price on its value date, which funding must fall on. */
export const DecidedTerms = z.object({
  kind: z.literal('decided'),
  financingId: z.string(),
  termsHash: sha256Hex,
  disbursedAmount: amountString,
  price: Price,
  /**
   * Recourse: a shortfall the settlement leaves stays owed by the applicant; without, it is
   * written off. Decisions stored before this term existed read as recourse without penalty.
   */
  recourse: z.boolean().default(true),
  /** Annual penalty rate in basis points on what is overdue after the tenor end, accrued per day (day count). */
  penaltyRateBps: z.number().int().min(0).default(0),
  decidedAt: isoTime,
  salt,
});
export type DecidedTerms = z.infer<typeof DecidedTerms>;

/** A repayment's amount, recorded by the applicant on the bank's peers and named publicly by its hash. */
export const RepaymentRecord = z.object({
  kind: z.literal('repayment'),
  financingId: z.string(),
  applicantId: z.string(),
  amount: amountString,
  recordedAt: isoTime,
  salt,
});
export type RepaymentRecord = z.infer<typeof RepaymentRecord>;

/**
 * Where a funded financing's account stands on a business date (domain/repayment-rules.ts),
 * answered on the bank's peers only. Throughout, repaid + collected + writtenOff +
 * outstanding = principalDue + penaltyCharged.
 */
export const FinancingPosition = z.object({
  financingId: z.string(),
  asOf: calendarDate,
  tenorEnd: calendarDate,
  recourse: z.boolean(),
  penaltyRateBps: z.number().int().min(0),
  dayCount: DayCount,
  /** Due at the tenor end: the financed amount (interest and fee were deducted when it was disbursed). */
  principalDue: amountString,
  penaltyCharged: amountString,
  /** Paid by the applicant. */
  repaid: amountString,
  /** Kept by the bank from settlement payouts for the pledged piece. */
  collected: amountString,
  /** Settlement payouts beyond what was owed: the bank owes them to the holder. */
  surplus: amountString,
  /** Non-recourse: what the settlement of the piece left unpaid, which the bank bears. */
  writtenOff: amountString,
  principalOutstanding: amountString,
  penaltyOutstanding: amountString,
  outstanding: amountString,
  /** Days past the tenor end with something still owed; 0 when nothing is. */
  overdueDays: z.number().int().min(0),
});
export type FinancingPosition = z.infer<typeof FinancingPosition>;

/** Every kind shares one content-addressed key space: a hash names exactly one record. */
export const TermsRecord = z.discriminatedUnion('kind', [ProposedTerms, DecidedTerms, RepaymentRecord]);
export type TermsRecord = z.infer<typeof TermsRecord>;

/** Where a bank's collection keeps its one quote on a request: the quote's own hash. */
export const QuoteReference = z.object({ quoteRequestId: z.string(), termsHash: sha256Hex });
export type QuoteReference = z.infer<typeof QuoteReference>;

/** A credit line's limit, kept by the granting bank's peers. */
export const CreditLimit = z.object({ creditLineId: z.string(), limit: amountString, setAt: isoTime, salt });
export type CreditLimit = z.infer<typeof CreditLimit>;

/**
 * The debtor's money: RECORDED when the debtor says it paid, CONFIRMED once the collecting
 * bank says the funds arrived. No payout is confirmed as paid before then.
 */
export const PaymentState = z.discriminatedUnion('status', [
  z.object({ status: z.literal('RECORDED') }),
  z.object({ status: z.literal('CONFIRMED'), receipt: Receipt }),
]);
export type PaymentState = z.infer<typeof PaymentState>;

/**
 * A debtor's payment of a receivable, cleared to its live pieces in pages. The running
 * cumulative amount is all a page needs to allocate its pieces' shares exactly.
 */
export const Settlement = z.object({
  id: z.string(),
  receivableId: z.string(),
  debtorId: z.string(),
  /**
   * The bank the debtor pays into: the one whose credit line the receivable was issued
   * under (it released the line by this payment, and it confirms the money arrived).
   */
  collectingBankId: z.string(),
  amount: amountString,
  paymentRef: z.string(),
  paidAt: isoTime,
  payment: PaymentState,
  /** Outstanding live amount when the payment was recorded: the pro-rata denominator. */
  liveTotal: amountString,
  /** Sum of the live amounts of the pieces already cleared, in certificate-id order. */
  clearedLive: amountString,
  clearedAmount: amountString,
  clearedPieces: z.number().int().min(0),
  /** Certificate id after which the next page starts; '' before the first page. */
  cursor: z.string(),
  /**
   * CLEARING while pages remain, CLEARED when every piece has its payout. COMPLETED is never
   * written: a read reports a CLEARED settlement whose payouts are all PAID as COMPLETED
   * (cash-leg-rules.ts settlementAsOf), so payees confirming at once never write one shared key.
   */
  status: z.enum(['CLEARING', 'CLEARED', 'COMPLETED']),
});
export type Settlement = z.infer<typeof Settlement>;

const payoutBase = z.object({
  settlementId: z.string(),
  certificateId: z.string(),
  payeeId: z.string(),
  amount: amountString,
  /** HOLDER: paid to the piece's holder; PLEDGEE: to the bank the piece is pledged to. */
  basis: z.enum(['HOLDER', 'PLEDGEE']),
});
/**
 * PAYABLE: owed to the payee. HELD: owed, but the piece or its receivable is frozen by a
 * regulator; a read reports PAYABLE and HELD from the freeze as it stands now
 * (cash-leg-rules.ts payoutAsOf), so lifting the freeze releases the payout without a
 * write per payout. PAID: the payee (or its bank's admin) confirmed receipt, once.
 */
export const Payout = z.discriminatedUnion('status', [
  payoutBase.extend({ status: z.literal('PAYABLE') }),
  payoutBase.extend({ status: z.literal('HELD') }),
  payoutBase.extend({ status: z.literal('PAID'), receipt: Receipt }),
]);
export type Payout = z.infer<typeof Payout>;

const quoteRequestBase = z.object({
  id: z.string(),
  certificateId: z.string(),
  receivableId: z.string(),
  holderId: z.string(),
  /** The banks asked to quote, sorted: each may quote once, privately. */
  bankIds: z.array(z.string()).min(1),
  requestedAt: isoTime,
  expiresAt: isoTime,
});
/**
 * A holder's request for quotes on a piece (public; the quotes are not). OPEN until a quote
 * is accepted; reads report an open request past `expiresAt` as EXPIRED (nothing is written).
 */
export const QuoteRequest = z.discriminatedUnion('status', [
  quoteRequestBase.extend({ status: z.literal('OPEN') }),
  quoteRequestBase.extend({ status: z.literal('EXPIRED') }),
  quoteRequestBase.extend({
    status: z.literal('ACCEPTED'),
    acceptedAt: isoTime,
    acceptedBankId: z.string(),
    financingId: z.string(),
  }),
]);
export type QuoteRequest = z.infer<typeof QuoteRequest>;

/** Which Fabric identity vouched for a fact, so a relying bank can check it. */
export const Signatory = z.object({ enterpriseId: z.string(), mspId: z.string(), clientId: z.string() });
export type Signatory = z.infer<typeof Signatory>;

const credentialBase = z.object({
  id: z.string(),
  type: z.string(),
  issuerId: z.string(),
  subjectId: z.string(),
  /** SHA-256 of the canonical claims JSON; the claims themselves stay in a private collection. */
  claimsHash: z.string().regex(/^[0-9a-f]{64}$/),
  issuedBy: Signatory,
  issuedAt: isoTime,
  expiresAt: isoTime,
});
export const Credential = z.discriminatedUnion('status', [
  credentialBase.extend({ status: z.literal('ISSUED') }),
  credentialBase.extend({ status: z.literal('REVOKED'), revokedAt: isoTime, revocationReason: z.string() }),
]);
export type Credential = z.infer<typeof Credential>;

export const VERIFICATION_OUTCOMES = ['VALID', 'EXPIRED', 'REVOKED', 'UNKNOWN_ISSUER', 'HASH_MISMATCH'] as const;
export type VerificationOutcome = (typeof VERIFICATION_OUTCOMES)[number];

export const Attestation = z.object({
  subjectKind: z.string(),
  subjectId: z.string(),
  field: z.string(),
  hash: z.string(),
  attestedBy: Signatory,
  at: isoTime,
  txId: z.string(),
});
export type Attestation = z.infer<typeof Attestation>;

const recoveryBase = z.object({
  id: z.string(),
  enterpriseId: z.string(),
  newMspId: z.string(),
  newClientId: z.string(),
  threshold: z.number().int().min(1),
  guardians: z.array(z.string()),
  approvals: z.array(z.string()),
  proposedAt: isoTime,
  /** After this an open recovery can no longer complete, and a new one may be proposed. */
  expiresAt: isoTime,
});
/** Who withdrew an open recovery: the enterprise itself or one of the guardians it names. */
export const RecoveryCancellation = z.object({ by: z.string(), at: isoTime, reason: z.string(), txId: z.string() });
/**
 * A lost-key recovery. EXPIRED is how reads show an open one past `expiresAt`; a recovery
 * stored before recoveries expired reads as lapsed at its proposal, so it blocks nothing.
 */
export const Recovery = z.preprocess(
  (raw) =>
    raw !== null && typeof raw === 'object' && !('expiresAt' in raw)
      ? { ...raw, expiresAt: (raw as { proposedAt?: unknown }).proposedAt }
      : raw,
  z.discriminatedUnion('status', [
    recoveryBase.extend({ status: z.literal('OPEN') }),
    recoveryBase.extend({ status: z.literal('EXPIRED') }),
    recoveryBase.extend({ status: z.literal('COMPLETED') }),
    recoveryBase.extend({ status: z.literal('CANCELLED'), cancellation: RecoveryCancellation }),
  ]),
);
export type Recovery = z.infer<typeof Recovery>;
