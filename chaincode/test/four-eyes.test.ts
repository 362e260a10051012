import type { LocalIdentity } from '../src/engine/local-ca';
import type { Enterprise, Instruction, Receivable } from '../src/domain/model';
import { sha } from './support/fixtures';
import { World } from './support/world';

type Team = Record<'admin' | 'admin2' | 'maker' | 'checker' | 'checker2' | 'viewer', LocalIdentity>;

/** An enterprise's team: its first admin (the party's identity) adds a second admin, a maker, two checkers and a viewer. */
async function teamOf(world: World, party: 'tier1' | 'coreA'): Promise<Team> {
  const team = { admin: world.as(party) } as Team;
  for (const [name, role] of [['admin2', 'ADMIN'], ['maker', 'MAKER'], ['checker', 'CHECKER'], ['checker2', 'CHECKER'], ['viewer', 'VIEWER']] as const) {
    team[name] = await world.cas.bank1.issue({ commonName: `${name}@${party}` });
    await world.submit(team.admin, 'User:Add', [team[name].mspId, team[name].clientId, role]);
  }
  return team;
}

/** The policy changes by four eyes: an admin proposes it, a checker approves it. */
async function setPolicy(world: World, team: Team, policy: Record<string, string>): Promise<Enterprise> {
  const proposed = await world.submit<Instruction>(team.admin, 'Instruction:Propose', ['Instruction:SetPolicy', JSON.stringify([JSON.stringify(policy)]), world.inSeconds(3600)]);
  return world.submit<Enterprise>(team.checker, 'Instruction:Approve', [proposed.id, proposed.argsHash]);
}

const propose = (world: World, maker: LocalIdentity, transaction: string, args: string[], transient?: Record<string, string>): Promise<Instruction> =>
  world.submit<Instruction>(maker, 'Instruction:Propose', [transaction, JSON.stringify(args), world.inSeconds(3600)], transient);

// Each test first builds a consortium and an enterprise's team: seconds on a loaded 2-core box.
jest.setTimeout(30_000);

describe('four eyes: a maker proposes, a different checker of the same enterprise approves', () => {
  let world: World;
  let tier1: Team;
  beforeEach(async () => {
    world = await World.create();
    tier1 = await teamOf(world, 'tier1');
    await setPolicy(world, tier1, { 'Receivable:Accept': '500000', 'Certificate:OfferTransfer': '0' });
  });

  test('the policy itself changes only by four eyes, proposed by an admin', async () => {
    await world.refused('FOUR_EYES_REQUIRED', () => world.submit(tier1.admin, 'Instruction:SetPolicy', ['{}']));
    await world.refused('FORBIDDEN', () => propose(world, tier1.maker, 'Instruction:SetPolicy', ['{}']));
    await world.refused('INVALID_ARGUMENT', () => propose(world, tier1.admin, 'Instruction:SetPolicy', ['{"Certificate:Split":"0"}']));
    const enterprise = await world.evaluate<Enterprise>(tier1.viewer, 'Enterprise:WhoAmI');
    expect(enterprise.fourEyes).toEqual({ 'Receivable:Accept': '500000', 'Certificate:OfferTransfer': '0' });
    await setPolicy(world, tier1, {});
    await expect(world.submit(tier1.maker, 'Receivable:Accept', [(await world.issue('coreA', 'tier1', '900000')).id])).resolves.toBeDefined();
  });

  test('from the threshold up a direct call is refused and the maker proposes it; below it one user suffices', async () => {
    const small = await world.issue('coreA', 'tier1', '499999');
    await expect(world.submit(tier1.maker, 'Receivable:Accept', [small.id])).resolves.toMatchObject({ receivable: { status: 'ACCEPTED' } });
    const large = await world.issue('coreA', 'tier1', '500000');
    await world.refused('FOUR_EYES_REQUIRED', () => world.submit(tier1.maker, 'Receivable:Accept', [large.id]));
    await world.refused('INVALID_STATE', () => propose(world, tier1.maker, 'Receivable:Accept', [small.id]));
    const instruction = await propose(world, tier1.maker, 'Receivable:Accept', [large.id]);
    expect(instruction).toMatchObject({ status: 'PENDING', transaction: 'Receivable:Accept', args: [large.id], maker: { clientId: tier1.maker.clientId } });
    const pending = await world.evaluate<{ items: Instruction[] }>(tier1.checker, 'Instruction:ListPending', [world.id('tier1'), '10', '']);
    expect(pending.items.map((i) => i.id)).toEqual([instruction.id]);
    expect((await world.evaluate<Receivable>(world.as('coreA'), 'Receivable:Get', [large.id])).status).toBe('ISSUED');

    const executed = await world.submit<{ receivable: Receivable }>(tier1.checker, 'Instruction:Approve', [instruction.id, instruction.argsHash]);
    expect(executed.receivable.status).toBe('ACCEPTED');
    expect(world.lastEvent().name).toBe('ReceivableAccepted');
    expect(world.lastEvent().payload.instructions).toMatchObject([{ id: instruction.id, status: 'EXECUTED' }]);
    const record = await world.evaluate<Instruction>(world.as('auditor'), 'Instruction:Get', [instruction.id]);
    expect(record).toMatchObject({
      status: 'EXECUTED',
      maker: { clientId: tier1.maker.clientId },
      checker: { clientId: tier1.checker.clientId },
    });
    expect((await world.evaluate<{ items: Instruction[] }>(tier1.viewer, 'Instruction:ListPending', [world.id('tier1'), '10', ''])).items).toEqual([]);
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier2'), 'Instruction:Get', [instruction.id]));
    await world.refused('INVALID_STATE', () => world.submit(tier1.checker2, 'Instruction:Approve', [instruction.id, instruction.argsHash]));
  });

  test('a maker cannot approve its own instruction, nor can a checker that made one; a maker or viewer cannot approve', async () => {
    const { id } = await world.issue('coreA', 'tier1', '800000');
    const byMaker = await propose(world, tier1.maker, 'Receivable:Accept', [id]);
    await world.refused('FORBIDDEN', () => world.submit(tier1.maker, 'Instruction:Approve', [byMaker.id, byMaker.argsHash]));
    await world.refused('FORBIDDEN', () => world.submit(tier1.viewer, 'Instruction:Approve', [byMaker.id, byMaker.argsHash]));
    await world.refused('FORBIDDEN', () => world.submit(tier1.admin2, 'Instruction:Approve', [byMaker.id, byMaker.argsHash]));
    await world.refused('FORBIDDEN', () => propose(world, tier1.viewer, 'Receivable:Accept', [id]));
    const byChecker = await propose(world, tier1.checker, 'Receivable:Accept', [id]);
    await world.refused('FORBIDDEN', () => world.submit(tier1.checker, 'Instruction:Approve', [byChecker.id, byChecker.argsHash]));
    // Its own key rotated is still the same user.
    const rotated = await world.cas.bank1.issue({ commonName: 'checker-rotated@tier1' });
    await world.submit(tier1.checker, 'Identity:RotateKey', [rotated.clientId]);
    await world.refused('FORBIDDEN', () => world.submit(rotated, 'Instruction:Approve', [byChecker.id, byChecker.argsHash]));
    // And its instruction stays its own: another checker executes it.
    await expect(world.submit(tier1.checker2, 'Instruction:Approve', [byChecker.id, byChecker.argsHash])).resolves.toBeDefined();
  });

  test("another enterprise's checker cannot see or decide the instruction", async () => {
    const { id } = await world.issue('coreA', 'tier1', '800000');
    const instruction = await propose(world, tier1.maker, 'Receivable:Accept', [id]);
    const stranger = await world.cas.bank1.issue({ commonName: 'checker@tier3' });
    await world.submit(world.as('tier3'), 'User:Add', [stranger.mspId, stranger.clientId, 'CHECKER']);
    await world.refused('NOT_FOUND', () => world.submit(stranger, 'Instruction:Approve', [instruction.id, instruction.argsHash]));
    await world.refused('FORBIDDEN', () => world.evaluate(stranger, 'Instruction:Get', [instruction.id]));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier3'), 'Instruction:ListPending', [world.id('tier1'), '10', '']));
  });

  test('approving a changed instruction is refused: the hash reviewed, and the transient data carried, must be what was proposed', async () => {
    const { id } = await world.issue('coreA', 'tier1', '800000');
    const instruction = await propose(world, tier1.maker, 'Receivable:Accept', [id]);
    await world.refused('INSTRUCTION_CHANGED', () => world.submit(tier1.checker, 'Instruction:Approve', [instruction.id, sha('something else')]));

    const coreA = await teamOf(world, 'coreA');
    await setPolicy(world, coreA, { 'Receivable:Issue': '1000000' });
    const invoice = world.invoice('tier1', 'coreA');
    const args = [world.id('tier1'), '2000000', 'CNY', world.dueIn(60), sha(`invoice ${invoice}`), sha('contract'), world.lineOf('coreA')];
    await world.refused('FOUR_EYES_REQUIRED', () => world.submit(coreA.maker, 'Receivable:Issue', args, { invoice }));
    const issuing = await propose(world, coreA.maker, 'Receivable:Issue', args, { invoice });
    const otherInvoice = world.invoice('tier1', 'coreA');
    await world.refused('INSTRUCTION_CHANGED', () => world.submit(coreA.checker, 'Instruction:Approve', [issuing.id, issuing.argsHash], { invoice: otherInvoice }));
    await expect(world.submit(coreA.checker, 'Instruction:Approve', [issuing.id, issuing.argsHash], { invoice })).resolves.toMatchObject({ status: 'ISSUED', faceAmount: '2000000' });
  });

  test('an expired instruction cannot execute; reads show it EXPIRED', async () => {
    const { id } = await world.issue('coreA', 'tier1', '800000');
    const instruction = await propose(world, tier1.maker, 'Receivable:Accept', [id]);
    world.advance(3600);
    await world.refused('INSTRUCTION_EXPIRED', () => world.submit(tier1.checker, 'Instruction:Approve', [instruction.id, instruction.argsHash]));
    await world.refused('INSTRUCTION_EXPIRED', () => world.submit(tier1.checker, 'Instruction:Reject', [instruction.id, 'late']));
    expect((await world.evaluate<Instruction>(tier1.viewer, 'Instruction:Get', [instruction.id])).status).toBe('EXPIRED');
  });

  test('approval runs every check again: a piece frozen since it was proposed does not move', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '100');
    await world.refused('FOUR_EYES_REQUIRED', () => world.submit(tier1.maker, 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(3000)]));
    const instruction = await propose(world, tier1.maker, 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(3000)]);
    await world.submit(world.as('regulator'), 'Regulator:Freeze', ['certificate', certificateId, 'dispute']);
    await world.refused('FROZEN', () => world.submit(tier1.checker, 'Instruction:Approve', [instruction.id, instruction.argsHash]));
    await world.submit(world.as('regulator'), 'Regulator:Unfreeze', ['certificate', certificateId]);
    await expect(world.submit(tier1.checker, 'Instruction:Approve', [instruction.id, instruction.argsHash])).resolves.toMatchObject({ status: 'OFFERED' });
  });

  test('a maker removed before approval leaves its instruction unexecutable', async () => {
    const { id } = await world.issue('coreA', 'tier1', '800000');
    const instruction = await propose(world, tier1.maker, 'Receivable:Accept', [id]);
    await world.submit(tier1.admin, 'User:Remove', [tier1.maker.mspId, tier1.maker.clientId]);
    await world.refused('FORBIDDEN', () => world.submit(tier1.checker, 'Instruction:Approve', [instruction.id, instruction.argsHash]));
  });

  test('a rejected instruction is decided for good', async () => {
    const { id } = await world.issue('coreA', 'tier1', '800000');
    const instruction = await propose(world, tier1.maker, 'Receivable:Accept', [id]);
    await expect(world.submit(tier1.checker, 'Instruction:Reject', [instruction.id, 'wrong supplier'])).resolves.toMatchObject({
      status: 'REJECTED', reason: 'wrong supplier', checker: { clientId: tier1.checker.clientId },
    });
    await world.refused('INVALID_STATE', () => world.submit(tier1.checker2, 'Instruction:Approve', [instruction.id, instruction.argsHash]));
  });

  test('two checkers approving one instruction at once: it executes once', async () => {
    const { id } = await world.issue('coreA', 'tier1', '800000');
    const instruction = await propose(world, tier1.maker, 'Receivable:Accept', [id]);
    const endorsed = await Promise.all([tier1.checker, tier1.checker2].map((identity) => world.engine.endorse({
      identity, transaction: 'Instruction:Approve', args: [instruction.id, instruction.argsHash],
    })));
    const outcomes = await Promise.allSettled(endorsed.map((tx) => world.engine.commit(tx)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const certificates = await world.evaluate<{ items: unknown[] }>(tier1.viewer, 'Certificate:ListByHolder', [world.id('tier1'), '10', '']);
    expect(certificates.items).toHaveLength(1);
  });
});
