import { common, peer as peerProtos, msp } from '@hyperledger/fabric-protos';
import { randomBytes } from 'crypto';
import { fabricClientId } from '../../chaincode/src/engine/local-ca';
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import path from 'path';
import { DEFAULT_AT, enrollAtBankCa, fabricBinariesFound, gatewayTo, identity, network, orgAddress, peerCli as peerCliAt, PEERS, type PeerName, ROOT, RUN } from './fabric-network';
import { sha } from '../../gateway/test/support/fixtures';

const found = fabricBinariesFound();
if (!found) {
  console.log('SKIPPED: real Fabric network tests — peer, orderer, configtxgen, configtxlator, osnadmin or fabric-ca-* not found on FABRIC_BIN or PATH');
}
const describeNetwork = found ? describe : describe.skip;
const json = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8'));

/** The MSP ids that endorsed a committed transaction, read from the block through QSCC. */
async function endorsers(txId: string, via: ReturnType<typeof gatewayTo>): Promise<string[]> {
  const qscc = via.gateway.getNetwork('scf').getContract('qscc');
  const envelope = common.Envelope.deserializeBinary(await qscc.evaluateTransaction('GetTransactionByID', 'scf', txId).then((b) =>
    peerProtos.ProcessedTransaction.deserializeBinary(b).getTransactionenvelope()!.serializeBinary()));
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const transaction = peerProtos.Transaction.deserializeBinary(payload.getData_asU8());
  const action = peerProtos.ChaincodeActionPayload.deserializeBinary(transaction.getActionsList()[0]!.getPayload_asU8());
  return action.getAction()!.getEndorsementsList()
    .map((e) => msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid()).sort();
}

/** The `peer` CLI as an organisation's admin, against that organisation's peer. */
const peerCli = (org: PeerName, ...args: string[]) => peerCliAt(org, DEFAULT_AT, ...args);

/** A process's environment or command line (NUL-separated in /proc). */
const procList = (pid: number, file: 'environ' | 'cmdline') => readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0');

/** Each organisation's chaincode server: scripts/network.sh's ports (SCF_CHAINCODE_PORT 9999 + offset, then one below for each organisation). */
const CHAINCODE_PORTS: Record<PeerName, number> = { bank1: 9999, bank2: 9998, auditor: 9997 };
/** Where an organisation's chaincode server listens: its own address (its namespace's, in netns mode). */
const chaincodeAddress = (org: PeerName) => `${orgAddress(org)}:${CHAINCODE_PORTS[org] + DEFAULT_AT.portOffset}`;

describeNetwork('the receivable lifecycle on a real Fabric network', () => {
  const started = Date.now();
  let connections: ReturnType<typeof gatewayTo>[] = [];
  const as = (peer: PeerName, org: PeerName, user: string) => {
    const connection = gatewayTo(peer, identity(org, user));
    connections.push(connection);
    return connection.contract;
  };

  beforeAll(() => {
    network('up');
    network('deploy');
    console.log(`network up and chaincode committed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 240_000);
  afterAll(() => {
    connections.forEach((c) => c.close());
    connections = [];
    network('down', '--purge');
  }, 60_000);

  test('issue, accept, split, transfer and trace; both banks endorse; the auditor peer holds the same state; state survives a restart', async () => {
    const suffix = randomBytes(3).toString('hex');
    const ids = { core: `did:scf:core-${suffix}`, t1: `did:scf:tier1-${suffix}`, t2: `did:scf:tier2-${suffix}`, bank: `did:scf:bank-${suffix}` };
    const admin1 = as('bank1', 'bank1', 'Admin');
    const admin2 = as('bank2', 'bank2', 'Admin');
    const onboard = async (admin: typeof admin1, org: PeerName, user: string, id: string, roles: string[], regNo: string) => {
      await admin.submit('Enterprise:Register', { arguments: [id, id, JSON.stringify(roles)], transientData: { registrationNumber: regNo } });
      await admin.submit('Enterprise:BindIdentity', { arguments: [id, identity(org, user).mspId, fabricClientId(identity(org, user).certificatePem)] });
    };
    await onboard(admin1, 'bank1', 'User1', ids.core, ['CORE'], `913100${suffix}0001A`);
    await onboard(admin1, 'bank1', 'User2', ids.t1, ['SUPPLIER'], `913200${suffix}0003C`);
    await onboard(admin2, 'bank2', 'User1', ids.t2, ['SUPPLIER'], `913200${suffix}0004D`);
    await onboard(admin1, 'bank1', 'User3', ids.bank, ['BANK'], `911000${suffix}0001F`);
    const core = as('bank1', 'bank1', 'User1');
    const t1 = as('bank1', 'bank1', 'User2');
    const t2 = as('bank2', 'bank2', 'User1');
    const bank = as('bank1', 'bank1', 'User3');

    const line = json(await bank.submit('CreditLine:Grant', { arguments: [ids.core, 'CNY', new Date(Date.now() + 86_400_000 * 365).toISOString()] }));
    // The limit is Bank1's private term: only its peers receive it and endorse writing it.
    const salt = () => randomBytes(32).toString('hex');
    const bank1Only = { endorsingOrganizations: ['Bank1MSP'] };
    // Public writes that Bank1's peer checks against its private terms name their endorsers (see the README).
    const banks = { endorsingOrganizations: ['Bank1MSP', 'Bank2MSP'] };
    await bank.submit('CreditLine:SetLimit', { arguments: [line.id], transientData: { limit: JSON.stringify({ limit: '100000000', salt: salt() }) }, ...bank1Only });
    const invoice = JSON.stringify({ invoiceCode: '3100231130', invoiceNumber: suffix, sellerRegistrationNumber: `913200${suffix}0003C`, buyerRegistrationNumber: `913100${suffix}0001A` });
    const due = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    const issue = core.newProposal('Receivable:Issue', { arguments: [ids.t1, '1000000', 'CNY', due, sha('inv'), sha('contract'), line.id], transientData: { invoice }, ...banks });
    const issuedTx = await issue.endorse();
    const issuedCommit = await issuedTx.submit();
    const receivable = json(issuedTx.getResult());
    expect((await issuedCommit.getStatus()).successful).toBe(true);
    await expect(core.submit('Receivable:Issue', { arguments: [ids.t1, '1000000', 'CNY', due, sha('inv'), sha('contract'), line.id], transientData: { invoice }, ...banks }))
      .rejects.toMatchObject({ details: expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('INVOICE_ALREADY_USED') })]) });

    const { certificate } = json(await t1.submit('Receivable:Accept', { arguments: [receivable.id] }));
    const { children } = json(await t1.submit('Certificate:Split', { arguments: [certificate.id, '["600000","400000"]'] }));
    await t1.submit('Certificate:OfferTransfer', { arguments: [children[1].id, ids.t2, new Date(Date.now() + 3600_000).toISOString()] });
    const accepted = json(await t2.submit('Certificate:AcceptTransfer', { arguments: [children[1].id] }));
    expect(accepted).toMatchObject({ holderId: ids.t2, status: 'ACTIVE' });

    const lineage = json(await t2.evaluate('Trace:Lineage', { arguments: [children[1].id] }));
    expect(lineage.path.map((c: { id: string }) => c.id)).toEqual([certificate.id, children[1].id]);
    // Need to know: the debtor reads the whole tree, the holder the history of its piece; an unrelated bank neither.
    const tree = json(await core.evaluate('Trace:Tree', { arguments: [receivable.id] }));
    expect(tree).toMatchObject({ livePieces: 2, liveAmount: '1000000' });
    const history = json(await t2.evaluate('Trace:History', { arguments: ['certificate', children[1].id] }));
    expect(history.entries).toHaveLength(3);
    await expect(bank.evaluate('Trace:Tree', { arguments: [receivable.id] }))
      .rejects.toMatchObject({ details: expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('FORBIDDEN') })]) });

    expect(await endorsers(issuedTx.getTransactionId(), connections[0]!)).toEqual(['Bank1MSP', 'Bank2MSP']);

    // A tier-3 supplier onboarded by Bank2: enrolled at Bank2's Fabric CA with its enterprise id in the certificate.
    const t3Id = `did:scf:tier3-${suffix}`;
    const t3Identity = enrollAtBankCa('bank2', `tier3-${suffix}`, { 'scf.enterpriseId': t3Id.slice('did:scf:'.length) });
    await admin2.submit('Enterprise:Register', { arguments: [t3Id, t3Id, '["SUPPLIER"]'], transientData: { registrationNumber: `913200${suffix}0005E` } });
    await admin2.submit('Enterprise:BindIdentity', { arguments: [t3Id, 'Bank2MSP', fabricClientId(t3Identity.certificatePem)] });
    const t3Connection = gatewayTo('bank2', t3Identity);
    connections.push(t3Connection);
    await t2.submit('Certificate:OfferTransfer', { arguments: [children[1].id, t3Id, new Date(Date.now() + 3600_000).toISOString()] });
    expect(json(await t3Connection.contract.submit('Certificate:AcceptTransfer', { arguments: [children[1].id] })).holderId).toBe(t3Id);
    // A certificate whose enrolled attribute names another enterprise cannot act for the one it is bound to.
    const impostor = enrollAtBankCa('bank2', `impostor-${suffix}`, { 'scf.enterpriseId': ids.t2.slice('did:scf:'.length) });
    await admin2.submit('Enterprise:BindIdentity', { arguments: [t3Id, 'Bank2MSP', fabricClientId(impostor.certificatePem)] });
    const impostorConnection = gatewayTo('bank2', impostor);
    connections.push(impostorConnection);
    await expect(impostorConnection.contract.evaluate('Enterprise:WhoAmI')).rejects.toMatchObject({
      details: expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('FORBIDDEN') })]) });

    const onAuditorPeer = as('auditor', 'bank1', 'User1');
    const latest = json(await core.evaluate('Trace:Tree', { arguments: [receivable.id] }));
    expect(json(await onAuditorPeer.evaluate('Trace:Tree', { arguments: [receivable.id] }))).toEqual(latest);

    // Invoke after idling: each bank's chaincode server must still be the one its supervisor first started.
    const starts = () => ['bank1', 'bank2'].map((org) =>
      (readFileSync(path.join(RUN, `logs/chaincode.${org}.log`), 'utf8').match(/supervisor: starting/g) ?? []).length);
    const before = starts();
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    expect(json(await t1.evaluate('Certificate:Get', { arguments: [children[0].id] })).holderId).toBe(ids.t1);
    await t1.submit('Certificate:OfferTransfer', { arguments: [children[0].id, ids.t2, new Date(Date.now() + 3600_000).toISOString()] });
    expect(starts()).toEqual(before);
    // Financing on the real network: tier 1 pledges its offered-back piece once the offer is cancelled.
    await t1.submit('Certificate:CancelOffer', { arguments: [children[0].id] });
    const terms = JSON.stringify({ requestedAmount: '500000', annualRateBps: 385, feeAmount: '0', tenorEnd: due, salt: salt() });
    const { termsHash } = json(await t1.submit('Financing:ProposeTerms', { arguments: [children[0].id, ids.bank], transientData: { terms }, ...bank1Only }));
    const { financing } = json(await t1.submit('Financing:Apply', { arguments: [children[0].id, ids.bank, 'PLEDGE', termsHash, sha('docs')], ...banks }));
    // The bank disburses the price its own peers give for funding today (500,000 less interest; no fee).
    const { price } = json(await bank.evaluate('Financing:GetTerms', { arguments: [financing.id], ...bank1Only }));
    const decision = JSON.stringify({ disbursedAmount: price.disbursedAmount, salt: salt() });
    const { decisionHash } = json(await bank.submit('Financing:DecideTerms', { arguments: [financing.id], transientData: { decision }, ...bank1Only }));
    expect(json(await bank.submit('Financing:Approve', { arguments: [financing.id, decisionHash, 'DISB-1'], ...banks })).financing.status).toBe('FUNDED');
    expect(json(await t1.evaluate('Financing:GetTerms', { arguments: [financing.id], ...bank1Only })).decided.disbursedAmount).toBe(price.disbursedAmount);
    // Settlement waits for maturity; the endorsers' clock check refuses a payment today.
    await expect(core.submit('Settlement:Pay', { arguments: [receivable.id, '1000000', 'PAY-1', '10'] }))
      .rejects.toMatchObject({ details: expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('NOT_DUE') })]) });
    const beforeRestart = json(await core.evaluate('Trace:Tree', { arguments: [receivable.id] }));

    connections.forEach((c) => c.close());
    connections = [];
    network('down');
    network('up');
    network('deploy');
    // Upgrading the chaincode (a new package, the next sequence) keeps every record.
    const upgrade = execFileSync('bash', [path.join(ROOT, 'scripts/network.sh'), 'deploy'], {
      encoding: 'utf8', env: { ...process.env, SCF_CHAINCODE_VERSION: `upgrade-${suffix}` } });
    expect(upgrade).toMatch(/committing scf sequence 2/);
    const afterRestart = as('bank2', 'bank1', 'User1');
    expect(json(await afterRestart.evaluate('Trace:Tree', { arguments: [receivable.id] }))).toEqual(beforeRestart);
    const t3AfterRestart = gatewayTo('bank1', t3Identity);
    connections.push(t3AfterRestart);
    await t3AfterRestart.contract.submit('Certificate:OfferTransfer', { arguments: [children[1].id, ids.t1, new Date(Date.now() + 3600_000).toISOString()] });
    expect(json(await afterRestart.evaluate('Certificate:Get', { arguments: [children[1].id] })).status).toBe('OFFERED');
  }, 240_000);
  test('each organisation\'s peer runs the chaincode on a server of its own, which knows its MSP and serves that peer alone', async () => {
    const committed = JSON.parse(peerCli('bank1', 'lifecycle', 'chaincode', 'querycommitted', '-C', 'scf', '-n', 'scf', '-O', 'json'));
    const packageIds = new Set<string>();
    for (const org of Object.keys(PEERS) as PeerName[]) {
      const packageId = readFileSync(path.join(RUN, `chaincode/chaincode.${org}.current`), 'utf8').trim();
      packageIds.add(packageId);
      // The server process (under its supervisor): this organisation's MSP for getMspID(), its own port and package id.
      const server = Number(readFileSync(path.join(RUN, `pids/chaincode.${org}.server.pid`), 'utf8'));
      expect(procList(server, 'environ')).toEqual(expect.arrayContaining([`CORE_PEER_LOCALMSPID=${PEERS[org].mspId}`, `SCF_NETWORK_RUN=${RUN}`]));
      expect(procList(server, 'cmdline')).toEqual(expect.arrayContaining([
        `--chaincode-address=${chaincodeAddress(org)}`, `--chaincode-id=${packageId}`]));
      // The peer's installed package for the committed definition is that package id, and its connection.json names that server.
      const installed = JSON.parse(peerCli(org, 'lifecycle', 'chaincode', 'queryinstalled', '-O', 'json')) as
        { installed_chaincodes: { package_id: string; label: string; references?: Record<string, { chaincodes: { version: string }[] }> }[] };
      const inUse = installed.installed_chaincodes.filter((c) => c.references?.scf?.chaincodes.some((d) => d.version === committed.version));
      expect(inUse.map((c) => c.package_id)).toEqual([packageId]);
      expect(inUse[0]!.label).toBe(committed.version);
      const out = path.join(RUN, 'chaincode', `installed-${org}`);
      execFileSync('mkdir', ['-p', out]);
      peerCli(org, 'lifecycle', 'chaincode', 'getinstalledpackage', '--package-id', packageId, '--output-directory', out);
      const connection = JSON.parse(execFileSync('bash', ['-c', 'tar -xzOf "$1" code.tar.gz | tar -xzOf - connection.json', '-', path.join(out, `${packageId}.tar.gz`)], { encoding: 'utf8' }));
      expect(connection.address).toBe(chaincodeAddress(org));
    }
    expect(packageIds.size).toBe(3);

    // A write is endorsed by the two banks' peers, each through its own server; a read on the auditor's peer runs on the auditor's server.
    const ran = (txId: string) => (Object.keys(PEERS) as PeerName[]).filter((org) =>
      readFileSync(path.join(RUN, `logs/chaincode.${org}.log`), 'utf8').includes(`[scf-${txId.slice(0, 8)}]`));
    const bank1 = gatewayTo('bank1', identity('bank1', 'Admin'));
    const auditor = gatewayTo('auditor', identity('bank1', 'Admin'));
    connections.push(bank1, auditor);
    const suffix = randomBytes(3).toString('hex');
    const write = bank1.contract.newProposal('Enterprise:Register', { arguments: [`did:scf:mspcheck-${suffix}`, 'msp check', '["SUPPLIER"]'],
      transientData: { registrationNumber: `913300${suffix}0009X` } });
    await (await (await write.endorse()).submit()).getStatus();
    const read = auditor.contract.newProposal('Enterprise:Get', { arguments: [`did:scf:mspcheck-${suffix}`] });
    expect(json(await read.evaluate())).toMatchObject({ id: `did:scf:mspcheck-${suffix}` });
    expect({ write: ran(write.getTransactionId()), read: ran(read.getTransactionId()) }).toEqual({ write: ['bank1', 'bank2'], read: ['auditor'] });
  }, 60_000);
});
