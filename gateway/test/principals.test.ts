import { LocalCertificateAuthority } from '@scf/chaincode/engine';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { FilePrincipalRegistry } from '../src/identity/principals';

describe('the API key registry', () => {
  test('keys issued concurrently are all saved and all work after a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scf-keys-'));
    const ca = await LocalCertificateAuthority.create('Bank1MSP');
    const identity = await ca.issue({ commonName: 'someone' });
    const registry = await FilePrincipalRegistry.open(dir);
    const keys = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      registry.issueKey({ kind: 'enterprise', enterpriseId: `did:scf:e-${i}`, roles: ['SUPPLIER'], identity })));
    const reopened = await FilePrincipalRegistry.open(dir);
    expect(await Promise.all(keys.map((key) => reopened.authenticate(key)))).toEqual(keys.map((_, i) => expect.objectContaining({ enterpriseId: `did:scf:e-${i}` })));
  });

  test('a revoked key and an unknown key are refused; the others, and a rotated identity, survive a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scf-keys-'));
    const ca = await LocalCertificateAuthority.create('Bank1MSP');
    const [old, rotated] = [await ca.issue({ commonName: 'old' }), await ca.issue({ commonName: 'rotated' })];
    const registry = await FilePrincipalRegistry.open(dir);
    const principal = { kind: 'enterprise' as const, enterpriseId: 'did:scf:e', roles: ['SUPPLIER'], identity: old };
    const [kept, revoked] = [await registry.issueKey(principal), await registry.issueKey(principal)];
    expect(await registry.revoke(revoked)).toBe(true);
    expect(await registry.revoke(revoked)).toBe(false);
    await registry.replaceIdentity(old, rotated);
    const reopened = await FilePrincipalRegistry.open(dir);
    expect(await reopened.authenticate(revoked)).toBeUndefined();
    expect(await reopened.authenticate('scf_unknown')).toBeUndefined();
    expect((await reopened.authenticate(kept))?.identity.clientId).toBe(rotated.clientId);
  });

  test("two users of one enterprise rotating at once keep a rotation each: neither replaces the other's new key", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scf-keys-'));
    const ca = await LocalCertificateAuthority.create('Bank1MSP');
    const [x, xNext, y, yNext] = [await ca.issue({ commonName: 'x' }), await ca.issue({ commonName: 'x2' }),
      await ca.issue({ commonName: 'y' }), await ca.issue({ commonName: 'y2' })];
    const registry = await FilePrincipalRegistry.open(dir);
    const ofX = { enterpriseId: 'did:scf:e', retired: x, next: xNext };
    const ofY = { enterpriseId: 'did:scf:e', retired: y, next: yNext };
    await registry.noteRotation(ofX);
    await registry.noteRotation(ofY);
    const outcome = { txId: 'tx-x', blockNumber: 3, result: {}, attempts: 1 };
    await registry.finishRotation(ofX, outcome);
    const reopened = await FilePrincipalRegistry.open(dir);
    expect(await reopened.unfinishedRotations()).toEqual([ofY]);
    expect(await reopened.rotationOf(x)).toEqual({ ...ofX, outcome });
    expect(await reopened.rotationOf(xNext)).toEqual({ ...ofX, outcome });
    expect(await reopened.rotationOf(yNext)).toEqual(ofY);
  });
});
