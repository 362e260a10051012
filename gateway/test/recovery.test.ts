import { randomUUID } from 'crypto';
import { GatewayUnderTest } from './support/gateway-under-test';

/**
 * A locked-out enterprise gets its access back over real HTTP on the embedded ledger: tier 3
 * named tier 1 and core A its guardians (2 of 2), added a maker, then its admin revoked its only
 * key. Its bank's gateway enrolls a new identity, the guardians bind it, and the gateway hands
 * out the new admin user's key and withdraws the keys of the identities the recovery unbound.
 */
const TIER3 = 'did:scf:supplier-t3';
const GUARDIANS = ['did:scf:supplier-t1', 'did:scf:core-a'];

describe("recovering a locked-out enterprise's access over REST", () => {
  let gw: GatewayUnderTest;
  /** Tier 3's new admin user's key, once the first test recovered it. */
  let recoveredAdmin: string;
  const post = (as: string, url: string, body: object = {}, key = randomUUID()) => gw.call('POST', url, { as, key, body });
  const error = (code: string) => ({ body: { error: { code } } });

  beforeAll(async () => {
    gw = await GatewayUnderTest.start();
    expect(await post(TIER3, '/me/guardians', { guardianIds: GUARDIANS, threshold: 2 })).toMatchObject({ status: 200 });
  }, 60_000);
  afterAll(async () => { await gw.stop(); });

  test('the bank prepares, two guardians bind, the bank completes: a new admin user acts, the old keys do not', async () => {
    const maker = (await post(TIER3, '/me/users', { login: 'clerk', role: 'MAKER' })).body as { apiKey: string };
    expect(await post(TIER3, '/me/api-key/revocation')).toMatchObject({ status: 200 });
    expect((await gw.call('GET', '/me', { as: TIER3 })).status).toBe(401);

    // Only the bank that onboarded it, and only its admin.
    expect(await post('admin:Bank2MSP', `/enterprises/${TIER3}/recovery/identity`)).toMatchObject({ status: 403, ...error('FORBIDDEN') });
    expect(await post('did:scf:bank-one', `/enterprises/${TIER3}/recovery/identity`)).toMatchObject({ status: 403, ...error('FORBIDDEN') });
    const prepared = await post('admin:Bank1MSP', `/enterprises/${TIER3}/recovery/identity`);
    expect(prepared).toMatchObject({ status: 201, body: { enterpriseId: TIER3, newMspId: 'Bank1MSP', newClientId: expect.stringMatching(/^x509::/) } });
    const { newMspId, newClientId } = prepared.body as { newMspId: string; newClientId: string };
    expect(await post('admin:Bank1MSP', `/enterprises/${TIER3}/recovery/completion`)).toMatchObject({ status: 404, ...error('NOT_FOUND') });

    const proposed = await post(GUARDIANS[0]!, `/enterprises/${TIER3}/recovery`, { newMspId, newClientId });
    expect(proposed).toMatchObject({ status: 200, body: { result: { status: 'OPEN', approvals: [GUARDIANS[0]] } } });
    expect(await post('admin:Bank1MSP', `/enterprises/${TIER3}/recovery/completion`)).toMatchObject({ status: 409, ...error('INVALID_STATE') });
    expect(await post(GUARDIANS[1]!, `/enterprises/${TIER3}/recovery/approve`)).toMatchObject({ status: 200, body: { result: { status: 'COMPLETED' } } });

    const key = randomUUID();
    const completed = await post('admin:Bank1MSP', `/enterprises/${TIER3}/recovery/completion`, {}, key);
    expect(completed).toMatchObject({
      status: 201,
      body: { enterpriseId: TIER3, user: { mspId: newMspId, clientId: newClientId, role: 'ADMIN' }, revokedKeys: 1, apiKey: expect.stringMatching(/^scf_/) },
    });
    const admin = (recoveredAdmin = completed.body.apiKey as string);
    // A replay answers the same, without the key.
    const replay = await post('admin:Bank1MSP', `/enterprises/${TIER3}/recovery/completion`, {}, key);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual({ ...completed.body, apiKey: undefined });
    expect(replay.body).not.toHaveProperty('apiKey');

    expect(await gw.call('GET', '/me', { as: admin })).toMatchObject({ status: 200, body: { id: TIER3 } });
    expect((await gw.call('GET', '/me', { as: maker.apiKey })).status).toBe(401);
    const users = await gw.call('GET', `/enterprises/${TIER3}/users`, { as: admin });
    expect(users.body).toEqual([expect.objectContaining({ clientId: newClientId, role: 'ADMIN' })]);
    // The new admin runs its enterprise again: it adds users, and the gateway lists its key.
    expect(await post(admin, '/me/users', { login: 'clerk2', role: 'MAKER' })).toMatchObject({ status: 201 });
    expect((await gw.call('GET', '/me/api-keys', { as: admin })).body.items).toHaveLength(1);
  });

  test('a recovery is cancelled by the enterprise itself; a cancelled one cannot be completed', async () => {
    const me = await post('admin:Bank1MSP', `/enterprises/${TIER3}/recovery/identity`);
    const { newMspId, newClientId } = me.body as { newMspId: string; newClientId: string };
    expect(await post(GUARDIANS[0]!, `/enterprises/${TIER3}/recovery`, { newMspId, newClientId, expiresAt: '2020-01-01T00:00:00Z' }))
      .toMatchObject({ status: 400, ...error('INVALID_ARGUMENT') });
    expect((await post(GUARDIANS[0]!, `/enterprises/${TIER3}/recovery`, { newMspId, newClientId })).status).toBe(200);
    const tier3Admin = recoveredAdmin;
    expect(await post('did:scf:supplier-t2', `/enterprises/${TIER3}/recovery/cancellation`, { reason: 'not mine' })).toMatchObject({ status: 403 });
    const cancelled = await post(tier3Admin, `/enterprises/${TIER3}/recovery/cancellation`, { reason: 'we hold our key' });
    expect(cancelled).toMatchObject({ status: 200, body: { result: { status: 'CANCELLED', cancellation: { by: TIER3, reason: 'we hold our key' } } } });
    expect(await gw.call('GET', `/enterprises/${TIER3}/recovery`, { as: 'did:scf:auditor' })).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
    expect(await post('admin:Bank1MSP', `/enterprises/${TIER3}/recovery/completion`)).toMatchObject({ status: 409, ...error('INVALID_STATE') });
    expect(await gw.call('GET', '/me', { as: tier3Admin })).toMatchObject({ status: 200, body: { id: TIER3 } });
  });

});
