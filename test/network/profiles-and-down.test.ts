import * as grpc from '@grpc/grpc-js';
import { connect, GatewayError, signers } from '@hyperledger/fabric-gateway';
import { type ChildProcess, execFileSync, spawn } from 'child_process';
import { createPrivateKey } from 'crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'fs';
import path from 'path';
import { contracts } from '../../chaincode/src';
import { ChaincodeRefusal } from '../../gateway/src/ledger/ledger-errors';
import { fabricBinariesFound, type FabricIdentity, identity as identityIn, networkAt, networkDescription, orgAddress, type PeerName, ROOT } from './fabric-network';
import { expectOrganisationsIsolated, namespacesOfProcesses } from './org-isolation';

const found = fabricBinariesFound();
if (!found) console.log('SKIPPED: connection profiles, contract metadata and network.sh down on a real Fabric network — the Fabric binaries were not found on FABRIC_BIN or PATH');

// A network of its own (run folder and ports).
const RUN = path.join(ROOT, 'network/run-profiles');
const OFFSET = Number(process.env.SCF_TEST_PROFILES_OFFSET ?? '16500');
const network = networkAt({ SCF_NETWORK_DIR: RUN, SCF_PORT_OFFSET: String(OFFSET) });
const ORGS = { bank1: 'Bank1', bank2: 'Bank2', auditor: 'Auditor' } as const;
const identity = (org: PeerName, user: string) => identityIn(org, user, RUN);

/** Fabric's common connection profile, as far as this test reads it. */
interface CommonProfile {
  name: string;
  version: string;
  client: { organization: string };
  organizations: Record<string, { mspid: string; peers: string[]; certificateAuthorities: string[] }>;
  peers: Record<string, { url: string; tlsCACerts: { pem?: string; path?: string }; grpcOptions: Record<string, string> }>;
  certificateAuthorities: Record<string, { url: string; caName: string; tlsCACerts: { pem: string[] } }>;
}

const profileOf = (org: PeerName) => JSON.parse(readFileSync(path.join(RUN, 'gateway', `connection-${org}.json`), 'utf8')) as CommonProfile;

/** A fabric-gateway client built from nothing but the profile (its organisation's first peer) and an identity. */
function clientFromProfile(profile: CommonProfile, who: FabricIdentity) {
  const peer = profile.peers[profile.organizations[profile.client.organization]!.peers[0]!]!;
  const tlsRoot = peer.tlsCACerts.pem ?? readFileSync(peer.tlsCACerts.path!, 'utf8');
  const client = new grpc.Client(peer.url.replace(/^grpcs:\/\//, ''), grpc.credentials.createSsl(Buffer.from(tlsRoot)), {
    'grpc.ssl_target_name_override': peer.grpcOptions['ssl-target-name-override'],
  });
  const gateway = connect({
    client, identity: { mspId: who.mspId, credentials: Buffer.from(who.certificatePem) }, signer: signers.newPrivateKeySigner(createPrivateKey(who.keyPem)),
    evaluateOptions: () => ({ deadline: Date.now() + 15_000 }), endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 15_000 }), commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
  return { contract: gateway.getNetwork('scf').getContract('scf'), close: () => { gateway.close(); client.close(); } };
}

/** The chaincode's refusal code in a fabric-gateway error. */
function refusalCode(error: unknown): string | undefined {
  if (!(error instanceof GatewayError)) return undefined;
  return ChaincodeRefusal.from([error.message, ...error.details.map((d) => d.message)])?.code;
}

/** Whether the process runs (a zombie, stopped and not yet reaped, does not). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const pidOf = (name: string) => Number(readFileSync(path.join(RUN, 'pids', `${name}.pid`), 'utf8'));

(found ? describe : describe.skip)('a deployed network: connection profiles, contract metadata and down', () => {
  beforeAll(() => {
    network('up');
    network('deploy');
  }, 300_000);
  afterAll(() => { network('down', '--purge'); }, 120_000);

  test('each organisation has a common connection profile (JSON and YAML) naming every organisation\'s peer with its TLS root', async () => {
    const { load } = await import('js-yaml');
    for (const org of Object.keys(ORGS) as PeerName[]) {
      const profile = profileOf(org);
      expect(load(readFileSync(path.join(RUN, 'gateway', `connection-${org}.yaml`), 'utf8'))).toEqual(profile);
      expect(profile).toMatchObject({ name: expect.any(String), version: expect.any(String), client: { organization: ORGS[org] } });
      for (const [short, name] of Object.entries(ORGS)) {
        const organisation = profile.organizations[name]!;
        expect(organisation.mspid).toBe(identity(short as PeerName, 'Admin').mspId);
        expect(organisation.peers).toHaveLength(1);
        const peer = profile.peers[organisation.peers[0]!]!;
        // Dialled at the organisation's own address (its namespace's in netns mode), verified by the peer's host name.
        expect(peer.url).toMatch(new RegExp(`^grpcs://${orgAddress(short, RUN).replace(/\./g, '\\.')}:\\d+$`));
        expect(peer.tlsCACerts.pem).toContain('-----BEGIN CERTIFICATE-----');
        expect(peer.grpcOptions['ssl-target-name-override']).toBe(`peer0.${short}.scf.local`);
        // The banks run Fabric CAs: named by the organisation and described with URL, name and TLS root.
        expect(organisation.certificateAuthorities).toHaveLength(short === 'auditor' ? 0 : 1);
        for (const caName of organisation.certificateAuthorities) {
          expect(profile.certificateAuthorities[caName]).toMatchObject({ url: `https://${orgAddress(short, RUN)}:${{ bank1: 7054, bank2: 8054 }[short as 'bank1' | 'bank2'] + OFFSET}`, caName });
          expect(profile.certificateAuthorities[caName]!.tlsCACerts.pem[0]).toContain('-----BEGIN CERTIFICATE-----');
        }
      }
    }
  });

  test('each organisation holds only its own private keys, hands over only public material, and its nodes chain to its own CA', () => {
    expect(expectOrganisationsIsolated(RUN)).toEqual(['auditor', 'bank1', 'bank2', 'orderer']);
  });

  test('status names the mode; in netns mode each organisation\'s processes run in a namespace of its own, at its own address', () => {
    const described = networkDescription(RUN);
    const ownNamespace = readlinkSync('/proc/self/ns/net');
    const namespaces = namespacesOfProcesses(RUN);
    if (described.mode === 'netns') {
      expect(network('status')).toMatch(new RegExp(`^mode: network namespaces, one per organisation \\(scf${OFFSET}-<org>`));
      expect(Object.values(namespaces).every((held) => held.length === 1)).toBe(true);
      const distinct = new Set(Object.values(namespaces).flat());
      expect({ distinct: distinct.size, ownAmongThem: distinct.has(ownNamespace) }).toEqual({ distinct: 4, ownAmongThem: false });
      const addresses = Object.values(described.orgs).map((org) => org.address);
      expect(new Set(addresses).size).toBe(4);
      // Each namespace resolves every organisation's host names to that organisation's address.
      const hosts = readFileSync(`/etc/netns/${described.orgs.bank1!.namespace}/hosts`, 'utf8');
      expect(hosts).toContain(`${described.orgs.bank2!.address} ca.bank2.scf.local peer0.bank2.scf.local`);
      expect(hosts).toContain(`${described.orgs.orderer!.address} ca.orderer.scf.local orderer0.scf.local`);
    } else {
      expect(network('status')).toMatch(/^mode: loopback/);
      expect(new Set(Object.values(namespaces).flat())).toEqual(new Set([ownNamespace]));
      expect(Object.values(described.orgs).map((org) => org.address)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1']);
    }
  });

  test('a fabric-gateway client built only from an organisation\'s profile submits and evaluates', async () => {
    const bank1 = clientFromProfile(profileOf('bank1'), identity('bank1', 'Admin'));
    try {
      await bank1.contract.submit('Enterprise:Register', { arguments: ['did:scf:profiled', 'Profiled Ltd', '["SUPPLIER"]'],
        transientData: { registrationNumber: '91330000PROFILED01' } });
    } finally {
      bank1.close();
    }
    for (const org of ['bank1', 'bank2', 'auditor'] as const) {
      const { contract, close } = clientFromProfile(profileOf(org), identity(org, 'Admin'));
      try {
        const read = contract.evaluate('Enterprise:Get', { arguments: ['did:scf:profiled'] });
        if (org === 'auditor') {
          // The auditor organisation is not a consortium bank: its peer ran the chaincode, which refused it.
          const code = await read.then(() => 'answered', refusalCode);
          expect(code).toBe('FORBIDDEN');
        } else {
          expect(JSON.parse(Buffer.from(await read).toString('utf8'))).toMatchObject({ id: 'did:scf:profiled', onboardedByMsp: 'Bank1MSP' });
        }
      } finally {
        close();
      }
    }
  });

  test('org.hyperledger.fabric:GetMetadata lists every contract of the deployed chaincode', async () => {
    const { contract, close } = clientFromProfile(profileOf('bank2'), identity('bank2', 'Admin'));
    try {
      const metadata = JSON.parse(Buffer.from(await contract.evaluateTransaction('org.hyperledger.fabric:GetMetadata')).toString('utf8')) as { contracts: Record<string, unknown> };
      const names = contracts.map((Contract) => (new Contract() as { getName(): string }).getName());
      expect(Object.keys(metadata.contracts)).toEqual(expect.arrayContaining([...names, 'org.hyperledger.fabric']));
    } finally {
      close();
    }
  });

  test('down stops this network\'s processes by their recorded ids, chaincode supervisors and servers included, and nothing else', async () => {
    // stop-node --kill reaches one organisation's server alone, by its recorded id; its supervisor starts another.
    const supervisor = pidOf('chaincode.bank1');
    const server = pidOf('chaincode.bank1.server');
    const otherServers = ['chaincode.bank2.server', 'chaincode.auditor.server'].map(pidOf);
    network('stop-node', 'chaincode.bank1', '--kill');
    for (let i = 0; i < 40 && (!existsSync(path.join(RUN, 'pids/chaincode.bank1.server.pid')) || pidOf('chaincode.bank1.server') === server); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const restarted = pidOf('chaincode.bank1.server');
    expect({ supervisor: alive(supervisor), old: alive(server), restarted: restarted !== server && alive(restarted), others: otherServers.filter(alive) })
      .toEqual({ supervisor: true, old: false, restarted: true, others: otherServers });

    // A process that looks like this network's chaincode server (the pattern the old down killed) but is someone else's.
    const ccPort = 9999 + OFFSET;
    const decoy: ChildProcess = spawn('bash', ['-c', `exec -a "fabric-chaincode-node server --chaincode-address=127.0.0.1:${ccPort}" sleep 300`], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const nodes = ['orderer0', 'orderer.bank1', 'orderer.bank2', 'orderer.auditor', 'peer0.bank1', 'peer0.bank2', 'peer0.auditor', 'ca.orderer', 'ca.bank1', 'ca.bank2', 'ca.auditor',
        'chaincode.bank1', 'chaincode.bank2', 'chaincode.auditor'].map(pidOf).concat(otherServers);
      network('down');
      expect({ decoy: alive(decoy.pid!), supervisor: alive(supervisor), server: alive(restarted), nodes: nodes.filter(alive) })
        .toEqual({ decoy: true, supervisor: false, server: false, nodes: [] });
      // The namespaces, their links and hosts folders are gone too (in netns mode; none are made in loopback mode); the run's data stays for the next up.
      const ours = (names: string[]) => names.filter((name) => name.startsWith(`scf${OFFSET}-`) || name === `scf${OFFSET}br`);
      const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n').map((line) => line.split(': ')[1]?.split('@')[0] ?? '');
      expect({ namespaces: ours(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((line) => line.split(' ')[0]!)),
        links: ours(links).concat(links.filter((link) => link.startsWith(`v${OFFSET}-`))), hosts: existsSync('/etc/netns') ? ours(readdirSync('/etc/netns')) : [] })
        .toEqual({ namespaces: [], links: [], hosts: [] });
      expect(existsSync(path.join(RUN, 'orgs/bank1/ca/ca-cert.pem'))).toBe(true);
    } finally {
      decoy.kill('SIGKILL');
    }
  }, 120_000);
});
