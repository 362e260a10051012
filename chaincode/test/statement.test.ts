import fc from 'fast-check';
import { isLive } from '../src/domain/certificate-rules';
import { EndorsementError } from '../src/engine/ledger-engine';
import type { HoldingLine } from '../src/domain/statement-rules';
import type { Cleared, Split } from './support/answers';
import type { PartyName } from './support/fixtures';
import { readLedger } from './support/invariants';
import { World } from './support/world';

const DAY = 86_400;

interface Holdings { enterpriseId: string; from: string; to: string; opening: string; closing: string; lines: HoldingLine[]; bookmark: string }

/** The whole statement, page by page, summed as the gateway sums it. */
async function statement(world: World, who: PartyName, from: number, to: number, pageSize = 2, reader: PartyName = who) {
  let [opening, closing, bookmark] = [0n, 0n, ''];
  const lines: HoldingLine[] = [];
  do {
    const page = await world.evaluate<Holdings>(world.as(reader), 'Statement:Holdings',
      [world.id(who), new Date(from).toISOString(), new Date(to).toISOString(), String(pageSize), bookmark]);
    opening += BigInt(page.opening);
    closing += BigInt(page.closing);
    lines.push(...page.lines);
    bookmark = page.bookmark;
  } while (bookmark !== '');
  return { opening, closing, lines: lines.sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.certificateId.localeCompare(b.certificateId)) };
}

/** What the ledger says the party holds now: the sum of the live pieces it holds. */
async function heldNow(world: World, who: PartyName): Promise<bigint> {
  const ledger = await readLedger(world);
  return [...ledger.certificates.values()].filter((c) => isLive(c) && c.holderId === world.id(who)).reduce((sum, c) => sum + BigInt(c.amount), 0n);
}

const byKind = (lines: HoldingLine[]) => {
  const totals: Record<string, string> = {};
  for (const line of lines) totals[line.kind] = (BigInt(totals[line.kind] ?? '0') + BigInt(line.change)).toString();
  return totals;
};

describe('statements: an enterprise\'s holdings over a period, line by line', () => {
  test('a story: signed for, split, transferred, financed and repaid, settled; each line names its transaction', async () => {
    const world = await World.create();
    const start = world.now;
    const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '1000000', 30);
    world.advance(60);
    const { children } = await world.submit<Split>(world.as('tier1'), 'Certificate:Split', [certificateId, '["600000","400000"]']);
    const [kept, passed] = [children[0]!.id, children[1]!.id];
    world.advance(60);
    await world.transfer(passed, 'tier1', 'tier2');
    const { financing } = await world.apply('tier1', kept, { amount: '500000', tenorEnd: world.dueIn(20) });
    await world.approve('bank', financing.id, 'DISB-1');
    world.advance(DAY);
    const middle = world.now;
    await world.repayInFull('tier1', financing.id);
    world.advance(30 * DAY);
    const paid = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '500000', 'CNAPS-S', '50']);
    const end = world.now + 1;

    const whole = await statement(world, 'tier1', start, end);
    expect(whole.opening).toBe(0n);
    expect(byKind(whole.lines)).toEqual({ issued: '1000000', split: '0', transferredOut: '-400000', financed: '0', repaid: '0', settled: '-300000' });
    expect(whole.closing).toBe(300000n);
    expect(whole.closing).toBe(await heldNow(world, 'tier1'));
    expect(whole.lines.find((l) => l.kind === 'settled')).toMatchObject({ txId: paid.settlement.id.slice(4), certificateId: kept });
    expect(whole.lines.every((l) => /^[0-9a-f]{64}$/.test(l.txId) && l.timestamp >= new Date(start).toISOString())).toBe(true);
    // The lines name pieces and transactions, never another enterprise.
    expect(JSON.stringify(whole.lines)).not.toContain('did:scf:');

    const before = await statement(world, 'tier1', start, middle);
    const after = await statement(world, 'tier1', middle, end);
    expect(after.opening).toBe(before.closing);
    expect(before.closing).toBe(600000n);
    expect(after.lines.map((l) => l.kind)).toEqual(['repaid', 'settled']);

    const tier2 = await statement(world, 'tier2', start, end);
    expect(byKind(tier2.lines)).toEqual({ received: '400000', settled: '-200000' });
    expect(tier2.closing).toBe(await heldNow(world, 'tier2'));
  });

  test('only the enterprise itself and oversight read its statement; bad periods are refused', async () => {
    const world = await World.create();
    await world.issued('coreA', 'tier1', '1000', 30);
    const [from, to] = [world.now - 1000, world.now + 1000];
    await expect(statement(world, 'tier1', from, to, 10, 'auditor')).resolves.toMatchObject({ closing: 1000n });
    for (const stranger of ['tier2', 'coreA', 'bank'] as const) {
      await world.refused('FORBIDDEN', () => statement(world, 'tier1', from, to, 10, stranger));
    }
    const ask = (args: string[]) => world.evaluate(world.as('tier1'), 'Statement:Holdings', [world.id('tier1'), ...args]);
    await world.refused('INVALID_ARGUMENT', () => ask([new Date(to).toISOString(), new Date(from).toISOString(), '10', '']));
    await world.refused('INVALID_ARGUMENT', () => ask(['yesterday', new Date(to).toISOString(), '10', '']));
    await world.refused('INVALID_ARGUMENT', () => ask([new Date(from).toISOString(), new Date(to).toISOString(), '0', '']));
  });
});

describe('reconciliation: statements agree with the ledger over random stories', () => {
  const PARTIES: PartyName[] = ['tier1', 'tier2', 'tier3'];
  const action = fc.record({
    kind: fc.constantFrom('issue', 'split', 'transfer', 'transfer', 'finance', 'repay', 'pay', 'wait'),
    pick: fc.nat(),
    to: fc.constantFrom(...PARTIES),
    share: fc.integer({ min: 1, max: 999 }),
  });

  test('closing = what the party holds at the end; opening of [t1,t2) = closing of [t0,t1); opening + lines = closing', async () => {
    await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 18 }), fc.nat(), async (actions, cutSeed) => {
      const world = await World.create();
      const start = world.now;
      const held: { at: number; amounts: Record<string, bigint> }[] = [];
      for (const a of actions) {
        await storyStep(world, a).catch((error: unknown) => {
          if (!(error instanceof EndorsementError) || error.code === undefined) throw error;
        });
        world.advance(60);
        const amounts: Record<string, bigint> = {};
        for (const party of PARTIES) amounts[party] = await heldNow(world, party);
        held.push({ at: world.now, amounts });
      }
      const cut = held[cutSeed % held.length]!;
      for (const party of PARTIES) {
        const first = await statement(world, party, start, cut.at);
        const second = await statement(world, party, cut.at, world.now + 1);
        expect(first.opening).toBe(0n);
        expect(first.closing).toBe(cut.amounts[party]);
        expect(second.opening).toBe(first.closing);
        expect(second.closing).toBe(held.at(-1)!.amounts[party]);
        for (const part of [first, second]) {
          expect(part.opening + part.lines.reduce((sum, l) => sum + BigInt(l.change), 0n)).toBe(part.closing);
        }
      }
    }), { numRuns: 15 });
  }, 180_000);

  /** One step of a story among three suppliers; a refused step (say, moving a pledged piece) changes nothing. */
  async function storyStep(world: World, a: { kind: string; pick: number; to: PartyName; share: number }): Promise<void> {
    const ledger = await readLedger(world);
    const live = [...ledger.certificates.values()].filter(isLive).sort((x, y) => x.id.localeCompare(y.id));
    const piece = live[a.pick % Math.max(live.length, 1)];
    const holder = PARTIES.find((p) => world.id(p) === piece?.holderId);
    const open = ledger.receivables.filter((r) => r.status === 'ACCEPTED');
    switch (a.kind) {
      case 'issue':
        await world.issued('coreA', a.to, String(100000 + a.share), 1);
        return;
      case 'wait':
        world.advance(2 * DAY);
        return;
      case 'pay': {
        const receivable = open[a.pick % Math.max(open.length, 1)];
        if (!receivable) return;
        const owed = BigInt(receivable.faceAmount) - BigInt(receivable.settledAmount);
        await world.submit(world.as('coreA'), 'Settlement:Pay', [receivable.id, String((owed * BigInt(a.share)) / 1000n + 1n), 'PAY', '200']);
        return;
      }
      case 'repay': {
        const funded = ledger.financings.filter((f) => f.status === 'FUNDED');
        const financing = funded[a.pick % Math.max(funded.length, 1)];
        if (financing?.mode === 'PLEDGE') await world.repayInFull(PARTIES.find((p) => world.id(p) === financing.applicantId)!, financing.id, PARTIES.find((p) => world.id(p) === financing.bankId)!);
        return;
      }
    }
    if (!piece || !holder) return;
    switch (a.kind) {
      case 'split': {
        const first = (BigInt(piece.amount) * BigInt(a.share)) / 1000n;
        if (first >= 100n && BigInt(piece.amount) - first >= 100n) {
          await world.submit(world.as(holder), 'Certificate:Split', [piece.id, JSON.stringify([first.toString(), (BigInt(piece.amount) - first).toString()])]);
        }
        return;
      }
      case 'transfer':
        if (a.to !== holder) await world.transfer(piece.id, holder, a.to);
        return;
      case 'finance': {
        const due = ledger.receivables.find((r) => r.id === piece.receivableId)!.dueDate;
        const { financing } = await world.apply(holder, piece.id, { amount: piece.amount, tenorEnd: due, mode: a.share % 2 === 0 ? 'PLEDGE' : 'ASSIGNMENT' });
        await world.approve('bank', financing.id, 'DISB');
      }
    }
  }
});
