import { type ErrorCode, ScfError } from '../domain/errors';
import type { ConsortiumConfig, Enterprise } from '../domain/model';
import type { TransactionName } from './policy';

/**
 * A bank organisation the consortium suspended (by a majority, `suspendBank`) takes no new
 * business; what it already has runs off. Refused, when the suspended organisation is the
 * admin's own or the one that onboarded the acting enterprise: onboarding (registering an
 * enterprise, binding an identity), issuing receivables, granting lines and setting limits,
 * proposing and applying for financing, and a bank's deciding and funding. Everything else
 * stays open: reading, accepting or refusing what was issued, splitting, offering and
 * accepting pieces, settlement, repaying, rejecting, freezing a line, unbinding identities,
 * suspending customers. A counterparty onboarded by a suspended organisation is not taken on
 * either: no line is granted to its core enterprise, no application is made to its bank.
 */
const NEW_BUSINESS: ReadonlySet<TransactionName> = new Set<TransactionName>([
  'Enterprise:Register',
  'Enterprise:BindIdentity',
  'Receivable:Issue',
  'CreditLine:Grant',
  'CreditLine:SetLimit',
  'Financing:ProposeTerms',
  'Financing:Apply',
  'Financing:DecideTerms',
  'Financing:Approve',
  'QuoteRequest:Open',
  'QuoteRequest:Answer',
  'QuoteRequest:Accept',
]);

/**
 * Only new business reads the consortium's rules in the access check: its bank's standing
 * and, for the same transactions, the credentials the consortium may require
 * (`credentialPolicy` names no other transaction). Everything else is checked on one key.
 */
export function isNewBusiness(transaction: TransactionName): boolean {
  return NEW_BUSINESS.has(transaction);
}

type OutOfBusiness = Extract<ErrorCode, 'BANK_SUSPENDED' | 'BANK_LEFT'>;

/**
 * Why an organisation takes no new business, if it does not: suspended, or gone from the
 * consortium (`removeBank`). A bank that left is treated as a suspended one for good: no
 * member bank answers for the customers it onboarded any more, so they only run off what
 * they hold. Only enterprises can meet the second case: an admin of an organisation outside
 * the consortium is refused before this (`FORBIDDEN`).
 */
function outOfBusiness(config: ConsortiumConfig | undefined, mspId: string): OutOfBusiness | null {
  if (config === undefined) return null;
  if (!config.bankMspIds.includes(mspId)) return 'BANK_LEFT';
  return config.suspendedBankMspIds.includes(mspId) ? 'BANK_SUSPENDED' : null;
}

function why(code: OutOfBusiness, mspId: string): string {
  return code === 'BANK_LEFT'
    ? `${mspId} has left the consortium`
    : `the consortium suspended ${mspId} from new business`;
}

/** The signer's side: an admin of `mspId`, or an enterprise that `mspId` onboarded. */
export function requireInBusiness(
  config: ConsortiumConfig | undefined,
  transaction: TransactionName,
  mspId: string,
): void {
  const code = NEW_BUSINESS.has(transaction) ? outOfBusiness(config, mspId) : null;
  if (code !== null) {
    throw new ScfError(code, `${why(code, mspId)}: ${transaction} is refused to it and its customers`);
  }
}

/** The other side of new business: a counterparty whose onboarding bank is suspended or gone. */
export function requireCounterpartyInBusiness(config: ConsortiumConfig, counterparty: Enterprise): void {
  const code = outOfBusiness(config, counterparty.onboardedByMsp);
  if (code !== null) {
    throw new ScfError(
      code,
      `${counterparty.id} was onboarded by ${counterparty.onboardedByMsp}: ${why(code, counterparty.onboardedByMsp)}`,
    );
  }
}
