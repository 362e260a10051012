import { createHash, createPrivateKey, generateKeyPairSync, randomUUID } from 'crypto';
import { mkdtempSync, readFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { signers } from '@hyperledger/fabric-gateway';
import { receivableBody } from './fixtures';
import type { GatewayUnderTest } from './gateway-under-test';
import { privateKeyCount, privateKeysOf, scfSign } from './signer-process';

/**
 * Self-custody as stories of a tier-1 supplier's clerk, Alice, who keeps her key on her own
 * machine: scf-sign runs in another process and is the only one that reads her key file; the
 * gateway gets her certificate signing request and, later, signatures. Run on the embedded
 * ledger (gateway/test/self-custody.test.ts) and on a Fabric network (test/network/).
 */
const TIER1 = 'did:scf:supplier-t1';

/** What a backend's own cases use of the stories' world. */
export interface SelfCustodyWorld {
  readonly gateway: () => GatewayUnderTest;
  readonly alice: () => { apiKey: string; user: { mspId: string; clientId: string } };
  /** Alice's signature of a digest, made by scf-sign in its own process. */
  readonly sign: (digest: string) => Promise<string>;
  /** A signature by a key that is not Alice's. */
  readonly strangerSigns: (digest: string) => Promise<string>;
}

export function describeSelfCustody(
  backend: 'embedded' | 'fabric',
  start: () => Promise<GatewayUnderTest>,
  more?: (world: SelfCustodyWorld) => void,
): void {
describe(`self-custody on the ${backend} ledger: a user keeps its key and signs the digests the gateway prepares`, () => {
  let gw: GatewayUnderTest;
  let keyFile: string;
  let alice: { apiKey: string; user: { mspId: string; clientId: string } };
  const post = (as: string, url: string, body: object, key: string = randomUUID()) => gw.call('POST', url, { as, key, body });
  const sign = (digest: string) => scfSign(['sign', '--key', keyFile, digest]);
  /** A signature by a key that is not Alice's (the test may hold this one). */
  const stranger = signers.newPrivateKeySigner(
    createPrivateKey(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'pkcs8' })),
  );
  const strangerSigns = async (digest: string) => Buffer.from(await stranger(Buffer.from(digest, 'hex'))).toString('base64');
  const submit = (transaction: string, args: string[]) =>
    scfSign(['submit', '--key', keyFile, '--gateway', gw.url, '--transaction', transaction, '--args', JSON.stringify(args), '--yes'],
      { SCF_API_KEY: alice.apiKey }).then((out) => JSON.parse(out));

  beforeAll(async () => {
    gw = await start();
    keyFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'scf-alice-')), 'alice.pem');
    await scfSign(['keygen', '--key', keyFile]);
    const csr = await scfSign(['csr', '--key', keyFile, '--cn', 'supplier-t1.alice']);
    const added = await post(TIER1, '/me/users', { login: 'alice', role: 'MAKER', csr });
    expect(added).toMatchObject({ status: 201, body: { user: { enterpriseId: TIER1, role: 'MAKER' } } });
    alice = added.body;
  }, 120_000);
  afterAll(async () => { await gw.stop(); });

  test('the gateway holds her certificate and no private key of it, and cannot sign for her', async () => {
    const kept = (await gw.parts.principals.inCustody(alice.user.mspId, alice.user.clientId))!;
    expect(kept.identity).toMatchObject({ custody: 'self', clientId: alice.user.clientId });
    expect(kept.identity).not.toHaveProperty('privateKeyPem');
    // The scan sees the keys the gateway does hold (so it would see hers), and none of hers.
    expect(privateKeyCount(gw.dataDir)).toBeGreaterThan(5);
    expect(privateKeysOf(kept.identity.certificatePem, gw.dataDir)).toEqual([]);
    expect(readFileSync(path.join(gw.dataDir, 'principals.json'), 'utf8')).toContain(alice.user.clientId);
    expect(await gw.call('GET', '/me', { as: alice.apiKey })).toMatchObject({ status: 403, body: { error: { code: 'KEY_SELF_HELD' } } });
    const rotation = await post(alice.apiKey, '/offline-calls', { transaction: 'Identity:RotateKey', args: [alice.user.clientId] });
    expect(rotation).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', field: 'body.transaction' } } });
  }, 180_000);

  test('a request whose common name is not hers, or that is not signed by its key, enrolls nobody', async () => {
    const otherName = await scfSign(['csr', '--key', keyFile, '--cn', 'supplier-t1.mallory']);
    const refused = await post(TIER1, '/me/users', { login: 'bob', role: 'MAKER', csr: otherName });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'INVALID_ARGUMENT' } } });
    expect(refused.body.error.message).toContain('supplier-t1.bob');
    expect((await post(TIER1, '/me/users', { login: 'bob', role: 'MAKER', csr: 'not a request' })).status).toBe(400);
    // Her login is taken: enrolling its name again would give the admin a certificate acting as her.
    const hers = await scfSign(['csr', '--key', keyFile, '--cn', 'supplier-t1.alice']);
    expect(await post(TIER1, '/me/users', { login: 'alice', role: 'MAKER', csr: hers })).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_EXISTS' } } });
    expect(await post(TIER1, '/me/users', { login: 'alice', role: 'MAKER' })).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_EXISTS' } } });
  }, 180_000);

  test('a user whose key the gateway held moves it into her own custody by a key rotation with her request', async () => {
    const carol = (await post(TIER1, '/me/users', { login: 'carol', role: 'MAKER' })).body;
    expect(await gw.call('GET', '/me', { as: carol.apiKey })).toMatchObject({ status: 200, body: { id: TIER1 } });
    const carolKey = path.join(path.dirname(keyFile), 'carol.pem');
    await scfSign(['keygen', '--key', carolKey]);
    const foreign = await scfSign(['csr', '--key', carolKey, '--cn', 'supplier-t2.carol']);
    expect(await post(carol.apiKey, '/me/key-rotations', { csr: foreign })).toMatchObject({ status: 400, body: { error: { code: 'INVALID_ARGUMENT' } } });
    const csr = await scfSign(['csr', '--key', carolKey, '--cn', 'supplier-t1.carol-own']);
    const rotated = await post(carol.apiKey, '/me/key-rotations', { csr });
    expect(rotated).toMatchObject({ status: 201, body: { result: { retired: carol.user.clientId, enterpriseId: TIER1 } } });
    const now = (await gw.parts.principals.authenticate(carol.apiKey))!.identity;
    expect(now).toMatchObject({ custody: 'self', clientId: rotated.body.result.current });
    expect(privateKeysOf(now.certificatePem, gw.dataDir)).toEqual([]);
    expect(await gw.call('GET', '/me', { as: carol.apiKey })).toMatchObject({ status: 403, body: { error: { code: 'KEY_SELF_HELD' } } });
    const read = await scfSign(['submit', '--key', carolKey, '--gateway', gw.url, '--transaction', 'Enterprise:WhoAmI', '--yes'], { SCF_API_KEY: carol.apiKey });
    expect(JSON.parse(read)).toMatchObject({ result: { id: TIER1 } });
  }, 180_000);

  test('she declares her key self-held, and the DID document shows it beside the gateway-held keys', async () => {
    const declared = await submit('Identity:DeclareSelfCustody', []);
    expect(declared).toMatchObject({ txId: expect.stringMatching(/^[0-9a-f]{64}$/), result: { clientId: alice.user.clientId, keyCustody: 'SELF' } });
    const did = await gw.call('GET', `/dids/${TIER1}`, { as: 'did:scf:core-a' });
    const custody = Object.fromEntries(did.body.verificationMethod.map((m: { clientId: string; keyCustody: string }) => [m.clientId, m.keyCustody]));
    expect(custody[alice.user.clientId]).toBe('SELF');
    expect(Object.values(custody).filter((c) => c === 'GATEWAY').length).toBeGreaterThanOrEqual(3);
    expect(await gw.call('GET', `/transactions/${declared.txId}`, { as: 'did:scf:auditor' })).toMatchObject({ status: 200, body: { valid: true } });
  }, 180_000);

  test('she accepts a receivable and reads who she is, signing each step in her own process', async () => {
    const issued = await post('did:scf:core-a', '/receivables', receivableBody(gw));
    const accepted = await submit('Receivable:Accept', [issued.body.result.id]);
    expect(accepted).toMatchObject({ blockNumber: expect.any(Number), result: { receivable: { status: 'ACCEPTED' }, certificate: { holderId: TIER1 } } });
    const read = await submit('Enterprise:WhoAmI', []);
    expect(read).toMatchObject({ result: { id: TIER1 } });
    expect(read).not.toHaveProperty('blockNumber');
    // Gateway custody keeps working beside it.
    expect((await gw.call('GET', `/receivables/${issued.body.result.id}`, { as: TIER1 })).body).toMatchObject({ status: 'ACCEPTED' });
  }, 180_000);

  test('another key, a tampered digest or a step signed twice is refused and changes nothing', async () => {
    const issued = await post('did:scf:core-a', '/receivables', receivableBody(gw));
    const prepared = await post(alice.apiKey, '/offline-calls', { transaction: 'Receivable:Accept', args: [issued.body.result.id] });
    expect(prepared).toMatchObject({ status: 201, body: { mode: 'submit', proposal: { digest: expect.stringMatching(/^[0-9a-f]{64}$/) } } });
    const { id, proposal } = prepared.body;
    expect(createHash('sha256').update(Buffer.from(proposal.message, 'base64')).digest('hex')).toBe(proposal.digest);
    // What is signed reads as the call: the engine's JSON, or Fabric's Proposal protobuf, which carries the arguments.
    const message = Buffer.from(proposal.message, 'base64');
    expect(message.includes(Buffer.from('Receivable:Accept')) && message.includes(Buffer.from(issued.body.result.id))).toBe(true);
    const height = await gw.height();
    const proposalStep = `/offline-calls/${id}/proposal-signature`;
    const wrongKey = await post(alice.apiKey, proposalStep, { signature: await strangerSigns(proposal.digest) });
    expect(wrongKey).toMatchObject({ status: 400, body: { error: { code: 'SIGNATURE_INVALID' } } });
    const tampered = proposal.digest.replace(/^./, (c: string) => (c === '0' ? '1' : '0'));
    expect(await post(alice.apiKey, proposalStep, { signature: await sign(tampered) })).toMatchObject({ status: 400, body: { error: { code: 'SIGNATURE_INVALID' } } });
    expect(await post(alice.apiKey, proposalStep, { signature: 'bm90IGEgc2lnbmF0dXJl' })).toMatchObject({ status: 400 });
    // Another user presenting her signature finds no such call.
    expect(await post(TIER1, proposalStep, { signature: await sign(proposal.digest) })).toMatchObject({ status: 404, body: { error: { code: 'OFFLINE_CALL_NOT_FOUND' } } });

    const endorsed = await post(alice.apiKey, proposalStep, { signature: await sign(proposal.digest) }, 'alice-proposal');
    expect(endorsed).toMatchObject({ status: 200, body: { mode: 'submit', result: { receivable: { status: 'ACCEPTED' } } } });
    expect(await post(alice.apiKey, proposalStep, { signature: await sign(proposal.digest) }, 'alice-proposal')).toMatchObject({ status: 200, headers: expect.anything() });
    expect(await post(alice.apiKey, proposalStep, { signature: await sign(proposal.digest) })).toMatchObject({ status: 409, body: { error: { code: 'OFFLINE_STEP_DONE' } } });
    const transactionStep = `/offline-calls/${id}/transaction-signature`;
    const { transaction } = endorsed.body;
    expect(await post(alice.apiKey, transactionStep, { signature: await strangerSigns(transaction.digest) })).toMatchObject({ status: 400, body: { error: { code: 'SIGNATURE_INVALID' } } });
    // Her proposal's signature does not sign the transaction.
    expect(await post(alice.apiKey, transactionStep, { signature: await sign(proposal.digest) })).toMatchObject({ status: 400, body: { error: { code: 'SIGNATURE_INVALID' } } });
    expect(await gw.height()).toBe(height);

    const committed = await post(alice.apiKey, transactionStep, { signature: await sign(transaction.digest) });
    expect(committed).toMatchObject({ status: 200, body: { txId: prepared.body.txId, result: { receivable: { status: 'ACCEPTED' } } } });
    expect(await gw.height()).toBe(height + 1);
    expect(await post(alice.apiKey, transactionStep, { signature: await sign(transaction.digest) })).toMatchObject({ status: 409, body: { error: { code: 'OFFLINE_STEP_DONE' } } });
    expect(await gw.height()).toBe(height + 1);
    expect(await post(alice.apiKey, '/offline-calls/off_00000000000000000000000000000000/proposal-signature', { signature: await sign(proposal.digest) }))
      .toMatchObject({ status: 404, body: { error: { code: 'OFFLINE_CALL_NOT_FOUND' } } });
  }, 180_000);

  more?.({ gateway: () => gw, alice: () => alice, sign, strangerSigns });

  // Last: her key changes.
  test('she rotates her self-held key: the new key is her own request, and her old key signs the rotation', async () => {
    const nextKey = path.join(path.dirname(keyFile), 'alice-2.pem');
    await scfSign(['keygen', '--key', nextKey]);
    const csr = await scfSign(['csr', '--key', nextKey, '--cn', 'supplier-t1.alice-2']);
    expect(await post(alice.apiKey, '/me/key-rotations', { csr })).toMatchObject({ status: 403, body: { error: { code: 'KEY_SELF_HELD' } } });
    expect(await post(alice.apiKey, '/me/key-rotations/offline', {})).toMatchObject({ status: 400, body: { error: { field: 'body.csr' } } });
    const prepared = await post(alice.apiKey, '/me/key-rotations/offline', { csr });
    expect(prepared).toMatchObject({ status: 201, body: { rotation: { retired: alice.user.clientId }, call: { mode: 'submit' } } });
    const { rotation, call } = prepared.body;
    const height = await gw.height();
    // The gateway cannot finish it alone: the old key's two signatures are needed.
    expect((await gw.parts.principals.authenticate(alice.apiKey))!.identity.clientId).toBe(alice.user.clientId);
    const endorsed = await post(alice.apiKey, `/offline-calls/${call.id}/proposal-signature`, { signature: await sign(call.proposal.digest) });
    expect(endorsed).toMatchObject({ status: 200, body: { result: { current: rotation.current } } });
    const committed = await post(alice.apiKey, `/offline-calls/${call.id}/transaction-signature`, { signature: await sign(endorsed.body.transaction.digest) });
    expect(committed).toMatchObject({ status: 200, body: { txId: call.txId } });
    expect(await gw.height()).toBe(height + 1);
    expect((await gw.parts.principals.authenticate(alice.apiKey))!.identity).toMatchObject({ custody: 'self', clientId: rotation.current });
    const submitWith = (file: string) => scfSign(['submit', '--key', file, '--gateway', gw.url, '--transaction', 'Enterprise:WhoAmI', '--yes'], { SCF_API_KEY: alice.apiKey });
    expect(JSON.parse(await submitWith(nextKey))).toMatchObject({ result: { id: TIER1 } });
    await expect(submitWith(keyFile)).rejects.toThrow(/SIGNATURE_INVALID/);
    // Again with scf-sign rotate, which runs the same requests from her machine.
    const thirdKey = path.join(path.dirname(keyFile), 'alice-3.pem');
    await scfSign(['keygen', '--key', thirdKey]);
    const again = JSON.parse(await scfSign(['rotate', '--key', nextKey, '--new-key', thirdKey, '--cn', 'supplier-t1.alice-3',
      '--gateway', gw.url, '--yes'], { SCF_API_KEY: alice.apiKey }));
    expect(again).toMatchObject({ result: { retired: rotation.current } });
    expect(JSON.parse(await submitWith(thirdKey))).toMatchObject({ result: { id: TIER1 } });
    await expect(submitWith(nextKey)).rejects.toThrow(/SIGNATURE_INVALID/);
  }, 180_000);

});
}
