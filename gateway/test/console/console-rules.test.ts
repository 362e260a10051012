import { generateKeyPairSync, sign, verify } from 'crypto';
import { followEvents, type LedgerEvent, type StreamSource } from '../../console/src/api/events';
import { p1363ToDer } from '../../console/src/api/der-signature';
import { parseSseBlock } from '../../console/src/api/sse';
import { formatMinor, parseMajor, remainderOf } from '../../console/src/money';
import { changedFields } from '../../console/src/pages/audit/history-model';
import { routeForId } from '../../console/src/pages/audit/id-routes';
import { EMPTY_ISSUE, invalidIssueFields, issueBody } from '../../console/src/pages/core/issue-model';
import { offerDraft } from '../../console/src/pages/supplier/offer-model';
import { isCalendarDate, percentToBps } from '../../console/src/rules';

/** The console's rules without a browser: money as people type it, the forms' checks, ids and the event stream. */
describe('the console\'s money, as people type and read it', () => {
  test('amounts read as exact minor units in bigint, never through a float', () => {
    expect(parseMajor('1,000,000.5')).toEqual({ ok: true, minor: 100_000_050n });
    expect(parseMajor('0.07')).toEqual({ ok: true, minor: 7n });
    expect(parseMajor('92233720368547758.07')).toEqual({ ok: true, minor: 2n ** 63n - 1n });
    expect(parseMajor('92233720368547758.08')).toEqual({ ok: false, reason: 'tooLarge' });
    expect(parseMajor('1.005')).toEqual({ ok: false, reason: 'format' });
    expect(parseMajor('-1')).toEqual({ ok: false, reason: 'format' });
    expect(parseMajor('0.00')).toEqual({ ok: false, reason: 'zero' });
    expect(parseMajor(' ')).toEqual({ ok: false, reason: 'empty' });
  });

  test('minor units print with thousands separators and two decimals', () => {
    expect(formatMinor('100000000')).toBe('1,000,000.00');
    expect(formatMinor(-1n)).toBe('-0.01');
    expect(formatMinor('9223372036854775807')).toBe('92,233,720,368,547,758.07');
  });

  test('a split\'s remainder is exact as the parts are typed, and an unreadable part is flagged', () => {
    expect(remainderOf(100_000_000n, ['600,000.00', ''])).toEqual({ remainder: 40_000_000n, allValid: false });
    expect(remainderOf(100_000_000n, ['600000', '400000.01'])).toEqual({ remainder: -1n, allValid: true });
    expect(remainderOf(100_000_000n, ['600000', '400000'])).toEqual({ remainder: 0n, allValid: true });
  });
});

describe('the console\'s forms check what the chaincode checks', () => {
  test('dates must exist; rates are basis points', () => {
    expect([isCalendarDate('2028-02-29'), isCalendarDate('2027-02-29'), isCalendarDate('2027-2-1')]).toEqual([true, false, false]);
    expect([percentToBps('3.85'), percentToBps('0'), percentToBps('4.5'), percentToBps('3.855')]).toEqual([385, 0, 450, undefined]);
  });

  test('an issuance names each invalid field, and its body carries the invoice and the amount in minor units', () => {
    expect(invalidIssueFields(EMPTY_ISSUE)).toEqual(['creditorId', 'amount', 'dueDate', 'creditLineId', 'invoiceCode',
      'invoiceNumber', 'sellerRegistrationNumber', 'buyerRegistrationNumber']);
    const form = { ...EMPTY_ISSUE, creditorId: 'did:scf:supplier-t1', amount: '1,000.00', dueDate: '2027-12-31', creditLineId: 'cl_1',
      invoiceCode: '3100231130', invoiceNumber: '00000001', sellerRegistrationNumber: 'S', buyerRegistrationNumber: 'B' };
    expect(invalidIssueFields(form)).toEqual([]);
    expect(invalidIssueFields({ ...form, currency: 'cny', invoiceNumber: 'x'.repeat(65) })).toEqual(['currency', 'invoiceNumber']);
    expect(issueBody(form, 'a'.repeat(64), 'b'.repeat(64))).toMatchObject({ faceAmount: '100000', currency: 'CNY',
      invoice: { invoiceCode: '3100231130', invoiceNumber: '00000001', sellerRegistrationNumber: 'S', buyerRegistrationNumber: 'B' } });
  });

  test('an offer shows what the holder keeps, sends a part only when it is one, and nothing beyond the piece', () => {
    const now = new Date('2027-01-01T00:00:00Z');
    const part = offerDraft(1000n, { to: 'did:scf:supplier-t2', amount: '3.00', hours: '2' });
    expect(part.kept).toBe(700n);
    expect(part.body?.(now)).toEqual({ to: 'did:scf:supplier-t2', amount: '300', expiresAt: '2027-01-01T02:00:00.000Z' });
    expect(offerDraft(1000n, { to: 'did:scf:supplier-t2', amount: '', hours: '2' }).body?.(now)).not.toHaveProperty('amount');
    expect(offerDraft(1000n, { to: 'did:scf:supplier-t2', amount: '10.01', hours: '2' })).toEqual({ kept: -1n, body: undefined });
    expect(offerDraft(1000n, { to: 'supplier-t2', amount: '1', hours: '2' }).body).toBeUndefined();
    expect(offerDraft(1000n, { to: 'did:scf:supplier-t2', amount: '1', hours: '0' }).body).toBeUndefined();
  });
});

describe('the console\'s reading of ids, history and events', () => {
  test('an id leads to the view of its kind', () => {
    expect(routeForId(' rcv_ab ')).toBe('/audit/receivables/rcv_ab');
    expect(routeForId('crt_ab_0')).toBe('/audit/certificates/crt_ab_0');
    expect(routeForId('fin_ab')).toBe('/audit/history/financing/fin_ab');
    expect(routeForId('did:scf:core-a')).toBe('/audit/history/enterprise/did:scf:core-a');
    expect(routeForId('f'.repeat(64))).toBe(`/audit/transactions/${'f'.repeat(64)}`);
    expect(routeForId('')).toBeUndefined();
  });

  test('a history entry names the fields that changed from the version before', () => {
    const entry = (value: Record<string, unknown>) => ({ txId: 't', timestamp: 'x', isDelete: false, value });
    expect(changedFields(entry({ status: 'SPLIT', amount: '1' }), entry({ status: 'ACTIVE', amount: '1' }))).toEqual(['status']);
    expect(changedFields(entry({ status: 'ACTIVE' }), undefined)).toEqual([]);
  });

  test('a server-sent event block reads as its id, type and JSON data; comments are no events', () => {
    expect(parseSseBlock('id: 3:abc\nevent: TransferOffered\ndata: {"a":1}')).toEqual({ id: '3:abc', type: 'TransferOffered', data: { a: 1 } });
    expect(parseSseBlock(': heartbeat')).toBeUndefined();
    expect(parseSseBlock('event: ReceivableDueSoon\ndata: not json')).toEqual({ type: 'ReceivableDueSoon', data: 'not json' });
  });
});

describe('the console\'s event stream', () => {
  /** A gateway that answers each connection with one of `bodies`, then ends it, and notes what was asked. */
  const gatewayAnswering = (bodies: string[], asked: { path: string; lastEventId?: string }[], done: AbortController): StreamSource => ({
    stream: async (path: string, _signal: AbortSignal, headers: Record<string, string> = {}): Promise<Response> => {
      asked.push({ path, ...(headers['last-event-id'] ? { lastEventId: headers['last-event-id'] } : {}) });
      const body = bodies.shift();
      if (body === undefined) done.abort();
      return new Response(body ?? '', { status: 200, headers: { 'content-type': 'text/event-stream' } });
    },
  });

  test('it starts from now, and a drop resumes from the point the stream started from, then after the last event seen', async () => {
    const asked: { path: string; lastEventId?: string }[] = [];
    const events: LedgerEvent[] = [];
    const done = new AbortController();
    const api = gatewayAnswering([': stream open\n\nid: 41\n\n', 'id: 42:abc\nevent: ReceivableIssued\ndata: {"a":1}\n\n'], asked, done);
    await followEvents(api, (event) => events.push(event), done.signal);
    expect(asked).toEqual([{ path: '/events?after=now' }, { path: '/events', lastEventId: '41' }, { path: '/events', lastEventId: '42:abc' }]);
    // The resume point alone is no event.
    expect(events).toEqual([{ id: '42:abc', type: 'ReceivableIssued', data: { a: 1 } }]);
  }, 15_000);
});

describe('a self-held key\'s signature, as the console sends it', () => {
  const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const message = Buffer.from('{"transaction":"Certificate:AcceptTransfer"}');
  const sOfDer = (der: Buffer): bigint => {
    const rLength = der[3]!;
    return BigInt(`0x${der.subarray(6 + rLength, 6 + rLength + der[5 + rLength]!).toString('hex')}`);
  };

  test('P1363 (r‖s) becomes DER with low-S, which Node verifies over the same bytes, whichever half s was in', () => {
    const p1363 = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const s = BigInt(`0x${p1363.subarray(32).toString('hex')}`);
    // (r, s) and (r, n − s) are both valid: one is high-S, which Fabric refuses and the conversion flips.
    const twin = Buffer.concat([p1363.subarray(0, 32), Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex')]);
    for (const form of [p1363, twin]) {
      const der = Buffer.from(p1363ToDer(form));
      expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
      expect(sOfDer(der)).toBe(s > N / 2n ? N - s : s);
    }
  });

  test('small r and s are minimal DER integers, a set top bit gets its zero byte, and a wrong length is refused', () => {
    const small = new Uint8Array(64);
    small[31] = 0x80;
    small[63] = 0x01;
    expect([...p1363ToDer(small)]).toEqual([0x30, 0x07, 0x02, 0x02, 0x00, 0x80, 0x02, 0x01, 0x01]);
    expect(() => p1363ToDer(new Uint8Array(70))).toThrow('64 bytes');
  });
});
