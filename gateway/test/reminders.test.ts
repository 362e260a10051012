import { randomUUID } from 'crypto';
import type { Reminder } from '../src/services/reminders';
import { GatewayUnderTest } from './support/gateway-under-test';
import { sha } from './support/fixtures';

const DAY = 86_400_000;
/** Only Date moves (the embedded engine's clock); the gateway's timers run for real. */
const ONLY_DATE: Parameters<typeof jest.useFakeTimers>[0] = {
  doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'],
};

/** The reminders a stream delivers to `as` until `count` arrived (or three seconds passed). */
async function streamedReminders(gw: GatewayUnderTest, as: string, count: number, trigger: () => Promise<unknown>): Promise<Reminder[]> {
  const controller = new AbortController();
  const response = await fetch(`${gw.url}/events?after=${await gw.height()}`, { headers: { authorization: `Bearer ${gw.keys[as]}` }, signal: controller.signal });
  const reader = response.body!.getReader();
  const reminders: Reminder[] = [];
  let buffer = '';
  const deadline = setTimeout(() => controller.abort(), 3000);
  try {
    await reader.read(); // the stream is open: reminders from now on reach it
    await trigger();
    while (reminders.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += Buffer.from(value).toString('utf8');
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(block);
        if (/^event: Receivable(DueSoon|Overdue)$/m.test(block) && data) {
          expect(block).not.toMatch(/^id:/m);
          reminders.push(JSON.parse(data[1]!) as Reminder);
        }
      }
    }
  } catch { /* the deadline ends the read */ } finally {
    clearTimeout(deadline);
    controller.abort();
  }
  return reminders;
}

describe('reminders ahead of due dates and when overdue, once each, to the parties who may read the receivable', () => {
  let gw: GatewayUnderTest;
  let start = 0;
  const issue = async (dueInDays: number, invoiceNumber: string): Promise<string> => {
    const due = new Date(Date.now() + dueInDays * DAY).toISOString().slice(0, 10);
    const issued = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: randomUUID(), body: {
      creditorId: 'did:scf:supplier-t1', faceAmount: '500000', currency: 'CNY', dueDate: due,
      invoiceHash: sha(`reminder ${invoiceNumber}`), contractHash: sha('contract'), creditLineId: gw.keys.creditLineId,
      invoice: { invoiceCode: '3100231130', invoiceNumber, sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' },
    } });
    await gw.call('POST', `/receivables/${issued.body.result.id}/accept`, { as: 'did:scf:supplier-t1', key: randomUUID(), body: {} });
    return issued.body.result.id as string;
  };
  const sweep = async () => (await gw.parts.reminders.sweep()).map((r) => [r.type, r.to, r.daysBefore, r.receivableId]);

  beforeAll(async () => {
    jest.useFakeTimers(ONLY_DATE);
    // Midday, so that "days before the due date" falls well inside each day.
    start = Date.parse(`${new Date().toISOString().slice(0, 10)}T12:00:00Z`);
    jest.setSystemTime(start);
    gw = await GatewayUnderTest.start();
  }, 60_000);
  afterAll(async () => {
    await gw.stop();
    jest.useRealTimers();
  });

  test('7 and 1 days ahead, then overdue: the debtor and the creditor each once; a restart sends nothing again', async () => {
    const id = await issue(10, '00080001');
    expect(await sweep()).toEqual([]);
    jest.setSystemTime(start + 3.5 * DAY);
    expect((await sweep()).sort()).toEqual([
      ['ReceivableDueSoon', 'did:scf:core-a', 7, id],
      ['ReceivableDueSoon', 'did:scf:supplier-t1', 7, id],
    ]);
    expect(await sweep()).toEqual([]);
    jest.setSystemTime(start + 9.25 * DAY);
    expect((await sweep()).map((r) => r.slice(0, 3)).sort()).toEqual([
      ['ReceivableDueSoon', 'did:scf:core-a', 1],
      ['ReceivableDueSoon', 'did:scf:supplier-t1', 1],
    ]);
    await gw.stop();
    gw = await GatewayUnderTest.start({ dataDir: gw.dataDir });
    expect(await sweep()).toEqual([]);
    jest.setSystemTime(start + 11.5 * DAY);
    expect((await sweep()).map((r) => r.slice(0, 2)).sort()).toEqual([
      ['ReceivableOverdue', 'did:scf:core-a'],
      ['ReceivableOverdue', 'did:scf:supplier-t1'],
    ]);
    expect(await sweep()).toEqual([]);
  }, 60_000);

  test('several leads passed at once: only the nearest is sent, and the farther never later', async () => {
    jest.setSystemTime(start + 20 * DAY);
    const id = await issue(1, '00080002');
    const sent = (await sweep()).filter((r) => r[3] === id);
    expect(sent.map((r) => r[2])).toEqual([1, 1]);
    jest.setSystemTime(start + 20.2 * DAY);
    expect((await sweep()).filter((r) => r[3] === id)).toEqual([]);
  }, 60_000);

  test('a reminder reaches the stream of the party it is for, without an event id; another enterprise\'s stream gets none', async () => {
    jest.setSystemTime(start + 40 * DAY);
    const id = await issue(5, '00080003');
    // The earlier receivables fall overdue in the same sweep: the stream carries theirs too.
    const toCreditor = await streamedReminders(gw, 'did:scf:supplier-t1', 2, () => gw.parts.reminders.sweep());
    expect(toCreditor.filter((r) => r.receivableId === id))
      .toMatchObject([{ type: 'ReceivableDueSoon', to: 'did:scf:supplier-t1', daysBefore: 7, outstandingAmount: '500000' }]);
    jest.setSystemTime(start + 44.5 * DAY);
    const toStranger = await streamedReminders(gw, 'did:scf:supplier-t2', 1, () => gw.parts.reminders.sweep());
    expect(toStranger).toEqual([]);
  }, 60_000);
});
