import { randomUUID } from 'crypto';
import path from 'path';
import { Crash, faultyGateway, type FaultyGateway } from '../../gateway/test/support/faults';
import { fabricBinariesFound, networkAt, ROOT } from './fabric-network';

const found = fabricBinariesFound();
if (!found) console.log('SKIPPED: resumable onboarding on a real Fabric network — the Fabric binaries were not found on FABRIC_BIN or PATH');

// A network of its own (run folder and ports), so its stopped peer never touches another test's network.
const RUN = path.join(ROOT, 'network/run-onboarding');
const network = networkAt({ SCF_NETWORK_DIR: RUN, SCF_PORT_OFFSET: process.env.SCF_TEST_ONBOARDING_OFFSET ?? '13500' });
const env = { SCF_BACKEND: 'fabric', SCF_NETWORK_DIR: RUN, SCF_SEED_DEMO: 'false' };

const enterprise = (name: string) => ({ id: `did:scf:${name}`, name: `${name} Ltd`, roles: ['SUPPLIER'], registrationNumber: `91330000${name.replace(/-/g, '').slice(0, 10).toUpperCase()}` });

(found ? describe : describe.skip)('onboarding, key rotation and recovery on a real Fabric network', () => {
  let gateway: FaultyGateway;
  beforeAll(async () => {
    network('up');
    network('deploy');
    gateway = await faultyGateway({ dataDir: path.join(RUN, 'gateway/test-data'), env });
  }, 300_000);
  afterAll(async () => {
    await gateway?.stop();
    network('down', '--purge');
  }, 120_000);

  /** One registration, one bound identity (the one the API key signs with), and the key acts for the enterprise. */
  async function expectOnboardedOnce(id: string, apiKey: string) {
    const record = await gateway.call('GET', `/enterprises/${id}`, 'admin:Bank1MSP');
    expect(record.body.identities).toHaveLength(1);
    expect((await gateway.gw.parts.principals.authenticate(apiKey))?.identity.clientId).toBe(record.body.identities[0].clientId);
    expect(await gateway.call('GET', '/me', apiKey)).toMatchObject({ status: 200, body: { id } });
    const history = await gateway.call('GET', `/history/enterprise/${id}`, apiKey);
    expect(history.body.entries).toHaveLength(1);
  }

  test('the bank CA enrolled the identity, then the ledger could not endorse (Bank2\'s peer down): retries with the same and a new key complete', async () => {
    const same = enterprise('ca-then-503-a');
    const renewed = enterprise('ca-then-503-b');
    const key = randomUUID();
    network('stop-node', 'peer0.bank2');
    try {
      // Bank1's CA registers and enrolls; Register needs Bank2's endorsement as well.
      for (const body of [same, renewed]) {
        const refused = await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key: body === same ? key : randomUUID(), body });
        expect(refused).toMatchObject({ status: 503, body: { error: { code: 'LEDGER_UNAVAILABLE' } } });
      }
      expect(gateway.faults.count('issuer.issue')).toBe(2);
    } finally {
      network('start-node', 'peer0.bank2');
    }
    const retried = await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key, body: same });
    expect(retried.status).toBe(201);
    const fresh = await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key: randomUUID(), body: renewed });
    expect(fresh.status).toBe(201);
    // Fabric CA refused the names as registered (code 74) and the gateway enrolled them again.
    expect(gateway.faults.count('issuer.reenroll')).toBe(2);
    await expectOnboardedOnce(same.id, retried.body.apiKey);
    await expectOnboardedOnce(renewed.id, fresh.body.apiKey);
  }, 180_000);

  test('Bind committed, then the gateway died before the API key: Fabric CA enrolls the name again with the same client id, which the binding covers', async () => {
    const body = enterprise('bound-then-crash');
    gateway.faults.arm('principals.issueKey', 'before', () => new Crash('before the API key'));
    const key = randomUUID();
    expect((await gateway.call('POST', '/enterprises', 'admin:Bank2MSP', { key, body })).status).toBe(500);
    const [bound] = (await gateway.call('GET', `/enterprises/${body.id}`, 'admin:Bank2MSP')).body.identities;
    const height = await gateway.gw.height();
    const retried = await gateway.call('POST', '/enterprises', 'admin:Bank2MSP', { key, body });
    expect(retried).toMatchObject({ status: 201, body: { clientId: bound.clientId } });
    expect(await gateway.gw.height()).toBe(height);
    await expectOnboardedOnce(body.id, retried.body.apiKey);
  }, 120_000);

  test('a DID another bank has is 409 ALREADY_EXISTS; the same key then onboards another DID', async () => {
    const taken = enterprise('taken-by-bank1');
    expect((await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key: randomUUID(), body: taken })).status).toBe(201);
    const height = await gateway.gw.height();
    const key = randomUUID();
    const refused = await gateway.call('POST', '/enterprises', 'admin:Bank2MSP', { key, body: taken });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_EXISTS' } } });
    expect(await gateway.gw.height()).toBe(height);
    const other = await gateway.call('POST', '/enterprises', 'admin:Bank2MSP', { key, body: enterprise('free-at-bank2') });
    expect(other.status).toBe(201);
    expect((await gateway.call('GET', '/me', other.body.apiKey)).body).toMatchObject({ onboardedByMsp: 'Bank2MSP' });
  }, 120_000);

  test('RotateKey committed and the gateway died before switching the API key: the retry finishes it, no second rotation', async () => {
    const body = enterprise('rotating');
    const { apiKey } = (await gateway.call('POST', '/enterprises', 'admin:Bank2MSP', { key: randomUUID(), body })).body;
    gateway.faults.arm('principals.finishRotation', 'before', () => new Crash('after RotateKey'));
    const key = randomUUID();
    expect((await gateway.call('POST', '/me/key-rotations', apiKey, { key, body: {} })).status).toBe(500);
    const [bound] = (await gateway.call('GET', `/enterprises/${body.id}`, 'admin:Bank2MSP')).body.identities;
    const height = await gateway.gw.height();
    const retried = await gateway.call('POST', '/me/key-rotations', apiKey, { key, body: {} });
    expect(retried).toMatchObject({ status: 201, body: { result: { current: bound.clientId }, txId: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(await gateway.gw.height()).toBe(height);
    expect(await gateway.call('GET', '/me', apiKey)).toMatchObject({ status: 200, body: { id: body.id } });
  }, 120_000);

  test('a locked-out enterprise gets its access back: its bank enrolls, two guardians bind, its bank hands out the new key', async () => {
    const onboard = async (name: string) =>
      (await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key: randomUUID(), body: enterprise(name) })).body.apiKey as string;
    const [lost, first, second] = [await onboard('locked-out'), await onboard('guardian-one'), await onboard('guardian-two')];
    const id = 'did:scf:locked-out';
    const post = (as: string, route: string, body: object = {}) => gateway.call('POST', route, as, { key: randomUUID(), body });
    expect((await post(lost, '/me/guardians', { guardianIds: ['did:scf:guardian-one', 'did:scf:guardian-two'], threshold: 2 })).status).toBe(200);
    expect((await post(lost, '/me/api-key/revocation')).status).toBe(200);
    expect((await gateway.call('GET', '/me', lost)).status).toBe(401);

    expect((await post('admin:Bank2MSP', `/enterprises/${id}/recovery/identity`)).status).toBe(403);
    const prepared = await post('admin:Bank1MSP', `/enterprises/${id}/recovery/identity`);
    expect(prepared).toMatchObject({ status: 201, body: { newMspId: 'Bank1MSP' } });
    expect(await post(first, `/enterprises/${id}/recovery`, { newMspId: prepared.body.newMspId, newClientId: prepared.body.newClientId })).toMatchObject({ status: 200, body: { result: { status: 'OPEN' } } });
    expect((await post('admin:Bank1MSP', `/enterprises/${id}/recovery/completion`)).status).toBe(409);
    expect(await post(second, `/enterprises/${id}/recovery/approve`)).toMatchObject({ status: 200, body: { result: { status: 'COMPLETED' } } });
    const completed = await post('admin:Bank1MSP', `/enterprises/${id}/recovery/completion`);
    expect(completed).toMatchObject({ status: 201, body: { user: { clientId: prepared.body.newClientId, role: 'ADMIN' } } });
    expect(await gateway.call('GET', '/me', completed.body.apiKey)).toMatchObject({ status: 200, body: { id } });
    const record = await gateway.call('GET', `/enterprises/${id}`, 'admin:Bank1MSP');
    expect(record.body.identities).toEqual([expect.objectContaining({ clientId: prepared.body.newClientId })]);
  }, 180_000);
});
