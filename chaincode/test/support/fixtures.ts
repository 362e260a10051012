import { registrationNumberHash } from '../../src/domain/invoice-key';
import type { Role } from '../../src/domain/model';

/** The chaincode tests' shared fixtures: the demo consortium's parties, dates and document digests. */

/** A fixed business day, so due dates and offer expiries in tests read plainly. */
export const START = Date.parse('2027-01-04T09:00:00.000Z');

export interface PartySpec { readonly id: string; readonly roles: Role[]; readonly bank: 'bank1' | 'bank2'; readonly registrationNumber: string }

export const PARTIES = {
  coreA: { id: 'did:scf:core-a', roles: ['CORE'], bank: 'bank1', registrationNumber: '91310000MA1FL0001A' },
  coreB: { id: 'did:scf:core-b', roles: ['CORE'], bank: 'bank2', registrationNumber: '91310000MA1FL0002B' },
  tier1: { id: 'did:scf:supplier-t1', roles: ['SUPPLIER'], bank: 'bank1', registrationNumber: '91320000MA1FL0003C' },
  tier2: { id: 'did:scf:supplier-t2', roles: ['SUPPLIER'], bank: 'bank2', registrationNumber: '91320000MA1FL0004D' },
  tier3: { id: 'did:scf:supplier-t3', roles: ['SUPPLIER'], bank: 'bank1', registrationNumber: '91320000MA1FL0005E' },
  bank: { id: 'did:scf:bank-one', roles: ['BANK'], bank: 'bank1', registrationNumber: '91100000100000001F' },
  /** A rival bank, onboarded by the other consortium bank organisation. */
  bankTwo: { id: 'did:scf:bank-two', roles: ['BANK'], bank: 'bank2', registrationNumber: '91100000100000002H' },
  auditor: { id: 'did:scf:auditor', roles: ['AUDITOR'], bank: 'bank2', registrationNumber: '91110000MA0000007G' },
  regulator: { id: 'did:scf:regulator', roles: ['REGULATOR'], bank: 'bank1', registrationNumber: '11100000000000008H' },
} as const satisfies Record<string, PartySpec>;

export type PartyName = keyof typeof PARTIES;

/** A document digest (lowercase hex SHA-256) for a label, as the tests' invoices and contracts. */
export const sha = (label: string): string => registrationNumberHash(label);

/** Registration numbers of enterprises the tests register on the way (none of the parties above). */
export const NEW_REGISTRATION_NUMBER = '91440300MA5D000001';
export const OTHER_REGISTRATION_NUMBER = '91440300MA5DXXXX1K';
