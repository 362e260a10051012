import { randomUUID } from 'crypto';
import { OrderingUncertain } from '../src/ledger/ledger-errors';
import { receivableBody } from './support/fixtures';
import { faultyGateway, type FaultyGateway, transactionIs } from './support/faults';

// BFT ordering: the peers' gateway refuses a transaction fewer than a quorum of consenters took, but those that took it
// order it once a quorum is back. The client is answered 503; its retry with the same key must find that transaction
// rather than build a second one.
const uncertain = () => new OrderingUncertain('insufficient number of orderers could successfully process transaction');

describe('a write some orderers may have taken is answered 503 and never built twice', () => {
  let gateway: FaultyGateway;
  beforeEach(async () => {
    gateway = await faultyGateway();
  }, 60_000);
  afterEach(async () => {
    await gateway.stop();
  });

  const issue = (key: string, body: Record<string, unknown>) =>
    gateway.call('POST', '/receivables', 'did:scf:core-a', { key, body });

  test('ordered after all: the retry with the same key is answered with that transaction; the invoice is used once', async () => {
    const body = receivableBody(gateway.gw);
    gateway.faults.arm('backend.submit', 'after', uncertain, transactionIs('Receivable:Issue'));
    const key = randomUUID();
    const height = await gateway.gw.height();
    const first = await issue(key, body);
    expect(first).toMatchObject({ status: 503, body: { error: { code: 'LEDGER_UNAVAILABLE' } } });
    expect(await gateway.gw.height()).toBe(height + 1);
    const retry = await issue(key, body);
    expect(retry).toMatchObject({ status: 201, body: { result: { faceAmount: body.faceAmount } } });
    expect(await gateway.gw.height()).toBe(height + 1);
    expect(gateway.faults.count('backend.submit')).toBe(1);
    expect(await issue(randomUUID(), body)).toMatchObject({
      status: 409,
      body: { error: { code: 'INVOICE_ALREADY_USED' } },
    });
  });

  test('never ordered: once the transaction can no longer commit, the retry builds it and it commits once', async () => {
    const body = receivableBody(gateway.gw);
    gateway.faults.arm('backend.submit', 'before', uncertain, transactionIs('Receivable:Issue'));
    const key = randomUUID();
    expect(await issue(key, body)).toMatchObject({ status: 503, body: { error: { code: 'LEDGER_UNAVAILABLE' } } });
    // The embedded ledger orders at once: a transaction it does not hold is an orphan already.
    const retry = await issue(key, body);
    expect(retry.status).toBe(201);
    expect(gateway.faults.count('backend.submit')).toBe(2);
  });
});
