import { createHmac, randomUUID } from 'crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';
import { GatewayUnderTest } from './support/gateway-under-test';
import { sha } from './support/fixtures';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly path: string;
}

/** A subscriber's endpoint: records every POST; answers 500 to the first `failures` of a given delivery type. */
class Receiver {
  readonly received: Received[] = [];
  failNext = new Map<string, number>();
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        receiver.received.push({ headers: req.headers, body, path: req.url ?? '' });
        const type = String(req.headers['x-scf-event']);
        const failures = receiver.failNext.get(type) ?? 0;
        if (failures > 0) receiver.failNext.set(type, failures - 1);
        res.writeHead(failures > 0 ? 500 : 204).end();
      });
    });
    const receiver = new Receiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  to(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Waits until `done` holds for what has arrived (the deliverer runs on its own timer). */
  async until(done: () => boolean): Promise<void> {
    for (let i = 0; i < 600 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done()).toBe(true);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const verify = (secret: string, received: Received): boolean => {
  const [t, v1] = String(received.headers['x-scf-signature']).split(',').map((part) => part.split('=')[1]);
  return createHmac('sha256', secret).update(`${t}.${received.body}`).digest('hex') === v1;
};

/**
 * Webhooks over real HTTP on the embedded ledger: each enterprise's endpoint receives the
 * events it may see (their projection), signed, from an outbox written with the event; a
 * failed delivery is retried and logged, and can be replayed.
 */
describe('webhooks', () => {
  let gw: GatewayUnderTest;
  let receiver: Receiver;
  const secrets: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const ok = async (as: string, url: string, body: object): Promise<any> => {
    const answer = await gw.call('POST', url, { as, key: randomUUID(), body });
    expect({ url, status: answer.status, error: answer.body?.error }).toMatchObject({ url, status: expect.any(Number), error: undefined });
    return answer.body;
  };

  beforeAll(async () => {
    receiver = await Receiver.start();
    gw = await GatewayUnderTest.start({ env: { SCF_STORE: 'embedded', SCF_WEBHOOK_ALLOW_HTTP: 'true', SCF_WEBHOOK_INTERVAL_MS: '50',
      SCF_WEBHOOK_RETRY_MS: '100', SCF_WEBHOOK_MAX_ATTEMPTS: '3' } });
    // An auditor subscribes too: a subscription is the gateway's own state, not a write to the ledger.
    for (const who of ['supplier-t2', 'supplier-t3', 'auditor']) {
      const created = await ok(`did:scf:${who}`, '/webhooks', { url: receiver.url(`/${who}`) });
      expect(created).toMatchObject({ enterpriseId: `did:scf:${who}`, active: true, eventTypes: [], secret: expect.stringMatching(/^whsec_/) });
      secrets[who] = created.secret;
      ids[who] = created.id;
    }
  }, 120_000);
  afterAll(async () => {
    await gw?.stop();
    await receiver?.stop();
  });

  test('an endpoint receives, signed, only what its enterprise may read of each event', async () => {
    const issued = await ok('did:scf:core-a', '/receivables', { creditorId: 'did:scf:supplier-t1', faceAmount: '1000000', currency: 'CNY',
      dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10), invoiceHash: sha('webhooks'), contractHash: sha('contract'),
      creditLineId: gw.keys.creditLineId, invoice: { invoiceCode: '3100231130', invoiceNumber: '00090001',
        sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' } });
    const root = (await ok('did:scf:supplier-t1', `/receivables/${issued.result.id}/accept`, {})).result.certificate.id;
    const part = (await ok('did:scf:supplier-t1', `/certificates/${root}/offer`, { to: 'did:scf:supplier-t2', amount: '400000',
      expiresAt: new Date(Date.now() + 3600_000).toISOString() })).result;
    ids.offered = part.offered.id;
    await receiver.until(() => receiver.to('/supplier-t2').length >= 1);
    const [offered] = receiver.to('/supplier-t2');
    expect(verify(secrets['supplier-t2']!, offered!)).toBe(true);
    expect(verify(secrets['supplier-t3']!, offered!)).toBe(false);
    const delivery = JSON.parse(offered!.body);
    expect(delivery).toMatchObject({ type: 'TransferOffered', payload: { parties: ['did:scf:supplier-t2'] } });
    // The offered piece, never the remainder supplier-t1 keeps.
    expect(delivery.payload.certificates.map((c: { id: string }) => c.id)).toEqual([part.offered.id]);
    expect(offered!.headers['x-scf-delivery']).toBe(delivery.id);
    // Nothing of the issue and the acceptance was supplier-t2's, and nothing at all is supplier-t3's.
    expect(receiver.to('/supplier-t2').map((r) => r.headers['x-scf-event'])).toEqual(['TransferOffered']);
    expect(receiver.to('/supplier-t3')).toEqual([]);
    // Oversight reads every event whole: the split piece and the remainder too.
    await receiver.until(() => receiver.to('/auditor').some((r) => r.headers['x-scf-event'] === 'TransferOffered'));
    const audited = JSON.parse(receiver.to('/auditor').find((r) => r.headers['x-scf-event'] === 'TransferOffered')!.body);
    expect(audited.payload.certificates.map((c: { id: string }) => c.id).sort()).toEqual([root, part.offered.id, part.remainder.id].sort());
  });

  test('a failed delivery is retried until it is answered 2xx, each attempt logged; a replay sends it again', async () => {
    receiver.failNext.set('TransferAccepted', 1);
    await ok('did:scf:supplier-t2', `/certificates/${ids.offered}/offer/accept`, {});
    await receiver.until(() => receiver.to('/supplier-t2').filter((r) => r.headers['x-scf-event'] === 'TransferAccepted').length === 2);
    const attempts = receiver.to('/supplier-t2').filter((r) => r.headers['x-scf-event'] === 'TransferAccepted');
    expect(new Set(attempts.map((r) => r.headers['x-scf-delivery'])).size).toBe(1);
    const log = await gw.call('GET', `/webhooks/${ids['supplier-t2']}/deliveries`, { as: 'did:scf:supplier-t2' });
    const accepted = log.body.items.find((d: { type: string }) => d.type === 'TransferAccepted');
    expect(accepted).toMatchObject({ deliveredAt: expect.any(String), failedAt: null,
      attempts: [{ attempt: 1, status: 500, error: 'answered 500' }, { attempt: 2, status: 204, error: null }] });
    // The log and the replay are the subscriber's own.
    expect(await gw.call('GET', `/webhooks/${ids['supplier-t2']}/deliveries`, { as: 'did:scf:supplier-t3' })).toMatchObject({ status: 404 });
    expect(await gw.call('POST', `/webhooks/${ids['supplier-t2']}/deliveries/${accepted.outboxId}/replay`, { as: 'did:scf:supplier-t3', key: randomUUID(), body: {} }))
      .toMatchObject({ status: 404 });
    await ok('did:scf:supplier-t2', `/webhooks/${ids['supplier-t2']}/deliveries/${accepted.outboxId}/replay`, {});
    await receiver.until(() => receiver.to('/supplier-t2').filter((r) => r.headers['x-scf-event'] === 'TransferAccepted').length === 3);
  });

  test('subscriptions are enterprises\' own, refused bad input, and a disabled one receives nothing more', async () => {
    expect(await gw.call('POST', '/webhooks', { as: 'admin:Bank1MSP', key: randomUUID(), body: { url: receiver.url('/admin') } })).toMatchObject({ status: 403 });
    for (const body of [{ url: 'ftp://example.org/x' }, { url: 'not a url' }, { url: receiver.url('/x'), eventTypes: ['lower'] }, { url: receiver.url('/x'), extra: 1 }]) {
      expect(await gw.call('POST', '/webhooks', { as: 'did:scf:supplier-t3', key: randomUUID(), body })).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    }
    const list = await gw.call('GET', '/webhooks', { as: 'did:scf:supplier-t3' });
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual([ids['supplier-t3']]);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    await ok('did:scf:supplier-t2', `/webhooks/${ids['supplier-t2']}/disable`, {});
    const before = receiver.to('/supplier-t2').length;
    // supplier-t2 offers its piece to supplier-t3: t3's endpoint hears of it, t2's (disabled) does not.
    await ok('did:scf:supplier-t2', `/certificates/${ids.offered}/offer`, { to: 'did:scf:supplier-t3', amount: '400000',
      expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    await receiver.until(() => receiver.to('/supplier-t3').length === 1);
    expect(receiver.to('/supplier-t2')).toHaveLength(before);
  });
});
