import { eventProjection } from '../src/access/event-projection';
import { requiredApprovals } from '../src/domain/governance-rules';
import type { ConsortiumConfig, Payout, Proposal } from '../src/domain/model';
import { LocalCertificateAuthority, type LocalIdentity } from '../src/engine/local-ca';
import type { EventPayload } from '../src/ledger/change-set';
import type { Page } from './support/answers';
import { NEW_REGISTRATION_NUMBER } from './support/fixtures';
import { checkInvariants } from './support/invariants';
import { World } from './support/world';

const config = (world: World): Promise<ConsortiumConfig> => world.evaluate<ConsortiumConfig>(world.admins.bank1, 'Consortium:GetConfig');
const approve = (world: World, who: LocalIdentity, id: string): Promise<Proposal> => world.submit<Proposal>(who, 'Governance:Approve', [id]);

describe('governance: the consortium rules change only by a majority of the bank organisations', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); });

  test('one bank of two proposing changes nothing; the second bank\'s approval applies it in that transaction', async () => {
    const before = await config(world);
    const proposal = await world.proposeChange('limits', { maxSplitDepth: 3 });
    expect(proposal).toMatchObject({ kind: 'limits', status: 'OPEN', change: { maxSplitDepth: 3 }, appliedAt: null });
    expect(world.lastEvent().name).toBe('ProposalMade');
    expect(await config(world)).toEqual(before);

    world.advance(60);
    const applied = await approve(world, world.admins.bank2, proposal.id);
    expect(applied).toMatchObject({ status: 'APPLIED', appliedAt: new Date(world.now).toISOString() });
    expect(applied.approvals).toEqual([
      { mspId: 'Bank1MSP', clientId: world.admins.bank1.clientId, at: proposal.proposedAt },
      { mspId: 'Bank2MSP', clientId: world.admins.bank2.clientId, at: new Date(world.now).toISOString() },
    ]);
    expect((await config(world)).limits).toEqual({ ...before.limits, maxSplitDepth: 3 });
    const event = world.lastEvent();
    expect(event.name).toBe('ProposalApplied');
    expect(event.payload.consortium.limits.maxSplitDepth).toBe(3);
    expect(event.payload.proposals).toEqual([applied]);
    // An applied proposal takes no more approvals.
    await world.refused('INVALID_STATE', () => approve(world, world.admins.bank2, proposal.id));
  });

  test('an organisation approves once: a second admin of the proposing bank is refused and counts for nothing', async () => {
    const proposal = await world.proposeChange('credentialPolicy', { 'Financing:Apply': ['KYC'] });
    const colleague = await world.cas.bank1.issue({ commonName: 'second-admin@bank1', type: 'admin' });
    await world.refused('ALREADY_EXISTS', () => approve(world, colleague, proposal.id));
    await world.refused('ALREADY_EXISTS', () => approve(world, world.admins.bank1, proposal.id));
    expect(await world.evaluate(world.admins.bank2, 'Governance:Get', [proposal.id])).toMatchObject({ status: 'OPEN', approvals: [{ mspId: 'Bank1MSP' }] });
    expect((await config(world)).credentialPolicy).toEqual({});
  });

  test('a proposal past its expiry is refused (EXPIRED, by transaction time) and changes nothing', async () => {
    const proposal = await world.submit<Proposal>(world.admins.bank1, 'Governance:Propose', ['limits', '{"maxSplitChildren":5}', world.inSeconds(3600)]);
    world.advance(3600);
    await world.refused('PROPOSAL_EXPIRED', () => approve(world, world.admins.bank2, proposal.id));
    expect(await world.evaluate(world.admins.bank2, 'Governance:Get', [proposal.id])).toMatchObject({ status: 'EXPIRED' });
    expect((await config(world)).limits.maxSplitChildren).toBe(20);
    const propose = (expiresAt: string) => world.submit(world.admins.bank1, 'Governance:Propose', ['limits', '{"maxSplitChildren":5}', expiresAt]);
    await world.refused('INVALID_ARGUMENT', () => propose(world.inSeconds(-1)));
    await world.refused('INVALID_ARGUMENT', () => propose(world.inSeconds(91 * 86_400)));
  });

  test('only admins of consortium banks propose and approve; enterprises (banks too) and outsiders are refused', async () => {
    const proposal = await world.proposeChange('limits', { maxSplitDepth: 4 });
    const outsider = await (await LocalCertificateAuthority.create('Bank3MSP')).issue({ commonName: 'admin@bank3', type: 'admin' });
    const unbound = await world.cas.bank2.issue({ commonName: 'clerk@bank2' });
    for (const who of [world.as('bank'), world.as('regulator'), outsider]) {
      await world.refused('FORBIDDEN', () => approve(world, who, proposal.id));
      await world.refused('FORBIDDEN', () => world.proposeChange('limits', { maxSplitDepth: 2 }, who));
    }
    await world.refused('UNAUTHENTICATED', () => approve(world, unbound, proposal.id));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('bank'), 'Governance:Get', [proposal.id]));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('coreA'), 'Governance:List', ['10', '']));
    expect(await world.evaluate(world.as('auditor'), 'Governance:Get', [proposal.id])).toMatchObject({ id: proposal.id });
  });

  test('members join and leave by majority; the threshold follows the membership and is itself changed by proposal', async () => {
    const bank3 = await LocalCertificateAuthority.create('Bank3MSP');
    const admin3 = await bank3.issue({ commonName: 'admin@bank3', type: 'admin' });
    await world.refused('FORBIDDEN', () => world.proposeChange('limits', { maxSplitDepth: 2 }, admin3));
    expect(await world.govern('addBank', { mspId: 'Bank3MSP' })).toMatchObject({ status: 'APPLIED' });
    expect((await config(world)).bankMspIds).toEqual(['Bank1MSP', 'Bank2MSP', 'Bank3MSP']);
    await world.refused('INVALID_STATE', () => world.proposeChange('addBank', { mspId: 'Bank2MSP' }));

    // Three banks: two of them are a majority.
    const depth = await world.proposeChange('limits', { maxSplitDepth: 2 }, admin3);
    expect(await approve(world, world.admins.bank1, depth.id)).toMatchObject({ status: 'APPLIED' });

    // All three must approve from now on.
    const unanimity = await world.proposeChange('threshold', { kind: 'count', count: 3 });
    expect(await approve(world, admin3, unanimity.id)).toMatchObject({ status: 'APPLIED' });
    expect((await config(world)).approvalThreshold).toEqual({ kind: 'count', count: 3 });
    const removal = await world.proposeChange('removeBank', { mspId: 'Bank3MSP' });
    expect(await approve(world, world.admins.bank2, removal.id)).toMatchObject({ status: 'OPEN' });
    expect(await approve(world, admin3, removal.id)).toMatchObject({ status: 'APPLIED' });
    expect((await config(world)).bankMspIds).toEqual(['Bank1MSP', 'Bank2MSP']);
    await world.refused('FORBIDDEN', () => world.proposeChange('limits', { maxSplitDepth: 2 }, admin3));
    await world.refused('INVALID_ARGUMENT', () => world.proposeChange('threshold', { kind: 'fraction', numerator: 3, denominator: 2 }));
  });

  test('the number of approvals a threshold asks for', () => {
    expect([1, 2, 3, 4, 5].map((n) => requiredApprovals({ kind: 'majority' }, n))).toEqual([1, 2, 2, 3, 3]);
    expect(requiredApprovals({ kind: 'count', count: 3 }, 2)).toBe(2);
    expect([3, 4, 6].map((n) => requiredApprovals({ kind: 'fraction', numerator: 2, denominator: 3 }, n))).toEqual([2, 3, 4]);
  });

  test('a change that no longer fits when its approval comes is refused, changing nothing', async () => {
    const first = await world.proposeChange('suspendBank', { mspId: 'Bank2MSP', reason: 'capital review' });
    const second = await world.proposeChange('suspendBank', { mspId: 'Bank2MSP', reason: 'again' });
    await approve(world, world.admins.bank2, first.id);
    await world.refused('INVALID_STATE', () => approve(world, world.admins.bank2, second.id));
  });

  test('proposals are listed oldest first, in pages, for bank admins and oversight; their events reach admins and oversight only', async () => {
    const ids: string[] = [];
    for (const depth of [2, 3, 4]) {
      ids.push((await world.proposeChange('limits', { maxSplitDepth: depth })).id);
      world.advance(1);
    }
    const first = await world.evaluate<Page<Proposal>>(world.admins.bank2, 'Governance:List', ['2', '']);
    const second = await world.evaluate<Page<Proposal>>(world.as('regulator'), 'Governance:List', ['2', first.bookmark]);
    expect([...first.items, ...second.items].map((p) => p.id)).toEqual(ids);
    expect(second.bookmark).toBe('');
    const payload = JSON.parse(Buffer.from(world.events.at(-1)!.payload).toString('utf8')) as EventPayload;
    expect(eventProjection(payload, { kind: 'admin' })!.proposals).toHaveLength(1);
    expect(eventProjection(payload, { kind: 'oversight' })).toEqual(payload);
    expect(eventProjection(payload, { kind: 'enterprise', id: world.id('bank') })).toBeUndefined();
  });
});

describe('a bank organisation suspended by the consortium takes no new business; its customers\' existing pieces run off', () => {
  let world: World;
  let receivableId: string;
  let certificateId: string;
  let pending: string;
  beforeAll(async () => {
    world = await World.create();
    // Before the suspension: coreB (onboarded by Bank2MSP) owes tier2 (Bank2MSP too); tier1 applied to bankTwo.
    ({ receivableId, certificateId } = await world.issued('coreB', 'tier2', '1000000', 5));
    const applied = await world.issued('coreA', 'tier1', '300000');
    pending = (await world.apply('tier1', applied.certificateId, { amount: '1000', tenorEnd: world.dueIn(30), bank: 'bankTwo' })).financing.id;
    await world.govern('suspendBank', { mspId: 'Bank2MSP', reason: 'capital adequacy review' });
  });

  test('its admins onboard no one: no registration, no binding; unbinding and suspending a customer stay open', async () => {
    const clerk = await world.cas.bank2.issue({ commonName: 'clerk@bank2' });
    await world.refused('BANK_SUSPENDED', () => world.submit(world.admins.bank2, 'Enterprise:Register', ['did:scf:late-comer', 'Late', '["SUPPLIER"]'], { registrationNumber: NEW_REGISTRATION_NUMBER }));
    await world.refused('BANK_SUSPENDED', () => world.submit(world.admins.bank2, 'Enterprise:BindIdentity', [world.id('tier2'), 'Bank2MSP', clerk.clientId]));
    // Bank1MSP is not suspended: it still onboards.
    await world.submit(world.admins.bank1, 'Enterprise:Register', ['did:scf:late-comer', 'Late', '["SUPPLIER"]'], { registrationNumber: NEW_REGISTRATION_NUMBER });
    await world.submit(world.admins.bank2, 'Enterprise:Suspend', [world.id('auditor'), 'review']);
    await world.submit(world.admins.bank2, 'Enterprise:Reinstate', [world.id('auditor')]);
  });

  test('its customers issue nothing, apply for nothing, are granted nothing; its bank decides nothing new', async () => {
    await world.refused('BANK_SUSPENDED', () => world.issue('coreB', 'tier2', '5000'));
    await world.refused('BANK_SUSPENDED', () => world.propose('tier2', certificateId, { amount: '1000', tenorEnd: world.dueIn(3) }));
    await world.refused('BANK_SUSPENDED', () => world.grantLine('bankTwo', 'coreA', '1000000', 86_400));
    // Nor is a suspended organisation's customer taken on as a counterparty.
    await world.refused('BANK_SUSPENDED', () => world.grantLine('bank', 'coreB', '1000000', 86_400));
    const { certificateId: ownPiece } = await world.issued('coreA', 'tier1', '200000');
    await world.refused('BANK_SUSPENDED', () => world.propose('tier1', ownPiece, { amount: '1000', tenorEnd: world.dueIn(30), bank: 'bankTwo' }));
    // Its bank funds no pending application, and may still turn it down.
    await world.refused('BANK_SUSPENDED', () => world.decide('bankTwo', pending, '1000'));
    await world.submit(world.as('bankTwo'), 'Financing:Reject', [pending, 'suspended from new business']);
  });

  test('existing pieces stay readable, splittable, movable and payable', async () => {
    expect(await world.evaluate(world.as('tier2'), 'Certificate:Get', [certificateId])).toMatchObject({ holderId: world.id('tier2') });
    const split = await world.submit<{ children: { id: string }[] }>(world.as('tier2'), 'Certificate:Split', [certificateId, '["600000","400000"]']);
    await world.transfer(split.children[1]!.id, 'tier2', 'tier1');
    world.advance(6 * 86_400);
    const paid = await world.submit<{ settlement: { status: string } }>(world.as('coreB'), 'Settlement:Pay', [receivableId, '1000000', 'CNAPS-SUSP', '10']);
    expect(paid.settlement.status).toBe('CLEARED');
  });

  test('reinstated by majority, it does business again', async () => {
    await world.govern('reinstateBank', { mspId: 'Bank2MSP' });
    expect((await config(world)).suspendedBankMspIds).toEqual([]);
    expect(await world.issue('coreB', 'tier2', '5000')).toMatchObject({ status: 'ISSUED' });
  });
});

describe('a bank organisation that left the consortium: what it and its customers hold runs off; they take no new business', () => {
  let world: World;
  let tier2Receivable: string;
  let tier2Piece: string;
  let pledgedReceivable: string;
  let pledgedPiece: string;
  let repaidPiece: string;
  let repaidFinancing: string;
  beforeAll(async () => {
    world = await World.create();
    // Before Bank2MSP leaves: coreB owes tier2 (both its customers); tier1 financed two pieces at bankTwo.
    ({ receivableId: tier2Receivable, certificateId: tier2Piece } = await world.issued('coreB', 'tier2', '1000000', 5));
    ({ receivableId: pledgedReceivable, certificateId: pledgedPiece } = await world.issued('coreA', 'tier1', '300000', 5));
    const pledged = (await world.apply('tier1', pledgedPiece, { amount: '250000', tenorEnd: world.dueIn(5), bank: 'bankTwo' })).financing.id;
    await world.approve('bankTwo', pledged, 'DISB-LEFT-1');
    ({ certificateId: repaidPiece } = await world.issued('coreA', 'tier1', '200000', 5));
    repaidFinancing = (await world.apply('tier1', repaidPiece, { amount: '100000', tenorEnd: world.dueIn(5), bank: 'bankTwo' })).financing.id;
    await world.approve('bankTwo', repaidFinancing, 'DISB-LEFT-2');
    expect(await world.govern('removeBank', { mspId: 'Bank2MSP' })).toMatchObject({ status: 'APPLIED' });
    expect((await config(world)).bankMspIds).toEqual(['Bank1MSP']);
  });

  test('its admins are no longer consortium admins; its customers issue, propose and are granted nothing (BANK_LEFT)', async () => {
    await world.refused('FORBIDDEN', () => world.submit(world.admins.bank2, 'Enterprise:Register', ['did:scf:late-comer', 'Late', '["SUPPLIER"]'], { registrationNumber: NEW_REGISTRATION_NUMBER }));
    await world.refused('FORBIDDEN', () => world.proposeChange('limits', { maxSplitDepth: 2 }, world.admins.bank2));
    await world.refused('BANK_LEFT', () => world.issue('coreB', 'tier2', '5000'));
    await world.refused('BANK_LEFT', () => world.propose('tier2', tier2Piece, { amount: '1000', tenorEnd: world.dueIn(3) }));
    await world.refused('BANK_LEFT', () => world.grantLine('bank', 'coreB', '1000000', 86_400));
    // Nor does a remaining bank's customer take it on: no application to its bank, which funds nothing new.
    const { certificateId: fresh } = await world.issued('coreA', 'tier1', '50000', 5);
    await world.refused('BANK_LEFT', () => world.propose('tier1', fresh, { amount: '1000', tenorEnd: world.dueIn(3), bank: 'bankTwo' }));
    await world.refused('BANK_LEFT', () => world.grantLine('bankTwo', 'coreA', '1000000', 86_400));
    await checkInvariants(world);
  });

  test('a piece pledged to its bank stays readable by the holder, the lien bank and oversight; repaid, it moves again', async () => {
    for (const reader of ['tier1', 'bankTwo', 'auditor'] as const) {
      expect(await world.evaluate(world.as(reader), 'Certificate:Get', [pledgedPiece])).toMatchObject({ status: 'PLEDGED', lien: { stage: 'PLEDGED' } });
    }
    await world.repayInFull('tier1', repaidFinancing, 'bankTwo');
    await world.transfer(repaidPiece, 'tier1', 'tier2');
    expect(await world.evaluate(world.as('tier2'), 'Certificate:Get', [repaidPiece])).toMatchObject({ status: 'ACTIVE', holderId: world.id('tier2') });
    await checkInvariants(world);
  });

  test('its customers\' pieces split and move; at maturity the debtor pays, its customers and its bank are paid', async () => {
    const split = await world.submit<{ children: { id: string }[] }>(world.as('tier2'), 'Certificate:Split', [tier2Piece, '["600000","400000"]']);
    await world.transfer(split.children[1]!.id, 'tier2', 'tier1');
    world.advance(6 * 86_400);
    const ownPaid = await world.submit<{ settlement: { status: string }; payouts: Payout[] }>(world.as('coreB'), 'Settlement:Pay', [tier2Receivable, '1000000', 'CNAPS-LEFT-1', '10']);
    expect(ownPaid.settlement.status).toBe('CLEARED');
    expect(ownPaid.payouts.map((p) => [p.payeeId, p.amount]).sort()).toEqual([[world.id('tier2'), '600000'], [world.id('tier1'), '400000']].sort());
    const pledgedPaid = await world.submit<{ payouts: Payout[] }>(world.as('coreA'), 'Settlement:Pay', [pledgedReceivable, '300000', 'CNAPS-LEFT-2', '10']);
    expect(pledgedPaid.payouts).toEqual([expect.objectContaining({ certificateId: pledgedPiece, payeeId: world.id('bankTwo'), amount: '300000', basis: 'PLEDGEE' })]);
    await checkInvariants(world);
  });
});
