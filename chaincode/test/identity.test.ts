import { recoveryView } from '../src/domain/identity-rules';
import { type Credential, Recovery } from '../src/domain/model';
import type { Attestations, Claims, DidDocument, Verification } from './support/answers';
import type { PartyName } from './support/fixtures';
import { World } from './support/world';

const kycClaims = (extra: Record<string, unknown> = {}) => JSON.stringify({
  nonce: 'b3f1c9a07e5d4c2a', checkedBy: 'bank-one onboarding desk', beneficialOwner: 'Zhang Wei (secret-owner-7731)', ...extra,
});

describe('DID documents and key lifecycle', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); });

  test('an enterprise\'s DID document lists the identities that act for it and the services it publishes', async () => {
    await world.submit(world.as('tier1'), 'Identity:SetServices', [JSON.stringify([{ id: '#invoices', type: 'InvoiceApi', endpoint: 'https://erp.tier1.example/api' }])]);
    const doc = await world.evaluate<DidDocument>(world.as('bank'), 'Identity:GetDidDocument', [world.id('tier1')]);
    expect(doc).toMatchObject({ id: world.id('tier1'), status: 'ACTIVE', service: [{ id: '#invoices', type: 'InvoiceApi' }] });
    expect(doc.verificationMethod).toEqual([expect.objectContaining({ type: 'FabricX509Identity', mspId: 'Bank1MSP', clientId: world.as('tier1').clientId })]);
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('tier1'), 'Identity:SetServices', ['[{"id":"x","type":"A","endpoint":"not a url"}]']));
  });

  test('a key that declares itself self-held shows so in the DID document; the others and a rotated key read gateway-held', async () => {
    const before = await world.evaluate<DidDocument>(world.as('bank'), 'Identity:GetDidDocument', [world.id('tier1')]);
    expect(before.verificationMethod.map((m) => m.keyCustody)).toEqual(['GATEWAY']);
    await world.submit(world.as('tier1'), 'Identity:DeclareSelfCustody');
    expect(world.lastEvent().name).toBe('KeyCustodyDeclared');
    const declared = await world.evaluate<DidDocument>(world.as('auditor'), 'Identity:GetDidDocument', [world.id('tier1')]);
    expect(declared.verificationMethod).toEqual([expect.objectContaining({ clientId: world.as('tier1').clientId, keyCustody: 'SELF' })]);
    // The binding keeps its role and user: declaring changes nothing else.
    await expect(world.evaluate(world.as('tier1'), 'Enterprise:WhoAmI')).resolves.toMatchObject({ id: world.id('tier1') });
    const fresh = await world.cas.bank1.issue({ commonName: 'tier1-rotated' });
    await world.submit(world.as('tier1'), 'Identity:RotateKey', [fresh.clientId]);
    const rotated = await world.evaluate<DidDocument>(world.as('bank'), 'Identity:GetDidDocument', [world.id('tier1')]);
    expect(rotated.verificationMethod).toEqual([expect.objectContaining({ clientId: fresh.clientId, keyCustody: 'GATEWAY' })]);
    await world.refused('UNAUTHENTICATED', () => world.submit(world.as('tier1'), 'Identity:DeclareSelfCustody'));
  });

  test('after rotating its key, an enterprise acts only with the new one', async () => {
    const fresh = await world.cas.bank1.issue({ commonName: 'tier1-2027' });
    await world.submit(world.as('tier1'), 'Identity:RotateKey', [fresh.clientId]);
    await world.refused('UNAUTHENTICATED', () => world.evaluate(world.as('tier1'), 'Enterprise:WhoAmI'));
    await expect(world.evaluate(fresh, 'Enterprise:WhoAmI')).resolves.toMatchObject({ id: world.id('tier1') });
    await world.refused('ALREADY_EXISTS', () => world.submit(fresh, 'Identity:RotateKey', [world.as('tier3').clientId]));
  });

  test('a lost key is recovered only when M of N guardians approve; then the old key no longer acts', async () => {
    await world.submit(world.as('tier1'), 'Identity:SetGuardians', [JSON.stringify([world.id('tier2'), world.id('tier3'), world.id('coreA')]), '2']);
    const replacement = await world.cas.bank1.issue({ commonName: 'tier1-recovered' });
    const proposed = await world.submit<Recovery>(world.as('tier2'), 'Identity:ProposeRecovery', [world.id('tier1'), 'Bank1MSP', replacement.clientId, world.inSeconds(7 * 86400)]);
    expect(proposed).toMatchObject({ status: 'OPEN', approvals: [world.id('tier2')], threshold: 2 });
    // One approval of two: nothing has changed.
    await world.refused('UNAUTHENTICATED', () => world.evaluate(replacement, 'Enterprise:WhoAmI'));
    await expect(world.evaluate(world.as('tier1'), 'Enterprise:WhoAmI')).resolves.toMatchObject({ id: world.id('tier1') });
    await world.refused('FORBIDDEN', () => world.submit(world.as('coreB'), 'Identity:ApproveRecovery', [world.id('tier1')]));
    await world.refused('ALREADY_EXISTS', () => world.submit(world.as('tier2'), 'Identity:ApproveRecovery', [world.id('tier1')]));
    const completed = await world.submit<Recovery>(world.as('coreA'), 'Identity:ApproveRecovery', [world.id('tier1')]);
    expect(completed.status).toBe('COMPLETED');
    expect(world.lastEvent().name).toBe('RecoveryCompleted');
    await world.refused('UNAUTHENTICATED', () => world.evaluate(world.as('tier1'), 'Enterprise:WhoAmI'));
    await expect(world.evaluate(replacement, 'Enterprise:WhoAmI')).resolves.toMatchObject({ id: world.id('tier1') });
  });

  describe('a recovery that stalls does not block the next one', () => {
    const propose = async (by: PartyName, commonName: string, seconds = 86400) => {
      const replacement = await world.cas.bank1.issue({ commonName });
      const recovery = await world.submit<Recovery>(world.as(by), 'Identity:ProposeRecovery', [world.id('tier1'), 'Bank1MSP', replacement.clientId, world.inSeconds(seconds)]);
      return { replacement, recovery };
    };
    beforeEach(async () => {
      await world.submit(world.as('tier1'), 'Identity:SetGuardians', [JSON.stringify([world.id('tier2'), world.id('tier3'), world.id('coreA')]), '2']);
    });

    test('an open recovery blocks another until it expires; expired, it can no longer complete', async () => {
      const { replacement, recovery } = await propose('tier2', 'tier1-r1');
      await world.refused('ALREADY_EXISTS', () => propose('tier3', 'tier1-r2'));
      world.advance(86400);
      await expect(world.evaluate<Recovery>(world.as('coreB'), 'Identity:GetRecovery', [world.id('tier1')])).resolves.toMatchObject({ id: recovery.id, status: 'EXPIRED' });
      await world.refused('RECOVERY_EXPIRED', () => world.submit(world.as('coreA'), 'Identity:ApproveRecovery', [world.id('tier1')]));
      await world.refused('UNAUTHENTICATED', () => world.evaluate(replacement, 'Enterprise:WhoAmI'));
      const next = await propose('tier3', 'tier1-r3');
      expect(next.recovery).toMatchObject({ status: 'OPEN', approvals: [world.id('tier3')] });
      await world.submit(world.as('coreA'), 'Identity:ApproveRecovery', [world.id('tier1')]);
      await expect(world.evaluate(next.replacement, 'Enterprise:WhoAmI')).resolves.toMatchObject({ id: world.id('tier1') });
    });

    test('the enterprise or a named guardian cancels an open recovery; nobody else, and nothing after', async () => {
      const { replacement } = await propose('tier2', 'tier1-c1');
      await world.refused('FORBIDDEN', () => world.submit(world.as('coreB'), 'Identity:CancelRecovery', [world.id('tier1'), 'not mine to stop']));
      const cancelled = await world.submit<Recovery>(world.as('tier1'), 'Identity:CancelRecovery', [world.id('tier1'), 'we still hold our key']);
      expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellation: { by: world.id('tier1'), reason: 'we still hold our key' } });
      expect(world.lastEvent().name).toBe('RecoveryCancelled');
      await world.refused('INVALID_STATE', () => world.submit(world.as('coreA'), 'Identity:ApproveRecovery', [world.id('tier1')]));
      await world.refused('INVALID_STATE', () => world.submit(world.as('tier3'), 'Identity:CancelRecovery', [world.id('tier1'), 'again']));
      await world.refused('UNAUTHENTICATED', () => world.evaluate(replacement, 'Enterprise:WhoAmI'));
      await expect(world.evaluate(world.as('tier1'), 'Enterprise:WhoAmI')).resolves.toMatchObject({ id: world.id('tier1') });
      // A guardian withdraws the next one; a third may then be proposed at once.
      await propose('coreA', 'tier1-c2');
      await expect(world.submit<Recovery>(world.as('tier3'), 'Identity:CancelRecovery', [world.id('tier1'), 'proposed in error'])).resolves.toMatchObject({ status: 'CANCELLED' });
      await expect(propose('tier2', 'tier1-c3')).resolves.toMatchObject({ recovery: { status: 'OPEN' } });
    });

    test('a recovery stored before recoveries expired reads as lapsed at its proposal, so it blocks nothing', () => {
      const stored = { id: 'rec_1', enterpriseId: 'did:scf:t1', newMspId: 'Bank1MSP', newClientId: 'x509::a', threshold: 2,
        guardians: ['did:scf:t2', 'did:scf:t3'], approvals: ['did:scf:t2'], proposedAt: '2027-01-01T00:00:00.000Z', status: 'OPEN' };
      const read = Recovery.parse(stored);
      expect(read.expiresAt).toBe(stored.proposedAt);
      expect(recoveryView(read, '2027-01-01T00:00:00.001Z').status).toBe('EXPIRED');
    });

    test('a recovery lapses within 30 days at most, and reads need a proposal', async () => {
      await world.refused('NOT_FOUND', () => world.evaluate(world.as('tier2'), 'Identity:GetRecovery', [world.id('tier1')]));
      await world.refused('INVALID_ARGUMENT', () => propose('tier2', 'tier1-l1', 31 * 86400));
      await world.refused('INVALID_ARGUMENT', () => propose('tier2', 'tier1-l2', 0));
      await expect(world.evaluate(world.admins.bank1, 'Identity:GetRecovery', [world.id('tier1')])).rejects.toThrow(/NOT_FOUND/);
    });
  });

  test('guardian rules: distinct other enterprises, a reachable threshold, a new key from the enterprise\'s own bank', async () => {
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('tier1'), 'Identity:SetGuardians', [JSON.stringify([world.id('tier2')]), '2']));
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('tier1'), 'Identity:SetGuardians', [JSON.stringify([world.id('tier1')]), '1']));
    await world.refused('NOT_FOUND', () => world.submit(world.as('tier1'), 'Identity:SetGuardians', [JSON.stringify(['did:scf:nobody']), '1']));
    await world.submit(world.as('tier1'), 'Identity:SetGuardians', [JSON.stringify([world.id('tier2')]), '1']);
    const foreign = await world.cas.bank2.issue({ commonName: 'elsewhere' });
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('tier2'), 'Identity:ProposeRecovery', [world.id('tier1'), 'Bank2MSP', foreign.clientId, world.inSeconds(86400)]));
    await world.refused('FORBIDDEN', () => world.submit(world.as('tier3'), 'Identity:ProposeRecovery', [world.id('tier1'), 'Bank1MSP', foreign.clientId, world.inSeconds(86400)]));
  });

  test('a deactivated enterprise (注销) is refused for good', async () => {
    await world.submit(world.as('tier3'), 'Identity:Deactivate', ['business closed']);
    await world.refused('ENTERPRISE_DEACTIVATED', () => world.evaluate(world.as('tier3'), 'Enterprise:WhoAmI'));
    await world.refused('INVALID_STATE', () => world.submit(world.admins.bank1, 'Enterprise:Reinstate', [world.id('tier3')]));
    const doc = await world.evaluate<DidDocument>(world.as('auditor'), 'Identity:GetDidDocument', [world.id('tier3')]);
    expect(doc.status).toBe('DEACTIVATED');
  });
});

describe('verifiable credentials', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); });
  const issueKyc = (days = 365, claims = kycClaims()) =>
    world.submit<Credential>(world.as('bank'), 'Credential:Issue', [world.id('tier1'), 'KYC', world.inSeconds(days * 86400)], { claims });
  const verify = (id: string, claims?: string) => world.engine.evaluate({
    identity: world.as('coreB'), transaction: 'Credential:Verify', args: [id], ...(claims ? { transient: { claims } } : {}),
  }).then((bytes) => (JSON.parse(Buffer.from(bytes).toString()) as Verification).outcome);

  test('a bank issues a KYC credential; anyone verifies it and a presented claims document against it', async () => {
    const credential = await issueKyc();
    expect(credential).toMatchObject({ type: 'KYC', issuerId: world.id('bank'), subjectId: world.id('tier1'), status: 'ISSUED' });
    expect(credential.claimsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await verify(credential.id)).toBe('VALID');
    expect(await verify(credential.id, kycClaims())).toBe('VALID');
    expect(await verify(credential.id, kycClaims({ beneficialOwner: 'someone else' }))).toBe('HASH_MISMATCH');
  });

  test('verification reads expired, revoked and unknown-issuer credentials as such', async () => {
    const expiring = await issueKyc(1);
    const revoked = await issueKyc();
    const orphaned = await issueKyc();
    await world.refused('FORBIDDEN', () => world.submit(world.as('tier1'), 'Credential:Revoke', [revoked.id, 'mine']));
    await world.submit(world.as('bank'), 'Credential:Revoke', [revoked.id, 'ownership changed']);
    world.advance(2 * 86400);
    expect(await verify(expiring.id)).toBe('EXPIRED');
    expect(await verify(revoked.id)).toBe('REVOKED');
    expect(await verify(orphaned.id)).toBe('VALID');
    await world.submit(world.admins.bank1, 'Enterprise:Suspend', [world.id('bank'), 'licence withdrawn']);
    expect(await verify(orphaned.id)).toBe('UNKNOWN_ISSUER');
  });

  test('only entitled issuers issue each type, claims need a nonce, and the subject must exist', async () => {
    await world.refused('FORBIDDEN', () => world.submit(world.as('tier2'), 'Credential:Issue', [world.id('tier1'), 'KYC', world.inSeconds(86400)], { claims: kycClaims() }));
    await world.refused('FORBIDDEN', () => world.submit(world.as('regulator'), 'Credential:Issue', [world.id('tier1'), 'KYC', world.inSeconds(86400)], { claims: kycClaims() }));
    await world.submit(world.as('regulator'), 'Credential:Issue', [world.id('coreA'), 'CORE_ENTERPRISE_STATUS', world.inSeconds(86400)], { claims: kycClaims() });
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('bank'), 'Credential:Issue', [world.id('tier1'), 'KYC', world.inSeconds(86400)], { claims: '{"ok":true}' }));
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('bank'), 'Credential:Issue', [world.id('tier1'), 'PASSPORT', world.inSeconds(86400)], { claims: kycClaims() }));
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('bank'), 'Credential:Issue', [world.id('tier1'), 'KYC', world.inSeconds(86400)]));
    await world.refused('NOT_FOUND', () => world.submit(world.as('bank'), 'Credential:Issue', ['did:scf:nobody', 'KYC', world.inSeconds(86400)], { claims: kycClaims() }));
  });

  describe('claims documents that JSON.parse and an object copy would read differently are refused', () => {
    const nonce = 'f0e1d2c3b4a59687';
    const withProto = (rating: string) => `{"nonce":"${nonce}","level":"basic","__proto__":{"rating":"${rating}"}}`;
    const issueWith = (claims: string) => () => world.submit<Credential>(world.as('bank'), 'Credential:Issue', [world.id('tier1'), 'KYC', world.inSeconds(86400)], { claims });
    const claimsState = () => world.engine.store.range('scf$$pscfCredentialClaims', '', '');

    test.each([
      ['__proto__ at the top', withProto('AAA')],
      ['constructor', `{"nonce":"${nonce}","constructor":{"prototype":{"rating":"AAA"}}}`],
      ['prototype deep inside an array', `{"nonce":"${nonce}","owners":[{"name":"x","more":[{"prototype":1}]}]}`],
      ['__proto__ with a unicode escape', `{"nonce":"${nonce}","\\u005f_proto__":{"rating":"AAA"}}`],
    ])('issuing with %s is refused and changes nothing', async (_label, claims) => {
      const privateBefore = await claimsState();
      await world.refused('INVALID_ARGUMENT', issueWith(claims));
      expect(await claimsState()).toEqual(privateBefore);
      expect(await world.evaluate(world.as('auditor'), 'Credential:ListBySubject', [world.id('tier1')])).toEqual({ items: [] });
    });

    test('a document with __proto__ never verifies as VALID against one issued without it', async () => {
      const plain = `{"nonce":"${nonce}","level":"basic"}`;
      const credential = await world.submit<Credential>(world.as('bank'), 'Credential:Issue', [world.id('tier1'), 'KYC', world.inSeconds(86400)], { claims: plain });
      expect(await verify(credential.id, plain)).toBe('VALID');
      for (const presented of [withProto('D'), withProto('AAA'), `{"nonce":"${nonce}","level":"basic","constructor":{}}`]) {
        const outcome = await verify(credential.id, presented).catch((e: { code?: string }) => e.code);
        expect(['INVALID_ARGUMENT', 'HASH_MISMATCH']).toContain(outcome);
      }
    });

    test('nesting deeper than 32 levels is refused cleanly, 5,000 levels included; 32 are accepted', async () => {
      const nested = (depth: number) => `{"nonce":"${nonce}","x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
      await world.refused('INVALID_ARGUMENT', issueWith(nested(5000)));
      await world.refused('INVALID_ARGUMENT', issueWith(nested(33)));
      const credential = await issueWith(nested(32))();
      expect(credential.status).toBe('ISSUED');
      expect(await verify(credential.id, nested(32))).toBe('VALID');
      await expect(verify(credential.id, nested(5000))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });
  });

  test('private claims never appear in public state, arguments or events; the parties read them from the collection', async () => {
    const before = world.events.length;
    const endorsed = await world.engine.endorse({ identity: world.as('bank'), transaction: 'Credential:Issue',
      args: [world.id('tier1'), 'KYC', world.inSeconds(86400)], transient: { claims: kycClaims() } });
    await world.engine.commit(endorsed);
    const secret = 'secret-owner-7731';
    const publicState = (await world.engine.store.range('scf', '', '')).map(([k, v]) => k + Buffer.from(v.value).toString()).join();
    expect(publicState).not.toContain(secret);
    expect(world.events.slice(before).map((e) => Buffer.from(e.payload).toString()).join()).not.toContain(secret);
    const publicWrites = [...endorsed.rwset.writes].filter(([key]) => key.startsWith('scf\u0000')).map(([, v]) => Buffer.from(v ?? []).toString()).join();
    expect(publicWrites).not.toContain(secret);
    const privateState = (await world.engine.store.range('scf$$pscfCredentialClaims', '', '')).map(([, v]) => Buffer.from(v.value).toString()).join();
    expect(privateState).toContain(secret);
    const id = (JSON.parse(Buffer.from(endorsed.result).toString()) as Credential).id;
    expect((await world.evaluate<Claims>(world.as('tier1'), 'Credential:GetClaims', [id])).claims.beneficialOwner).toContain(secret);
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier2'), 'Credential:GetClaims', [id]));
  });

  test('the consortium may require a valid credential to move value: no KYC, no financing', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    await world.refused('FORBIDDEN', () => world.submit(world.as('coreA'), 'Governance:Propose', ['credentialPolicy', '{"Financing:Apply":["KYC"]}', world.inSeconds(3600)]));
    await world.refused('INVALID_ARGUMENT', () => world.proposeChange('credentialPolicy', { 'Financing:Borrow': ['KYC'] }));
    await world.govern('credentialPolicy', { 'Financing:Apply': ['KYC'] });
    const termsHash = await world.propose('tier1', certificateId, { amount: '1000', tenorEnd: world.dueIn(30) });
    const apply = () => world.applyOn('tier1', certificateId, {}, termsHash);
    await world.refused('CREDENTIAL_REQUIRED', apply);
    const kyc = await issueKyc();
    const { financing } = await apply();
    await world.submit(world.as('bank'), 'Financing:Reject', [financing.id, 'pricing']);
    await world.submit(world.as('bank'), 'Credential:Revoke', [kyc.id, 'expired documents']);
    await world.refused('CREDENTIAL_REQUIRED', apply);
  });

  test('each attested document names the identity that vouched for it and that identity\'s credentials', async () => {
    await world.submit(world.as('regulator'), 'Credential:Issue', [world.id('coreA'), 'CORE_ENTERPRISE_STATUS', world.inSeconds(86400)], { claims: kycClaims() });
    const receivable = await world.issue('coreA', 'tier1', '5000');
    // The creditor relies on the debtor's attestations; an unrelated bank may not read them.
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('bank'), 'Trace:Attestations', ['receivable', receivable.id]));
    const { items } = await world.evaluate<Attestations>(world.as('tier1'), 'Trace:Attestations', ['receivable', receivable.id]);
    expect(items.map((i) => i.attestation.field)).toEqual(['contractHash', 'invoiceHash']);
    expect(items[1]).toMatchObject({
      attestation: { hash: receivable.invoiceHash, attestedBy: { enterpriseId: world.id('coreA'), mspId: 'Bank1MSP', clientId: world.as('coreA').clientId } },
      identityStillBound: true,
      credentials: [{ type: 'CORE_ENTERPRISE_STATUS', outcome: 'VALID' }],
    });
    await world.submit(world.admins.bank1, 'Enterprise:UnbindIdentity', ['Bank1MSP', world.as('coreA').clientId]);
    const later = await world.evaluate<Attestations>(world.as('tier1'), 'Trace:Attestations', ['receivable', receivable.id]);
    expect(later.items[0]!.identityStillBound).toBe(false);
  });
});
