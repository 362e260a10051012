import { HOLDER_ROLES, OVERSIGHT_ROLES, ROLES } from '../domain/vocabulary';
import type { Role } from '../domain/model';

/**
 * Who may call each transaction, in one table. A transaction missing here is refused:
 * access is denied by default.
 *   bootstrap        - an admin of one of the bank MSPs being configured (once per channel)
 *   consortium-admin - an admin of a bank MSP named in the consortium config
 *   enterprise       - a signer bound to an ACTIVE enterprise holding one of the roles and,
 *                      where `consortiumAdmins` is set, also an admin of a consortium bank MSP
 *                      that is bound to no enterprise: the reads that the tools connecting as
 *                      an organisation admin (peer CLI, Caliper, operators' scripts) need
 */
export type TransactionPolicy =
  | { readonly kind: 'bootstrap' }
  | { readonly kind: 'consortium-admin' }
  | { readonly kind: 'enterprise'; readonly roles: readonly Role[]; readonly consortiumAdmins: boolean };

const ANY_ROLE: readonly Role[] = ROLES;
const admin = { kind: 'consortium-admin' } as const;
const roles = (...allowed: Role[]) => ({ kind: 'enterprise', roles: allowed, consortiumAdmins: false }) as const;
/** Enterprises with the roles, and the consortium banks' admins too. */
const rolesAndBankAdmins = (...allowed: Role[]) =>
  ({ kind: 'enterprise', roles: allowed, consortiumAdmins: true }) as const;

/** The one declaration of every `Contract:Transaction` the chaincode exposes, with who may call it. */
const POLICY_TABLE = {
  'Consortium:Initialize': { kind: 'bootstrap' },
  'Consortium:GetConfig': rolesAndBankAdmins(...ANY_ROLE),

  'Governance:Propose': admin,
  'Governance:Approve': admin,
  'Governance:Get': rolesAndBankAdmins('AUDITOR', 'REGULATOR'),
  'Governance:List': rolesAndBankAdmins('AUDITOR', 'REGULATOR'),

  'Enterprise:Register': admin,
  'Enterprise:BindIdentity': admin,
  'Enterprise:UnbindIdentity': admin,
  'Enterprise:Suspend': admin,
  'Enterprise:Reinstate': admin,
  'Enterprise:Get': rolesAndBankAdmins(...ANY_ROLE),
  'Enterprise:WhoAmI': rolesAndBankAdmins(...ANY_ROLE),

  /** Which users of the enterprise: access/user-roles.ts (only its admins manage users). */
  'User:Add': roles(...ANY_ROLE),
  'User:SetRole': roles(...ANY_ROLE),
  'User:Remove': roles(...ANY_ROLE),
  'User:List': roles(...ANY_ROLE),

  /** Four eyes: the instructed transaction's own policy is checked for the maker (access/four-eyes.ts). */
  'Instruction:Propose': roles(...ANY_ROLE),
  'Instruction:Approve': roles(...ANY_ROLE),
  'Instruction:Reject': roles(...ANY_ROLE),
  'Instruction:SetPolicy': roles(...ANY_ROLE),
  'Instruction:Get': roles(...ANY_ROLE),
  'Instruction:ListPending': roles(...ANY_ROLE),

  'Receivable:Issue': roles('CORE'),
  'Receivable:Accept': roles('SUPPLIER'),
  'Receivable:Refuse': roles('SUPPLIER'),
  'Receivable:Get': roles(...ANY_ROLE),
  'Receivable:ListByDebtor': roles('CORE', 'AUDITOR', 'REGULATOR'),
  'Receivable:ListByCreditor': roles('SUPPLIER', 'AUDITOR', 'REGULATOR'),

  'Certificate:Split': roles(...HOLDER_ROLES),
  'Certificate:OfferTransfer': roles(...HOLDER_ROLES),
  'Certificate:OfferPart': roles(...HOLDER_ROLES),
  'Certificate:AcceptTransfer': roles(...HOLDER_ROLES),
  'Certificate:RefuseTransfer': roles(...HOLDER_ROLES),
  'Certificate:CancelOffer': roles(...HOLDER_ROLES),
  'Certificate:Get': roles(...ANY_ROLE),
  'Certificate:ListByHolder': roles(...ANY_ROLE),
  'Certificate:ListOffersTo': roles(...ANY_ROLE),

  'CreditLine:Grant': roles('BANK'),
  'CreditLine:SetLimit': roles('BANK'),
  'CreditLine:Freeze': roles('BANK'),
  'CreditLine:Unfreeze': roles('BANK'),
  'CreditLine:Get': roles(...ANY_ROLE),
  'CreditLine:GetLimit': roles(...ANY_ROLE),
  'CreditLine:ListByCore': roles(...ANY_ROLE),
  'CreditLine:ListByBank': roles(...ANY_ROLE),

  'Financing:Quote': roles(...HOLDER_ROLES),
  'Financing:ProposeTerms': roles(...HOLDER_ROLES),
  'Financing:Apply': roles(...HOLDER_ROLES),
  'Financing:DecideTerms': roles('BANK'),
  'Financing:Approve': roles('BANK'),
  'Financing:Reject': roles('BANK'),
  'Financing:RecordRepayment': roles(...HOLDER_ROLES),
  'Financing:Repay': roles(...HOLDER_ROLES),
  'Financing:Release': roles('BANK'),
  'Financing:ConfirmSurplus': roles(...HOLDER_ROLES),
  'Financing:Get': roles(...ANY_ROLE),
  'Financing:GetTerms': roles(...ANY_ROLE),
  'Financing:GetPosition': roles(...ANY_ROLE),
  'Financing:ListByBank': roles(...ANY_ROLE),
  'Financing:ListByApplicant': roles(...ANY_ROLE),

  'QuoteRequest:Open': roles(...HOLDER_ROLES),
  'QuoteRequest:Answer': roles('BANK'),
  'QuoteRequest:Accept': roles(...HOLDER_ROLES),
  'QuoteRequest:Get': roles(...ANY_ROLE),
  'QuoteRequest:GetQuote': roles(...ANY_ROLE),
  'QuoteRequest:ListByBank': roles(...ANY_ROLE),

  'Settlement:Pay': roles('CORE'),
  'Settlement:ClearNext': roles('CORE', 'BANK'),
  'Settlement:ConfirmPayment': roles('BANK'),
  /** The payee, or an admin of the bank organisation that onboarded it (access/relationships.ts). */
  'Settlement:ConfirmPayout': rolesAndBankAdmins(...HOLDER_ROLES),
  'Settlement:Get': roles(...ANY_ROLE),
  'Settlement:ListByReceivable': roles(...ANY_ROLE),
  'Settlement:PayoutsTo': roles(...ANY_ROLE),

  'Regulator:Freeze': roles('REGULATOR'),
  'Regulator:Unfreeze': roles('REGULATOR'),

  'Credential:Issue': roles('BANK', 'REGULATOR', 'AUDITOR'),
  'Credential:Revoke': roles('BANK', 'REGULATOR', 'AUDITOR'),
  'Credential:Verify': roles(...ANY_ROLE),
  'Credential:ListBySubject': roles(...ANY_ROLE),
  'Credential:GetClaims': roles(...ANY_ROLE),

  'Identity:GetDidDocument': rolesAndBankAdmins(...ANY_ROLE),
  'Identity:SetServices': roles(...ANY_ROLE),
  'Identity:RotateKey': roles(...ANY_ROLE),
  'Identity:DeclareSelfCustody': roles(...ANY_ROLE),
  'Identity:SetGuardians': roles(...ANY_ROLE),
  'Identity:ProposeRecovery': roles(...ANY_ROLE),
  'Identity:ApproveRecovery': roles(...ANY_ROLE),
  'Identity:CancelRecovery': roles(...ANY_ROLE),
  'Identity:GetRecovery': rolesAndBankAdmins(...ANY_ROLE),
  'Identity:Deactivate': roles(...ANY_ROLE),

  'Trace:Attestations': roles(...ANY_ROLE),
  'Trace:Lineage': roles(...ANY_ROLE),
  'Trace:Tree': roles(...ANY_ROLE),
  'Trace:History': roles(...ANY_ROLE),

  'Statement:Holdings': roles(...ANY_ROLE),
} as const satisfies Readonly<Record<string, TransactionPolicy>>;

/** Every transaction the chaincode exposes, as a Fabric client names it: a closed union. */
export type TransactionName = keyof typeof POLICY_TABLE;

/** The table, typed for both readers: exact for a TransactionName, possibly undefined for any other string. */
export const TRANSACTION_POLICY: Readonly<Record<TransactionName, TransactionPolicy>> &
  Readonly<Partial<Record<string, TransactionPolicy>>> = POLICY_TABLE;

export const TRANSACTION_NAMES = Object.keys(POLICY_TABLE) as readonly TransactionName[];

export function isTransactionName(name: string): name is TransactionName {
  return Object.prototype.hasOwnProperty.call(POLICY_TABLE, name);
}

export function policyOf(transaction: TransactionName): TransactionPolicy {
  return POLICY_TABLE[transaction];
}

export { OVERSIGHT_ROLES };
