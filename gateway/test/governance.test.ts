import { randomUUID } from 'crypto';
import { GatewayUnderTest } from './support/gateway-under-test';
import { sha } from './support/fixtures';

/**
 * Governance over real HTTP: two bank organisations' admins (`admin:Bank1MSP`, `admin:Bank2MSP`)
 * change the consortium's rules only together; and the routes a bank using only the gateway needs.
 */
const BANK1 = 'admin:Bank1MSP';
const BANK2 = 'admin:Bank2MSP';
const DAY = 86_400_000;

describe('governance over REST: proposals take effect by majority', () => {
  let gw: GatewayUnderTest;
  beforeAll(async () => { gw = await GatewayUnderTest.start(); }, 60_000);
  afterAll(async () => { await gw.stop(); });

  const post = (as: string, url: string, body: object) => gw.call('POST', url, { as, key: randomUUID(), body });
  const propose = (as: string, kind: string, change: object, expiresAt = new Date(Date.now() + DAY).toISOString()) =>
    post(as, '/governance/proposals', { kind, change, expiresAt });
  const consortium = async () => (await gw.call('GET', '/consortium', { as: 'did:scf:supplier-t1' })).body;

  test('one bank proposing changes nothing; the other bank\'s approval applies it; a second approval of the same bank is refused', async () => {
    const before = await consortium();
    expect(before).toMatchObject({ bankMspIds: ['Bank1MSP', 'Bank2MSP'], approvalThreshold: { kind: 'majority' }, suspendedBankMspIds: [] });
    const proposed = await propose(BANK1, 'limits', { maxSplitDepth: 4 });
    expect(proposed).toMatchObject({ status: 201, body: { result: { kind: 'limits', status: 'OPEN', approvals: [{ mspId: 'Bank1MSP' }] } } });
    const id = proposed.body.result.id as string;
    expect(await consortium()).toEqual(before);

    expect(await post(BANK1, `/governance/proposals/${id}/approve`, {})).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_EXISTS' } } });
    expect(await consortium()).toEqual(before);
    const approved = await post(BANK2, `/governance/proposals/${id}/approve`, {});
    expect(approved).toMatchObject({ status: 200, body: { result: { status: 'APPLIED', approvals: [{ mspId: 'Bank1MSP' }, { mspId: 'Bank2MSP' }] } } });
    expect((await consortium()).limits).toEqual({ ...before.limits, maxSplitDepth: 4 });

    expect(await gw.call('GET', `/governance/proposals/${id}`, { as: 'did:scf:auditor' })).toMatchObject({ status: 200, body: { id, status: 'APPLIED' } });
    expect((await gw.call('GET', `/governance/proposals/${id}`, { as: 'did:scf:bank-one' })).status).toBe(403);
    const listed = await gw.call('GET', '/governance/proposals?pageSize=10', { as: BANK2 });
    expect(listed.body.items.map((p: { id: string }) => p.id)).toContain(id);
  });

  test('enterprises may not propose; a proposal past its expiry is refused', async () => {
    expect((await propose('did:scf:bank-one', 'limits', { maxSplitDepth: 2 })).status).toBe(403);
    expect((await propose(BANK1, 'limits', {})).body.error.code).toBe('VALIDATION_FAILED');
    expect((await propose(BANK1, 'threshold', { kind: 'count', count: 0 })).body.error.code).toBe('VALIDATION_FAILED');
    const proposed = await propose(BANK1, 'limits', { maxSplitDepth: 2 }, new Date(Date.now() + 60_000).toISOString());
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'] });
    try {
      jest.setSystemTime(Date.now() + 120_000);
      const late = await post(BANK2, `/governance/proposals/${proposed.body.result.id}/approve`, {});
      expect(late).toMatchObject({ status: 409, body: { error: { code: 'PROPOSAL_EXPIRED' } } });
      expect((await gw.call('GET', `/governance/proposals/${proposed.body.result.id}`, { as: BANK2 })).body.status).toBe('EXPIRED');
      expect((await consortium()).limits.maxSplitDepth).toBe(4);
    } finally {
      jest.useRealTimers();
    }
  });

  test('a bank organisation suspended by majority onboards no one and its customers apply for nothing, until reinstated', async () => {
    const suspension = await propose(BANK1, 'suspendBank', { mspId: 'Bank2MSP', reason: 'capital review' });
    await post(BANK2, `/governance/proposals/${suspension.body.result.id}/approve`, {});
    expect((await consortium()).suspendedBankMspIds).toEqual(['Bank2MSP']);
    const onboarding = { id: 'did:scf:gov-newcomer', name: 'Newcomer', roles: ['SUPPLIER'], registrationNumber: '91330000GOVERN0001' };
    expect(await post(BANK2, '/enterprises', onboarding)).toMatchObject({ status: 403, body: { error: { code: 'BANK_SUSPENDED' } } });
    // supplier-t2 was onboarded by Bank2MSP: it takes no financing.
    const certificate = await issuedTo('did:scf:supplier-t1');
    await post('did:scf:supplier-t1', `/certificates/${certificate}/offer`, { to: 'did:scf:supplier-t2', expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    expect((await post('did:scf:supplier-t2', `/certificates/${certificate}/offer/accept`, {})).status).toBe(200);
    const application = { certificateId: certificate, bankId: 'did:scf:bank-one', mode: 'PLEDGE', requestedAmount: '1000', annualRateBps: 300,
      feeAmount: '0', tenorEnd: new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10), documentsHash: sha('gov-docs') };
    expect(await post('did:scf:supplier-t2', '/financings', application)).toMatchObject({ status: 403, body: { error: { code: 'BANK_SUSPENDED' } } });

    const reinstatement = await propose(BANK2, 'reinstateBank', { mspId: 'Bank2MSP' });
    await post(BANK1, `/governance/proposals/${reinstatement.body.result.id}/approve`, {});
    expect((await post('did:scf:supplier-t2', '/financings', application)).status).toBe(201);
  });

  let invoice = 0;
  async function issuedTo(creditorId: string): Promise<string> {
    const issued = await post('did:scf:core-a', '/receivables', {
      creditorId, faceAmount: '500000', currency: 'CNY', dueDate: new Date(Date.now() + 90 * DAY).toISOString().slice(0, 10),
      invoiceHash: sha(`gov-invoice-${++invoice}`), contractHash: sha('contract'), creditLineId: gw.keys.creditLineId,
      invoice: { invoiceCode: '3100231130', invoiceNumber: `0007${String(invoice).padStart(4, '0')}`, sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' },
    });
    return (await post(creditorId, `/receivables/${issued.body.result.id}/accept`, {})).body.result.certificate.id;
  }

  test('a bank reads the lines it granted, a credential\'s claims and a financing\'s attestations, and unbinds an identity', async () => {
    const granted = await gw.call('GET', '/enterprises/did:scf:bank-one/credit-lines/granted?pageSize=10', { as: 'did:scf:bank-one' });
    expect(granted.body.items.map((l: { id: string }) => l.id)).toContain(gw.keys.creditLineId);
    expect((await gw.call('GET', '/enterprises/did:scf:bank-one/credit-lines/granted', { as: 'did:scf:core-a' })).status).toBe(403);

    const kyc = await post('did:scf:bank-one', '/credentials', { subjectId: 'did:scf:supplier-t1', type: 'KYC',
      expiresAt: new Date(Date.now() + 30 * DAY).toISOString(), claims: { nonce: 'gov-claims-nonce-0001', beneficialOwner: 'Li Wei' } });
    expect(await gw.call('GET', `/credentials/${kyc.body.result.id}/claims`, { as: 'did:scf:supplier-t1' }))
      .toMatchObject({ status: 200, body: { credentialId: kyc.body.result.id, claims: { beneficialOwner: 'Li Wei' } } });
    expect((await gw.call('GET', `/credentials/${kyc.body.result.id}/claims`, { as: 'did:scf:supplier-t2' })).status).toBe(403);

    const certificate = await issuedTo('did:scf:supplier-t1');
    const applied = await post('did:scf:supplier-t1', '/financings', { certificateId: certificate, bankId: 'did:scf:bank-one', mode: 'PLEDGE',
      requestedAmount: '1000', annualRateBps: 300, feeAmount: '0', tenorEnd: new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10), documentsHash: sha('gov-docs-2') });
    const attestations = await gw.call('GET', `/financings/${applied.body.result.financing.id}/attestations`, { as: 'did:scf:bank-one' });
    expect(attestations).toMatchObject({ status: 200, body: { kind: 'financing', id: applied.body.result.financing.id } });
    expect(attestations.body.items.length).toBeGreaterThan(0);

    const onboarded = await post(BANK1, '/enterprises', { id: 'did:scf:gov-leaver', name: 'Leaver', roles: ['SUPPLIER'], registrationNumber: '91330000GOVERN0002' });
    const key = onboarded.body.apiKey as string;
    expect((await gw.call('GET', '/me', { as: key })).status).toBe(200);
    const [identity] = (await gw.call('GET', '/enterprises/did:scf:gov-leaver', { as: BANK1 })).body.identities as { mspId: string; clientId: string }[];
    expect((await post(BANK2, '/identities/unbind', identity!)).status).toBe(403);
    expect(await post(BANK1, '/identities/unbind', identity!)).toMatchObject({ status: 200, body: { result: { enterpriseId: 'did:scf:gov-leaver' } } });
    expect((await gw.call('GET', '/me', { as: key })).status).toBe(401);
  });
});
