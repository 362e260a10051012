import { randomUUID } from 'crypto';
import { LedgerUnavailable } from '../src/ledger/ledger-errors';
import { Crash, faultyGateway, type FaultyGateway, transactionIs } from './support/faults';
import { signingPrincipal } from '../src/identity/principals';

const unavailable = () => new LedgerUnavailable('injected: the peers cannot be reached');


const newcomer = (suffix: string) => ({ id: `did:scf:resume-${suffix}`, name: `Resume ${suffix} Ltd`, roles: ['SUPPLIER'], registrationNumber: `91440300RESUME${suffix.slice(0, 4).toUpperCase().padEnd(4, '0')}` });

/** Exactly one registration of the enterprise, exactly one bound identity, and the API key acts for it. */
async function expectOnboardedOnce(gateway: FaultyGateway, id: string, apiKey: string) {
  const history = await gateway.call('GET', `/history/enterprise/${encodeURIComponent(id)}`, 'did:scf:auditor');
  expect(history.body.entries).toHaveLength(1);
  const record = await gateway.call('GET', `/enterprises/${encodeURIComponent(id)}`, 'admin:Bank1MSP');
  expect(record.body.identities).toHaveLength(1);
  const me = await gateway.call('GET', '/me', apiKey);
  expect(me).toMatchObject({ status: 200, body: { id } });
  expect((await gateway.gw.parts.principals.authenticate(apiKey))?.identity.clientId).toBe(record.body.identities[0].clientId);
}

describe('onboarding resumes after a failure or crash at any step', () => {
  let gateway: FaultyGateway;
  beforeEach(async () => { gateway = await faultyGateway(); }, 60_000);
  afterEach(async () => { await gateway.stop(); });

  test.each([['the same Idempotency-Key', true], ['a new Idempotency-Key', false]])(
    'the CA registered the identity, then the ledger answered 503: a retry with %s completes', async (_label, sameKey) => {
      const body = newcomer(sameKey ? 'ca1' : 'ca2');
      gateway.faults.arm('backend.submit', 'before', unavailable, transactionIs('Enterprise:Register'));
      const key = randomUUID();
      const first = await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key, body });
      expect(first).toMatchObject({ status: 503, body: { error: { code: 'LEDGER_UNAVAILABLE' } } });
      const retry = await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key: sameKey ? key : randomUUID(), body });
      expect(retry.status).toBe(201);
      // The name is registered once; the retry enrolled it again.
      expect(gateway.faults.count('issuer.issue')).toBe(2);
      expect(gateway.faults.count('issuer.reenroll')).toBe(1);
      await expectOnboardedOnce(gateway, body.id, retry.body.apiKey);
    });

  test('the CA enrolled the identity and the gateway died before keeping it: the retry enrolls the name again', async () => {
    const body = newcomer('enr');
    gateway.faults.arm('issuer.issue', 'after', () => new Crash('after the CA step'));
    const key = randomUUID();
    expect((await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key, body })).status).toBe(500);
    const dataDir = gateway.gw.dataDir;
    await gateway.stop();
    gateway = await faultyGateway({ dataDir });
    const retry = await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key, body });
    expect(retry.status).toBe(201);
    await expectOnboardedOnce(gateway, body.id, retry.body.apiKey);
  });

  test('Register committed, then the gateway died; the retry\'s Bind fails once more; the next retry completes', async () => {
    const body = newcomer('reg');
    gateway.faults.arm('backend.submit', 'after', () => new Crash('after Register'), transactionIs('Enterprise:Register'));
    const key = randomUUID();
    expect((await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key, body })).status).toBe(500);
    const dataDir = gateway.gw.dataDir;
    await gateway.stop();
    gateway = await faultyGateway({ dataDir });
    gateway.faults.arm('backend.submit', 'before', unavailable, transactionIs('Enterprise:BindIdentity'));
    expect((await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key, body })).status).toBe(503);
    const height = await gateway.gw.height();
    const retry = await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key, body });
    expect(retry).toMatchObject({ status: 201, body: { enterprise: { id: body.id, onboardedByMsp: 'Bank1MSP' } } });
    expect(retry.body.enterprise.identities).toBeUndefined();
    // Register was not sent again: the one new block is the binding.
    expect(gateway.faults.calls.filter((c) => c === 'backend.submit')).toHaveLength(2);
    expect(await gateway.gw.height()).toBe(height + 1);
    await expectOnboardedOnce(gateway, body.id, retry.body.apiKey);
  });

  test.each([['fails', false], ['crashes', true]])('Bind committed, then issuing the API key %s: the retry completes', async (_label, crash) => {
    const body = newcomer(crash ? 'keyc' : 'keyf');
    gateway.faults.arm('principals.issueKey', 'before', () => (crash ? new Crash('before the API key') : new Error('injected: disk full')));
    const key = randomUUID();
    expect((await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key, body })).status).toBe(500);
    if (crash) {
      const dataDir = gateway.gw.dataDir;
      await gateway.stop();
      gateway = await faultyGateway({ dataDir });
    }
    const height = await gateway.gw.height();
    const retry = await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key: crash ? key : randomUUID(), body });
    expect(retry.status).toBe(201);
    expect(await gateway.gw.height()).toBe(height);
    await expectOnboardedOnce(gateway, body.id, retry.body.apiKey);
  });

  test('a DID another bank registered is a clean 409 ALREADY_EXISTS, before the CA is asked; the same key then onboards another DID', async () => {
    const height = await gateway.gw.height();
    const key = randomUUID();
    // did:scf:supplier-t1 is Bank1's customer (the demo consortium).
    const taken = { id: 'did:scf:supplier-t1', name: 'Tier-1 Components Ltd', roles: ['SUPPLIER'], registrationNumber: '91320000MA1FL0003C' };
    const refused = await gateway.call('POST', '/enterprises', 'admin:Bank2MSP', { key, body: taken });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_EXISTS' } } });
    expect(gateway.faults.count('issuer.issue')).toBe(0);
    // The same bank with other details is refused the same way.
    const renamed = await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key: randomUUID(), body: { ...taken, name: 'Someone Else Ltd' } });
    expect(renamed).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_EXISTS' } } });
    expect(await gateway.gw.height()).toBe(height);
    const other = await gateway.call('POST', '/enterprises', 'admin:Bank2MSP', { key, body: newcomer('free') });
    expect(other.status).toBe(201);
    await expectOnboardedOnce(gateway, newcomer('free').id, other.body.apiKey);
  });

  test('a DID taken between the ledger check and Register (a race) is 409 ALREADY_EXISTS, never 500', async () => {
    const body = newcomer('race');
    // Bank2 registers the DID after Bank1's check and just before Bank1's Register is sent.
    const bank2Admin = signingPrincipal((await gateway.gw.parts.principals.authenticate(gateway.gw.keys['admin:Bank2MSP']!))!)!.identity;
    gateway.faults.arm('backend.submit', 'before', async () => {
      await gateway.gw.parts.backend.submit({ identity: bank2Admin, transaction: 'Enterprise:Register', args: [body.id, body.name, JSON.stringify(body.roles)],
        transient: { registrationNumber: body.registrationNumber } });
    }, transactionIs('Enterprise:Register'));
    const refused = await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key: randomUUID(), body });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_EXISTS' } } });
    const record = await gateway.call('GET', `/enterprises/${body.id}`, 'admin:Bank1MSP');
    expect(record.body).toMatchObject({ onboardedByMsp: 'Bank2MSP', identities: [] });
  });

  test('an enterprise whose key was rotated is not onboarded again under its first identity (409)', async () => {
    const body = newcomer('rot');
    const onboarded = await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key: randomUUID(), body });
    expect((await gateway.call('POST', '/me/key-rotations', onboarded.body.apiKey, { key: randomUUID(), body: {} })).status).toBe(201);
    const again = await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key: randomUUID(), body });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_EXISTS' } } });
    expect((await gateway.call('GET', `/enterprises/${body.id}`, 'admin:Bank1MSP')).body.identities).toHaveLength(1);
  });
});

describe('key rotation never leaves the enterprise bound to a key the gateway lost', () => {
  let gateway: FaultyGateway;
  let apiKey: string;
  let id: string;
  beforeEach(async () => {
    gateway = await faultyGateway();
    const body = newcomer(`k${randomUUID().slice(0, 6)}`);
    id = body.id;
    apiKey = (await gateway.call('POST', '/enterprises', 'admin:Bank1MSP', { key: randomUUID(), body })).body.apiKey;
    gateway.faults.forgetCalls();
  }, 60_000);
  afterEach(async () => { await gateway.stop(); });

  const boundIdentities = async () => (await gateway.call('GET', `/enterprises/${id}`, 'admin:Bank1MSP')).body.identities.map((i: { clientId: string }) => i.clientId);

  test('RotateKey committed and the gateway died before switching the API key: the retry (same key) finishes it without a second rotation', async () => {
    const retired = (await gateway.gw.parts.principals.authenticate(apiKey))!.identity;
    gateway.faults.arm('principals.finishRotation', 'before', () => new Crash('after RotateKey'));
    const key = randomUUID();
    expect((await gateway.call('POST', '/me/key-rotations', apiKey, { key, body: {} })).status).toBe(500);
    const [bound] = await boundIdentities();
    expect(bound).not.toBe(retired.clientId);
    // Until the switch, the API key signs with the retired identity: refused.
    expect((await gateway.call('GET', '/me', apiKey)).status).toBe(401);
    const height = await gateway.gw.height();
    const retry = await gateway.call('POST', '/me/key-rotations', apiKey, { key, body: {} });
    expect(retry).toMatchObject({ status: 201, body: { result: { enterpriseId: id, retired: retired.clientId, current: bound } } });
    expect(await gateway.gw.height()).toBe(height);
    expect(await boundIdentities()).toEqual([bound]);
    expect(await gateway.call('GET', '/me', apiKey)).toMatchObject({ status: 200, body: { id } });
  });

  test('…and after a restart the gateway finishes it itself; the retry with the same key gets the same outcome, no second rotation', async () => {
    gateway.faults.arm('principals.finishRotation', 'before', () => new Crash('after RotateKey'));
    const key = randomUUID();
    expect((await gateway.call('POST', '/me/key-rotations', apiKey, { key, body: {} })).status).toBe(500);
    const [bound] = await boundIdentities();
    const dataDir = gateway.gw.dataDir;
    await gateway.stop();
    gateway = await faultyGateway({ dataDir });
    expect(await gateway.call('GET', '/me', apiKey)).toMatchObject({ status: 200, body: { id } });
    const height = await gateway.gw.height();
    const retry = await gateway.call('POST', '/me/key-rotations', apiKey, { key, body: {} });
    expect(retry).toMatchObject({ status: 201, body: { result: { current: bound } } });
    expect(await gateway.gw.height()).toBe(height);
    expect(await boundIdentities()).toEqual([bound]);
  });

  test('the switch done, the gateway died before storing the answer: the retry with the same key is answered, not rotated again', async () => {
    gateway.faults.arm('principals.finishRotation', 'after', () => new Crash('before the answer'));
    const key = randomUUID();
    expect((await gateway.call('POST', '/me/key-rotations', apiKey, { key, body: {} })).status).toBe(500);
    const dataDir = gateway.gw.dataDir;
    await gateway.stop();
    gateway = await faultyGateway({ dataDir });
    const [bound] = await boundIdentities();
    const height = await gateway.gw.height();
    const retry = await gateway.call('POST', '/me/key-rotations', apiKey, { key, body: {} });
    expect(retry).toMatchObject({ status: 201, body: { result: { current: bound } } });
    expect(await gateway.gw.height()).toBe(height);
    // A new key is a new rotation.
    expect((await gateway.call('POST', '/me/key-rotations', apiKey, { key: randomUUID(), body: {} })).status).toBe(201);
    expect(await boundIdentities()).not.toEqual([bound]);
  });

  test('two rotations at once: one wins, the other is 409 CONFLICT, and the API key signs with the winner\'s identity', async () => {
    const answers = await Promise.all([1, 2].map(() => gateway.call('POST', '/me/key-rotations', apiKey, { key: randomUUID(), body: {} })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const won = answers.find((a) => a.status === 201)!;
    expect(answers.find((a) => a.status === 409)!.body.error.code).toBe('CONFLICT');
    expect(await boundIdentities()).toEqual([won.body.result.current]);
    expect((await gateway.gw.parts.principals.authenticate(apiKey))!.identity.clientId).toBe(won.body.result.current);
    expect(await gateway.call('GET', '/me', apiKey)).toMatchObject({ status: 200, body: { id } });
  });

  test('RotateKey refused with 503: a retry with a new key rotates to the identity already enrolled, once', async () => {
    const retired = (await gateway.gw.parts.principals.authenticate(apiKey))!.identity;
    gateway.faults.arm('backend.submit', 'before', unavailable, transactionIs('Identity:RotateKey'));
    expect((await gateway.call('POST', '/me/key-rotations', apiKey, { key: randomUUID(), body: {} })).status).toBe(503);
    expect(await boundIdentities()).toEqual([retired.clientId]);
    const retry = await gateway.call('POST', '/me/key-rotations', apiKey, { key: randomUUID(), body: {} });
    expect(retry.status).toBe(201);
    expect(gateway.faults.count('issuer.issue')).toBe(1);
    expect(await boundIdentities()).toEqual([retry.body.result.current]);
    expect(await gateway.call('GET', '/me', apiKey)).toMatchObject({ status: 200, body: { id } });
  });
});
