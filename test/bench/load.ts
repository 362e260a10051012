import { randomUUID } from 'crypto';
import { DEFAULT_LIMITS } from '@scf/chaincode';
import { meterCpu, type ProcessGroups } from './process-usage';
import type { Driver, EnterpriseSpec } from './drivers';
import { sha } from '../../gateway/test/support/fixtures';

/** Latencies and counts of one operation kind. */
export interface OperationFigures {
  readonly count: number;
  readonly failures: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

export interface LoadFigures {
  readonly driver: string;
  readonly concurrency: number;
  /** Seconds of measuring windows; calls still running when a window closes finish after it. */
  readonly seconds: number;
  /** Writes committed within the windows, per second of window. */
  readonly writesPerSecond: number;
  readonly readsPerSecond: number;
  /** Request-to-commit latency of every write. */
  readonly writes: OperationFigures;
  readonly operations: Readonly<Record<string, OperationFigures>>;
  /** Endorsements repeated after MVCC conflicts, and the failures' first messages. */
  readonly mvccRetries: number;
  readonly failures: number;
  readonly failureSamples: readonly string[];
  /**
   * Through the REST gateway: its own time on each write, outside the ledger (routing,
   * authentication, validation, idempotency records), from its Server-Timing header.
   */
  readonly gatewayOwnTime?: OperationFigures & { readonly shareOfWriteP50: number };
  /** CPU milliseconds each metered group of processes spent per committed write, and their total. */
  readonly cpuMsPerWrite?: Readonly<Record<string, number>>;
  /** The measuring windows as [start, end] on the system's monotonic clock in µs, the clock V8's CPU profiles use. */
  readonly windowsUs: readonly (readonly [number, number])[];
}

interface Sample { readonly op: string; readonly write: boolean; readonly ms: number; readonly ok: boolean; readonly inWindow: boolean; readonly gatewayOwnMs?: number }

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function figures(samples: readonly Sample[], measure: (s: Sample) => number = (s) => s.ms): OperationFigures {
  const sorted = samples.filter((s) => s.ok).map(measure).sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { count: sorted.length, failures: samples.length - sorted.length, p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)), p99Ms: round(percentile(sorted, 99)) };
}

/** Records each call's latency and outcome while the load runs. */
export class Recorder {
  readonly samples: Sample[] = [];
  mvccRetries = 0;
  readonly failureSamples: string[] = [];
  /** When the current measuring window closes (ms since the epoch). */
  windowEnd = Infinity;

  async time<T extends { attempts: number; gatewayOwnMs?: number }>(op: string, write: boolean, work: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    const record = (ok: boolean, gatewayOwnMs?: number) => this.samples.push({
      op, write, ok, ms: Number(process.hrtime.bigint() - started) / 1e6, inWindow: Date.now() <= this.windowEnd, ...(gatewayOwnMs === undefined ? {} : { gatewayOwnMs }),
    });
    try {
      const outcome = await work();
      record(true, outcome.gatewayOwnMs);
      this.mvccRetries += outcome.attempts - 1;
      return outcome;
    } catch (error) {
      record(false);
      if (this.failureSamples.length < 5) this.failureSamples.push(`${op}: ${(error as Error).message.slice(0, 300)}`);
      throw error;
    }
  }

  summary(driver: string, concurrency: number, seconds: number): Omit<LoadFigures, 'windowsUs'> {
    const byOp = new Map<string, Sample[]>();
    for (const sample of this.samples) byOp.set(sample.op, [...(byOp.get(sample.op) ?? []), sample]);
    const writes = this.samples.filter((s) => s.write);
    const perSecond = (samples: readonly Sample[]) => Math.round((samples.filter((s) => s.ok && s.inWindow).length / seconds) * 10) / 10;
    const timed = writes.filter((s) => s.gatewayOwnMs !== undefined);
    const ownTime = timed.length > 0 ? figures(timed, (s) => s.gatewayOwnMs!) : undefined;
    const writeFigures = figures(writes);
    return {
      driver, concurrency, seconds: Math.round(seconds * 10) / 10,
      writesPerSecond: perSecond(writes),
      readsPerSecond: perSecond(this.samples.filter((s) => !s.write)),
      writes: writeFigures,
      ...(ownTime ? { gatewayOwnTime: { ...ownTime, shareOfWriteP50: Math.round((ownTime.p50Ms / writeFigures.p50Ms) * 1000) / 1000 } } : {}),
      operations: Object.fromEntries([...byOp].map(([op, samples]) => [op, figures(samples)])),
      mvccRetries: this.mvccRetries,
      failures: this.samples.filter((s) => !s.ok).length,
      failureSamples: this.failureSamples,
    };
  }
}

/** One kind of load, ready to run: what each virtual user does, and the processes its CPU use is charged to. */
export interface Phase {
  readonly name: string;
  readonly concurrency: number;
  /** Works until `until`, and may be called again for the next window, carrying on where it stopped. */
  readonly worker: (index: number, recorder: Recorder, until: number) => Promise<void>;
  readonly processes?: ProcessGroups;
}

/**
 * Runs the phases in turn, `rounds` times, each for seconds/rounds at a time, so that
 * drift in a shared machine's speed falls on every phase alike. Each phase's figures
 * cover all its windows; with `processes`, also what it cost them in CPU per committed write.
 */
export async function runPhases(phases: readonly Phase[], seconds: number, rounds = 1, progress: (m: string) => void = () => undefined): Promise<LoadFigures[]> {
  const runs = phases.map(() => ({ recorder: new Recorder(), windowSeconds: 0, cpuMs: new Map<string, number>(), windowsUs: [] as [number, number][] }));
  const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
  const slice = seconds / rounds;
  for (let round = 1; round <= rounds; round++) {
    for (const [k, phase] of phases.entries()) {
      if (rounds > 1) progress(`round ${round}/${rounds}: ${phase.name} for ${slice.toFixed(1)} s`);
      const run = runs[k]!;
      run.recorder.windowEnd = Date.now() + slice * 1000;
      const cpuSince = phase.processes ? meterCpu(phase.processes) : undefined;
      const startedUs = monotonicUs();
      await Promise.all(Array.from({ length: phase.concurrency }, (_, i) => phase.worker(i, run.recorder, run.recorder.windowEnd)));
      const endedUs = monotonicUs();
      run.windowsUs.push([startedUs, endedUs]);
      run.windowSeconds += Math.min(slice, (endedUs - startedUs) / 1e6);
      for (const [group, ms] of Object.entries(cpuSince?.() ?? {})) run.cpuMs.set(group, (run.cpuMs.get(group) ?? 0) + ms);
    }
  }
  return phases.map((phase, k) => {
    const { recorder, windowSeconds, cpuMs, windowsUs } = runs[k]!;
    const figures = { ...recorder.summary(phase.name, phase.concurrency, windowSeconds), windowsUs };
    if (cpuMs.size === 0) return figures;
    const perWrite = (ms: number) => Math.round((ms / Math.max(1, figures.writes.count)) * 100) / 100;
    const total = [...cpuMs.values()].reduce((sum, ms) => sum + ms, 0);
    return { ...figures, cpuMsPerWrite: { ...Object.fromEntries([...cpuMs].map(([group, ms]) => [group, perWrite(ms)])), total: perWrite(total) } };
  });
}

/** The parties of one virtual user: its own core enterprise, two suppliers and a credit line, so users never share a key. */
export interface UserParties<Actor> { readonly core: Actor; readonly supplierA: Actor; readonly supplierB: Actor; readonly lineId: string; readonly ids: Record<'core' | 'supplierA' | 'supplierB', EnterpriseSpec> }

/** Onboards a bank and, in parallel, each virtual user's parties. */
export interface Bank<Actor> { readonly actor: Actor; readonly id: string }

export async function setUpUsers<Actor>(driver: Driver<Actor>, users: number, runTag: string, progress: (m: string) => void): Promise<{ bank: Bank<Actor>; users: UserParties<Actor>[] }> {
  const spec = (role: string, who: string, msp: string, index: number): EnterpriseSpec => ({
    id: `did:scf:${who}-${runTag}-${index}`, name: `${who} ${index}`, roles: [role], msp,
    registrationNumber: `9${sha(`${runTag}${who}${index}`).slice(0, 17).toUpperCase()}`,
  });
  progress(`onboarding a bank and ${users} users (${users * 3} enterprises) on ${driver.name}`);
  const bankSpec = spec('BANK', 'bank', 'Bank1MSP', 0);
  const bank = { actor: await driver.onboard(bankSpec), id: bankSpec.id };
  const prepared = await Promise.all(Array.from({ length: users }, async (_, i) => {
    const ids = { core: spec('CORE', 'core', 'Bank1MSP', i), supplierA: spec('SUPPLIER', 'supa', 'Bank1MSP', i), supplierB: spec('SUPPLIER', 'supb', 'Bank2MSP', i) };
    const [core, supplierA, supplierB] = [await driver.onboard(ids.core), await driver.onboard(ids.supplierA), await driver.onboard(ids.supplierB)];
    const line = await driver.call(bank.actor, 'post', '/credit-lines', {}, { coreId: ids.core.id, currency: 'CNY', limit: '900000000000000', expiresAt: new Date(Date.now() + 365 * 86_400_000).toISOString() });
    return { core, supplierA, supplierB, lineId: line.result.id as string, ids };
  }));
  return { bank, users: prepared };
}

/** Where one user's story stands: the ids its later steps need. */
interface StoryState { next: number; receivableId?: string; certificateId?: string; kept?: string; passed?: string; financingId?: string; disbursed?: string }

/**
 * The realistic mix, as one user's story repeated: the core enterprise issues, tier 1
 * signs for it, splits it, offers a piece to tier 2 who signs for it, finances the other
 * piece with the bank (apply, approve, repay in full, release) and an auditor-style trace reads the tree and the
 * lineage. A story is a list of steps, so a window may close between two of them and
 * the next window carries on from there; a failed step starts a new story.
 */
function storySteps<Actor>(driver: Driver<Actor>, bank: Bank<Actor>, user: UserParties<Actor>, recorder: Recorder, serial: { next: number }):
  ReadonlyArray<(state: StoryState) => Promise<void>> {
  const due = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
  return [
    async (state) => {
      const invoice = { invoiceCode: '3100231130', invoiceNumber: String(serial.next++).padStart(8, '0'),
        sellerRegistrationNumber: user.ids.supplierA.registrationNumber, buyerRegistrationNumber: user.ids.core.registrationNumber };
      const issued = await recorder.time('issue', true, () => driver.call(user.core, 'post', '/receivables', {}, {
        creditorId: user.ids.supplierA.id, faceAmount: '1000000', currency: 'CNY', dueDate: due,
        invoiceHash: sha(`invoice ${invoice.invoiceNumber}`), contractHash: sha('contract'), creditLineId: user.lineId, invoice }));
      state.receivableId = issued.result.id;
    },
    async (state) => {
      const accepted = await recorder.time('accept', true, () => driver.call(user.supplierA, 'post', '/receivables/:id/accept', { id: state.receivableId! }));
      state.certificateId = accepted.result.certificate.id;
    },
    async (state) => {
      const split = await recorder.time('split', true, () => driver.call(user.supplierA, 'post', '/certificates/:id/split',
        { id: state.certificateId! }, { amounts: ['600000', '400000'] }));
      [state.kept, state.passed] = (split.result.children as { id: string }[]).map((child) => child.id);
    },
    async (state) => {
      await recorder.time('offer', true, () => driver.call(user.supplierA, 'post', '/certificates/:id/offer', { id: state.passed! },
        { to: user.ids.supplierB.id, expiresAt: new Date(Date.now() + 3600_000).toISOString() }));
    },
    async (state) => {
      await recorder.time('offer-accept', true, () => driver.call(user.supplierB, 'post', '/certificates/:id/offer/accept', { id: state.passed! }));
    },
    async (state) => {
      // What the holder sees before applying: a read on the bank's peers alone.
      await recorder.time('finance-quote', false, () => driver.call(user.supplierA, 'post', '/financings/quote', {}, {
        certificateId: state.kept!, bankId: bank.id, requestedAmount: '500000', annualRateBps: 450, feeAmount: '0', tenorEnd: due }));
    },
    async (state) => {
      const applied = await recorder.time('finance-apply', true, () => driver.call(user.supplierA, 'post', '/financings', {}, {
        certificateId: state.kept!, bankId: bank.id, mode: 'PLEDGE', requestedAmount: '500000',
        annualRateBps: 450, feeAmount: '0', tenorEnd: due, documentsHash: sha('documents') }));
      state.financingId = applied.result.financing.id;
      // The bank disburses the price the chaincode gives for funding today.
      state.disbursed = applied.result.terms.price.disbursedAmount;
    },
    async (state) => {
      await recorder.time('finance-approve', true, () => driver.call(bank.actor, 'post', '/financings/:id/approve', { id: state.financingId! },
        { disbursedAmount: state.disbursed!, paymentRef: `pay-${state.financingId!.slice(-12)}` }));
    },
    async (state) => {
      // Repaying records the amount on the bank's peers, then names it publicly: two transactions.
      await recorder.time('finance-repay', true, () => driver.call(user.supplierA, 'post', '/financings/:id/repay', { id: state.financingId! },
        { amount: '500000', repaymentRef: `rep-${state.financingId!.slice(-12)}` }));
    },
    async (state) => {
      await recorder.time('finance-release', true, () => driver.call(bank.actor, 'post', '/financings/:id/release', { id: state.financingId! },
        { receiptRef: `rcv-${state.financingId!.slice(-12)}` }));
    },
    async (state) => {
      await recorder.time('trace-tree', false, () => driver.call(user.core, 'get', '/receivables/:id/tree', { id: state.receivableId! }));
    },
    async (state) => {
      await recorder.time('trace-lineage', false, () => driver.call(user.supplierB, 'get', '/certificates/:id/lineage', { id: state.passed! }));
    },
    async () => {
      await recorder.time('statement', false, () => driver.call(user.supplierA, 'get', '/enterprises/:id/statement', { id: user.ids.supplierA.id }));
    },
  ];
}

/** The realistic mix at a concurrency, each virtual user on its own parties (onboarded here). */
export async function prepareMixed<Actor>(driver: Driver<Actor>, concurrency: number, progress: (m: string) => void, processes?: ProcessGroups): Promise<Phase> {
  const tag = randomUUID().slice(0, 6);
  const { bank, users } = await setUpUsers(driver, concurrency, tag, progress);
  progress(`${driver.name}: ${concurrency} users ready (issue, accept, split, offer, sign, finance, approve, repay, release, trace)`);
  const serial = { next: 1 };
  const states = users.map((): StoryState => ({ next: 0 }));
  return {
    name: driver.name, concurrency, processes,
    worker: async (i, recorder, until) => {
      const steps = storySteps(driver, bank, users[i]!, recorder, serial);
      const state = states[i]!;
      while (Date.now() < until) {
        try {
          await steps[state.next]!(state);
          state.next = (state.next + 1) % steps.length;
        } catch {
          state.next = 0; // Recorded by the recorder; the user starts a new story.
        }
      }
    },
  };
}

/**
 * Split and transfer only, the operations the baseline target names: each user's two
 * suppliers pass a certificate back and forth, the holder splitting off the smallest piece
 * allowed, offering the rest and the other signing for it. When the chain reaches the
 * consortium's split depth, the user's core enterprise issues a fresh receivable (not
 * counted: it is neither a split nor a transfer). `callers` are each user's two signers.
 */
export async function prepareTransfers<Actor>(driver: Driver<Actor>, concurrency: number, progress: (m: string) => void, processes?: ProcessGroups):
  Promise<Phase & { readonly callers: ReadonlyArray<readonly [Actor, Actor]> }> {
  const tag = randomUUID().slice(0, 6);
  const { users } = await setUpUsers(driver, concurrency, tag, progress);
  const due = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
  const smallest = Number(DEFAULT_LIMITS.minPieceAmount);
  const face = smallest * (DEFAULT_LIMITS.maxSplitDepth + 1);
  let serial = 0;
  const freshPiece = async (user: UserParties<Actor>) => {
    const invoiceNumber = String(++serial).padStart(8, '0');
    const issued = await driver.call(user.core, 'post', '/receivables', {}, {
      creditorId: user.ids.supplierA.id, faceAmount: String(face), currency: 'CNY', dueDate: due, invoiceHash: sha(`transfer ${tag} ${invoiceNumber}`),
      contractHash: sha('contract'), creditLineId: user.lineId,
      invoice: { invoiceCode: '3100231130', invoiceNumber, sellerRegistrationNumber: user.ids.supplierA.registrationNumber, buyerRegistrationNumber: user.ids.core.registrationNumber } });
    return (await driver.call(user.supplierA, 'post', '/receivables/:id/accept', { id: issued.result.id })).result.certificate.id as string;
  };
  // Where each user's chain stands, kept between windows; a user whose call failed stops (its piece's state is unknown).
  const chains = await Promise.all(users.map(async (user) => ({ piece: await freshPiece(user), depth: 0, stopped: false })));
  progress(`${driver.name}: ${concurrency} users ready (split, offer, sign, back and forth)`);
  return {
    name: `${driver.name} split/transfer`, concurrency, processes,
    callers: users.map((user) => [user.supplierA, user.supplierB] as const),
    worker: async (i, recorder, until) => {
      const user = users[i]!;
      const chain = chains[i]!;
      const parties = [{ actor: user.supplierA, id: user.ids.supplierA.id }, { actor: user.supplierB, id: user.ids.supplierB.id }];
      try {
        while (!chain.stopped && Date.now() < until) {
          if (chain.depth === DEFAULT_LIMITS.maxSplitDepth) Object.assign(chain, { piece: await freshPiece(user), depth: 0 });
          const [holder, next] = [parties[chain.depth % 2]!, parties[(chain.depth + 1) % 2]!];
          const split = await recorder.time('split', true, () => driver.call(holder.actor, 'post', '/certificates/:id/split', { id: chain.piece },
            { amounts: [String(smallest), String(face - smallest * (chain.depth + 1))] }));
          const piece = (split.result.children as { id: string }[])[1]!.id;
          chain.piece = piece;
          await recorder.time('offer', true, () => driver.call(holder.actor, 'post', '/certificates/:id/offer', { id: piece },
            { to: next.id, expiresAt: new Date(Date.now() + 3600_000).toISOString() }));
          await recorder.time('offer-accept', true, () => driver.call(next.actor, 'post', '/certificates/:id/offer/accept', { id: piece }));
          chain.depth++;
        }
      } catch {
        chain.stopped = true;
      }
    },
  };
}
