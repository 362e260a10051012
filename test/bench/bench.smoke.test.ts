import { mkdtempSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { GatewayUnderTest } from '../../gateway/test/support/gateway-under-test';
import { summariseProfile } from './cpu-profile';
import { meterCpu } from './process-usage';
import { openEmbeddedDriver, RestDriver } from './drivers';
import { prepareMixed, prepareTransfers, runPhases } from './load';
import { ledgerScaling, treeScaling } from './scaling';
import { fourEyesPricing } from './four-eyes';
import { LEVERS, leverVariants, recordShapes, shapeOf } from './shapes';
import { storeBench } from './store-bench';
import { consoleBench } from './console-bench';
import { chromiumFound } from '../../gateway/test/console/browser';
import { ChaincodeHost, LedgerEngine, LocalCertificateAuthority } from '@scf/chaincode/engine';

// A short run of the benchmark harness so it cannot rot: it must complete its mix and
// report figures. Speed is never asserted.
describe('the benchmark harness (smoke run on the embedded ledger)', () => {
  test('the realistic mix runs every operation without failures and reports latency figures', async () => {
    const { driver, close } = await openEmbeddedDriver(mkdtempSync(path.join(os.tmpdir(), 'scf-bench-smoke-')));
    try {
      const [figures] = await runPhases([await prepareMixed(driver, 3, () => undefined)], 1);
      expect(figures!.failures).toBe(0);
      expect(Object.keys(figures!.operations).sort()).toEqual(
        ['accept', 'finance-apply', 'finance-approve', 'finance-quote', 'finance-release', 'finance-repay', 'issue', 'offer', 'offer-accept', 'split', 'statement', 'trace-lineage', 'trace-tree']);
      expect(figures!.writes.count).toBeGreaterThanOrEqual(7);
      expect(figures!.writes.p99Ms).toBeGreaterThanOrEqual(figures!.writes.p50Ms);
    } finally {
      await close();
    }
  }, 60_000);

  test('four eyes are priced against the one-step flow: two transactions, more state touched', async () => {
    const pricing = await fourEyesPricing(2, () => undefined);
    expect(pricing.oneStep.transactions).toBe(1);
    expect(pricing.fourEyes.transactions).toBe(2);
    // The approval writes what the acceptance writes, and the instruction besides.
    expect(pricing.fourEyes.writes).toBeGreaterThan(pricing.oneStep.writes);
    expect(pricing.fourEyes.reads).toBeGreaterThan(pricing.oneStep.reads);
  }, 60_000);

  test('phases take turns: split/transfer and the mix carry on across rounds without failures', async () => {
    const { driver, close } = await openEmbeddedDriver(mkdtempSync(path.join(os.tmpdir(), 'scf-bench-smoke-')));
    try {
      const [transfers, mix] = await runPhases([await prepareTransfers(driver, 3, () => undefined), await prepareMixed(driver, 2, () => undefined)], 2, 3);
      expect(transfers!.failures + mix!.failures).toBe(0);
      expect(Object.keys(transfers!.operations).sort()).toEqual(['offer', 'offer-accept', 'split']);
      // Over the split depth: the chains went on past a fresh receivable.
      expect(transfers!.operations['offer-accept']!.count).toBeGreaterThan(3 * 10);
      expect(transfers!.seconds).toBeLessThanOrEqual(2);
      expect(transfers!.writesPerSecond).toBeGreaterThan(0);
    } finally {
      await close();
    }
  }, 60_000);

  test('through the REST gateway, each write reports the gateway\'s own time beside its latency', async () => {
    const gateway = await GatewayUnderTest.start();
    try {
      const [figures] = await runPhases([await prepareMixed(new RestDriver(gateway.url, gateway.keys), 2, () => undefined)], 1);
      expect(figures!.failures).toBe(0);
      const own = figures!.gatewayOwnTime!;
      expect(own.count).toBe(figures!.writes.count);
      expect(own.p50Ms).toBeGreaterThan(0);
      expect(own.p50Ms).toBeLessThan(figures!.writes.p50Ms);
      expect(own.shareOfWriteP50).toBeLessThan(1);
    } finally {
      await gateway.stop();
    }
  }, 60_000);

  test('split/transfer transactions are measured as the ledger sees them: state calls and bytes', async () => {
    const { driver, engine, close } = await openEmbeddedDriver(mkdtempSync(path.join(os.tmpdir(), 'scf-bench-smoke-')));
    try {
      const shapes = recordShapes(engine);
      await runPhases([await prepareTransfers(driver, 1, () => undefined)], 1);
      // Access reads the caller's identity binding alone (it carries the enterprise); then the piece, its receivable
      // and, for a split or an offer, the consortium's limits. Each child is marked in the holder index and in the
      // never-removed index statements walk.
      const split = shapes.get('Certificate:Split')!;
      expect(split).toMatchObject({ reads: 4, records: 3, markers: 6, deletes: 1 });
      expect(shapes.get('Certificate:OfferTransfer')).toMatchObject({ reads: 5, records: 1, markers: 1, deletes: 0 });
      expect(shapes.get('Certificate:AcceptTransfer')).toMatchObject({ reads: 3, records: 1, markers: 2, deletes: 2 });
      // The event carries the three certificates, the reply the retired parent and its children.
      expect(split.eventBytes).toBeGreaterThan(3 * split.recordBytes);
      expect(split.replyBytes).toBeGreaterThan(3 * split.recordBytes);
    } finally {
      await close();
    }
  }, 60_000);

  test('design levers change only the footprint they name', () => {
    const split = { reads: 5, records: 3, recordBytes: 561, markers: 4, deletes: 1, eventBytes: 2074, replyBytes: 1708 };
    const offer = { reads: 6, records: 1, recordBytes: 613, markers: 1, deletes: 0, eventBytes: 1026, replyBytes: 613 };
    // The event's envelope (type, ids, parties: 2074 - 3 × 561 bytes) stays; each record becomes its quoted id.
    expect(LEVERS['events name the records']!(split, 'Certificate:Split')).toEqual({ ...split, eventBytes: 391 + 3 * 72 });
    expect(LEVERS['replies name the records']!(offer, 'Certificate:OfferTransfer')).toEqual({ ...offer, replyBytes: 72 });
    expect(LEVERS['no receivable~certificate index']!(split, 'Certificate:Split')).toEqual({ ...split, markers: 2 });
    expect(LEVERS['no receivable~certificate index']!(offer, 'Certificate:OfferTransfer')).toEqual(offer);
    const [, all] = leverVariants(['Certificate:Split', 'Certificate:OfferTransfer'], [split, offer]).find(([name]) => name === 'all of them')!;
    expect(all).toEqual([{ ...split, markers: 2, eventBytes: 391 + 3 * 72, replyBytes: 1708 - 3 * (561 - 72) }, { ...offer, eventBytes: 1026 - 613 + 72, replyBytes: 72 }]);
  });

  test('the baseline chaincode\'s Shaped transaction has exactly the shape it is given', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { contracts } = require('../../network/baseline-chaincode') as { contracts: (new () => object)[] };
    const engine = new LedgerEngine({ host: new ChaincodeHost(contracts, 'baseline') });
    const identity = await (await LocalCertificateAuthority.create('Bank1MSP')).issue({ commonName: 'supplier', type: 'client' });
    await engine.submit({ identity, transaction: 'Seed', args: ['6', '480'] });
    const shape = { reads: 6, records: 3, recordBytes: 480, markers: 5, deletes: 1, eventBytes: 2100, replyBytes: 1700 };
    expect(shapeOf(await engine.endorse({ identity, transaction: 'Shaped', args: [JSON.stringify(shape)] }))).toEqual(shape);
  });

  test('a CPU profile is summarised over the measuring windows only, as shares of busy time', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'scf-profile-')), 'synthetic.cpuprofile');
    const frame = (id: number, functionName: string, url: string) => ({ id, callFrame: { functionName, url, lineNumber: 0 } });
    const nodes = [frame(1, '(idle)', ''), frame(2, 'parse', 'file:///x/node_modules/zod/index.js'), frame(3, 'serve', 'file:///x/gateway/dist/app.js')];
    // One sample per µs from t=1000: idle, zod, ours, zod | outside the window: ours, ours.
    writeFileSync(file, JSON.stringify({ nodes, startTime: 999, samples: [1, 2, 3, 2, 3, 3], timeDeltas: [1, 1, 1, 1, 1, 1] }));
    const summary = summariseProfile(file, [[1000, 1003]]);
    expect(summary.busy).toBe('75.0% of samples');
    expect(summary.byOwner).toEqual({ zod: '66.7%', 'gateway (ours)': '33.3%' });
    expect(summariseProfile(file, [[2000, 3000]])).toEqual({ busy: 'no samples inside the measuring windows', byOwner: {}, byFunction: {} });
    expect(summariseProfile(file, [[1000, 1000]])).toEqual({ busy: '0.0% of samples', byOwner: {}, byFunction: {} });
  });

  test('the CPU meter counts the time a process spends on the CPU', () => {
    const since = meterCpu({ 'this process': () => [process.pid] });
    // Spin until the kernel has charged this process 300 ms of CPU, however busy the machine (a wall-clock loop is not).
    const started = process.cpuUsage();
    for (let spent = 0; spent < 300_000; spent = ((u) => u.user + u.system)(process.cpuUsage(started))) Math.sqrt(Math.random());
    const used = since();
    // /proc counts in clock ticks (10 ms), so allow one tick each side.
    expect(used['this process']).toBeGreaterThanOrEqual(280);
    expect(used['load driver']).toBeGreaterThanOrEqual(300);
  });

  test('scaling runs build trees, settle them in full and time queries', async () => {
    const [tree] = await treeScaling([10], () => undefined);
    expect(tree).toMatchObject({ pieces: 10, settlementTransactions: 1 });
    const [ledger] = await ledgerScaling([100], () => undefined);
    expect(ledger!.certificates).toBeGreaterThanOrEqual(100);
    expect(ledger!.holderPage.p50Ms).toBeGreaterThan(0);
  }, 120_000);

  test('the query store bench seeds a store, times every report and measures ingestion', async () => {
    const figures = await storeBench(5_000, () => undefined, { runs: 3, events: 20 });
    expect(figures.queries.map((q) => q.query)).toHaveLength(8);
    // Every report finds rows in the seeded store: a query that matches nothing would time nothing.
    for (const q of figures.queries) expect({ query: q.query, found: q.rows > 0 }).toEqual({ query: q.query, found: true });
    expect(figures.ingestEventsPerSecond.alone).toBeGreaterThan(0);
    expect(figures.ingestEventsPerSecond.queued).toBeGreaterThan(0);
  }, 300_000);

  (chromiumFound ? test : test.skip)('the console bench draws a tree in Chromium, reads its render measure and the script it transfers', async () => {
    const figures = await consoleBench(100, () => undefined, { runs: 1 });
    expect(figures).toMatchObject({ pieces: 100, drawn: 111, render: { runs: 1 } });
    expect(figures!.render.p50Ms).toBeGreaterThan(0);
    // Compressed, the script is smaller than as built; brotli beats gzip on it.
    expect(figures!.scriptBytes.br).toBeGreaterThan(0);
    expect(figures!.scriptBytes.br).toBeLessThan(figures!.scriptBytes.gzip);
    expect(figures!.scriptBytes.gzip).toBeLessThan(figures!.scriptBytes.identity);
  }, 120_000);
});
