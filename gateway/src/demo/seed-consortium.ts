import type { IdentityIssuer } from '../identity/identity-issuer';
import type { PrincipalRegistry } from '../identity/principals';
import type { SigningIdentity } from '../identity/signing-identity';
import type { LedgerBackend } from '../ledger/ledger-backend';
import { grantCreditLine } from '../services/private-terms';
import { onboardEnterprise } from '../services/onboarding';
import { addUser } from '../services/users';

export const DEMO_BANK_MSPS = ['Bank1MSP', 'Bank2MSP'] as const;

const DEMO_ENTERPRISES = [
  {
    id: 'did:scf:core-a',
    name: 'Core Manufacturing Co.',
    roles: ['CORE'],
    msp: 'Bank1MSP',
    registrationNumber: '91310000MA1FL0001A',
  },
  {
    id: 'did:scf:supplier-t1',
    name: 'Tier-1 Components Ltd',
    roles: ['SUPPLIER'],
    msp: 'Bank1MSP',
    registrationNumber: '91320000MA1FL0003C',
  },
  {
    id: 'did:scf:supplier-t2',
    name: 'Tier-2 Castings Ltd',
    roles: ['SUPPLIER'],
    msp: 'Bank2MSP',
    registrationNumber: '91320000MA1FL0004D',
  },
  {
    id: 'did:scf:supplier-t3',
    name: 'Tier-3 Raw Materials Ltd',
    roles: ['SUPPLIER'],
    msp: 'Bank1MSP',
    registrationNumber: '91320000MA1FL0005E',
  },
  {
    id: 'did:scf:bank-one',
    name: 'Bank One',
    roles: ['BANK'],
    msp: 'Bank1MSP',
    registrationNumber: '91100000100000001F',
  },
  {
    id: 'did:scf:auditor',
    name: 'Audit Partners',
    roles: ['AUDITOR'],
    msp: 'Bank2MSP',
    registrationNumber: '91110000MA0000007G',
  },
  {
    id: 'did:scf:regulator',
    name: 'Financial Regulator',
    roles: ['REGULATOR'],
    msp: 'Bank1MSP',
    registrationNumber: '11100000000000008H',
  },
] as const;

export interface DemoKeys {
  readonly [who: string]: string;
}

export interface DemoLedger {
  readonly backend: LedgerBackend;
  readonly issuer: IdentityIssuer;
  readonly principals: PrincipalRegistry;
  /** Each bank's admin identity, who onboards that bank's customers. */
  readonly admins: ReadonlyMap<string, SigningIdentity>;
}

/** The supplier whose demo team shows four eyes: besides its first admin, a maker and a checker. */
const FOUR_EYES_DEMO = { enterpriseId: 'did:scf:supplier-t1', users: ['maker', 'checker'] } as const;

/**
 * Seeds a demo consortium into an initialised ledger: a core enterprise with a credit
 * line, three tiers of suppliers, a bank, an auditor and a regulator, each with its own
 * X.509 identity (from its bank's CA) and API key; tier 1 also has a maker and a checker
 * (keys `maker:did:scf:supplier-t1`, `checker:did:scf:supplier-t1`).
 */
export async function seedDemoConsortium(ledger: DemoLedger, progress: (message: string) => void): Promise<DemoKeys> {
  const { backend, admins } = ledger;
  const keys: Record<string, string> = {};
  const admin = (mspId: string): SigningIdentity => {
    const identity = admins.get(mspId);
    if (!identity) throw new Error(`the demo needs an admin identity of ${mspId}`);
    return identity;
  };
  const identities = new Map<string, SigningIdentity>();
  for (const enterprise of DEMO_ENTERPRISES) {
    progress(`onboarding ${enterprise.id}`);
    const onboarded = await onboardEnterprise(
      ledger,
      { mspId: enterprise.msp, identity: admin(enterprise.msp) },
      enterprise,
    );
    identities.set(enterprise.id, onboarded.identity);
    keys[enterprise.id] = onboarded.apiKey;
  }
  const team = DEMO_ENTERPRISES.find((e) => e.id === FOUR_EYES_DEMO.enterpriseId)!;
  for (const login of FOUR_EYES_DEMO.users) {
    progress(`adding the ${login} of ${team.id}`);
    const firstAdmin = {
      kind: 'enterprise',
      enterpriseId: team.id,
      roles: team.roles,
      identity: identities.get(team.id)!,
    } as const;
    const added = await addUser(ledger, firstAdmin, { login, role: login === 'maker' ? 'MAKER' : 'CHECKER' });
    keys[`${login}:${team.id}`] = added.apiKey;
  }
  progress('granting did:scf:core-a a credit line of 100,000,000.00 CNY at did:scf:bank-one');
  const expiresAt = new Date(Date.now() + 2 * 365 * 86_400_000).toISOString();
  const line = await grantCreditLine(
    { backend, identity: identities.get('did:scf:bank-one')! },
    { coreId: 'did:scf:core-a', currency: 'CNY', limit: '10000000000', expiresAt },
    {},
  );
  keys.creditLineId = (line.result as { id: string }).id;
  return keys;
}
