import { LocalCertificateAuthority } from '@scf/chaincode/engine';
import { sql } from 'kysely';
import type { Principal } from '../src/identity/principals';
import { ContentionError } from '../src/ledger/ledger-errors';
import { openStore, type StoreConnection } from '../src/store/connection';
import { migrate } from '../src/store/schema';
import { SharedIdempotency } from '../src/store/shared-idempotency';
import { SharedPrincipalRegistry } from '../src/store/shared-principals';
import { SharedReminderLog } from '../src/store/shared-reminders';
import { pgInstalled, startStoreServer } from './support/store-server';

/**
 * The state gateways share in a PostgreSQL server, each store against a real server, as two
 * gateways see it: two connection pools (A and B) on one database, as two processes have.
 */
const RUN = pgInstalled() ? describe : describe.skip;
if (!pgInstalled()) console.log('SKIPPED: the shared gateway state — PostgreSQL is not installed (apt-get install postgresql)');

RUN('the state gateways share in PostgreSQL', () => {
  let server: { url: string; stop: () => void };
  let a: StoreConnection;
  let b: StoreConnection;
  const enterprise = async (id: string, commonName = id): Promise<Extract<Principal, { kind: 'enterprise' }>> =>
    ({ kind: 'enterprise', enterpriseId: id, roles: ['SUPPLIER'], identity: await ca.issue({ commonName }) });
  let ca: LocalCertificateAuthority;

  beforeAll(async () => {
    server = startStoreServer(35_000 + (process.pid % 450));
    [a, b] = [await openStore({ kind: 'server', url: server.url }), await openStore({ kind: 'server', url: server.url })];
    ca = await LocalCertificateAuthority.create('Bank1MSP');
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    server?.stop();
  });

  test('two gateways starting together both create the schema (one at a time), and again changes nothing', async () => {
    await Promise.all([migrate(a.db), migrate(b.db), migrate(a.db)]);
    await migrate(b.db);
    const tables = await sql<{ n: string }>`select count(*) as n from information_schema.tables where table_name like 'gateway_%'`.execute(a.db);
    expect(Number(tables.rows[0]!.n)).toBe(5);
  });

  describe('API keys and principals', () => {
    let onA: SharedPrincipalRegistry;
    let onB: SharedPrincipalRegistry;
    beforeAll(() => {
      [onA, onB] = [new SharedPrincipalRegistry(a.db), new SharedPrincipalRegistry(b.db)];
    });

    test('keys issued at once on A all work on B; an unknown key works nowhere', async () => {
      expect(await onB.isEmpty()).toBe(true);
      const principals = await Promise.all(Array.from({ length: 40 }, (_, i) => enterprise(`did:scf:e-${i}`)));
      const keys = await Promise.all(principals.map((p) => onA.issueKey(p)));
      const found = await Promise.all(keys.map((key) => onB.authenticate(key)));
      expect(found).toEqual(principals);
      expect(await onB.authenticate('scf_unknown')).toBeUndefined();
      expect(await onB.isEmpty()).toBe(false);
      expect((await onB.enterprises()).map((p) => p.enterpriseId)).toEqual(principals.map((p) => p.enterpriseId).sort());
    });

    test('a key revoked on A is refused by B at once; the principal\'s other key keeps working', async () => {
      const principal = await enterprise('did:scf:revoker');
      const [kept, revoked] = [await onA.issueKey(principal), await onA.issueIdentifiedKey(principal)];
      expect(await onB.authenticate(revoked.apiKey)).toEqual(principal);
      expect(await onA.revoke(revoked.apiKey)).toBe(true);
      expect(await onB.authenticate(revoked.apiKey)).toBeUndefined();
      expect(await onB.revoke(revoked.apiKey)).toBe(false);
      expect(await onB.authenticate(kept)).toEqual(principal);
      // By id: only the identity's own key of that id.
      const other = await onA.issueIdentifiedKey(principal);
      expect(await onB.keysOf(principal.identity)).toHaveLength(2);
      expect(await onB.revokeById((await enterprise('did:scf:stranger')).identity, other.keyId)).toBe(false);
      expect(await onB.revokeById(principal.identity, other.keyId)).toBe(true);
      expect(await onA.authenticate(other.apiKey)).toBeUndefined();
      expect(await onA.keysOf(principal.identity)).toHaveLength(1);
    });

    test('admins are found by organisation', async () => {
      const admin = await ca.issue({ commonName: 'admin.bank1', type: 'admin' });
      expect(await onB.hasAdmin('Bank1MSP')).toBe(false);
      await onA.issueKey({ kind: 'admin', mspId: 'Bank1MSP', identity: admin });
      expect(await onB.hasAdmin('Bank1MSP')).toBe(true);
      expect(await onB.hasAdmin('Bank2MSP')).toBe(false);
    });

    test('a rotation noted on A is seen by B; finished, every key of the old identity signs with the new one, custody moves', async () => {
      const principal = await enterprise('did:scf:rotator', 'rotator-1');
      const next = await ca.issue({ commonName: 'rotator-2' });
      const [first, second] = [await onA.issueKey(principal), await onA.issueKey(principal)];
      const rotation = { enterpriseId: principal.enterpriseId, retired: principal.identity, next };
      await onA.noteRotation(rotation);
      expect(await onB.unfinishedRotations()).toEqual([rotation]);
      const outcome = { txId: 'tx-rotate', blockNumber: 7, result: { current: next.clientId }, attempts: 1 };
      await onA.finishRotation(rotation, outcome);
      expect(await onB.unfinishedRotations()).toEqual([]);
      expect(await onB.rotationOf(principal.identity)).toEqual({ ...rotation, outcome });
      expect(await onB.rotationOf(next)).toEqual({ ...rotation, outcome });
      for (const key of [first, second]) expect((await onB.authenticate(key))?.identity).toEqual(next);
      expect(await onB.inCustody(principal.identity.mspId, principal.identity.clientId)).toBeUndefined();
      expect(await onB.inCustody(next.mspId, next.clientId)).toEqual({ ...principal, identity: next });
      expect(await onB.keysOf(next)).toHaveLength(2);
    });

    test('two gateways rotating one identity at once: the second rotation is refused, so the first one\'s new identity is never lost', async () => {
      const principal = await enterprise('did:scf:racer', 'racer-1');
      const [onAs, onBs] = [await ca.issue({ commonName: 'racer-a' }), await ca.issue({ commonName: 'racer-b' })];
      const fromA = { enterpriseId: principal.enterpriseId, retired: principal.identity, next: onAs };
      await onA.noteRotation(fromA);
      await expect(onB.noteRotation({ ...fromA, next: onBs })).rejects.toThrow(ContentionError);
      // The same rotation goes on (its transaction noted), and another user of the enterprise rotates meanwhile:
      // each user's rotation is its own record, so neither replaces the other's (and its new key).
      await onA.noteRotation({ ...fromA, txId: 'tx-racer' });
      expect(await onB.rotationOf(principal.identity)).toEqual({ ...fromA, txId: 'tx-racer' });
      const otherUser = { enterpriseId: principal.enterpriseId, retired: await ca.issue({ commonName: 'racer-user' }), next: onBs };
      await onB.noteRotation(otherUser);
      expect(await onA.rotationOf(otherUser.retired)).toEqual(otherUser);
      expect(await onA.rotationOf(principal.identity)).toEqual({ ...fromA, txId: 'tx-racer' });
      expect(await onA.unfinishedRotations()).toEqual(expect.arrayContaining([otherUser, { ...fromA, txId: 'tx-racer' }]));
    });

    test('a user whose last key was revoked stays in custody, so an admin can give it a new key', async () => {
      const user = await enterprise('did:scf:custody', 'custody-user');
      const key = await onA.issueKey(user);
      await onA.revoke(key);
      expect(await onB.inCustody(user.identity.mspId, user.identity.clientId)).toEqual(user);
    });

    test("a recovery's identity kept on A is in custody on B, and B withdraws the keys of the identities it unbound", async () => {
      const [old, other] = [await enterprise('did:scf:recovered', 'recovered-old'), await enterprise('did:scf:bystander')];
      const recovered = { ...old, identity: await ca.issue({ commonName: 'recovered-new' }) };
      const [oldKey, otherKey] = [await onA.issueKey(old), await onA.issueKey(other)];
      await onA.keep(recovered);
      expect(await onB.inCustody(recovered.identity.mspId, recovered.identity.clientId)).toEqual(recovered);
      const newKey = await onB.issueKey(recovered);
      expect(await onB.revokeAllBut('did:scf:recovered', [recovered.identity])).toBe(1);
      expect(await onA.authenticate(oldKey)).toBeUndefined();
      expect(await onA.authenticate(newKey)).toEqual(recovered);
      expect(await onA.authenticate(otherKey)).toEqual(other);
      expect(await onB.revokeAllBut('did:scf:recovered', [recovered.identity])).toBe(0);
    });
  });

  describe('idempotency records', () => {
    let onA: SharedIdempotency;
    let onB: SharedIdempotency;
    beforeAll(() => {
      [onA, onB] = [new SharedIdempotency(a.db), new SharedIdempotency(b.db)];
    });
    const answer = { fingerprint: 'f', status: 201, body: { txId: 'tx-1', blockNumber: 3, result: { z: 1, a: 2 } } };

    test('of the same key claimed on both at once, exactly one gateway holds it, every round', async () => {
      for (let round = 0; round < 30; round++) {
        const claims = await Promise.all([onA.claim('did:scf:core-a', `k-${round}`), onB.claim('did:scf:core-a', `k-${round}`),
          onA.claim('did:scf:core-a', `k-${round}`), onB.claim('did:scf:core-a', `k-${round}`)]);
        const held = claims.filter((claim) => claim !== undefined);
        expect(held).toHaveLength(1);
        await held[0]!.release();
      }
    });

    test('a saved answer is replayed from the other gateway, in its own key order; the key is scoped by caller', async () => {
      const claim = (await onA.claim('did:scf:core-a', 'answered'))!;
      expect(claim.stored).toBeUndefined();
      expect(await onB.claim('did:scf:core-a', 'answered')).toBeUndefined();
      await claim.save(answer);
      await claim.release();
      const replay = (await onB.claim('did:scf:core-a', 'answered'))!;
      expect(JSON.stringify(replay.stored)).toBe(JSON.stringify(answer));
      await replay.release();
      const otherCaller = (await onB.claim('did:scf:supplier-t1', 'answered'))!;
      expect(otherCaller.stored).toBeUndefined();
      await otherCaller.release();
    });

    test('a forgotten outcome frees the key for a fresh run', async () => {
      const claim = (await onA.claim('did:scf:core-a', 'refused'))!;
      await claim.save({ fingerprint: 'f', pending: { txId: 'tx-2', status: 201, result: null, since: Date.now() } });
      await claim.forget();
      await claim.release();
      const again = (await onB.claim('did:scf:core-a', 'refused'))!;
      expect(again.stored).toBeUndefined();
      await again.release();
    });

    test('a gateway that dies holding a key lets go when its lease ends: the next claimant finds its noted transaction', async () => {
      const doomed = await openStore({ kind: 'server', url: server.url });
      const pending = { fingerprint: 'f', pending: { txId: 'tx-noted', status: 201, result: { id: 'x' }, since: Date.now() } };
      const claim = (await new SharedIdempotency(doomed.db, 500).claim('did:scf:core-a', 'crash'))!;
      await claim.save(pending);
      await doomed.close(); // the gateway dies: no release, no renewal
      expect(await onB.claim('did:scf:core-a', 'crash')).toBeUndefined();
      let taken;
      for (let tries = 0; tries < 100 && !taken; tries++) {
        taken = await onB.claim('did:scf:core-a', 'crash');
        if (!taken) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(taken?.stored).toEqual(pending);
      await taken!.release();
    });

    test('a claim held past its lease (a stalled gateway) writes nothing once another request took the key', async () => {
      const stalled = (await onA.claim('did:scf:core-a', 'stalled'))!;
      await sql`update gateway_idempotency set claimed_until = now() - interval '1 second' where key = 'stalled'`.execute(a.db);
      const taker = (await onB.claim('did:scf:core-a', 'stalled'))!;
      await expect(stalled.save(answer)).rejects.toThrow(/lapsed/);
      await stalled.release();
      expect(await onA.claim('did:scf:core-a', 'stalled')).toBeUndefined();
      await taker.save(answer);
      await taker.release();
      expect((await onA.claim('did:scf:core-a', 'stalled'))?.stored).toEqual(answer);
    });
  });

  test('reminders claimed by two gateways at once are each sent by one', async () => {
    const [onA, onB] = [new SharedReminderLog(a.db), new SharedReminderLog(b.db)];
    const keys = Array.from({ length: 50 }, (_, i) => `did:scf:core-a/rcv_${i}/ReceivableDueSoon/7`);
    const [fromA, fromB] = await Promise.all([onA.claim(keys), onB.claim([...keys].reverse())]);
    expect([...fromA, ...fromB].sort()).toEqual([...keys].sort());
    expect(await onA.claim(keys)).toEqual(new Set());
  });
});
