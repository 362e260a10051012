import { ScfError } from '../domain/errors';
import type { Certificate, Receivable, Signatory } from '../domain/model';
import type { ActiveEnterprise, Actor } from './authorize';
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

/** A record between some parties is for them and for auditors and regulators. */
export function requirePartyOrOversight(actor: Actor, parties: readonly string[], what: string): void {
  if (actor.kind === 'enterprise'
    && (parties.includes(actor.enterprise.id) || actor.enterprise.roles.some((r) => OVERSIGHT_ROLES.includes(r)))) {
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
