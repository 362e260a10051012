import { common } from '@hyperledger/fabric-protos';
import { execFileSync, spawnSync } from 'child_process';
import { randomUUID } from 'crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import path from 'path';
import { heldCertificate, sha } from '../../gateway/test/support/fixtures';
import { GatewayUnderTest } from '../../gateway/test/support/gateway-under-test';
import { type AnyPeerName, fabricBinariesFound, gatewayTo, leaderOf, networkAt, networkDescription, orderingOf, orgAddress, peerCli, ROOT } from './fabric-network';
import { expectOrganisationsIsolated, namespacesOfProcesses } from './org-isolation';
import { signingIdentityOf } from './private-terms-proof';

const found = fabricBinariesFound();
if (!found) {
  console.log('SKIPPED: a bank joining a running Fabric network — peer, orderer, configtxgen, configtxlator, osnadmin or fabric-ca-* not found on FABRIC_BIN or PATH');
}

// A network of its own (run folder and ports), so this file never meets another test's network.
const RUN = path.join(ROOT, 'network/run-add-bank');
const OFFSET = Number(process.env.SCF_TEST_ADDBANK_OFFSET ?? '24000');
const network = networkAt({ SCF_NETWORK_DIR: RUN, SCF_PORT_OFFSET: String(OFFSET) });
const env = { SCF_BACKEND: 'fabric', SCF_NETWORK_DIR: RUN };
const DATA = path.join(RUN, 'gateway/test-data');
const at = { run: RUN, portOffset: OFFSET };
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/**
 * The orderers' refusal of an update signed by too few admins: the Application group's (banks) or, as the update
 * changes the consenters too, the Orderer group's (a majority of the consenters' organisations), whichever they check first.
 */
const TOO_FEW_SIGNATURES = /signature set did not satisfy policy|but this policy requires \d+ of the 'Admins' sub-policies to be satisfied/;

/** add-bank bank3 signed by Bank1's and the auditor's admins: the channel's Admins policy counts banks only. */
function expectTooFewBanks(): void {
  const refused = spawnSync('bash', [path.join(ROOT, 'scripts/network.sh'), 'add-bank', 'bank3', '--bank-and-auditor'],
    { encoding: 'utf8', env: { ...process.env, SCF_NETWORK_DIR: RUN, SCF_PORT_OFFSET: String(OFFSET) } });
  expect({ status: refused.status, stderr: refused.stderr }).toMatchObject({ status: 3,
    stderr: expect.stringMatching(TOO_FEW_SIGNATURES) });
  expect(refused.stdout).toMatch(/AuditorMSP's admin signs and submits the config update/);
}

/** The channel's consenters (host:port, Raft's Consenters or BFT's ConsenterMapping) and the Orderer group's organisations, from its latest config block. */
function orderingConfig(): { consenters: string[]; organisations: string[] } {
  const file = path.join(RUN, 'updates', 'test-config.pb');
  mkdirSync(path.dirname(file), { recursive: true });
  peerCli('bank1', at, 'channel', 'fetch', 'config', file, '-c', 'scf', '-o', `${orgAddress('orderer', RUN)}:${7050 + OFFSET}`, '--tls',
    '--cafile', path.join(RUN, 'packages/orderer/msp/tlscacerts/tlsca.pem'), '--ordererTLSHostnameOverride', 'orderer0.scf.local');
  // configtxlator cannot write to a pipe (it opens /dev/stdout): to a file.
  execFileSync('configtxlator', ['proto_decode', '--input', file, '--type', 'common.Block', '--output', `${file}.json`]);
  const block = JSON.parse(readFileSync(`${file}.json`, 'utf8'));
  const orderer = block.data.data[0].payload.data.config.channel_group.groups.Orderer;
  const consensus = orderer.values.ConsensusType.value;
  const list: { host: string; port: number }[] = consensus.type === 'BFT' ? orderer.values.Orderers.value.consenter_mapping : consensus.metadata.consenters;
  return { consenters: list.map((c) => `${c.host}:${c.port}`), organisations: Object.keys(orderer.groups).sort() };
}

/**
 * The ordering rules changed (blocks cut at 10 transactions instead of 50) in an update signed by the ordering
 * organisation's admin alone: what /Channel/Orderer/Admins, a majority of the consenters' organisations, must refuse.
 * Returns the `peer channel update` outcome.
 */
function orderingChangedByTheOrderingOrganisationAlone(): { status: number | null; stderr: string } {
  const dir = path.join(RUN, 'updates', 'test-ordering-alone');
  const file = (name: string) => path.join(dir, name);
  mkdirSync(dir, { recursive: true });
  orderingConfig();
  const block = JSON.parse(readFileSync(path.join(RUN, 'updates', 'test-config.pb.json'), 'utf8'));
  const config = block.data.data[0].payload.data.config;
  writeFileSync(file('config.json'), JSON.stringify(config));
  config.channel_group.groups.Orderer.values.BatchSize.value.max_message_count = 10;
  writeFileSync(file('modified.json'), JSON.stringify(config));
  const lator = (...args: string[]) => execFileSync('configtxlator', args, { encoding: 'utf8' });
  lator('proto_encode', '--input', file('config.json'), '--type', 'common.Config', '--output', file('config.pb'));
  lator('proto_encode', '--input', file('modified.json'), '--type', 'common.Config', '--output', file('modified.pb'));
  lator('compute_update', '--channel_id', 'scf', '--original', file('config.pb'), '--updated', file('modified.pb'), '--output', file('update.pb'));
  lator('proto_decode', '--input', file('update.pb'), '--type', 'common.ConfigUpdate', '--output', file('update.json'));
  const update = JSON.parse(readFileSync(file('update.json'), 'utf8'));
  writeFileSync(file('envelope.json'), JSON.stringify({ payload: { header: { channel_header: { channel_id: 'scf', type: 2 } }, data: { config_update: update } } }));
  lator('proto_encode', '--input', file('envelope.json'), '--type', 'common.Envelope', '--output', file('envelope.pb'));
  const ordererTls = path.join(RUN, 'packages/orderer/msp/tlscacerts/tlsca.pem');
  return spawnSync('peer', ['channel', 'update', '-f', file('envelope.pb'), '-c', 'scf', '-o', `${orgAddress('orderer', RUN)}:${7050 + OFFSET}`, '--tls',
    '--cafile', ordererTls, '--ordererTLSHostnameOverride', 'orderer0.scf.local'], { encoding: 'utf8', env: { ...process.env,
    FABRIC_CFG_PATH: path.join(RUN, 'config'), CORE_PEER_LOCALMSPID: 'OrdererMSP', CORE_PEER_TLS_ENABLED: 'true', CORE_PEER_TLS_ROOTCERT_FILE: ordererTls,
    CORE_PEER_MSPCONFIGPATH: path.join(RUN, 'orgs/orderer/users/Admin/msp') } });
}

/** Each listed peer's height, tip hash and consortium configuration, once their heights agree. */
async function ledgersOf(peers: AnyPeerName[], reader: ReturnType<typeof signingIdentityOf>): Promise<unknown[]> {
  const snapshot = async () => Promise.all(peers.map(async (peer) => {
    const connection = gatewayTo(peer, reader, at);
    try {
      const info = common.BlockchainInfo.deserializeBinary(
        await connection.gateway.getNetwork('scf').getContract('qscc').evaluateTransaction('GetChainInfo', 'scf'));
      const config = JSON.parse(Buffer.from(await connection.contract.evaluateTransaction('Consortium:GetConfig')).toString('utf8'));
      return { height: info.getHeight(), tip: Buffer.from(info.getCurrentblockhash_asU8()).toString('hex'), config };
    } finally {
      connection.close();
    }
  }));
  let views = await snapshot();
  for (let i = 0; i < 20 && new Set(views.map((v) => v.height)).size > 1; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    views = await snapshot();
  }
  return views;
}

(found ? describe : describe.skip)('a bank joins the running network, and leaves it', () => {
  beforeAll(() => {
    const started = Date.now();
    network('up');
    network('deploy');
    console.log(`two-bank network up and deployed in ${seconds(started)}`);
  }, 300_000);
  afterAll(() => { network('down', '--purge'); }, 120_000);

  test('one bank\'s signature is refused; add-bank bank3 joins with a majority; every peer agrees; a Bank3 customer finances a piece issued before', async () => {
    // Before the join: the demo consortium (Bank1 and Bank2), a receivable issued and accepted.
    let gw = await GatewayUnderTest.start({ dataDir: DATA, env });
    let held: { receivableId: string; certificateId: string };
    try {
      held = await heldCertificate(gw);
      expect(held.certificateId).toMatch(/^\S+$/);
    } finally {
      await gw.stop();
    }
    const profileBefore = JSON.parse(readFileSync(path.join(RUN, 'gateway/connection.json'), 'utf8'));
    expect(profileBefore.endorsingOrganizations).toEqual(['Bank1MSP', 'Bank2MSP']);
    expect(orderingConfig()).toMatchObject({ consenters: { length: 4 }, organisations: ['AuditorMSP', 'Bank1MSP', 'Bank2MSP', 'OrdererMSP'] });
    // The ordering organisation does not change the ordering rules alone (its admin is one of the four consenters' organisations').
    const alone = orderingChangedByTheOrderingOrganisationAlone();
    expect({ status: alone.status, stderr: alone.stderr }).toMatchObject({ status: 1,
      stderr: expect.stringMatching(/\/Channel\/Orderer\/BatchSize not satisfied: implicit policy evaluation failed - 1 sub-policies were satisfied, but this policy requires 3 of the 'Admins' sub-policies/) });
    expect(JSON.parse(peerCli('bank1', at, 'lifecycle', 'chaincode', 'querycommitted', '-C', 'scf', '-n', 'scf', '-O', 'json')).sequence).toBe(1);

    // The update that adds Bank3MSP, signed by Bank1's admin alone: the orderers refuse it.
    let started = Date.now();
    const refused = spawnSync('bash', [path.join(ROOT, 'scripts/network.sh'), 'add-bank', 'bank3', '--one-signature'],
      { encoding: 'utf8', env: { ...process.env, SCF_NETWORK_DIR: RUN, SCF_PORT_OFFSET: String(OFFSET) } });
    console.log(`the one-signature update refused in ${seconds(started)}`);
    expect({ status: refused.status, stderr: refused.stderr }).toMatchObject({ status: 3,
      stderr: expect.stringMatching(TOO_FEW_SIGNATURES) });
    expect(refused.stdout).toMatch(/refused by the orderers, as it must be: one bank's signature of the 2 needed/);
    // Bank1's admin and the auditor's are two of the channel's three organisations, but one bank: refused too.
    expectTooFewBanks();

    // The join, signed by Bank1's and Bank2's admins (2 of the channel's 3 organisations).
    started = Date.now();
    const joined = network('add-bank', 'bank3');
    console.log(`add-bank bank3 took ${seconds(started)}`);
    // Its orderer becomes a consenter in the same update: a majority of the banks' admins, and a majority (3 of 4) of
    // the organisations that run a consenter, so the auditor's admin signs too (the ordering organisation's need not).
    expect(joined).toMatch(/adding Bank3MSP to channel scf and orderer.bank3 to its consenters: 2 of the banks' admins and 3 of the 4 consenters' organisations' admins sign \(bank1 bank2 auditor\)/);
    expect(joined).toMatch(/Bank1MSP's admin signs the config update/);
    expect(joined).toMatch(/Bank2MSP's admin signs the config update/);
    expect(joined).toMatch(/AuditorMSP's admin signs and submits the config update/);
    expect(joined).toMatch(/orderer.bank3 joins channel scf/);
    expect(joined).toMatch(/orderer.bank3 is an active consenter of scf/);
    const ordering = orderingConfig();
    expect(ordering).toMatchObject({ consenters: { length: 5 }, organisations: ['AuditorMSP', 'Bank1MSP', 'Bank2MSP', 'Bank3MSP', 'OrdererMSP'] });
    expect(ordering.consenters.filter((c) => c.endsWith(`:${7750 + OFFSET}`))).toHaveLength(1);
    expect(joined).toMatch(/committing scf sequence 2 with endorsement policy OutOf\(2,'Bank1MSP.peer','Bank2MSP.peer','Bank3MSP.peer'\)/);
    expect(joined).toMatch(/proposal prp_[0-9a-f]+ applied: Bank3MSP is a consortium bank/);
    const committed = JSON.parse(peerCli('bank3', at, 'lifecycle', 'chaincode', 'querycommitted', '-C', 'scf', '-n', 'scf', '-O', 'json'));
    expect(committed).toMatchObject({ sequence: 2, approvals: { Bank1MSP: true, Bank2MSP: true, Bank3MSP: true, AuditorMSP: true } });
    const profile = JSON.parse(readFileSync(path.join(RUN, 'gateway/connection.json'), 'utf8'));
    expect(profile.endorsingOrganizations).toEqual(['Bank1MSP', 'Bank2MSP', 'Bank3MSP']);
    expect(profile.peers.map((p: { name: string }) => p.name)).toEqual(['peer0.bank1', 'peer0.bank2', 'peer0.auditor', 'peer0.bank3']);
    expect(profile.cas.map((c: { mspId: string }) => c.mspId)).toEqual(['Bank1MSP', 'Bank2MSP', 'Bank3MSP']);
    expect(Object.keys(profile.identities)).toContain('Bank3MSP');
    // Running add-bank again changes nothing.
    const again = network('add-bank', 'bank3');
    expect(again).toMatch(/Bank3MSP is a member of channel scf already/);
    expect(again).toMatch(/is already committed \(sequence 2\)/);
    expect(again).toMatch(/Bank3MSP is in the consortium's banks already/);

    // The new peer holds the same ledger and the same record as the founders' peers.
    const holder = signingIdentityOf(DATA, 'did:scf:supplier-t1');
    const snapshot = async () => Promise.all((['bank1', 'bank2', 'bank3'] as AnyPeerName[]).map(async (peer) => {
      const connection = gatewayTo(peer, holder, at);
      try {
        const info = common.BlockchainInfo.deserializeBinary(
          await connection.gateway.getNetwork('scf').getContract('qscc').evaluateTransaction('GetChainInfo', 'scf'));
        const certificate = JSON.parse(Buffer.from(await connection.contract.evaluateTransaction('Certificate:Get', held.certificateId)).toString('utf8'));
        return { height: info.getHeight(), tip: Buffer.from(info.getCurrentblockhash_asU8()).toString('hex'), certificate };
      } finally {
        connection.close();
      }
    }));
    let views = await snapshot();
    for (let i = 0; i < 20 && new Set(views.map((v) => v.height)).size > 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      views = await snapshot();
    }
    expect(views[0]!.certificate).toMatchObject({ id: held.certificateId, holderId: 'did:scf:supplier-t1', status: 'ACTIVE' });
    expect(views[1]).toEqual(views[0]);
    expect(views[2]).toEqual(views[0]);

    // Ordering needs the new consenter from here on: with five, founders (never the leader, so no election) are stopped
    // until the others are a bare quorum (Raft: 3 of 5; BFT: 4 of 5), orderer.bank3 among them, for every write below.
    const leader = await leaderOf(at);
    const stopped = ['orderer.auditor', 'orderer.bank2', 'orderer0', 'orderer.bank1'].filter((name) => name !== leader)
      .slice(0, orderingOf(RUN) === 'raft' ? 2 : 1);
    for (const name of stopped) network('stop-node', name);
    console.log(`${orderingOf(RUN)} leader ${leader}; stopped ${stopped.join(', ')}: orderer.bank3 is needed for a quorum`);

    // After the join: the restarted gateway knows Bank3 (its admin's key, its CA, its peer).
    gw = await GatewayUnderTest.start({ dataDir: DATA, env });
    try {
      expect(gw.keys['admin:Bank3MSP']).toMatch(/^scf_/);
      const onboard = async (id: string, roles: string[], registrationNumber: string) => {
        const answer = await gw.call('POST', '/enterprises', { as: 'admin:Bank3MSP', key: randomUUID(),
          body: { id, name: id.slice('did:scf:'.length), roles, registrationNumber } });
        expect(answer).toMatchObject({ status: 201 });
        gw.keys[id] = answer.body.apiKey;
        expect((await gw.call('GET', '/me', { as: id })).body).toMatchObject({ id, onboardedByMsp: 'Bank3MSP' });
      };
      await onboard('did:scf:supplier-b3', ['SUPPLIER'], '91330000MA2BANK3S1');
      await onboard('did:scf:bank-three', ['BANK'], '91330000MA2BANK3B1');

      // The piece issued before the join goes to Bank3's customer.
      const offered = await gw.call('POST', `/certificates/${held.certificateId}/offer`, { as: 'did:scf:supplier-t1', key: randomUUID(),
        body: { to: 'did:scf:supplier-b3', expiresAt: new Date(Date.now() + 3600_000).toISOString() } });
      expect(offered.status).toBe(200);
      const accepted = await gw.call('POST', `/certificates/${held.certificateId}/offer/accept`, { as: 'did:scf:supplier-b3', key: randomUUID(), body: {} });
      expect(accepted).toMatchObject({ status: 200, body: { result: { holderId: 'did:scf:supplier-b3' } } });

      // Financed at Bank3's bank: the terms go to Bank3's implicit collection.
      const tenorEnd = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
      const applied = await gw.call('POST', '/financings', { as: 'did:scf:supplier-b3', key: randomUUID(), body: {
        certificateId: held.certificateId, bankId: 'did:scf:bank-three', mode: 'PLEDGE', requestedAmount: '600000', annualRateBps: 415,
        feeAmount: '1234', tenorEnd, documentsHash: sha(`docs ${held.certificateId}`) } });
      expect(applied).toMatchObject({ status: 201, body: { result: { financing: { termsOrg: 'Bank3MSP' } } } });
      const financingId = applied.body.result.financing.id as string;
      const funded = await gw.call('POST', `/financings/${financingId}/approve`, { as: 'did:scf:bank-three', key: randomUUID(),
        body: { disbursedAmount: applied.body.result.terms.price.disbursedAmount, paymentRef: 'PAY-B3-1' } });
      expect(funded).toMatchObject({ status: 200, body: { result: { financing: { status: 'FUNDED' } } } });
      expect(await gw.call('GET', `/financings/${financingId}/terms`, { as: 'did:scf:supplier-b3' }))
        .toMatchObject({ status: 200, body: { proposed: { annualRateBps: 415, feeAmount: '1234' }, decided: { disbursedAmount: applied.body.result.terms.price.disbursedAmount } } });
      // The approval was endorsed by all three banks; Bank1's peer keeps none of Bank3's terms.
      const tx = await gw.call('GET', `/transactions/${funded.body.txId}`, { as: 'did:scf:bank-three' });
      expect(tx).toMatchObject({ status: 200, body: { valid: true, endorsers: ['Bank1MSP', 'Bank2MSP', 'Bank3MSP'] } });
      const rival = gatewayTo('bank1', signingIdentityOf(DATA, 'did:scf:supplier-b3'), at);
      try {
        await expect(rival.contract.evaluate('Financing:GetTerms', { arguments: [financingId], endorsingOrganizations: ['Bank1MSP'] }))
          .rejects.toThrow(/TERMS_ELSEWHERE/);
      } finally {
        rival.close();
      }
    } finally {
      await gw.stop();
      for (const name of stopped) network('start-node', name);
    }
    // The restarted consenters (orderer0, the script's ordering endpoint, among them) must learn the leader again before
    // remove-bank orders through them ("no Raft leader" otherwise): a leader, then a few heartbeats' time.
    await leaderOf(at);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
  }, 480_000);

  test('the new bank has its own CA, folder, package (and namespace); the update travelled from bank to bank, each signing from its own folder', () => {
    expect(expectOrganisationsIsolated(RUN)).toEqual(['auditor', 'bank1', 'bank2', 'bank3', 'orderer']);
    const envelope = (org: string) => path.join(RUN, 'orgs', org, 'config-updates', 'bank3-update_envelope.pb');
    // The refused attempts and the join: Bank1 signed, Bank2 signed and submitted, the auditor submitted the refused
    // bank-and-auditor update; the new bank held no copy.
    expect(['bank1', 'bank2', 'auditor', 'bank3'].map((org) => existsSync(envelope(org)))).toEqual([true, true, true, false]);
    const namespaces = namespacesOfProcesses(RUN);
    expect(namespaces.bank3).toHaveLength(1);
    if (networkDescription(RUN).mode === 'netns') {
      expect(['bank1', 'bank2', 'auditor', 'orderer'].map((org) => namespaces[org]![0])).not.toContain(namespaces.bank3![0]);
    }
  });

  test('bank3 leaves: governance, then the channel and the chaincode without it; writes commit, the remaining peers agree, its peer is stopped', async () => {
    const bank3Address = networkDescription(RUN).orgs.bank3!.address;
    const started = Date.now();
    const left = network('remove-bank', 'bank3');
    console.log(`remove-bank bank3 took ${seconds(started)}`);
    expect(left).toMatch(/Bank1MSP's admin proposes removeBank Bank3MSP/);
    expect(left).toMatch(/proposal prp_[0-9a-f]+ applied: Bank3MSP is no longer a consortium bank/);
    expect(left).toMatch(/removing Bank3MSP from channel scf and orderer.bank3 from its consenters: 2 of the banks' admins and 3 of the 5 consenters' organisations' admins sign \(bank1 bank2 auditor\)/);
    expect(left).toMatch(/committing scf sequence 3 with endorsement policy OutOf\(2,'Bank1MSP.peer','Bank2MSP.peer'\)/);
    expect(left).toMatch(/stopping orderer.bank3/);
    expect(left).toMatch(/stopping peer0.bank3/);
    expect(orderingConfig()).toMatchObject({ consenters: { length: 4 }, organisations: ['AuditorMSP', 'Bank1MSP', 'Bank2MSP', 'OrdererMSP'] });
    const committed = JSON.parse(peerCli('bank1', at, 'lifecycle', 'chaincode', 'querycommitted', '-C', 'scf', '-n', 'scf', '-O', 'json'));
    expect(committed).toMatchObject({ sequence: 3, approvals: { Bank1MSP: true, Bank2MSP: true, AuditorMSP: true } });
    expect(Object.keys(committed.approvals)).not.toContain('Bank3MSP');
    const profile = JSON.parse(readFileSync(path.join(RUN, 'gateway/connection.json'), 'utf8'));
    expect(profile.endorsingOrganizations).toEqual(['Bank1MSP', 'Bank2MSP']);
    expect(profile.peers.map((p: { name: string }) => p.name)).toEqual(['peer0.bank1', 'peer0.bank2', 'peer0.auditor']);
    expect(readFileSync(path.join(RUN, 'banks-added'), 'utf8').trim()).toBe('');
    // Its peer is stopped: its operations port answers no more.
    const health = spawnSync('curl', ['-sf', `http://${bank3Address}:${9449 + OFFSET}/healthz`]);
    expect(health.status).not.toBe(0);
    // The leave update travelled through the signers' folders (the auditor's: a majority of the consenters'
    // organisations); the leaving bank held no copy.
    const envelope = (org: string) => path.join(RUN, 'orgs', org, 'config-updates', 'bank3-leave-update_envelope.pb');
    expect(['bank1', 'bank2', 'auditor', 'bank3'].map((org) => existsSync(envelope(org)))).toEqual([true, true, true, false]);
    // Nothing of the network names it any more: no process, no address, no package; in netns mode no
    // namespace, and no other namespace resolves its peer's name.
    expect(Object.keys(namespacesOfProcesses(RUN)).sort()).toEqual(['auditor', 'bank1', 'bank2', 'orderer']);
    expect(existsSync(path.join(RUN, 'packages', 'bank3'))).toBe(false);
    if (networkDescription(RUN).mode === 'netns') {
      const namespace = `scf${OFFSET}-bank3`;
      expect(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout).not.toMatch(new RegExp(`^${namespace}\\b`, 'm'));
      expect(existsSync(path.join('/etc/netns', namespace))).toBe(false);
      expect(readFileSync(path.join('/etc/netns', `scf${OFFSET}-bank1`, 'hosts'), 'utf8')).not.toMatch(/bank3/);
    }
    // Running remove-bank again changes nothing.
    const again = network('remove-bank', 'bank3');
    expect(again).toMatch(/Bank3MSP is not among the consortium's banks/);
    expect(again).toMatch(/Bank3MSP is not a member of channel scf/);
    expect(again).toMatch(/is already committed \(sequence 3\)/);

    // Writes commit on the two remaining banks; the remaining peers hold the same ledger and configuration.
    const gw = await GatewayUnderTest.start({ dataDir: DATA, env });
    let held: { receivableId: string; certificateId: string };
    try {
      held = await heldCertificate(gw);
    } finally {
      await gw.stop();
    }
    const holder = signingIdentityOf(DATA, 'did:scf:supplier-t1');
    const onBank2 = gatewayTo('bank2', holder, at);
    try {
      const piece = JSON.parse(Buffer.from(await onBank2.contract.evaluateTransaction('Certificate:Get', held.certificateId)).toString('utf8'));
      expect(piece).toMatchObject({ holderId: 'did:scf:supplier-t1', status: 'ACTIVE' });
    } finally {
      onBank2.close();
    }
    const views = await ledgersOf(['bank1', 'bank2', 'auditor'], holder);
    expect(views[0]).toMatchObject({ config: { bankMspIds: ['Bank1MSP', 'Bank2MSP'] } });
    expect(views[1]).toEqual(views[0]);
    expect(views[2]).toEqual(views[0]);
    // Its customers' identities (Bank3MSP) are no longer the channel's.
    const former = gatewayTo('bank1', signingIdentityOf(DATA, 'did:scf:supplier-b3'), at);
    try {
      await expect(former.contract.evaluateTransaction('Enterprise:WhoAmI')).rejects.toThrow();
    } finally {
      former.close();
    }
    // The Admins policy now names the two remaining banks: Bank1's and the auditor's admins are still too few.
    expectTooFewBanks();
  }, 300_000);
});
