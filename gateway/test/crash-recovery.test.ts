import { type ChildProcess, spawn } from 'child_process';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { sha } from './support/fixtures';

const ROOT = path.resolve(__dirname, '../..');

/** The gateway as `npm start` runs it, in its own process, so the test can SIGKILL it. */
async function startGateway(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, SCF_DATA_DIR: dataDir, SCF_STORE: 'off', PORT: String(port), CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING' }, stdio: 'ignore',
  });
  for (let i = 0; i < 150; i++) {
    if (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the gateway did not start');
}

const MAIN = path.join(ROOT, 'gateway/dist/main.js');

describe('a gateway killed (SIGKILL) in the middle of a load run', () => {
  beforeAll(() => {
    // `npm test` builds before jest runs; a bare jest run needs the same.
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm test does)`);
  });

  test('clients retrying with their idempotency keys after the restart never apply anything twice', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'scf-crash-'));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const url = `http://127.0.0.1:${port}`;
    let gateway = await startGateway(dataDir, port);
    const keys = JSON.parse(readFileSync(path.join(dataDir, 'demo-keys.json'), 'utf8')) as Record<string, string>;
    const requests = Array.from({ length: 60 }, (_, i) => ({
      key: `crash-${i}`,
      body: {
        creditorId: 'did:scf:supplier-t1', faceAmount: String(10_000 + i), currency: 'CNY', dueDate: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
        invoiceHash: sha(`invoice ${i}`), contractHash: sha('contract'), creditLineId: keys.creditLineId,
        invoice: { invoiceCode: '3100231130', invoiceNumber: String(70_000 + i).padStart(8, '0'), sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' },
      },
    }));
    const send = (request: (typeof requests)[number]) => fetch(`${url}/receivables`, {
      method: 'POST', body: JSON.stringify(request.body),
      headers: { authorization: `Bearer ${keys['did:scf:core-a']}`, 'content-type': 'application/json', 'idempotency-key': request.key },
    }).then(async (r) => ({ status: r.status, body: await r.json() as any }), () => ({ status: 0, body: undefined }));

    // Load, and a SIGKILL once some requests have been acknowledged and others are in flight.
    const acknowledged = new Map<string, string>();
    const first = requests.map(async (request, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 15));
      const answer = await send(request);
      if (answer.status === 201) acknowledged.set(request.key, answer.body.txId);
    });
    while (acknowledged.size < 10) await new Promise((resolve) => setTimeout(resolve, 5));
    gateway.kill('SIGKILL');
    await Promise.all(first);
    expect(acknowledged.size).toBeLessThan(requests.length);

    gateway = await startGateway(dataDir, port);
    try {
      // Every client retries with its key until it has an answer; pending (202) and lost MVCC
      // races on the shared credit line (409 CONFLICT) are worth retrying.
      const retryable = (answer: { status: number; body: any }) => answer.status === 202 || answer.body?.error?.code === 'CONFLICT';
      const finals = await Promise.all(requests.map(async (request) => {
        let answer = await send(request);
        for (let i = 0; retryable(answer) && i < 50; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          answer = await send(request);
        }
        return { request, answer };
      }));
      for (const { request, answer } of finals) {
        expect({ key: request.key, status: answer.status, code: answer.body?.error?.code }).toEqual({ key: request.key, status: 201, code: undefined });
        if (acknowledged.has(request.key)) expect(answer.body.txId).toBe(acknowledged.get(request.key));
      }
      const owed = await fetch(`${url}/enterprises/did:scf:core-a/receivables/owed?pageSize=200`, { headers: { authorization: `Bearer ${keys['did:scf:core-a']}` } })
        .then((r) => r.json() as Promise<{ items: { faceAmount: string }[] }>);
      // Exactly one receivable per request: none lost, none twice.
      expect(owed.items.map((r) => r.faceAmount).sort()).toEqual(requests.map((r) => r.body.faceAmount).sort());
    } finally {
      gateway.kill('SIGTERM');
    }
  }, 120_000);
});
