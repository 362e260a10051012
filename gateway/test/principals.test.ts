import { LocalCertificateAuthority } from '@scf/chaincode/engine';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { PrincipalRegistry } from '../src/identity/principals';

describe('the API key registry', () => {
  test('keys issued concurrently are all saved and all work after a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scf-keys-'));
    const ca = await LocalCertificateAuthority.create('Bank1MSP');
    const identity = await ca.issue({ commonName: 'someone' });
    const registry = await PrincipalRegistry.open(dir);
    const keys = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      registry.issueKey({ kind: 'enterprise', enterpriseId: `did:scf:e-${i}`, roles: ['SUPPLIER'], identity })));
    const reopened = await PrincipalRegistry.open(dir);
    expect(keys.map((key) => reopened.authenticate(key))).toEqual(keys.map((_, i) => expect.objectContaining({ enterpriseId: `did:scf:e-${i}` })));
  });
});
