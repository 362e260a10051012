import { randomUUID } from 'crypto';
import { GatewayUnderTest } from './support/gateway-under-test';
import { sha } from './support/fixtures';
import { csvField } from '../src/http/statement-csv';

const DAY = 86_400_000;

/**
 * The cash leg over HTTP on the embedded ledger: core-a pays a receivable that supplier-t1
 * split with supplier-t2; bank-one (whose line it used) confirms the money arrived, then
 * each payee (or its bank's admin) confirms its payout.
 */
describe('the cash leg over HTTP', () => {
  let gw: GatewayUnderTest;
  let settlementId = '';
  let kept = '';
  let passed = '';
  const start = new Date(Date.now() - 60_000).toISOString();
  let clockFaked = false;
  /** Each write a second after the last: with the clock faked, Date stands still unless moved. */
  const write = async (as: string, url: string, body: object) => {
    if (clockFaked) jest.setSystemTime(Date.now() + 1000);
    return gw.call('POST', url, { as, key: randomUUID(), body });
  };
  const ok = async (as: string, url: string, body: object): Promise<any> => {
    const answer = await write(as, url, body);
    expect({ url, status: answer.status, error: answer.body?.error }).toMatchObject({ url, status: expect.any(Number), error: undefined });
    return answer.body.result;
  };

  beforeAll(async () => {
    gw = await GatewayUnderTest.start();
    const receivable = await ok('did:scf:core-a', '/receivables', {
      creditorId: 'did:scf:supplier-t1', faceAmount: '1000000', currency: 'CNY', dueDate: new Date(Date.now() + DAY).toISOString().slice(0, 10),
      invoiceHash: sha('cash-leg'), contractHash: sha('contract'), creditLineId: gw.keys.creditLineId,
      invoice: { invoiceCode: '3100231130', invoiceNumber: '00070001', sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' } });
    const root = (await ok('did:scf:supplier-t1', `/receivables/${receivable.id}/accept`, {})).certificate.id;
    const part = await ok('did:scf:supplier-t1', `/certificates/${root}/offer`, { to: 'did:scf:supplier-t2', amount: '400000', expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    await ok('did:scf:supplier-t2', `/certificates/${part.offered.id}/offer/accept`, {});
    [kept, passed] = [part.remainder.id, part.offered.id];
    // Maturity: only Date moves (the embedded engine's clock), so the debtor may pay.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'] });
    jest.setSystemTime(Date.now() + 2 * DAY);
    clockFaked = true;
    settlementId = (await ok('did:scf:core-a', `/receivables/${receivable.id}/payments`, { amount: '1000000', paymentRef: 'CNAPS-CASH', pageSize: 10 })).settlement.id;
  }, 60_000);
  afterAll(async () => {
    jest.useRealTimers();
    await gw.stop();
  });

  test('no payout is confirmed before the collecting bank confirms the payment; only that bank confirms it, once', async () => {
    const early = await write('did:scf:supplier-t2', `/settlements/${settlementId}/payouts/${passed}/confirmation`, { receiptRef: 'T2-1' });
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'PAYMENT_UNCONFIRMED' } } });
    expect(await write('did:scf:core-a', `/settlements/${settlementId}/payment/confirmation`, { receiptRef: 'SELF' })).toMatchObject({ status: 403 });
    expect(await write('did:scf:bank-one', `/settlements/${settlementId}/payment/confirmation`, { receiptRef: 'bad ref!' }))
      .toMatchObject({ status: 400 });
    const confirmed = await ok('did:scf:bank-one', `/settlements/${settlementId}/payment/confirmation`, { receiptRef: 'B1-RCPT-9' });
    expect(confirmed).toMatchObject({ collectingBankId: 'did:scf:bank-one', payment: { status: 'CONFIRMED', receipt: { by: 'did:scf:bank-one', ref: 'B1-RCPT-9' } } });
    expect(await write('did:scf:bank-one', `/settlements/${settlementId}/payment/confirmation`, { receiptRef: 'B1-RCPT-10' }))
      .toMatchObject({ status: 409, body: { error: { code: 'ALREADY_CONFIRMED' } } });
  });

  test('each payee confirms its payout once; its bank\'s admin may confirm for it; the settlement then reads COMPLETED', async () => {
    expect(await write('did:scf:supplier-t1', `/settlements/${settlementId}/payouts/${passed}/confirmation`, { receiptRef: 'NOT-MINE' }))
      .toMatchObject({ status: 403 });
    expect(await ok('did:scf:supplier-t2', `/settlements/${settlementId}/payouts/${passed}/confirmation`, { receiptRef: 'T2-RCPT' }))
      .toMatchObject({ status: 'PAID', amount: '400000', receipt: { by: 'did:scf:supplier-t2', ref: 'T2-RCPT' } });
    expect(await write('did:scf:supplier-t2', `/settlements/${settlementId}/payouts/${passed}/confirmation`, { receiptRef: 'T2-AGAIN' }))
      .toMatchObject({ status: 409, body: { error: { code: 'ALREADY_CONFIRMED' } } });
    expect((await gw.call('GET', `/settlements/${settlementId}`, { as: 'did:scf:core-a' })).body.settlement.status).toBe('CLEARED');
    // supplier-t1 was onboarded by Bank1MSP: Bank2MSP's admin may not confirm for it, Bank1MSP's may.
    expect(await write('admin:Bank2MSP', `/settlements/${settlementId}/payouts/${kept}/confirmation`, { receiptRef: 'ADM-2' })).toMatchObject({ status: 403 });
    expect(await ok('admin:Bank1MSP', `/settlements/${settlementId}/payouts/${kept}/confirmation`, { receiptRef: 'ADM-1' }))
      .toMatchObject({ status: 'PAID', receipt: { by: 'msp:Bank1MSP', ref: 'ADM-1' } });
    const view = (await gw.call('GET', `/settlements/${settlementId}`, { as: 'did:scf:core-a' })).body;
    expect(view.settlement.status).toBe('COMPLETED');
    expect(view.payouts.map((p: { status: string }) => p.status)).toEqual(['PAID', 'PAID']);
  });
  test('the statement: JSON and CSV, each line naming its transaction, closing at what the enterprise holds', async () => {
    const end = new Date(Date.now() + 60_000).toISOString();
    const url = `/enterprises/did:scf:supplier-t1/statement?from=${start}&to=${end}`;
    const answer = await gw.call('GET', url, { as: 'did:scf:supplier-t1' });
    expect(answer.status).toBe(200);
    const statement = answer.body;
    expect(statement).toMatchObject({ enterpriseId: 'did:scf:supplier-t1', opening: '0', closing: '0' });
    expect(statement.lines.map((l: { kind: string }) => l.kind)).toEqual(['issued', 'split', 'transferredOut', 'settled', 'paid']);
    expect(statement.totals).toEqual({ issued: '1000000', split: '0', transferredOut: '-400000', settled: '-600000', paid: '600000' });
    expect(statement.lines.find((l: { kind: string }) => l.kind === 'paid')).toMatchObject({ certificateIds: [kept], change: '0', cash: '600000' });
    expect(statement.lines.every((l: { txId: string }) => /^[0-9a-f]{64}$/.test(l.txId))).toBe(true);
    const held = (await gw.call('GET', '/enterprises/did:scf:supplier-t1/certificates?pageSize=50', { as: 'did:scf:supplier-t1' })).body.items;
    expect(held).toEqual([]);
    const later = (await gw.call('GET', `/enterprises/did:scf:supplier-t2/statement?from=${start}&to=${end}`, { as: 'did:scf:supplier-t2' })).body;
    expect(later).toMatchObject({ opening: '0', closing: '0', totals: { received: '400000', settled: '-400000', paid: '400000' } });

    const csv = await gw.call('GET', `${url}&format=csv`, { as: 'did:scf:supplier-t1' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = (csv.body as string).trimEnd().split('\r\n').map((r) => r.split(','));
    expect(rows[0]).toEqual(['kind', 'txId', 'timestamp', 'certificateIds', 'change', 'cash', 'balance']);
    expect(rows.map((r) => r[0])).toEqual(['kind', 'opening', 'issued', 'split', 'transferredOut', 'settled', 'paid', 'closing']);
    expect(rows.map((r) => r[6])).toEqual(['balance', '0', '1000000', '1000000', '600000', '0', '0', '0']);
  });

  test('a statement is the enterprise\'s own (and oversight\'s); a period that is not one is refused', async () => {
    const period = `from=${start}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    expect((await gw.call('GET', `/enterprises/did:scf:supplier-t1/statement?${period}`, { as: 'did:scf:supplier-t2' })).status).toBe(403);
    expect((await gw.call('GET', `/enterprises/did:scf:supplier-t1/statement?${period}&format=csv`, { as: 'did:scf:supplier-t2' })).status).toBe(403);
    expect((await gw.call('GET', `/enterprises/did:scf:supplier-t1/statement?${period}`, { as: 'did:scf:auditor' })).status).toBe(200);
    expect(await gw.call('GET', `/enterprises/did:scf:supplier-t1/statement?from=${start}&to=${start}`, { as: 'did:scf:supplier-t1' }))
      .toMatchObject({ status: 400, body: { error: { code: 'INVALID_ARGUMENT' } } });
    expect((await gw.call('GET', `/enterprises/did:scf:supplier-t1/statement?${period}&format=xml`, { as: 'did:scf:supplier-t1' })).status).toBe(400);
    // Without a period: from the start of the ledger until now.
    expect((await gw.call('GET', '/enterprises/did:scf:supplier-t1/statement', { as: 'did:scf:supplier-t1' })).body)
      .toMatchObject({ from: '1970-01-01T00:00:00.000Z', opening: '0', closing: '0', totals: { issued: '1000000' } });
  });
});

describe('CSV fields', () => {
  test('a comma, a quote or a line break is quoted, quotes doubled; anything else is left alone', () => {
    expect(csvField('plain-1')).toBe('plain-1');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('-400000')).toBe('-400000');
  });
});
