import { ScfError } from './errors';
import type { Enterprise, Role } from './model';
import { HOLDER_ROLES, REGISTRATION_NUMBER_PATTERN } from './vocabulary';

export { HOLDER_ROLES };

export function requireRegistrationNumber(value: string): string {
  if (!REGISTRATION_NUMBER_PATTERN.test(value)) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      'transient registrationNumber must hold the enterprise registration number (6-64 letters or digits)',
    );
  }
  return value;
}

export interface Registration {
  readonly id: string;
  readonly name: string;
  readonly registrationNumberHash: string;
  readonly roles: readonly Role[];
  readonly onboardedByMsp: string;
}

/** A newly registered enterprise: active, its roles sorted, no services or guardians yet. */
export function registerEnterprise(registration: Registration, now: string): Enterprise {
  return {
    id: registration.id,
    name: registration.name,
    registrationNumberHash: registration.registrationNumberHash,
    roles: [...registration.roles].sort(),
    onboardedByMsp: registration.onboardedByMsp,
    registeredAt: now,
    services: [],
    guardians: null,
    status: 'ACTIVE',
  };
}

export function suspendEnterprise(enterprise: Enterprise, reason: string, now: string): Enterprise {
  if (enterprise.status !== 'ACTIVE') {
    throw new ScfError('INVALID_STATE', `enterprise ${enterprise.id} is ${enterprise.status}, not ACTIVE`);
  }
  return { ...enterprise, status: 'SUSPENDED', suspendedAt: now, suspensionReason: reason };
}

export function reinstateEnterprise(enterprise: Enterprise): Enterprise {
  if (enterprise.status !== 'SUSPENDED') {
    throw new ScfError('INVALID_STATE', `enterprise ${enterprise.id} is not suspended`);
  }
  const { suspendedAt: _at, suspensionReason: _why, ...rest } = enterprise;
  return { ...rest, status: 'ACTIVE' };
}

/** A certificate goes only to a registered, active enterprise that can hold certificates. */
export function requireCertificateRecipient(recipient: Enterprise): void {
  if (recipient.status !== 'ACTIVE') {
    throw new ScfError('INVALID_STATE', `recipient ${recipient.id} is suspended`);
  }
  if (!recipient.roles.some((role) => HOLDER_ROLES.includes(role))) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `recipient ${recipient.id} cannot hold certificates (roles ${recipient.roles.join(', ')})`,
    );
  }
}

/** Financing is applied for at an active bank. */
export function requireActiveBank(bank: Enterprise): void {
  if (!bank.roles.includes('BANK') || bank.status !== 'ACTIVE') {
    throw new ScfError('INVALID_ARGUMENT', `${bank.id} is not an active bank`);
  }
}

/** Credit lines are granted to core enterprises. */
export function requireCoreEnterprise(core: Enterprise): void {
  if (!core.roles.includes('CORE')) {
    throw new ScfError('INVALID_ARGUMENT', `${core.id} is not a core enterprise`);
  }
}
