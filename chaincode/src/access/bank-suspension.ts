import { ScfError } from '../domain/errors';
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

function isSuspended(config: ConsortiumConfig | undefined, mspId: string): boolean {
  return config?.suspendedBankMspIds.includes(mspId) ?? false;
}

/** The signer's side: an admin of `mspId`, or an enterprise that `mspId` onboarded. */
export function requireInBusiness(
  config: ConsortiumConfig | undefined,
  transaction: TransactionName,
  mspId: string,
): void {
  if (NEW_BUSINESS.has(transaction) && isSuspended(config, mspId)) {
    throw new ScfError(
      'BANK_SUSPENDED',
      `the consortium suspended ${mspId} from new business: ${transaction} is refused to it and its customers`,
    );
  }
}

/** The other side of new business: a counterparty whose onboarding bank is suspended. */
export function requireCounterpartyInBusiness(config: ConsortiumConfig, counterparty: Enterprise): void {
  if (isSuspended(config, counterparty.onboardedByMsp)) {
    throw new ScfError(
      'BANK_SUSPENDED',
      `${counterparty.id} was onboarded by ${counterparty.onboardedByMsp}, ` +
        'which the consortium suspended from new business',
    );
  }
}
