import { mkdtempSync, writeFileSync } from 'fs';
import { createServer, type AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { toHttpError } from '../src/http/http-error';
import { FabricCaClient } from '../src/identity/fabric-ca-client';

/** A port that was just free: nothing listens on it once the probe closes. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a bank CA that cannot be reached', () => {
  test('is answered 503 CA_UNAVAILABLE (retry), never 500', async () => {
    // No TLS root is needed: the connection is refused before TLS starts.
    const tlsRootCertPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'scf-ca-')), 'tls-root.pem');
    writeFileSync(tlsRootCertPath, '');
    const client = new FabricCaClient({
      mspId: 'Bank1MSP',
      url: `https://127.0.0.1:${await closedPort()}`,
      caName: 'ca-bank1',
      tlsRootCertPath,
      registrar: { enrollmentId: 'admin', enrollmentSecret: 'adminpw' },
    });
    const refused = await client.register('supplier-x', {}).then(() => undefined, (error: unknown) => error);
    expect(toHttpError(refused)).toMatchObject({ status: 503, code: 'CA_UNAVAILABLE' });
  });
});
