import { MAX_OPEN_CALLS, OfflineSigningService, PREPARED_TTL_MS } from '../src/services/offline-signing';
import { randomUUID } from 'crypto';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import type { Principal } from '../src/identity/principals';
import { finishRotations, prepareKeyRotation } from '../src/services/key-rotation';
import { GatewayUnderTest } from './support/gateway-under-test';
import { scfSign } from './support/signer-process';
import { describeSelfCustody } from './support/self-custody-suite';

const TIER1 = 'did:scf:supplier-t1';

/** The stories on the embedded ledger, and what only it shows: expiry by its clock, the engine's own signature check. */

describeSelfCustody('embedded', () => GatewayUnderTest.start(), ({ gateway, alice, sign, strangerSigns }) => {
  test('a prepared call expires; the ledger engine itself refuses a signature the gateway did not check', async () => {
    let now = Date.now();
    const service = new OfflineSigningService(gateway().parts.backend, () => now);
    const principal = (await gateway().parts.principals.authenticate(alice().apiKey))!;
    const prepared = await service.prepare(principal, { transaction: 'Enterprise:WhoAmI', args: [] });
    now += PREPARED_TTL_MS + 1;
    const signature = Buffer.from(await sign(prepared.proposal.digest), 'base64');
    await expect(service.signProposal(principal, prepared.id, signature)).rejects.toMatchObject({ code: 'OFFLINE_CALL_EXPIRED' });
    await expect(service.signProposal(principal, prepared.id, signature)).rejects.toMatchObject({ code: 'OFFLINE_CALL_NOT_FOUND' });
    // Straight to the backend, past the gateway's check: the engine checks the signature too.
    const step = await gateway().parts.backend.offline.prepare({ identity: principal.identity, transaction: 'Enterprise:WhoAmI', args: [] }, false);
    const forged = Buffer.from(await strangerSigns(Buffer.from(step.digest).toString('hex')), 'base64');
    await expect(gateway().parts.backend.offline.evaluateSigned(step, forged)).rejects.toMatchObject({ name: 'SignatureRefused', fault: 'MISMATCH' });
    const genuine = Buffer.from(await sign(Buffer.from(step.digest).toString('hex')), 'base64');
    await expect(gateway().parts.backend.offline.evaluateSigned(step, genuine)).resolves.toMatchObject({ id: TIER1 });
  });

  test('a caller has at most MAX_OPEN_CALLS prepared calls open; expired ones make room', async () => {
    let now = Date.now();
    const service = new OfflineSigningService(gateway().parts.backend, () => now);
    const principal = (await gateway().parts.principals.authenticate(alice().apiKey))!;
    const call = { transaction: 'Enterprise:WhoAmI', args: [] };
    for (let i = 0; i < MAX_OPEN_CALLS; i++) await service.prepare(principal, call);
    await expect(service.prepare(principal, call)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    // Another caller is not held up by hers.
    await expect(service.prepare((await gateway().parts.principals.authenticate(gateway().keys[TIER1]!))!, call)).resolves.toMatchObject({ mode: 'evaluate' });
    now += PREPARED_TTL_MS + 1;
    await expect(service.prepare(principal, call)).resolves.toMatchObject({ mode: 'evaluate' });
  });

  test('a gateway that stops between a self-held rotation\'s commit and the switch of its API keys finishes it at start-up', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scf-dave-'));
    const [old, next] = [path.join(dir, 'dave.pem'), path.join(dir, 'dave-2.pem')];
    await scfSign(['keygen', '--key', old]);
    await scfSign(['keygen', '--key', next]);
    const added = await gateway().call('POST', '/me/users', { as: TIER1, key: randomUUID(),
      body: { login: 'dave', role: 'MAKER', csr: await scfSign(['csr', '--key', old, '--cn', 'supplier-t1.dave']) } });
    const dave = (await gateway().parts.principals.authenticate(added.body.apiKey))! as Extract<Principal, { kind: 'enterprise' }>;
    const service = new OfflineSigningService(gateway().parts.backend);
    const { rotation, call } = await prepareKeyRotation({ ...gateway().parts, offline: service }, dave,
      await scfSign(['csr', '--key', next, '--cn', 'supplier-t1.dave-2']));
    const signed = async (digest: string) => Buffer.from(await scfSign(['sign', '--key', old, digest]), 'base64');
    const endorsed = await service.signProposal(dave, call.id, await signed(call.proposal.digest));
    // The gateway "stops" right after the commit: the switch of the API keys never happens.
    jest.spyOn(gateway().parts.principals, 'finishRotation').mockRejectedValueOnce(new Error('stopped'));
    await expect(service.signTransaction(dave, call.id, await signed((endorsed as { transaction: { digest: string } }).transaction.digest)))
      .rejects.toThrow('stopped');
    expect((await gateway().parts.principals.authenticate(added.body.apiKey))!.identity.clientId).toBe(rotation.retired);
    expect(await finishRotations(gateway().parts)).toBe(1);
    expect((await gateway().parts.principals.authenticate(added.body.apiKey))!.identity).toMatchObject({ custody: 'self', clientId: rotation.current });
  });
});
