import { randomUUID } from 'crypto';
import path from 'path';
import { describeGatewayApi } from '../../gateway/test/support/api-suite';
import { GatewayUnderTest } from '../../gateway/test/support/gateway-under-test';
import { fabricBinariesFound, networkAt, ROOT } from './fabric-network';
import { describePrivateTerms } from './private-terms-proof';

const found = fabricBinariesFound();
if (!found) {
  console.log('SKIPPED: the REST API suite on a real Fabric network — peer, orderer, configtxgen, configtxlator, osnadmin or fabric-ca-* not found on FABRIC_BIN or PATH');
}

// A network of its own (run folder and ports), so this file never meets another test's network.
const RUN = path.join(ROOT, 'network/run-gateway-test');
const network = networkAt({ SCF_NETWORK_DIR: RUN, SCF_PORT_OFFSET: process.env.SCF_TEST_GATEWAY_OFFSET ?? '5000' });
const env = { SCF_BACKEND: 'fabric', SCF_NETWORK_DIR: RUN };
// One gateway folder for the whole file: the demo consortium is seeded onto the network once.
const DATA = path.join(RUN, 'gateway/test-data');

(found ? describe : describe.skip)('the REST gateway on a real Fabric network', () => {
  beforeAll(() => {
    const started = Date.now();
    network('up');
    network('deploy');
    console.log(`network for the API suite up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 300_000);
  afterAll(() => { network('down', '--purge'); }, 120_000);

  describeGatewayApi('fabric', (dataDir) => GatewayUnderTest.start({ dataDir: dataDir ?? DATA, env }));

  describePrivateTerms({ run: RUN, portOffset: Number(process.env.SCF_TEST_GATEWAY_OFFSET ?? '5000') }, () => GatewayUnderTest.start({ dataDir: DATA, env }));

  test('a consortium rule changes only by majority: one bank\'s proposal changes nothing, the other\'s approval applies it', async () => {
    const gw = await GatewayUnderTest.start({ dataDir: DATA, env });
    try {
      const consortium = async (): Promise<any> => (await gw.call('GET', '/consortium', { as: 'did:scf:supplier-t1' })).body;
      const before = await consortium();
      const change = { maxOfferSeconds: before.limits.maxOfferSeconds + 60 };
      const proposed = await gw.call('POST', '/governance/proposals', { as: 'admin:Bank1MSP', key: randomUUID(),
        body: { kind: 'limits', change, expiresAt: new Date(Date.now() + 86_400_000).toISOString() } });
      expect(proposed).toMatchObject({ status: 201, body: { result: { status: 'OPEN' } } });
      expect(await consortium()).toEqual(before);
      const approved = await gw.call('POST', `/governance/proposals/${proposed.body.result.id}/approve`, { as: 'admin:Bank2MSP', key: randomUUID(), body: {} });
      expect(approved).toMatchObject({ status: 200, body: { result: { status: 'APPLIED' } } });
      expect((await consortium()).limits).toEqual({ ...before.limits, ...change });
    } finally {
      await gw.stop();
    }
  }, 120_000);

  test('a commit that is slow to show is answered 202 and resolved by its transaction id, never rebuilt', async () => {
    // A gateway that waits 1 ms for commits: every write comes back pending.
    const impatient = await GatewayUnderTest.start({ dataDir: path.join(RUN, 'gateway/impatient'), env: { ...env, SCF_COMMIT_TIMEOUT_MS: '1', SCF_SEED_DEMO: 'false' } });
    try {
      const onboarded = await impatient.call('POST', '/enterprises', { as: 'admin:Bank1MSP', key: 'slow-on',
        body: { id: 'did:scf:patient-supplier', name: 'Patient Supplier', roles: ['SUPPLIER'], registrationNumber: '91330000MA2PATIENT' } });
      expect(onboarded.status).toBe(201);
      impatient.keys.patient = onboarded.body.apiKey;
      const body = { guardianIds: ['did:scf:supplier-t1'], threshold: 1 };
      const pending = await impatient.call('POST', '/me/guardians', { as: 'patient', key: 'slow-1', body });
      expect(pending).toMatchObject({ status: 202, body: { status: 'PENDING', txId: expect.stringMatching(/^[0-9a-f]{64}$/) } });
      const { txId } = pending.body;
      let found = await impatient.call('GET', `/transactions/${txId}`, { as: 'patient' });
      for (let i = 0; found.status === 404 && i < 40; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        found = await impatient.call('GET', `/transactions/${txId}`, { as: 'patient' });
      }
      expect(found).toMatchObject({ status: 200, body: { txId, valid: true, endorsers: ['Bank1MSP', 'Bank2MSP'] } });
      const height = await impatient.height();
      const settled = await impatient.call('POST', '/me/guardians', { as: 'patient', key: 'slow-1', body });
      expect(settled).toMatchObject({ status: 200, body: { txId, blockNumber: found.body.blockNumber, result: { guardians: { threshold: 1 } } } });
      expect(settled.headers.get('idempotent-replay')).toBe('true');
      expect(await impatient.height()).toBe(height);
    } finally {
      await impatient.stop();
    }
  }, 120_000);
});
