import { randomUUID } from 'crypto';
import { GatewayUnderTest } from './support/gateway-under-test';
import { receivableBody } from './support/fixtures';

/**
 * Users and four eyes over real HTTP on the embedded ledger: tier 1's first admin (its demo
 * key) adds a maker (clerk) and a checker (reviewer), each with its own identity and API keys; the maker's
 * large acceptance waits for the checker; a user who revoked its key gets another from its admin.
 */
const TIER1 = 'did:scf:supplier-t1';
const HOUR = 3_600_000;

describe('users and four eyes over REST', () => {
  let gw: GatewayUnderTest;
  let maker: { apiKey: string; user: { mspId: string; clientId: string } };
  let checker: { apiKey: string; user: { mspId: string; clientId: string } };
  const post = (as: string, url: string, body: object) => gw.call('POST', url, { as, key: randomUUID(), body });
  const propose = (as: string, transaction: string, args: string[]) =>
    post(as, '/instructions', { transaction, args, expiresAt: new Date(Date.now() + HOUR).toISOString() });

  beforeAll(async () => {
    gw = await GatewayUnderTest.start();
    maker = (await post(TIER1, '/me/users', { login: 'clerk', role: 'MAKER' })).body;
    checker = (await post(TIER1, '/me/users', { login: 'reviewer', role: 'CHECKER' })).body;
  }, 60_000);
  afterAll(async () => { await gw.stop(); });

  test('the demo seeds a maker and a checker for tier 1', async () => {
    expect(await gw.call('GET', '/me', { as: 'maker:did:scf:supplier-t1' })).toMatchObject({ status: 200, body: { id: TIER1 } });
    expect((await gw.call('GET', '/me', { as: 'checker:did:scf:supplier-t1' })).status).toBe(200);
  });

  test('an enterprise admin adds users, each acting with its own key and role; a maker adds none', async () => {
    expect(maker).toMatchObject({ user: { enterpriseId: TIER1, role: 'MAKER' }, apiKey: expect.stringMatching(/^scf_/) });
    expect(await gw.call('GET', '/me', { as: maker.apiKey })).toMatchObject({ status: 200, body: { id: TIER1 } });
    const users = await gw.call('GET', `/enterprises/${TIER1}/users`, { as: checker.apiKey });
    expect(users.body.map((u: { role: string }) => u.role).sort()).toEqual(['ADMIN', 'CHECKER', 'CHECKER', 'MAKER', 'MAKER']);
    expect(await post(maker.apiKey, '/me/users', { login: 'intruder', role: 'ADMIN' })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect((await gw.call('GET', `/enterprises/${TIER1}/users`, { as: 'did:scf:supplier-t2' })).status).toBe(403);
  });

  test("a maker's large acceptance needs the checker: proposed, approved once, never by the maker", async () => {
    const policy = await propose(TIER1, 'Instruction:SetPolicy', [JSON.stringify({ 'Receivable:Accept': '500000' })]);
    expect(policy).toMatchObject({ status: 201, body: { result: { status: 'PENDING' } } });
    const applied = await post(checker.apiKey, `/instructions/${policy.body.result.id}/approve`, { argsHash: policy.body.result.argsHash });
    expect(applied).toMatchObject({ status: 200, body: { result: { fourEyes: { 'Receivable:Accept': '500000' } } } });

    const issued = await post('did:scf:core-a', '/receivables', receivableBody(gw, '900000'));
    const receivableId = issued.body.result.id as string;
    expect(await post(maker.apiKey, `/receivables/${receivableId}/accept`, {})).toMatchObject({ status: 409, body: { error: { code: 'FOUR_EYES_REQUIRED' } } });
    const instruction = (await propose(maker.apiKey, 'Receivable:Accept', [receivableId])).body.result;
    const pending = await gw.call('GET', `/enterprises/${TIER1}/instructions/pending`, { as: checker.apiKey });
    expect(pending.body.items.map((i: { id: string }) => i.id)).toEqual([instruction.id]);
    expect(await post(maker.apiKey, `/instructions/${instruction.id}/approve`, { argsHash: instruction.argsHash })).toMatchObject({ status: 403 });
    const approved = await post(checker.apiKey, `/instructions/${instruction.id}/approve`, { argsHash: instruction.argsHash });
    expect(approved).toMatchObject({ status: 200, body: { result: { receivable: { status: 'ACCEPTED' } } } });
    const record = await gw.call('GET', `/instructions/${instruction.id}`, { as: 'did:scf:auditor' });
    expect(record.body).toMatchObject({ status: 'EXECUTED', maker: { clientId: maker.user.clientId }, checker: { clientId: checker.user.clientId } });
  });

  test('a user lists and revokes its own keys; its admin gives it a replacement', async () => {
    const listed = await gw.call('GET', '/me/api-keys', { as: maker.apiKey });
    expect(listed.body.items).toHaveLength(1);
    const another = await post(maker.apiKey, '/me/api-keys', {});
    expect(another).toMatchObject({ status: 201, body: { apiKey: expect.stringMatching(/^scf_/) } });
    const ids = ((await gw.call('GET', '/me/api-keys', { as: maker.apiKey })).body.items as { keyId: string }[]).map((k) => k.keyId);
    expect(ids).toHaveLength(2);
    // Every key withdrawn with the new one, the new one last.
    for (const keyId of [...ids.filter((id) => id !== another.body.keyId), another.body.keyId]) {
      expect(await post(another.body.apiKey, `/me/api-keys/${keyId}/revocation`, {})).toMatchObject({ status: 200 });
    }
    expect((await gw.call('GET', '/me', { as: maker.apiKey })).status).toBe(401);
    expect((await gw.call('GET', '/me', { as: checker.apiKey })).status).toBe(200);
    expect((await post(checker.apiKey, '/me/users/api-keys', { mspId: maker.user.mspId, clientId: maker.user.clientId })).status).toBe(403);
    const replacement = await post(TIER1, '/me/users/api-keys', { mspId: maker.user.mspId, clientId: maker.user.clientId });
    expect(replacement).toMatchObject({ status: 201, body: { apiKey: expect.stringMatching(/^scf_/) } });
    expect(await gw.call('GET', '/me', { as: replacement.body.apiKey })).toMatchObject({ status: 200, body: { id: TIER1 } });
    expect((await post('did:scf:core-a', '/me/users/api-keys', { mspId: maker.user.mspId, clientId: maker.user.clientId })).status).toBe(404);
  });
});
