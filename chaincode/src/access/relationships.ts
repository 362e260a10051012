import { ScfError } from '../domain/errors';
import type {
  Certificate,
  Credential,
  CreditLine,
  Enterprise,
  Financing,
  Receivable,
  Recovery,
  Role,
  Settlement,
  Signatory,
} from '../domain/model';
import type { ActiveEnterprise, Actor } from './actor';
import { OVERSIGHT_ROLES } from './policy';

/**
 * Checks that tie an actor to a particular record: only the holder moves a piece, only
 * the offer's recipient signs for it, only the debtor and creditor act on a receivable.
 */

export function actingEnterprise(actor: Actor): ActiveEnterprise {
  if (actor.kind !== 'enterprise') {
    throw new ScfError('FORBIDDEN', 'an organisation admin cannot act for an enterprise');
  }
  return actor.enterprise;
}

function enterpriseIdOf(actor: Actor): string {
  return actingEnterprise(actor).id;
}

export function requireHolder(actor: Actor, certificate: Certificate): void {
  if (certificate.holderId !== enterpriseIdOf(actor)) {
    throw new ScfError('FORBIDDEN', `only the holder of certificate ${certificate.id} may do this`);
  }
}

export function requireOfferRecipient(actor: Actor, certificate: Certificate): void {
  if (certificate.status !== 'OFFERED' || certificate.offer.to !== enterpriseIdOf(actor)) {
    throw new ScfError('FORBIDDEN', `certificate ${certificate.id} is not offered to ${enterpriseIdOf(actor)}`);
  }
}

export function requireDebtor(actor: Actor, receivable: Receivable): void {
  if (receivable.debtorId !== enterpriseIdOf(actor)) {
    throw new ScfError('FORBIDDEN', `only the debtor of receivable ${receivable.id} may do this`);
  }
}

export function requireCreditor(actor: Actor, receivable: Receivable): void {
  if (receivable.creditorId !== enterpriseIdOf(actor)) {
    throw new ScfError('FORBIDDEN', `only the creditor of receivable ${receivable.id} may do this`);
  }
}

/** Clearing a settlement's next page is for the debtor, or for any bank (one may be awaiting a payout). */
export function requireDebtorOrBank(actor: Actor, receivable: Receivable): void {
  if (!actingEnterprise(actor).roles.includes('BANK')) requireDebtor(actor, receivable);
}

/** Only the bank the debtor paid into confirms the money arrived. */
export function requireCollectingBank(actor: Actor, settlement: Settlement): void {
  if (settlement.collectingBankId !== enterpriseIdOf(actor)) {
    throw new ScfError(
      'FORBIDDEN',
      `only ${settlement.collectingBankId}, which collects settlement ${settlement.id}, confirms its payment`,
    );
  }
}

/**
 * A payout's receipt is confirmed by the payee itself, or by an admin of the bank
 * organisation that onboarded the payee (it keeps the payee's account and sees the credit).
 */
export function requirePayeeOrItsBank(actor: Actor, payee: Enterprise): void {
  const allowed =
    actor.kind === 'admin' ? actor.signer.mspId === payee.onboardedByMsp : actor.enterprise.id === payee.id;
  if (!allowed) {
    throw new ScfError('FORBIDDEN', `only ${payee.id} or an admin of ${payee.onboardedByMsp} confirms its payouts`);
  }
}

/** Only the granting bank changes its credit line. */
export function requireGrantingBank(actor: Actor, line: CreditLine): void {
  if (line.bankId !== enterpriseIdOf(actor)) {
    throw new ScfError('FORBIDDEN', `only ${line.bankId}, which granted credit line ${line.id}, may change it`);
  }
}

/** A core enterprise issues only against a credit line granted to it. */
export function requireCreditLineHolder(actor: Actor, line: CreditLine): void {
  const coreId = enterpriseIdOf(actor);
  if (line.coreId !== coreId) {
    throw new ScfError('FORBIDDEN', `credit line ${line.id} was granted to ${line.coreId}, not ${coreId}`);
  }
}

/** Only the bank an application names decides it. */
export function requireNamedBank(actor: Actor, financing: Financing): void {
  if (financing.bankId !== enterpriseIdOf(actor)) {
    throw new ScfError('FORBIDDEN', `financing ${financing.id} is addressed to ${financing.bankId}`);
  }
}

/** Only the applicant repays its financing. */
export function requireApplicant(actor: Actor, financing: Financing): void {
  if (financing.applicantId !== enterpriseIdOf(actor)) {
    throw new ScfError('FORBIDDEN', `only the applicant ${financing.applicantId} repays financing ${financing.id}`);
  }
}

/** Only the issuer revokes a credential. */
export function requireIssuer(actor: Actor, credential: Credential): void {
  if (credential.issuerId !== enterpriseIdOf(actor)) {
    throw new ScfError('FORBIDDEN', `only the issuer ${credential.issuerId} revokes credential ${credential.id}`);
  }
}

/** An enterprise issues a credential type only with a role entitled to it (the table is CREDENTIAL_ISSUERS). */
export function requireEntitledIssuer(actor: Actor, type: string, entitled: readonly Role[]): void {
  if (!actingEnterprise(actor).roles.some((role) => entitled.includes(role))) {
    throw new ScfError('FORBIDDEN', `${type} credentials are issued by ${entitled.join(' or ')} enterprises only`);
  }
}

/** Only a guardian the enterprise named proposes or approves its recovery. */
export function requireGuardian(actor: Actor, guardianIds: readonly string[] | undefined, enterpriseId: string): void {
  const guardianId = enterpriseIdOf(actor);
  if (!guardianIds?.includes(guardianId)) {
    throw new ScfError('FORBIDDEN', `${guardianId} is not a guardian of ${enterpriseId}`);
  }
}

/** A recovery is approved only by one of the guardians it names. */
export function requireRecoveryGuardian(actor: Actor, recovery: Recovery): void {
  requireGuardian(actor, recovery.guardians, recovery.enterpriseId);
}

/** A recovery is cancelled by the enterprise it would hand over or by one of the guardians it names. */
export function requireRecoveryParty(actor: Actor, recovery: Recovery): void {
  if (enterpriseIdOf(actor) === recovery.enterpriseId) return;
  requireRecoveryGuardian(actor, recovery);
}

/** The channel is configured once, by an admin of one of the banks it names. */
export function requireNamedBankAdmin(actor: Actor, bankMspIds: readonly string[]): void {
  if (!bankMspIds.includes(actor.signer.mspId)) {
    throw new ScfError(
      'FORBIDDEN',
      `the initialising admin's organisation ${actor.signer.mspId} must be one of the consortium banks`,
    );
  }
}

/** A record between some parties is for them and for auditors and regulators. */
export function requirePartyOrOversight(actor: Actor, parties: readonly string[], what: string): void {
  if (
    actor.kind === 'enterprise' &&
    (parties.includes(actor.enterprise.id) || actor.enterprise.roles.some((r) => OVERSIGHT_ROLES.includes(r)))
  ) {
    return;
  }
  throw new ScfError('FORBIDDEN', `${what} is for ${parties.join(' and ')}, auditors and regulators only`);
}

/** Listings of an enterprise's own business are for it and for auditors and regulators. */
export function requireSelfOrOversight(actor: Actor, enterpriseId: string): void {
  requirePartyOrOversight(actor, [enterpriseId], `the listing of ${enterpriseId}`);
}

/** An admin acts only within its own organisation: identities its CA issued, customers it onboarded. */
export function requireOwnMsp(actor: Actor, mspId: string): void {
  if (actor.signer.mspId !== mspId) {
    throw new ScfError('FORBIDDEN', `an admin of ${actor.signer.mspId} cannot act for organisation ${mspId}`);
  }
}

/** The enterprise and the exact Fabric identity behind a transaction, as recorded with attested facts. */
export function signatoryOf(actor: Actor): Signatory {
  return { enterpriseId: actingEnterprise(actor).id, mspId: actor.signer.mspId, clientId: actor.signer.clientId };
}
