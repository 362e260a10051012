import { contracts } from '../src';
import { EndorsementError, LedgerEngine, type Proposal } from '../src/engine/ledger-engine';
import type { ReadWriteSet } from '../src/engine/simulation-stub';
import type { CreditLine } from '../src/domain/model';
import { sha } from './support/fixtures';
import { World } from './support/world';

/**
 * A rival bank's peer, on the same ledger: what the chaincode does there when it may not
 * keep Bank1MSP's collection (the world's own engine keeps every collection, as the
 * embedded ledger does).
 */
function peerOf(world: World, mspId: string): LedgerEngine {
  return new LedgerEngine({ contracts, store: world.engine.store, peerMspId: mspId, clock: () => world.now });
}

/** A read-write set as the validator compares it: every key read with its version, every value written. */
function comparable(rwset: ReadWriteSet): string {
  const writes = [...rwset.writes].map(([key, value]) => [key, value ? Buffer.from(value).toString('base64') : null]);
  return JSON.stringify({ reads: [...rwset.reads], ranges: rwset.rangeReads, writes });
}

async function refusal(attempt: Promise<unknown>): Promise<string | undefined> {
  return attempt.then(() => undefined, (error: unknown) => (error instanceof EndorsementError ? error.code : String(error)));
}

describe('private terms: a bank\'s price and limit stay on its own peers', () => {
  let world: World;
  let certificateId: string;
  beforeEach(async () => {
    world = await World.create();
    ({ certificateId } = await world.issued('coreA', 'tier1', '1000000'));
  });

  test('a rival bank\'s peer refuses to store, decide or return a financing\'s terms, and computes none of them', async () => {
    const rival = peerOf(world, 'Bank2MSP');
    const terms = JSON.stringify({ requestedAmount: '900000', annualRateBps: 731, feeAmount: '1500', tenorEnd: world.dueIn(60), salt: sha('salt') });
    expect(await refusal(rival.endorse({ identity: world.as('tier1'), transaction: 'Financing:ProposeTerms', args: [certificateId, world.id('bank')], transient: { terms } })))
      .toBe('TERMS_ELSEWHERE');
    const asked = JSON.stringify({ requestedAmount: '900000', annualRateBps: 731, feeAmount: '1500', tenorEnd: world.dueIn(60) });
    expect(await refusal(rival.evaluate({ identity: world.as('tier1'), transaction: 'Financing:Quote', args: [certificateId, world.id('bank')], transient: { terms: asked } })))
      .toBe('TERMS_ELSEWHERE');
    const { financing } = await world.apply('tier1', certificateId, { amount: '900000', rateBps: 731, tenorEnd: world.dueIn(60) });
    for (const who of ['tier1', 'bank', 'auditor'] as const) {
      expect(await refusal(rival.evaluate({ identity: world.as(who), transaction: 'Financing:GetTerms', args: [financing.id] }))).toBe('TERMS_ELSEWHERE');
    }
    const decision = JSON.stringify({ disbursedAmount: '880000', salt: sha('decision salt') });
    expect(await refusal(rival.endorse({ identity: world.as('bank'), transaction: 'Financing:DecideTerms', args: [financing.id], transient: { decision } })))
      .toBe('TERMS_ELSEWHERE');
    expect(await refusal(rival.evaluate({ identity: world.as('coreA'), transaction: 'CreditLine:GetLimit', args: [world.lineOf('coreA')] }))).toBe('TERMS_ELSEWHERE');
    // The deciding bank's own peer answers the parties and oversight, and nobody else.
    const home = peerOf(world, 'Bank1MSP');
    for (const who of ['tier1', 'bank', 'auditor', 'regulator'] as const) {
      expect(await refusal(home.evaluate({ identity: world.as(who), transaction: 'Financing:GetTerms', args: [financing.id] }))).toBeUndefined();
    }
    for (const who of ['tier2', 'coreB', 'bankTwo'] as const) {
      expect(await refusal(home.evaluate({ identity: world.as(who), transaction: 'Financing:GetTerms', args: [financing.id] }))).toBe('FORBIDDEN');
    }
  });

  test('public steps read the same on the bank\'s peer and on a rival\'s: only the bank\'s peer checks what the hash names', async () => {
    const home = peerOf(world, 'Bank1MSP');
    const rival = peerOf(world, 'Bank2MSP');
    const endorseBoth = async (proposal: Proposal) => {
      const [a, b] = await Promise.all([home.endorse(proposal), rival.endorse(proposal)]);
      expect(comparable(b.rwset)).toBe(comparable(a.rwset));
      expect(Buffer.from(b.result).toString()).toBe(Buffer.from(a.result).toString());
    };
    const termsHash = await world.propose('tier1', certificateId, { amount: '900000', tenorEnd: world.dueIn(60) });
    const apply = { identity: world.as('tier1'), transaction: 'Financing:Apply', args: [certificateId, world.id('bank'), 'PLEDGE', termsHash, sha('docs')], txId: sha('apply'), timestampMillis: world.now };
    await endorseBoth(apply);
    const { financing } = await world.applyOn('tier1', certificateId, {}, termsHash);
    const decisionHash = await world.decide('bank', financing.id, await world.priced('bank', financing.id));
    await endorseBoth({ identity: world.as('bank'), transaction: 'Financing:Approve', args: [financing.id, decisionHash, 'PAY-1'], txId: sha('approve'), timestampMillis: world.now });
    const issue = { identity: world.as('coreA'), transaction: 'Receivable:Issue', txId: sha('issue'), timestampMillis: world.now,
      args: [world.id('tier1'), '5000', 'CNY', world.dueIn(60), sha('inv'), sha('contract'), world.lineOf('coreA')], transient: { invoice: world.invoice('tier1', 'coreA') } };
    await endorseBoth(issue);
  });

  test('the limit is checked inside endorsement by the granting bank\'s peer alone: a rival\'s would endorse, the bank\'s refuses', async () => {
    const line: CreditLine = await world.grantLine('bank', 'coreA', '10000', 86400 * 30);
    const over = { identity: world.as('coreA'), transaction: 'Receivable:Issue', txId: sha('over'), timestampMillis: world.now,
      args: [world.id('tier1'), '10001', 'CNY', world.dueIn(20), sha('inv-over'), sha('contract'), line.id], transient: { invoice: world.invoice('tier1', 'coreA') } };
    expect(await refusal(peerOf(world, 'Bank1MSP').endorse(over))).toBe('CREDIT_LIMIT_EXCEEDED');
    // The rival cannot tell; the line's key-level endorsement policy makes the bank's refusal decisive.
    expect(await refusal(peerOf(world, 'Bank2MSP').endorse(over))).toBeUndefined();
    const ungranted = await world.submit<CreditLine>(world.as('bank'), 'CreditLine:Grant', [world.id('coreA'), 'CNY', world.inSeconds(86400)]);
    // A line whose bank has not set a limit yet takes no issuance, on any peer.
    await world.refused('CREDIT_LIMIT_EXCEEDED', () => world.submit(world.as('coreA'), 'Receivable:Issue',
      [world.id('tier1'), '1', 'CNY', world.dueIn(20), sha('u'), sha('c'), ungranted.id], { invoice: world.invoice('tier1', 'coreA') }));
  });

  test('no public record, reply or event of the flows carries a term; the bank\'s collection holds them, salted', async () => {
    const rate = 7319;
    const fee = '831726445';
    const limit = '918273645500';
    // 9,000,000,000 less 60 days' interest at 73.19% ACT/360 (1,097,850,000) less the fee.
    const disbursed = '7070423555';
    const line = await world.grantLine('bank', 'coreA', limit, 86400 * 30);
    const { certificateId: large } = await world.issued('coreA', 'tier1', '9000000000');
    const { financing } = await world.apply('tier1', large, { amount: '9000000000', rateBps: rate, fee, tenorEnd: world.dueIn(60) });
    const funded = await world.approve('bank', financing.id, 'PAY-7', disbursed);
    const markers = [String(rate), fee, limit, disbursed];
    const publicText = JSON.stringify((await world.engine.store.range('scf', '', '\u{10ffff}')).map(([k, v]) => [k, Buffer.from(v.value).toString()]));
    const eventText = world.events.map((e) => Buffer.from(e.payload).toString()).join('\n');
    for (const marker of markers) {
      expect({ marker, inPublicState: publicText.includes(marker), inEvents: eventText.includes(marker), inReplies: JSON.stringify(funded).includes(marker) })
        .toEqual({ marker, inPublicState: false, inEvents: false, inReplies: false });
    }
    const privateText = JSON.stringify((await world.engine.store.range('scf$$p_implicit_org_Bank1MSP', '', '\u{10ffff}')).map(([, v]) => Buffer.from(v.value).toString()));
    for (const marker of markers) expect(privateText).toContain(marker);
    // Each holder of the terms can prove them against the hash every peer keeps.
    const limitView = await world.evaluate<{ limit: string; limitHash: string }>(world.as('coreA'), 'CreditLine:GetLimit', [line.id]);
    const publicLine = await world.evaluate<{ limitHash: string }>(world.as('auditor'), 'CreditLine:Get', [line.id]);
    expect(publicLine.limitHash).toBe(limitView.limitHash);
  });
});
