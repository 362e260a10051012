import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import path from 'path';
import type { CertificateAuthorities } from '../identity/certificate-authorities';
import type { PrincipalRegistry } from '../identity/principals';
import type { LedgerBackend } from '../ledger/ledger-backend';

export const DEMO_BANK_MSPS = ['Bank1MSP', 'Bank2MSP'] as const;

const DEMO_ENTERPRISES = [
  { id: 'did:scf:core-a', name: 'Core Manufacturing Co.', roles: ['CORE'], msp: 'Bank1MSP', registrationNumber: '91310000MA1FL0001A' },
  { id: 'did:scf:supplier-t1', name: 'Tier-1 Components Ltd', roles: ['SUPPLIER'], msp: 'Bank1MSP', registrationNumber: '91320000MA1FL0003C' },
  { id: 'did:scf:supplier-t2', name: 'Tier-2 Castings Ltd', roles: ['SUPPLIER'], msp: 'Bank2MSP', registrationNumber: '91320000MA1FL0004D' },
  { id: 'did:scf:supplier-t3', name: 'Tier-3 Raw Materials Ltd', roles: ['SUPPLIER'], msp: 'Bank1MSP', registrationNumber: '91320000MA1FL0005E' },
  { id: 'did:scf:bank-one', name: 'Bank One', roles: ['BANK'], msp: 'Bank1MSP', registrationNumber: '91100000100000001F' },
  { id: 'did:scf:auditor', name: 'Audit Partners', roles: ['AUDITOR'], msp: 'Bank2MSP', registrationNumber: '91110000MA0000007G' },
  { id: 'did:scf:regulator', name: 'Financial Regulator', roles: ['REGULATOR'], msp: 'Bank1MSP', registrationNumber: '11100000000000008H' },
] as const;

export interface DemoKeys { readonly [who: string]: string }

/**
 * Seeds an empty embedded ledger with a demo consortium: two banks' admins, a core
 * enterprise with a credit line, three tiers of suppliers, a bank, an auditor and a
 * regulator, each with its own X.509 identity and API key. The keys are written to
 * `<data>/demo-keys.json` so a user can find them again.
 */
export async function seedDemoConsortium(
  backend: LedgerBackend, authorities: CertificateAuthorities, principals: PrincipalRegistry, dataDir: string,
  progress: (message: string) => void,
): Promise<DemoKeys> {
  const keys: Record<string, string> = {};
  const admins = new Map<string, Awaited<ReturnType<ReturnType<CertificateAuthorities['of']>['issue']>>>();
  for (const mspId of DEMO_BANK_MSPS) {
    const admin = await authorities.of(mspId).issue({ commonName: `admin.${mspId.toLowerCase()}`, type: 'admin' });
    admins.set(mspId, admin);
    keys[`admin:${mspId}`] = await principals.issueKey({ kind: 'admin', mspId, identity: admin });
  }
  const bank1Admin = admins.get('Bank1MSP')!;
  progress('initialising the consortium (Bank1MSP, Bank2MSP)');
  await backend.submit({ identity: bank1Admin, transaction: 'Consortium:Initialize', args: [JSON.stringify(DEMO_BANK_MSPS), '{}'],
    transient: { invoiceSalt: randomBytes(32).toString('base64') } });
  const identities = new Map<string, Awaited<ReturnType<ReturnType<CertificateAuthorities['of']>['issue']>>>();
  for (const enterprise of DEMO_ENTERPRISES) {
    progress(`onboarding ${enterprise.id}`);
    const admin = admins.get(enterprise.msp)!;
    const identity = await authorities.of(enterprise.msp).issue({ commonName: enterprise.id.slice(8), attributes: { 'scf.enterpriseId': enterprise.id } });
    await backend.submit({ identity: admin, transaction: 'Enterprise:Register', args: [enterprise.id, enterprise.name, JSON.stringify(enterprise.roles)],
      transient: { registrationNumber: enterprise.registrationNumber } });
    await backend.submit({ identity: admin, transaction: 'Enterprise:BindIdentity', args: [enterprise.id, enterprise.msp, identity.clientId] });
    identities.set(enterprise.id, identity);
    keys[enterprise.id] = await principals.issueKey({ kind: 'enterprise', enterpriseId: enterprise.id, roles: enterprise.roles, identity });
  }
  progress('granting did:scf:core-a a credit line of 100,000,000.00 CNY at did:scf:bank-one');
  const expiresAt = new Date(Date.now() + 2 * 365 * 86_400_000).toISOString();
  const line = await backend.submit({ identity: identities.get('did:scf:bank-one')!, transaction: 'CreditLine:Grant',
    args: ['did:scf:core-a', 'CNY', '10000000000', expiresAt] });
  keys.creditLineId = (line.result as { id: string }).id;
  await fs.writeFile(path.join(dataDir, 'demo-keys.json'), JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}
