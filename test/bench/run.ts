/**
 * `npm run bench`: throughput, latency, conflicts and memory of the SCF ledger, on the
 * embedded engine and, when the Fabric binaries are found, on the real network against a
 * one-key baseline chaincode measured in the same run. Prints figures and writes JSON;
 * it never passes or fails on speed.
 *
 *   npm run bench -- --seconds 20 --concurrency 50 --rounds 4 [--banks 3] [--no-fabric] [--no-scaling] [--no-store] [--no-console] [--keep-network] [--profile] [--what-if]
 *
 * --store-certificates (default 1000000): the query store's reports timed on a store of that many pieces.
 * --console-pieces (default 1000): the web console's tree drawn in Chromium for a receivable of that many pieces.
 *
 * On the network, the phases (baseline, shaped baseline, mix direct, split/transfer, mix
 * through REST) take turns, --rounds times, so that drift in a shared machine's speed falls
 * on all alike.
 *
 * --banks 3 (up to 7) runs `scripts/network.sh add-bank bank3` … after deploy, before the baseline's
 * deploy, so that both chaincodes are measured under the majority policy of that many banks.
 * --profile records a CPU profile of the REST gateway under load and prints where its time goes.
 * --what-if adds shaped baselines with the footprint the design levers in ./shapes.ts would leave.
 * Four eyes are priced on the embedded ledger: an acceptance in one step against one by maker and checker.
 */

import { hash, signers } from '@hyperledger/fabric-gateway';
import { type ChildProcess, execFileSync, spawn } from 'child_process';
import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import os from 'os';
import path from 'path';
import { parseArgs } from 'util';
import { profileAdmin } from '../../gateway/src/compose';
import { FabricCaIssuer } from '../../gateway/src/identity/fabric-ca-issuer';
import { newNativeSigner } from '../../gateway/src/identity/native-signer';
import { loadConnectionProfile } from '../../gateway/src/ledger/fabric/connection-profile';
import { FabricBackend } from '../../gateway/src/ledger/fabric/fabric-backend';
import { fabricBinariesFound } from '../network/fabric-network';
import { summariseProfile } from './cpu-profile';
import { networkProcesses, peakMemoryMiB } from './process-usage';
import { FilePrincipalRegistry } from '../../gateway/src/identity/principals';
import { BackendDriver, openEmbeddedDriver, RestDriver } from './drivers';
import { type LoadFigures, type Phase, prepareMixed, prepareTransfers, runPhases } from './load';
import { ledgerScaling, treeScaling } from './scaling';
import { fourEyesPricing } from './four-eyes';
import { storeBench } from './store-bench';
import { consoleBench } from './console-bench';
import { leverVariants, recordShapes, type TransactionShape } from './shapes';

const ROOT = path.resolve(__dirname, '../..');
const { values: options } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '4' },
    banks: { type: 'string', default: '2' },
    'no-fabric': { type: 'boolean', default: false },
    'no-scaling': { type: 'boolean', default: false },
    'no-store': { type: 'boolean', default: false },
    'no-console': { type: 'boolean', default: false },
    'console-pieces': { type: 'string', default: '1000' },
    'store-certificates': { type: 'string', default: '1000000' },
    'keep-network': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'what-if': { type: 'boolean', default: false },
    'tree-sizes': { type: 'string', default: '10,100,1000' },
    'ledger-sizes': { type: 'string', default: '10000,100000' },
    out: { type: 'string' },
  },
});
const seconds = Number(options.seconds);
const concurrency = Number(options.concurrency);
const rounds = Number(options.rounds);
const banks = Number(options.banks);
if (!Number.isInteger(banks) || banks < 2 || banks > 7) throw new Error(`--banks is 2 to 7 (the founders, then bank3 … bank7), not ${options.banks}`);
const started = Date.now();
const progress = (message: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);

/** Native signer against the library's pure-JavaScript one, on the same P-256 key: signatures per second. */
async function signerFigures() {
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const message = randomBytes(2048);
  const measure = async (sign: () => Promise<Uint8Array>) => {
    for (let i = 0; i < 200; i++) await sign();
    const count = 3000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await sign();
    const micros = Number(process.hrtime.bigint() - t0) / 1e3 / count;
    return { microsPerSignature: Math.round(micros * 10) / 10, signaturesPerSecond: Math.round(1e6 / micros) };
  };
  const library = signers.newPrivateKeySigner(createPrivateKey(pem));
  const native = newNativeSigner(pem);
  const before = await measure(() => library(hash.sha256(message)));
  const after = await measure(() => native(message));
  return { library: before, native: after, speedup: Math.round((before.microsPerSignature / after.microsPerSignature) * 10) / 10 };
}

/** The split/transfer phase's transactions, in the order its users make them. */
const SPLIT_TRANSFER = ['Certificate:Split', 'Certificate:OfferTransfer', 'Certificate:AcceptTransfer'] as const;

/** The mix on the embedded ledger; then a moment of split/transfer there, to take its transactions' shapes. */
async function embeddedLoad(): Promise<{ figures: LoadFigures; shapes: TransactionShape[] }> {
  const { driver, engine, close } = await openEmbeddedDriver(mkdtempSync(path.join(os.tmpdir(), 'scf-bench-')));
  try {
    const [figures] = await runPhases([await prepareMixed(driver, concurrency, progress)], seconds);
    const recorded = recordShapes(engine);
    await runPhases([await prepareTransfers(driver, 1, progress)], 1);
    const shapes = SPLIT_TRANSFER.map((name) => recorded.get(name));
    if (shapes.some((shape) => !shape)) throw new Error(`the split/transfer run did not make every one of ${SPLIT_TRANSFER.join(', ')}`);
    return { figures: figures!, shapes: shapes as TransactionShape[] };
  } finally {
    await close();
  }
}

function network(...args: string[]): string {
  return execFileSync('bash', [path.join(ROOT, 'scripts/network.sh'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

const RUN = process.env.SCF_NETWORK_DIR ?? path.join(ROOT, 'network/run');

function freePort(): Promise<number> {
  return new Promise((resolve) => { const server = createServer().listen(0, () => { const { port } = server.address() as { port: number }; server.close(() => resolve(port)); }); });
}

async function startRestGateway(): Promise<{ child: ChildProcess; url: string; keys: Record<string, string>; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'scf-bench-gw-'));
  const port = await freePort();
  const profiling = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${dataDir}`] : [];
  const child = spawn(process.execPath, [...profiling, path.join(ROOT, 'gateway/dist/main.js')], {
    env: { ...process.env, SCF_BACKEND: 'fabric', SCF_NETWORK_DIR: RUN, SCF_DATA_DIR: dataDir, SCF_SEED_DEMO: 'false', SCF_STORE: 'off', PORT: String(port) },
    stdio: ['ignore', openSync(path.join(dataDir, 'gateway.log'), 'a'), 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, url, dataDir, keys: JSON.parse(readFileSync(path.join(dataDir, 'demo-keys.json'), 'utf8')) };
}

/** Stops the REST gateway and waits for it to exit (and write its CPU profile, if recording one). */
async function stopGateway(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The largest peak memory among a chaincode's servers, one per organisation (pids/<process>.<org>.pid). */
function chaincodeServersPeakMiB(supervisor: string): number {
  const supervisors = readdirSync(path.join(RUN, 'pids')).filter((f) => f.startsWith(`${supervisor}.`) && !f.endsWith('.server.pid'));
  return Math.max(0, ...supervisors.map((f) => peakMemoryMiB(Number(readFileSync(path.join(RUN, 'pids', f), 'utf8')))));
}

async function fabricFigures(shapes: readonly TransactionShape[]) {
  const profilePath = path.join(RUN, 'gateway/connection.json');
  let startedHere = false;
  if (!existsSync(profilePath) || !/peer0\.bank1\s+healthy/.test(network('status'))) {
    progress('starting the network (scripts/network.sh up, deploy)');
    network('up');
    network('deploy');
    startedHere = true;
  }
  for (let n = 3; n <= banks; n++) {
    progress(`bank${n} joins (scripts/network.sh add-bank bank${n})`);
    network('add-bank', `bank${n}`);
  }
  progress('deploying the baseline chaincode');
  network('deploy-baseline');
  const profile = loadConnectionProfile(profilePath);
  const admin = profileAdmin(profile, 'Bank1MSP');
  const admins = new Map(profile.cas.map((ca) => [ca.mspId, profileAdmin(profile, ca.mspId)] as const));
  const backendFor = (chaincode: string) => new FabricBackend({ profile: { ...profile, chaincode }, serviceIdentity: admin, commitTimeoutMs: 60_000 });
  const processes = networkProcesses(RUN);
  const baselineBackend = backendFor('baseline');
  const scf = backendFor(profile.chaincode);
  let gateway: Awaited<ReturnType<typeof startRestGateway>> | undefined;
  try {
    await baselineBackend.submit({ identity: admin, transaction: 'Put', args: ['warm-up', 'x'] });
    await baselineBackend.submit({ identity: admin, transaction: 'Seed',
      args: [String(Math.max(...shapes.map((shape) => shape.reads))), String(Math.max(...shapes.map((shape) => shape.recordBytes)))] });
    const principals = await FilePrincipalRegistry.open(mkdtempSync(path.join(os.tmpdir(), 'scf-bench-keys-')));
    const directDriver = new BackendDriver('fabric-direct', { backend: scf, issuer: new FabricCaIssuer(profile.cas), principals }, admins);
    const directPhase = await prepareMixed(directDriver, concurrency, progress, processes);
    const transferPhase = await prepareTransfers(directDriver, concurrency, progress, processes);
    // Signed by the split/transfer phase's own callers, taking turns as they do: Fabric's MSP
    // caches hold 100 identities, and a baseline signed by one would skip the certificate
    // checks that a consortium's many callers cost every peer (README, Performance).
    const baselinePhase: Phase = {
      name: 'fabric-baseline', concurrency, processes,
      worker: async (i, recorder, until) => {
        for (let turn = 0; Date.now() < until; turn++) {
          const identity = transferPhase.callers[i]![turn % 2]!;
          await recorder.time('put', true, () => baselineBackend.submit({ identity, transaction: 'Put', args: [randomUUID(), 'x'.repeat(200)] })).catch(() => undefined);
        }
      },
    };
    // The split/transfer phase's footprint without its logic: the same callers, state calls
    // and bytes, in the same order (the holder splits and offers, the other signs for it).
    const shapedPhase = (name: string, replayed: readonly TransactionShape[]): Phase => ({
      name, concurrency, processes,
      worker: async (i, recorder, until) => {
        for (let turn = 0; Date.now() < until; turn++) {
          const step = turn % SPLIT_TRANSFER.length;
          const holder = Math.floor(turn / SPLIT_TRANSFER.length) % 2;
          const identity = transferPhase.callers[i]![SPLIT_TRANSFER[step] === 'Certificate:AcceptTransfer' ? 1 - holder : holder]!;
          await recorder.time('shaped', true, () => baselineBackend.submit({ identity, transaction: 'Shaped', args: [JSON.stringify(replayed[step])] })).catch(() => undefined);
        }
      },
    });
    const leverPhases = options['what-if']
      ? leverVariants(SPLIT_TRANSFER, shapes).map(([lever, changed]) => shapedPhase(`fabric-shaped-baseline, ${lever}`, changed))
      : [];
    progress('starting the REST gateway on the network');
    const restGateway = await startRestGateway();
    gateway = restGateway;
    const restPhase = await prepareMixed(new RestDriver(restGateway.url, restGateway.keys), concurrency, progress, { ...processes, 'REST gateway': () => [restGateway.child.pid!] });
    progress(`baseline (one key per transaction), shaped baseline, SCF mix direct, split/transfer direct and SCF mix through REST: ${rounds} rounds, ${seconds} s each in all`);
    const measured = await runPhases([baselinePhase, shapedPhase('fabric-shaped-baseline', shapes), directPhase, transferPhase, restPhase, ...leverPhases], seconds, rounds, progress);
    const [baseline, shaped, direct, transfers, rest] = measured as [LoadFigures, LoadFigures, LoadFigures, LoadFigures, LoadFigures];
    const levers = measured.slice(5);
    const gatewayPeakMiB = peakMemoryMiB(restGateway.child.pid!);
    gateway = undefined;
    await stopGateway(restGateway.child);
    const profileFile = readdirSync(restGateway.dataDir).find((f) => f.endsWith('.cpuprofile'));
    const gatewayProfile = profileFile ? summariseProfile(path.join(restGateway.dataDir, profileFile), rest.windowsUs) : undefined;
    const memory = {
      restGatewayPeakMiB: gatewayPeakMiB,
      chaincodePeakMiB: chaincodeServersPeakMiB('chaincode'),
      baselineChaincodePeakMiB: chaincodeServersPeakMiB('chaincode-baseline'),
    };
    const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 100) / 100);
    const ratios = {
      directWritesToBaseline: ratio(direct.writesPerSecond, baseline.writesPerSecond),
      splitTransferWritesToBaseline: ratio(transfers.writesPerSecond, baseline.writesPerSecond),
      shapedBaselineWritesToBaseline: ratio(shaped.writesPerSecond, baseline.writesPerSecond),
      splitTransferWritesToShapedBaseline: ratio(transfers.writesPerSecond, shaped.writesPerSecond),
      ...Object.fromEntries(levers.map((figures) => [`${figures.driver}: writes to baseline`, ratio(figures.writesPerSecond, baseline.writesPerSecond)])),
      splitP50ToBaselineP50: ratio(direct.operations.split?.p50Ms ?? 0, baseline.writes.p50Ms),
      restWritesToDirect: ratio(rest.writesPerSecond, direct.writesPerSecond),
      restP50ToDirectP50: ratio(rest.writes.p50Ms, direct.writes.p50Ms),
      restGatewayOwnTimeToWriteP50: rest.gatewayOwnTime?.shareOfWriteP50 ?? 0,
    };
    return { baseline, shaped, direct, transfers, rest, levers, memory, ratios, gatewayProfile };
  } finally {
    await baselineBackend.close();
    await scf.close();
    if (gateway) await stopGateway(gateway.child);
    if (startedHere && !options['keep-network']) {
      progress('stopping the network it started (scripts/network.sh down --purge)');
      network('down', '--purge');
    }
  }
}

function printLoad(figures: LoadFigures): void {
  console.log(`\n${figures.driver}: ${figures.writesPerSecond} committed writes/s, ${figures.readsPerSecond} reads/s at concurrency ${figures.concurrency} for ${figures.seconds.toFixed(1)} s;`
    + ` write latency p50 ${figures.writes.p50Ms} ms, p95 ${figures.writes.p95Ms} ms, p99 ${figures.writes.p99Ms} ms; MVCC retries ${figures.mvccRetries}; failures ${figures.failures}`);
  console.table(Object.fromEntries(Object.entries(figures.operations).map(([op, f]) => [op, { count: f.count, failures: f.failures, 'p50 ms': f.p50Ms, 'p95 ms': f.p95Ms, 'p99 ms': f.p99Ms }])));
  for (const sample of figures.failureSamples) console.log(`  failure: ${sample}`);
  if (figures.gatewayOwnTime) {
    const { p50Ms, p95Ms, p99Ms, shareOfWriteP50 } = figures.gatewayOwnTime;
    console.log(`  REST gateway's own time per write (Server-Timing: total less ledger): p50 ${p50Ms} ms, p95 ${p95Ms} ms, p99 ${p99Ms} ms;`
      + ` ${(shareOfWriteP50 * 100).toFixed(1)}% of the write p50`);
  }
  if (figures.cpuMsPerWrite) {
    const { total, ...groups } = figures.cpuMsPerWrite;
    const cores = os.cpus().length;
    console.log(`  CPU per committed write: ${Object.entries(groups).map(([group, ms]) => `${group} ${ms} ms`).join(', ')}; total ${total} ms`
      + ` (${cores} cores afford at most ${Math.round((cores * 1000) / total!)} writes/s at that cost)`);
  }
}

async function main(): Promise<void> {
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
  progress(`machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`);
  const signer = await signerFigures();
  progress(`signer: library ${signer.library.microsPerSignature} µs, native ${signer.native.microsPerSignature} µs per signature (${signer.speedup}×)`);
  const { figures: embedded, shapes } = await embeddedLoad();
  printLoad(embedded);
  const splitTransferShapes = Object.fromEntries(SPLIT_TRANSFER.map((name, i) => [name, shapes[i]]));
  console.log('\nsplit/transfer transactions as the ledger sees them (the shaped baseline replays them):');
  console.table(splitTransferShapes);
  const fourEyes = await fourEyesPricing(100, progress);
  console.log('\naccepting a receivable in one step and by four eyes (embedded; reads and writes per acceptance):');
  console.table({ 'one step': fourEyes.oneStep, 'four eyes': fourEyes.fourEyes });
  let fabric: Awaited<ReturnType<typeof fabricFigures>> | undefined;
  if (options['no-fabric']) progress('fabric: skipped (--no-fabric)');
  else if (!fabricBinariesFound()) progress('fabric: SKIPPED — Fabric binaries not found on FABRIC_BIN or PATH (see README: The real Fabric network)');
  else {
    fabric = await fabricFigures(shapes);
    for (const figures of [fabric.baseline, fabric.shaped, fabric.direct, fabric.transfers, fabric.rest, ...fabric.levers]) printLoad(figures);
    console.log('\nratios:', fabric.ratios, '\npeak memory (MiB):', fabric.memory);
    if (fabric.gatewayProfile) console.log(`\nREST gateway CPU (busy ${fabric.gatewayProfile.busy}) by package:`, fabric.gatewayProfile.byOwner, '\nby function:', fabric.gatewayProfile.byFunction);
  }
  let scaling;
  if (!options['no-scaling']) {
    const trees = await treeScaling(options['tree-sizes']!.split(',').map(Number), progress);
    console.log('\ntrace and settlement by tree size (embedded):');
    console.table(trees.map((t) => ({ pieces: t.pieces, 'tree p50 ms': t.traceTree.p50Ms, 'tree p95 ms': t.traceTree.p95Ms, 'settle ms': t.settlementMs, 'settle txs': t.settlementTransactions })));
    const ledgers = await ledgerScaling(options['ledger-sizes']!.split(',').map(Number), progress);
    console.log('\nquery latency by ledger size (embedded, p50 / p95 ms):');
    console.table(ledgers.map((l) => ({ certificates: l.certificates, get: `${l.certificateGet.p50Ms} / ${l.certificateGet.p95Ms}`,
      'holder page': `${l.holderPage.p50Ms} / ${l.holderPage.p95Ms}`, lineage: `${l.lineage.p50Ms} / ${l.lineage.p95Ms}`, 'small tree': `${l.smallTree.p50Ms} / ${l.smallTree.p95Ms}` })));
    scaling = { trees, ledgers };
  }
  let store;
  if (!options['no-store']) {
    store = await storeBench(Number(options['store-certificates']), progress);
    console.log(`\nquery store (${store.database}, ${store.certificates.toLocaleString('en')} certificates), p50 / p95 ms:`);
    console.table(store.queries.map((q) => ({ report: q.query, p50: q.p50Ms, p95: q.p95Ms, rows: q.rows })));
    console.log(`  stores ${store.ingestEventsPerSecond.alone} split events/s arriving one at a time, ${store.ingestEventsPerSecond.queued}/s queued`);
  }
  let webConsole;
  if (!options['no-console']) {
    webConsole = await consoleBench(Number(options['console-pieces']), progress);
    if (webConsole) {
      const { render, scriptBytes, targets } = webConsole;
      const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
      console.log(`\nweb console (Chromium): the tree of ${webConsole.pieces} pieces (${webConsole.drawn} drawn) renders in ${render.p50Ms} ms p50,`
        + ` ${render.maxMs} ms at most over ${render.runs} (target under ${targets.renderMs} ms)`);
      console.log(`  script a first visit transfers: ${kib(scriptBytes.br)} brotli, ${kib(scriptBytes.gzip)} gzip, ${kib(scriptBytes.identity)} uncompressed`
        + ` (target under ${targets.scriptKiB} KiB compressed)`);
    }
  }
  const report = { takenAt: new Date().toISOString(), machine, settings: { seconds, concurrency, rounds, banks, batchTimeout: '250ms', maxMessageCount: 50 },
    signer, embedded, splitTransferShapes, fourEyes, fabric, scaling, store, webConsole, benchProcessPeakMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
  const out = options.out ?? path.join(ROOT, 'test/bench/results', `bench-${report.takenAt.replace(/[:.]/g, '-')}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2));
  progress(`figures written to ${path.relative(process.cwd(), out)}`);
}

main().then(() => process.exit(0), (error: Error) => {
  console.error(`the benchmark failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
