import path from 'path';
import { GatewayUnderTest } from '../../gateway/test/support/gateway-under-test';
import { profileAdmin } from '../../gateway/src/compose';
import { loadConnectionProfile } from '../../gateway/src/ledger/fabric/connection-profile';
import { FabricBackend } from '../../gateway/src/ledger/fabric/fabric-backend';
import { CONSENTERS, currentLeader as currentLeaderOf, fabricBinariesFound, gatewayTo, identity, leaderOf, networkAt, PEERS, type PeerName, ROOT } from './fabric-network';
import { common } from '@hyperledger/fabric-protos';
import * as grpc from '@grpc/grpc-js';
import { connect, hash } from '@hyperledger/fabric-gateway';
import { readFileSync, writeFileSync } from 'fs';
import { newNativeSigner } from '../../gateway/src/identity/native-signer';
import { signingPrincipal } from '../../gateway/src/identity/principals';
import { sha } from '../../gateway/test/support/fixtures';

const found = fabricBinariesFound();
if (!found) console.log('SKIPPED: fault injection on a real Fabric network — the Fabric binaries were not found on FABRIC_BIN or PATH');
// The suite runs in the ordering mode SCF_ORDERING names (scripts/network.sh's setting; bft needs FABRIC_BIN
// to hold Fabric 3's binaries). The lying consenter runs in BFT mode only (Raft tolerates crashes, not lies); the
// other faults run in both.
const ORDERING = process.env.SCF_ORDERING === 'bft' ? 'bft' : 'raft';
const inBft = ORDERING === 'bft' ? test : test.skip;
if (found) console.log(`faults: ${ORDERING} ordering (SCF_ORDERING); the BFT-only faults are ${ORDERING === 'bft' ? 'run' : 'skipped'} in this run`);

// A network of its own (run folder and ports), so faults never touch another test's network.
const RUN = path.join(ROOT, 'network/run-faults');
const OFFSET = Number(process.env.SCF_TEST_FAULTS_OFFSET ?? '20000');
const network = networkAt({ SCF_NETWORK_DIR: RUN, SCF_PORT_OFFSET: String(OFFSET) });
const env = { SCF_BACKEND: 'fabric', SCF_NETWORK_DIR: RUN };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A backend bound to one peer only, to ask that peer what it holds. */
function peerBackend(name: string): FabricBackend {
  const profile = loadConnectionProfile(path.join(RUN, 'gateway/connection.json'));
  const peer = profile.peers.find((p) => p.name === name)!;
  return new FabricBackend({ profile: { ...profile, peers: [peer] }, serviceIdentity: profileAdmin(profile, peer.mspId === 'AuditorMSP' ? 'Bank1MSP' : peer.mspId), commitTimeoutMs: 30_000 });
}

const AT = { run: RUN, portOffset: OFFSET };
const currentLeader = () => currentLeaderOf(AT);
const leader = () => leaderOf(AT);
/** The founding consenters (one of each organisation). */
const FOUNDERS = CONSENTERS.filter((c) => c.org !== 'bank3').map((c) => c.name);

/** Each peer's height and tip hash, once their heights agree (they may lag a block behind one another for a moment). */
async function tipsOfPeers(): Promise<Record<PeerName, { height: number; tip: string }>> {
  const read = async () => Object.fromEntries(await Promise.all((Object.keys(PEERS) as PeerName[]).map(async (peer) => {
    const connection = gatewayTo(peer, identity(peer, 'Admin', RUN), AT);
    try {
      const info = common.BlockchainInfo.deserializeBinary(await connection.gateway.getNetwork('scf').getContract('qscc').evaluateTransaction('GetChainInfo', 'scf'));
      return [peer, { height: info.getHeight(), tip: Buffer.from(info.getCurrentblockhash_asU8()).toString('hex') }] as const;
    } finally {
      connection.close();
    }
  }))) as Record<PeerName, { height: number; tip: string }>;
  let tips = await read();
  for (let i = 0; i < 40 && new Set(Object.values(tips).map((t) => t.height)).size > 1; i++) { await sleep(500); tips = await read(); }
  return tips;
}

(found ? describe : describe.skip)(`faults on a real Fabric network (${ORDERING} ordering)`, () => {
  let gw: GatewayUnderTest;
  let invoice = Date.now() % 1e7;
  const issueBody = () => ({
    creditorId: 'did:scf:supplier-t1', faceAmount: '100000', currency: 'CNY', dueDate: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
    invoiceHash: sha(`invoice ${invoice}`), contractHash: sha('contract'), creditLineId: gw.keys.creditLineId,
    invoice: { invoiceCode: '3100231130', invoiceNumber: String(++invoice).padStart(8, '0'), sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' },
  });
  /** A client that retries with its idempotency key on 202, 409 CONFLICT and 503 until it is answered (or gives up). */
  async function issueWithRetries(key: string, budgetMs: number) {
    const body = issueBody();
    const deadline = Date.now() + budgetMs;
    for (;;) {
      const answer = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key, body });
      const retry = answer.status === 202 || answer.status === 503 || answer.body?.error?.code === 'CONFLICT';
      if (!retry || Date.now() > deadline) return answer;
      await sleep(250);
    }
  }

  beforeAll(async () => {
    network('up');
    network('deploy');
    gw = await GatewayUnderTest.start({ dataDir: path.join(RUN, 'gateway/test-data'), env });
  }, 300_000);
  afterAll(async () => {
    await gw?.stop();
    network('down', '--purge');
  }, 120_000);

  /**
   * Eight clients write for 25 s; 3 s in, `fault` runs (it returns what it did, for the log). A write a faulty
   * orderer took with it stays pending until the orphan rule (two minutes), so a client gives each write 8 s and
   * goes on with new ones, as a real one would. Returns the acknowledged writes' transaction ids.
   */
  async function writesUnderFault(label: string, fault: () => Promise<string>): Promise<string[]> {
    const acknowledged = new Map<string, string>();
    const faultAt = Date.now() + 3_000;
    let endAt = Date.now() + 25_000;
    let faulted = false;
    let ackedAfterFault = 0;
    const unanswered: string[] = [];
    const clients = Array.from({ length: 8 }, async (_, c) => {
      for (let n = 0; Date.now() < endAt; n++) {
        const answer = await issueWithRetries(`${label}-${c}-${n}`, 8_000);
        if (answer.status === 201) {
          acknowledged.set(`${label}-${c}-${n}`, answer.body.txId);
          if (faulted) ackedAfterFault++;
        } else {
          unanswered.push(`${answer.status} ${answer.body?.error?.code ?? answer.body?.status ?? ''}`);
        }
      }
    });
    await sleep(faultAt - Date.now());
    const what = await fault().catch(async (error: unknown) => {
      // No writes left running into the next test.
      endAt = 0;
      await Promise.all(clients);
      throw error;
    });
    faulted = true;
    await Promise.all(clients);
    console.log(`${what}: ${acknowledged.size} writes acknowledged, ${ackedAfterFault} after the fault; given up on: ${unanswered.join(', ') || 'none'}`);
    // Throughput resumed without anyone's intervention.
    expect(ackedAfterFault).toBeGreaterThan(0);
    return [...acknowledged.values()];
  }

  /** Every acknowledged write is valid on every peer, and the peers hold the same chain (height and tip hash). */
  async function expectOnEveryPeerAlike(txIds: string[]) {
    for (const name of ['peer0.bank1', 'peer0.bank2', 'peer0.auditor']) {
      const peer = peerBackend(name);
      try {
        for (const txId of txIds) {
          let record = await peer.transaction(txId);
          for (let i = 0; !record && i < 40; i++) { await sleep(250); record = await peer.transaction(txId); }
          expect({ peer: name, txId, valid: record?.valid }).toEqual({ peer: name, txId, valid: true });
        }
      } finally {
        await peer.close();
      }
    }
    const tips = await tipsOfPeers();
    expect(tips.bank2).toEqual(tips.bank1);
    expect(tips.auditor).toEqual(tips.bank1);
  }

  test('the leader (one of four consenters, each of its own organisation) is killed under load: every acknowledged write is on every peer, alike, and writes resume without intervention', async () => {
    let killed = '';
    const txIds = await writesUnderFault('leader', async () => {
      killed = await leader();
      network('stop-node', killed, '--kill');
      return `${ORDERING} leader ${killed} killed`;
    });
    // The three left elected another leader among themselves.
    expect(await leader()).not.toBe(killed);
    network('start-node', killed);
    await expectOnEveryPeerAlike(txIds);
  }, 240_000);

  inBft('a consenter lies: restarted with a tampered ledger under load, the honest consenters go on ordering and every peer holds the genuine chain', async () => {
    // A write every peer committed, whose transaction id is then rewritten in the auditor's orderer's block file.
    const genuine = await issueWithRetries('tamper-genuine', 30_000);
    expect(genuine.status).toBe(201);
    const txId: string = genuine.body.txId;
    const before = await tipsOfPeers();
    const txIds = await writesUnderFault('bft-liar', async () => {
      network('stop-node', 'orderer.auditor');
      const blocks = path.join(RUN, 'data/orderer.auditor/chains/scf/blockfile_000000');
      const bytes = readFileSync(blocks);
      const at = bytes.indexOf(Buffer.from(txId));
      expect(at).toBeGreaterThan(0);
      // Same length, so the node's block index still finds every block: only the content lies.
      bytes.write(txId.replace(/.$/, (c) => (c === '0' ? '1' : '0')), at);
      writeFileSync(blocks, bytes);
      network('start-node', 'orderer.auditor');
      return 'orderer.auditor restarted with a rewritten transaction in its ledger';
    });
    await expectOnEveryPeerAlike([genuine.body.txId, ...txIds]);
    expect((await tipsOfPeers()).bank1.height).toBeGreaterThan(before.bank1.height);
  }, 240_000);

  test('one bank\'s peer stops: writes fail fast with 503 and change nothing, reads go on, and it catches up when back', async () => {
    const issued = await issueWithRetries('peer-before', 30_000);
    expect(issued.status).toBe(201);
    network('stop-node', 'peer0.bank2');
    try {
      const height = await gw.height();
      const started = Date.now();
      const refused = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: 'peer-down-1', body: issueBody() });
      expect(refused).toMatchObject({ status: 503, body: { error: { code: 'LEDGER_UNAVAILABLE' } } });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(JSON.stringify(refused.body)).not.toMatch(/localhost|:\d{4,5}|peer0/);
      // A Bank2 caller (the auditor, who may read the receivable) reads on while its own bank's peer is down.
      expect(await gw.call('GET', `/receivables/${issued.body.result.id}`, { as: 'did:scf:auditor' })).toMatchObject({ status: 200 });
      expect(await gw.height()).toBe(height);
    } finally {
      network('start-node', 'peer0.bank2');
    }
    const after = await issueWithRetries('peer-back-1', 90_000);
    expect(after.status).toBe(201);
    const [bank1, bank2] = [peerBackend('peer0.bank1'), peerBackend('peer0.bank2')];
    try {
      let lag = (await bank1.height()) - (await bank2.height());
      for (let i = 0; lag > 0 && i < 60; i++) { await sleep(500); lag = (await bank1.height()) - (await bank2.height()); }
      expect(lag).toBe(0);
      expect(await bank2.transaction(after.body.txId)).toMatchObject({ valid: true });
    } finally {
      await Promise.all([bank1.close(), bank2.close()]);
    }
  }, 180_000);

  test('two of four consenters stop (quorum lost): a write is refused with 503 and changes nothing; after their return a retry with the same key commits exactly once', async () => {
    const lead = await leader();
    const stopped = FOUNDERS.filter((name) => name !== lead).slice(0, 2);
    for (const name of stopped) network('stop-node', name);
    const body = issueBody();
    let refused;
    let heights: { before: number; after: number } | undefined;
    try {
      // Raft: until its election timeout the lone leader still takes transactions it can never commit (those get 202);
      // once it has stepped down, the consenters refuse them outright. BFT: the peers' gateway needs a quorum (3) of
      // consenters to take the transaction, and two are gone.
      if (ORDERING === 'raft') {
        for (let i = 0; i < 60 && (await currentLeader()) !== undefined; i++) await sleep(500);
        // A follower still takes transactions (and forwards them to the leader it knew, which drops them) until its
        // own election timeout, 5 to 10 s at Fabric's 500 ms tick, tells it the leader is gone; then every one refuses.
        await sleep(12_000);
      }
      const before = await gw.height();
      refused = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: 'quorum-lost', body });
      await sleep(2_000);
      heights = { before, after: await gw.height() };
    } finally {
      for (const name of stopped) network('start-node', name);
    }
    expect(refused).toMatchObject({ status: 503, body: { error: { code: 'LEDGER_UNAVAILABLE' } } });
    // Nothing was half-committed: no block was cut while the consenters had no quorum.
    expect(heights).toEqual({ before: heights?.before, after: heights?.before });
    // The same client retries with its key after recovery: exactly one receivable for the invoice, whether the
    // transaction the survivors held was ordered after all (the retry is answered with it) or not (a new one commits).
    let retried = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: 'quorum-lost', body });
    const answers = [retried.status];
    for (let i = 0; retried.status !== 201 && i < 300; i++) {
      expect([202, 503]).toContain(retried.status);
      await sleep(500);
      retried = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: 'quorum-lost', body });
      answers.push(retried.status);
    }
    console.log(`quorum lost: stopped ${stopped.join(', ')}; the retries after recovery were answered ${answers.join(', ')} (${retried.headers.get('idempotent-replay') ? 'the transaction the survivors held' : 'a new transaction'})`);
    expect(retried.status).toBe(201);
    const again = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: 'quorum-lost-other-key', body });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'INVOICE_ALREADY_USED' } } });
  }, 300_000);

  test('the banks\' chaincode servers are killed: their supervisors restart them and writes go on, none half-applied', async () => {
    const before = await issueWithRetries('cc-before', 30_000);
    // Each bank runs its own server, and both endorse every write (AND policy).
    network('stop-node', 'chaincode.bank1', '--kill');
    network('stop-node', 'chaincode.bank2', '--kill');
    const during = await issueWithRetries('cc-during', 60_000);
    expect(during.status).toBe(201);
    const accepted = await gw.call('POST', `/receivables/${during.body.result.id}/accept`, { as: 'did:scf:supplier-t1', key: 'cc-accept', body: {} });
    expect(accepted.status).toBe(200);
    const tree = await gw.call('GET', `/receivables/${during.body.result.id}/tree`, { as: 'did:scf:auditor' });
    expect(tree.body).toMatchObject({ livePieces: 1, liveAmount: '100000' });
    expect(network('status')).toMatch(/chaincode\.bank1\s+running[^\n]*\nchaincode\.bank2\s+running/);
    expect(before.status).toBe(201);
  }, 120_000);

  test('a peer serving an event stream is killed: the stream resumes elsewhere, losing and repeating nothing', async () => {
    const received: string[] = [];
    const unsubscribe = await gw.parts.backend.subscribe({ blockNumber: await gw.height() - 1 }, (event) => received.push(`${event.blockNumber}:${event.txId}`));
    try {
      const txIds: string[] = [];
      for (let i = 0; i < 3; i++) txIds.push((await issueWithRetries(`ev-a-${i}`, 30_000)).body.txId);
      network('stop-node', 'peer0.bank1', '--kill');
      try {
        // Bank1's peer is down: writes cannot be endorsed (AND policy), so the events to come are those written before, and after its return.
        await sleep(2_000);
      } finally {
        network('start-node', 'peer0.bank1');
      }
      for (let i = 0; i < 3; i++) txIds.push((await issueWithRetries(`ev-b-${i}`, 90_000)).body.txId);
      for (let i = 0; i < 40 && !txIds.every((tx) => received.some((r) => r.endsWith(tx))); i++) await sleep(500);
      expect(txIds.filter((tx) => !received.some((r) => r.endsWith(tx)))).toEqual([]);
      expect(new Set(received).size).toBe(received.length);
    } finally {
      unsubscribe();
    }
  }, 240_000);

  test('the signed bytes of a committed transaction are sent again: refused as a duplicate, nothing changes', async () => {
    const profile = loadConnectionProfile(path.join(RUN, 'gateway/connection.json'));
    const peer = profile.peers.find((p) => p.mspId === 'Bank1MSP')!;
    const client = new grpc.Client(peer.endpoint, grpc.credentials.createSsl(readFileSync(peer.tlsRootCertPath)), { 'grpc.ssl_target_name_override': peer.hostOverride! });
    const admin = profileAdmin(profile, 'Bank1MSP');
    const gateway = connect({ client, identity: { mspId: admin.mspId, credentials: Buffer.from(admin.certificatePem) }, signer: newNativeSigner(admin.privateKeyPem), hash: hash.none });
    try {
      const contract = gateway.getNetwork(profile.channel).getContract(profile.chaincode);
      // A governance proposal is a write one bank admin signs alone (its bank's approval is recorded with it).
      const transaction = await contract.newProposal('Governance:Propose', {
        arguments: ['limits', JSON.stringify({ minPieceAmount: '200' }), new Date(Date.now() + 3_600_000).toISOString()],
      }).endorse();
      expect((await (await transaction.submit()).getStatus()).successful).toBe(true);
      // Replaying the transaction would record the proposal again, were it accepted.
      const replayed = gateway.newTransaction(transaction.getBytes());
      // The orderers may accept the bytes; the peers then mark the copy DUPLICATE_TXID in its block (its commit status
      // is the original's). Either way the state must not move.
      await replayed.submit().then((commit) => commit.getStatus(), () => undefined);
      await sleep(1_500);
      const auditor = signingPrincipal((await gw.parts.principals.authenticate(gw.keys['did:scf:auditor']!))!)!.identity;
      const proposal = await gw.parts.backend.evaluate({ identity: auditor, transaction: 'Governance:Get', args: [`prp_${transaction.getTransactionId()}`] }) as { approvals: unknown[]; status: string };
      expect(proposal).toMatchObject({ status: 'OPEN', approvals: [{ mspId: 'Bank1MSP' }] });
      expect(await gw.parts.backend.transaction(transaction.getTransactionId())).toMatchObject({ valid: true });
    } finally {
      gateway.close();
      client.close();
    }
  }, 60_000);

  test('the whole network stops and starts again: state, history and events are intact', async () => {
    const issued = await issueWithRetries('restart-1', 30_000);
    const accepted = await gw.call('POST', `/receivables/${issued.body.result.id}/accept`, { as: 'did:scf:supplier-t1', key: 'restart-2', body: {} });
    const historyBefore = await gw.call('GET', `/history/receivable/${issued.body.result.id}`, { as: 'did:scf:auditor' });
    network('down');
    network('up');
    network('deploy');
    let after = await gw.call('GET', `/receivables/${issued.body.result.id}`, { as: 'did:scf:auditor' });
    for (let i = 0; after.status !== 200 && i < 60; i++) { await sleep(500); after = await gw.call('GET', `/receivables/${issued.body.result.id}`, { as: 'did:scf:auditor' }); }
    expect(after.body).toMatchObject({ id: issued.body.result.id, status: 'ACCEPTED' });
    expect((await gw.call('GET', `/history/receivable/${issued.body.result.id}`, { as: 'did:scf:auditor' })).body).toEqual(historyBefore.body);
    const events: string[] = [];
    const unsubscribe = await gw.parts.backend.subscribe({ blockNumber: -1 }, (event) => events.push(event.txId));
    try {
      for (let i = 0; i < 40 && !events.includes(accepted.body.txId); i++) await sleep(250);
      expect(events).toEqual(expect.arrayContaining([issued.body.txId, accepted.body.txId]));
    } finally {
      unsubscribe();
    }
    expect((await issueWithRetries('restart-3', 60_000)).status).toBe(201);
  }, 240_000);
});
