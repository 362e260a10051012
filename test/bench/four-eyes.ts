import type { LocalIdentity } from '@scf/chaincode/engine';
import { ScalingLedger } from './scaling';
import { percentile } from './load';

/** One way of accepting a receivable: how many transactions, how long, how many state reads and writes. */
export interface AcceptanceFlow {
  readonly transactions: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly reads: number;
  readonly writes: number;
}

export interface FourEyesPricing {
  readonly acceptances: number;
  /** The maker accepts alone (below the policy's threshold). */
  readonly oneStep: AcceptanceFlow;
  /** The maker proposes, the checker approves (from the threshold up): the same acceptance, by four eyes. */
  readonly fourEyes: AcceptanceFlow;
}

const THRESHOLD = '1000000';

/**
 * Prices four eyes on the embedded ledger (LevelDB): the supplier has a maker and a checker
 * and a policy putting acceptance from 1,000,000 under four eyes; each round accepts one
 * receivable below it in one step and one above it by proposal and approval. Time is per
 * acceptance (both transactions for four eyes); reads and writes are the state the
 * transactions touch, as a peer's read-write sets would hold them.
 */
export async function fourEyesPricing(acceptances: number, progress: (m: string) => void): Promise<FourEyesPricing> {
  const ledger = await ScalingLedger.open();
  try {
    const { maker, checker } = await team(ledger);
    const policy = await ledger.submit(ledger.supplier, 'Instruction:Propose', [
      'Instruction:SetPolicy',
      JSON.stringify([JSON.stringify({ 'Receivable:Accept': THRESHOLD })]),
      expiry(ledger),
    ]);
    await ledger.submit(checker, 'Instruction:Approve', [policy.id, policy.argsHash]);
    progress(`four eyes: ${acceptances} acceptances in one step and ${acceptances} by maker and checker (embedded)`);
    const oneStep: Sample[] = [];
    const fourEyes: Sample[] = [];
    for (let i = 0; i < acceptances; i++) {
      const small = await ledger.issue('999999');
      oneStep.push(await measured([() => endorseAndCommit(ledger, maker, 'Receivable:Accept', [small.id])]));
      const large = await ledger.issue(THRESHOLD);
      let instruction: { id: string; argsHash: string } | undefined;
      fourEyes.push(
        await measured([
          async () => {
            const outcome = await endorseAndCommit(ledger, maker, 'Instruction:Propose', [
              'Receivable:Accept',
              JSON.stringify([large.id]),
              expiry(ledger),
            ]);
            instruction = outcome.result as { id: string; argsHash: string };
            return outcome;
          },
          () => endorseAndCommit(ledger, checker, 'Instruction:Approve', [instruction!.id, instruction!.argsHash]),
        ]),
      );
    }
    return { acceptances, oneStep: summary(oneStep, 1), fourEyes: summary(fourEyes, 2) };
  } finally {
    await ledger.close();
  }
}

async function team(ledger: ScalingLedger): Promise<{ maker: LocalIdentity; checker: LocalIdentity }> {
  const enrol = async (login: string, role: string) => {
    const identity = await ledger.ca.issue({
      commonName: `supplier.${login}`,
      attributes: { 'scf.enterpriseId': 'did:scf:supplier' },
    });
    await ledger.submit(ledger.supplier, 'User:Add', ['Bank1MSP', identity.clientId, role]);
    return identity;
  };
  return { maker: await enrol('maker', 'MAKER'), checker: await enrol('checker', 'CHECKER') };
}

const expiry = (ledger: ScalingLedger): string => new Date(ledger.now + 86_400_000).toISOString();

interface Sample {
  readonly ms: number;
  readonly reads: number;
  readonly writes: number;
}
interface Outcome {
  readonly result: unknown;
  readonly reads: number;
  readonly writes: number;
}

async function endorseAndCommit(
  ledger: ScalingLedger,
  identity: LocalIdentity,
  transaction: string,
  args: string[],
): Promise<Outcome> {
  const endorsed = await ledger.engine.endorse({ identity, transaction, args });
  await ledger.engine.commit(endorsed);
  const text = Buffer.from(endorsed.result).toString('utf8');
  return {
    result: text ? JSON.parse(text) : null,
    reads: endorsed.rwset.reads.size,
    writes: endorsed.rwset.writes.size,
  };
}

async function measured(steps: readonly (() => Promise<Outcome>)[]): Promise<Sample> {
  const started = process.hrtime.bigint();
  let reads = 0;
  let writes = 0;
  for (const step of steps) {
    const outcome = await step();
    reads += outcome.reads;
    writes += outcome.writes;
  }
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, reads, writes };
}

function summary(samples: readonly Sample[], transactions: number): AcceptanceFlow {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    transactions,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    reads: samples[samples.length - 1]!.reads,
    writes: samples[samples.length - 1]!.writes,
  };
}
