import type { Enterprise, UserRole } from '../domain/model';
import type { Signer } from './signer';

export type ActiveEnterprise = Extract<Enterprise, { status: 'ACTIVE' }>;

/** One user of an enterprise: who it is across key rotations, and its role inside the enterprise. */
export interface User {
  readonly id: string;
  readonly role: UserRole;
}

/** The party a transaction acts for, resolved from the signer alone. */
export type Actor =
  | { readonly kind: 'enterprise'; readonly signer: Signer; readonly enterprise: ActiveEnterprise; readonly user: User }
  | { readonly kind: 'admin'; readonly signer: Signer };
