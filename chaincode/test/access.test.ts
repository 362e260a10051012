import { ERROR_CODES } from '../src/domain/errors';
import { isTransactionName, policyOf, TRANSACTION_NAMES, type TransactionName } from '../src/access/policy';
import type { ConsortiumConfig, Enterprise, IdentityBinding } from '../src/domain/model';
import { contracts } from '../src';
import { LocalCertificateAuthority, type LocalIdentity } from '../src/engine/local-ca';
import { NEW_REGISTRATION_NUMBER, OTHER_REGISTRATION_NUMBER, PARTIES, type PartyName, sha } from './support/fixtures';
import { World } from './support/world';

describe('who may do what: the signer decides, never an argument', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); });

  test('every transaction a contract exposes has an access policy, and every policy names a real transaction', () => {
    const exposed = contracts.flatMap((Contract) => {
      const instance = new Contract() as { getName(): string };
      return Object.getOwnPropertyNames(Contract.prototype)
        .filter((name) => /^[A-Z]/.test(name))
        .map((name) => `${instance.getName()}:${name}`);
    }).sort();
    expect([...TRANSACTION_NAMES].sort()).toEqual(exposed);
  });

  test('every error code maps to an HTTP status a gateway can return', () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect([400, 401, 403, 404, 409, 422, 503]).toContain(status);
    }
  });

  test.each(Object.keys(PARTIES) as PartyName[])('role matrix: %s may issue a receivable only if it is a core enterprise', async (name) => {
    const spec = PARTIES[name];
    const call = () => world.submit(world.as(name), 'Receivable:Issue',
      [world.id('tier1'), '1000', 'CNY', world.dueIn(30), sha('i'), sha('c'), world.lineOf(name)], { invoice: world.invoice('tier1', name) });
    if ((spec.roles as readonly string[]).includes('CORE')) {
      await expect(call()).resolves.toMatchObject({ status: 'ISSUED' });
    } else {
      await world.refused('FORBIDDEN', call);
    }
  });

  test.each(Object.keys(PARTIES) as PartyName[])('role matrix: %s may split and offer only pieces it holds, and only with a holder role', async (name) => {
    const { certificateId } = await world.issued('coreA', 'tier1', '100000');
    if (name !== 'tier1') {
      // A holder-capable role fails on ownership; an auditor or regulator fails on role first.
      await world.refused('FORBIDDEN', () => world.submit(world.as(name), 'Certificate:Split', [certificateId, '["50000","50000"]']));
      await world.refused('FORBIDDEN', () => world.submit(world.as(name), 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(60)]));
    } else {
      await expect(world.submit(world.as(name), 'Certificate:Split', [certificateId, '["50000","50000"]'])).resolves.toMatchObject({ parent: { status: 'SPLIT' } });
    }
  });

  test('auditors and regulators read everything and write nothing', async () => {
    const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '100000');
    for (const reader of ['auditor', 'regulator'] as const) {
      await expect(world.evaluate(world.as(reader), 'Trace:Tree', [receivableId])).resolves.toMatchObject({ livePieces: 1 });
      await expect(world.evaluate(world.as(reader), 'Certificate:ListByHolder', [world.id('tier1'), '10', ''])).resolves.toMatchObject({ items: [{ id: certificateId }] });
      await world.refused('FORBIDDEN', () => world.submit(world.as(reader), 'Receivable:Refuse', [receivableId, 'no']));
    }
  });

  test('an identity bound to no enterprise is unauthenticated, even if it names one in its arguments', async () => {
    const stranger = await world.cas.bank1.issue({ commonName: 'stranger' });
    await world.refused('UNAUTHENTICATED', () => world.submit(stranger, 'Receivable:Issue',
      [world.id('tier1'), '1000', 'CNY', world.dueIn(30), sha('i'), sha('c'), world.lineOf('coreA')], { invoice: world.invoice('tier1', 'coreA') }));
  });

  test('an identity from another MSP with the same subject is a different identity', async () => {
    const lookalike = await world.cas.bank2.issue({ commonName: 'coreA@bank1' });
    await world.refused('UNAUTHENTICATED', () => world.evaluate({ ...lookalike, mspId: 'Bank1MSP' }, 'Enterprise:WhoAmI'));
  });

  test('a certificate whose enrollment attribute names another enterprise is refused', async () => {
    const forged = await world.cas.bank1.issue({ commonName: 'dual', attributes: { 'scf.enterpriseId': world.id('coreB') } });
    await world.submit(world.admins.bank1, 'Enterprise:BindIdentity', [world.id('tier3'), 'Bank1MSP', forged.clientId]);
    await world.refused('FORBIDDEN', () => world.evaluate(forged, 'Enterprise:WhoAmI'));
    const honest = await world.cas.bank1.issue({ commonName: 'honest', attributes: { 'scf.enterpriseId': 'supplier-t3' } });
    await world.submit(world.admins.bank1, 'Enterprise:BindIdentity', [world.id('tier3'), 'Bank1MSP', honest.clientId]);
    await expect(world.evaluate(honest, 'Enterprise:WhoAmI')).resolves.toMatchObject({ id: world.id('tier3') });
  });

  test('a suspended enterprise can no longer act, and acts again once reinstated', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '100000');
    await world.submit(world.admins.bank1, 'Enterprise:Suspend', [world.id('tier1'), 'KYC review']);
    await world.refused('ENTERPRISE_SUSPENDED', () => world.submit(world.as('tier1'), 'Certificate:Split', [certificateId, '["50000","50000"]']));
    await world.refused('INVALID_STATE', () => world.issue('coreA', 'tier1', '1000'));
    await world.submit(world.admins.bank1, 'Enterprise:Reinstate', [world.id('tier1')]);
    await expect(world.submit(world.as('tier1'), 'Certificate:Split', [certificateId, '["50000","50000"]'])).resolves.toMatchObject({ parent: { status: 'SPLIT' } });
  });

  test('an unbound identity loses its access at once', async () => {
    await world.submit(world.admins.bank1, 'Enterprise:UnbindIdentity', ['Bank1MSP', world.as('tier1').clientId]);
    await world.refused('UNAUTHENTICATED', () => world.evaluate(world.as('tier1'), 'Enterprise:WhoAmI'));
  });
});

describe('onboarding is for the consortium banks\' admins', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); });

  test('a bank admin registers an enterprise and binds its identity; the registration number is kept only as a hash', async () => {
    const enterprise = await world.submit(world.admins.bank2, 'Enterprise:Register', ['did:scf:new-supplier', 'New Supplier Ltd', '["SUPPLIER"]'],
      { registrationNumber: OTHER_REGISTRATION_NUMBER });
    expect(enterprise).toMatchObject({ status: 'ACTIVE', roles: ['SUPPLIER'], onboardedByMsp: 'Bank2MSP' });
    expect(JSON.stringify(enterprise)).not.toContain('MA5DXXXX1K');
    const identity = await world.cas.bank2.issue({ commonName: 'new-supplier' });
    await world.submit(world.admins.bank2, 'Enterprise:BindIdentity', ['did:scf:new-supplier', 'Bank2MSP', identity.clientId]);
    await expect(world.evaluate(identity, 'Enterprise:WhoAmI')).resolves.toMatchObject({ id: 'did:scf:new-supplier' });
    const view = await world.evaluate<Enterprise & { identities: Pick<IdentityBinding, 'mspId' | 'clientId'>[] }>(world.as('auditor'), 'Enterprise:Get', ['did:scf:new-supplier']);
    expect(view.identities).toEqual([{ mspId: 'Bank2MSP', clientId: identity.clientId }]);
  });

  test('a consortium bank admin reads any enterprise\'s record (onboarding checks it), an outsider admin cannot', async () => {
    // Bank2's admin reads Bank1's customer: what onboarding needs to tell "already mine" from "another bank's".
    await expect(world.evaluate(world.admins.bank2, 'Enterprise:Get', [world.id('tier1')]))
      .resolves.toMatchObject({ id: world.id('tier1'), onboardedByMsp: 'Bank1MSP' });
    await world.refused('NOT_FOUND', () => world.evaluate(world.admins.bank1, 'Enterprise:Get', ['did:scf:nobody']));
    const { LocalCertificateAuthority } = await import('../src/engine/local-ca');
    const outsider = await (await LocalCertificateAuthority.create('OutsiderMSP')).issue({ commonName: 'admin', type: 'admin' });
    await world.refused('FORBIDDEN', () => world.evaluate(outsider, 'Enterprise:Get', [world.id('tier1')]));
  });

  test('enterprises, plain members and admins of non-consortium orgs cannot onboard', async () => {
    const register = (who: Parameters<World['submit']>[0]) => world.submit(who, 'Enterprise:Register', ['did:scf:x-corp', 'X', '["SUPPLIER"]'], { registrationNumber: NEW_REGISTRATION_NUMBER });
    await world.refused('FORBIDDEN', () => register(world.as('bank')));
    const { LocalCertificateAuthority } = await import('../src/engine/local-ca');
    const outsider = await (await LocalCertificateAuthority.create('OutsiderMSP')).issue({ commonName: 'admin', type: 'admin' });
    await world.refused('FORBIDDEN', () => register(outsider));
  });

  test('an admin binds only identities of its own organisation and suspends only its own customers', async () => {
    const identity = await world.cas.bank2.issue({ commonName: 'someone' });
    await world.refused('FORBIDDEN', () => world.submit(world.admins.bank1, 'Enterprise:BindIdentity', [world.id('tier1'), 'Bank2MSP', identity.clientId]));
    await world.refused('FORBIDDEN', () => world.submit(world.admins.bank2, 'Enterprise:Suspend', [world.id('tier1'), 'not mine']));
  });

  test.each([
    ['a duplicate id', ['did:scf:core-a', 'Again', '["CORE"]'], 'ALREADY_EXISTS'],
    ['a malformed id', ['core-a', 'X', '["CORE"]'], 'INVALID_ARGUMENT'],
    ['an unknown role', ['did:scf:x-corp', 'X', '["OWNER"]'], 'INVALID_ARGUMENT'],
    ['a repeated role', ['did:scf:x-corp', 'X', '["CORE","CORE"]'], 'INVALID_ARGUMENT'],
    ['a control character in the name', ['did:scf:x-corp', 'X\u0000Y', '["CORE"]'], 'INVALID_ARGUMENT'],
  ])('registration with %s is refused', async (_label, args, code) => {
    await world.refused(code as 'INVALID_ARGUMENT', () => world.submit(world.admins.bank1, 'Enterprise:Register', args, { registrationNumber: NEW_REGISTRATION_NUMBER }));
  });

  test('the consortium is initialised once, with a salt, by an admin of one of its banks', async () => {
    await world.refused('ALREADY_EXISTS', () => world.submit(world.admins.bank2, 'Consortium:Initialize', ['["Bank2MSP"]', '{}'], { invoiceSalt: Buffer.alloc(32, 1) }));
    const { LedgerEngine } = await import('../src/engine/ledger-engine');
    const { contracts } = await import('../src');
    const fresh = new LedgerEngine({ contracts });
    await expect(fresh.submit({ identity: world.admins.bank1, transaction: 'Consortium:Initialize', args: ['["Bank2MSP"]', '{}'], transient: { invoiceSalt: Buffer.alloc(32, 1) } }))
      .rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(fresh.submit({ identity: world.admins.bank1, transaction: 'Consortium:Initialize', args: ['["Bank1MSP"]', '{}'], transient: { invoiceSalt: Buffer.alloc(8, 1) } }))
      .rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // On a fresh ledger nobody is bound: a non-admin signer is nobody the chaincode knows.
    await expect(fresh.submit({ identity: world.as('tier1'), transaction: 'Consortium:Initialize', args: ['["Bank1MSP"]', '{}'], transient: { invoiceSalt: Buffer.alloc(32, 1) } }))
      .rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await world.refused('FORBIDDEN', () => world.submit(world.as('tier1'), 'Consortium:Initialize', ['["Bank1MSP"]', '{}'], { invoiceSalt: Buffer.alloc(32, 1) }));
    await expect(fresh.evaluate({ identity: world.as('coreA'), transaction: 'Enterprise:WhoAmI' }))
      .rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(fresh.submit({ identity: world.admins.bank1, transaction: 'Governance:Propose', args: ['limits', '{"maxSplitDepth":3}', world.inSeconds(3600)] }))
      .rejects.toMatchObject({ code: 'NOT_INITIALISED' });
  });

  test('the consortium banks change limits together, by proposal; nobody else can propose', async () => {
    await world.govern('limits', { minPieceAmount: '1000' });
    expect((await world.evaluate<ConsortiumConfig>(world.as('coreA'), 'Consortium:GetConfig')).limits.minPieceAmount).toBe('1000');
    const propose = (who: LocalIdentity, change: string) => world.submit(who, 'Governance:Propose', ['limits', change, world.inSeconds(3600)]);
    await world.refused('FORBIDDEN', () => propose(world.as('coreA'), '{"minPieceAmount":"1"}'));
    await world.refused('INVALID_ARGUMENT', () => propose(world.admins.bank1, '{"minPieceAmount":"-1"}'));
    await world.refused('INVALID_ARGUMENT', () => propose(world.admins.bank1, '{"unknown":1}'));
    await world.refused('INVALID_ARGUMENT', () => propose(world.admins.bank1, '{}'));
  });
});

describe('organisation admins read what their tools need, and nothing else', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); });

  /** Every transaction with its contract's parameter count, so the call reaches the gate. */
  const transactions = contracts.flatMap((Contract) => {
    const instance = new Contract() as { getName(): string };
    const prototype = Contract.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    return Object.getOwnPropertyNames(Contract.prototype).filter((name) => /^[A-Z]/.test(name))
      .map((name) => ({ name: `${instance.getName()}:${name}`, arity: (prototype[name] as (...args: unknown[]) => unknown).length - 1 }));
  });
  const adminReads = TRANSACTION_NAMES.filter((name) => {
    const policy = policyOf(name);
    return policy.kind === 'enterprise' && policy.consortiumAdmins;
  }).sort();

  test('the policy opens exactly the reads an admin\'s tools need to consortium banks\' admins, and confirming a customer\'s payout', () => {
    expect(adminReads).toEqual(['Consortium:GetConfig', 'Enterprise:Get', 'Enterprise:WhoAmI', 'Governance:Get', 'Governance:List', 'Identity:GetDidDocument', 'Identity:GetRecovery', 'Settlement:ConfirmPayout']);
  });

  test.each(['bank1', 'bank2'] as const)('the admin of %s reads the consortium, the registry and DID documents; WhoAmI describes the admin', async (bank) => {
    const admin = world.admins[bank];
    expect(await world.evaluate(admin, 'Consortium:GetConfig')).toMatchObject({ bankMspIds: ['Bank1MSP', 'Bank2MSP'] });
    expect(await world.evaluate(admin, 'Enterprise:WhoAmI')).toEqual({ kind: 'admin', mspId: admin.mspId, clientId: admin.clientId, consortiumBank: true });
    expect(await world.evaluate(admin, 'Enterprise:Get', [world.id('tier2')])).toMatchObject({ id: world.id('tier2'), status: 'ACTIVE' });
    expect(await world.evaluate(admin, 'Identity:GetDidDocument', [world.id('tier1')])).toMatchObject({ id: world.id('tier1'), verificationMethod: [{ clientId: world.as('tier1').clientId }] });
    await world.refused('NOT_FOUND', () => world.evaluate(admin, 'Enterprise:Get', ['did:scf:nobody']));
  });

  test('an admin is refused every other enterprise transaction with FORBIDDEN (it is known, not unauthenticated), changing nothing', async () => {
    const others = transactions.filter((t): t is { name: TransactionName; arity: number } => {
      const policy = isTransactionName(t.name) ? policyOf(t.name) : undefined;
      return policy?.kind === 'enterprise' && !policy.consortiumAdmins;
    });
    expect(others.length).toBeGreaterThan(40);
    for (const { name, arity } of others) {
      const code = await world.refused('FORBIDDEN', () => world.submit(world.admins.bank2, name, Array<string>(arity).fill('x')))
        .then(() => 'FORBIDDEN', (e: unknown) => `${name}: ${String(e)}`);
      expect(code).toBe('FORBIDDEN');
    }
  });

  test('the admin of an organisation outside the consortium is refused even the reads', async () => {
    const outsider = await (await LocalCertificateAuthority.create('OutsiderMSP')).issue({ commonName: 'admin@outsider', type: 'admin' });
    await world.refused('FORBIDDEN', () => world.evaluate(outsider, 'Consortium:GetConfig'));
    await world.refused('FORBIDDEN', () => world.evaluate(outsider, 'Enterprise:WhoAmI'));
    await world.refused('FORBIDDEN', () => world.evaluate(outsider, 'Enterprise:Get', [world.id('tier1')]));
    await world.refused('FORBIDDEN', () => world.evaluate(outsider, 'Identity:GetDidDocument', [world.id('tier1')]));
  });

  test('UNAUTHENTICATED is for a signer the chaincode cannot resolve; a known signer without the right is FORBIDDEN', async () => {
    const stranger = await world.cas.bank1.issue({ commonName: 'stranger' });
    await world.refused('UNAUTHENTICATED', () => world.evaluate(stranger, 'Consortium:GetConfig'));
    await world.refused('UNAUTHENTICATED', () => world.submit(stranger, 'Governance:Propose', ['limits', '{"maxSplitDepth":3}', world.inSeconds(3600)]));
    await world.refused('UNAUTHENTICATED', () => world.submit(stranger, 'Enterprise:Register', ['did:scf:x-corp', 'X', '["SUPPLIER"]'], { registrationNumber: NEW_REGISTRATION_NUMBER }));
    await world.refused('FORBIDDEN', () => world.submit(world.as('bank'), 'Governance:Propose', ['limits', '{"maxSplitDepth":3}', world.inSeconds(3600)]));
    await world.refused('FORBIDDEN', () => world.submit(world.as('auditor'), 'Certificate:Split', [`crt_${'0'.repeat(64)}`, '["1","1"]']));
    // A suspended enterprise hears that it is suspended, on admin transactions too.
    await world.submit(world.admins.bank1, 'Enterprise:Suspend', [world.id('tier1'), 'KYC review']);
    await world.refused('ENTERPRISE_SUSPENDED', () => world.submit(world.as('tier1'), 'Governance:Approve', [`prp_${'0'.repeat(64)}`]));
  });
});
