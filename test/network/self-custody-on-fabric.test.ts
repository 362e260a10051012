import path from 'path';
import { ChaincodeRefusal } from '../../gateway/src/ledger/ledger-errors';
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
    ({ gateway: gw, alice, sign, strangerSigns }) => {
      test('the peers themselves refuse a proposal signed by another key, past the gateway\'s check', async () => {
        const principal = (await gw().parts.principals.authenticate(alice().apiKey))!;
        const step = await gw().parts.backend.offline.prepare({ identity: principal.identity, transaction: 'Enterprise:WhoAmI', args: [] }, false);
        const digest = Buffer.from(step.digest).toString('hex');
        const forged = await gw().parts.backend.offline.evaluateSigned(step, Buffer.from(await strangerSigns(digest), 'base64'))
          .then(() => undefined, (error: unknown) => error);
        // Refused by the peer before any chaincode ran (a chaincode refusal would be the contract's answer).
        expect(forged).toBeInstanceOf(Error);
        expect(forged).not.toBeInstanceOf(ChaincodeRefusal);
        const genuine = await gw().parts.backend.offline.evaluateSigned(step, Buffer.from(await sign(digest), 'base64'));
        expect(genuine).toMatchObject({ id: 'did:scf:supplier-t1' });
      }, 60_000);
    });
});
