import path from 'path';
import { GatewayUnderTest } from '../../gateway/test/support/gateway-under-test';
import { describeSelfCustody } from '../../gateway/test/support/self-custody-suite';
import { fabricBinariesFound, networkAt, ROOT } from './fabric-network';

const found = fabricBinariesFound();
if (!found) console.log('SKIPPED: self-custody on a real Fabric network — the Fabric binaries were not found on FABRIC_BIN or PATH');

// A network of its own (run folder and ports), so this file never meets another test's network.
const RUN = path.join(ROOT, 'network/run-custody');
const network = networkAt({ SCF_NETWORK_DIR: RUN, SCF_PORT_OFFSET: process.env.SCF_TEST_CUSTODY_OFFSET ?? '30000' });
const env = { SCF_BACKEND: 'fabric', SCF_NETWORK_DIR: RUN };

/**
 * The self-custody stories on the real network: Bank1's Fabric CA certifies the user's own
 * request, the peers endorse and validate the signatures scf-sign made in its own process, and
 * the commit status is asked with the gateway's own identity.
 */
(found ? describe : describe.skip)('self-custody on a real Fabric network', () => {
  let gateway: GatewayUnderTest | undefined;
  beforeAll(() => {
    network('up');
    network('deploy');
  }, 300_000);
  afterAll(async () => {
    await gateway?.stop();
    network('down', '--purge');
  }, 120_000);

  describeSelfCustody('fabric', async () => (gateway = await GatewayUnderTest.start({ dataDir: path.join(RUN, 'gateway/test-data'), env })),
    ({ gateway: gw, alice, strangerSigns }) => {
      test('the peers themselves refuse a proposal signed by another key, past the gateway\'s check', async () => {
        const principal = gw().parts.principals.authenticate(alice().apiKey)!;
        const height = await gw().height();
        const step = await gw().parts.backend.offline.prepare({ identity: principal.identity, transaction: 'Receivable:Accept', args: ['rcv_none'] }, true);
        const forged = Buffer.from(await strangerSigns(Buffer.from(step.digest).toString('hex')), 'base64');
        await expect(gw().parts.backend.offline.endorseSigned(step, forged)).rejects.toThrow();
        expect(await gw().height()).toBe(height);
      }, 60_000);
    });
});
