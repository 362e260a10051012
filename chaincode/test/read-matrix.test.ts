import { readFileSync } from 'fs';
import path from 'path';
import { eventProjection } from '../src/access/event-projection';
import { READ_TABLE, type Reader, type ReadTransaction } from '../src/access/read-policy';
import type { LocalIdentity } from '../src/engine/local-ca';
import type { EventPayload } from '../src/ledger/change-set';
import type { Credential, QuoteRequest } from '../src/domain/model';
import type { Cleared, OfferedPart, Split } from './support/answers';
import { OTHER_REGISTRATION_NUMBER, sha } from './support/fixtures';
import { World } from './support/world';

/**
 * The read table (access/read-policy.ts) as a matrix: every query transaction, asked by each
 * kind of reader, is answered to exactly the readers its rule names and refused FORBIDDEN to
 * everyone else. One world holds every relationship:
 *   coreA owes receivable R to tier1 (holder); tier1 split it, kept K and financed it with
 *   bank (the lien bank, which granted coreA's line), passed P to tier2 (the other branch),
 *   who offered a part O of it to tier3 (the offer recipient); coreA paid an earlier
 *   receivable R2 to tier1 and tier2 (settlement S, collected by bank, which granted coreA's
 *   line and so reads S without its payouts). bank2 (a rival bank) and a stranger
 *   supplier are party to nothing. coreA's admin proposed a four-eyes policy (instruction I).
 *   tier2, one of tier1's guardians, proposed recovering tier1's access.
 */
const READERS = ['debtor', 'holder', 'otherBranch', 'recipient', 'lienBank', 'rivalBank', 'stranger', 'auditor', 'regulator'] as const;
type ReaderKind = (typeof READERS)[number];
const OVERSIGHT: ReaderKind[] = ['auditor', 'regulator'];
const EVERYONE: ReaderKind[] = [...READERS];

interface Ids { R: string; R2: string; K: string; O: string; Q: string; tenorEnd: string; QR: string; F: string; S: string; L: string; G: string; I: string; credential: string; ids: Record<ReaderKind, string> }
interface Case {
  readonly transaction: ReadTransaction;
  readonly args: (x: Ids) => string[];
  readonly readers: ReaderKind[];
  readonly transient?: (x: Ids) => Record<string, string>;
}

const page = ['10', ''];
const CASES: Case[] = [
  { transaction: 'Consortium:GetConfig', args: () => [], readers: EVERYONE },
  { transaction: 'Governance:Get', args: (x) => [x.G], readers: OVERSIGHT },
  { transaction: 'Governance:List', args: () => page, readers: OVERSIGHT },
  { transaction: 'Enterprise:Get', args: (x) => [x.ids.debtor], readers: EVERYONE },
  { transaction: 'Enterprise:WhoAmI', args: () => [], readers: EVERYONE },
  { transaction: 'Identity:GetDidDocument', args: (x) => [x.ids.debtor], readers: EVERYONE },
  // The holder named guardians and one of them proposed recovering it: registry, like the DID document.
  { transaction: 'Identity:GetRecovery', args: (x) => [x.ids.holder], readers: EVERYONE },
  { transaction: 'User:List', args: (x) => [x.ids.debtor], readers: ['debtor', ...OVERSIGHT] },
  { transaction: 'Instruction:Get', args: (x) => [x.I], readers: ['debtor', ...OVERSIGHT] },
  { transaction: 'Instruction:ListPending', args: (x) => [x.ids.debtor, ...page], readers: ['debtor', ...OVERSIGHT] },
  { transaction: 'Credential:Verify', args: (x) => [x.credential], readers: EVERYONE },
  { transaction: 'Credential:ListBySubject', args: (x) => [x.ids.holder], readers: EVERYONE },
  { transaction: 'Credential:GetClaims', args: (x) => [x.credential], readers: ['holder', 'lienBank', ...OVERSIGHT] },
  { transaction: 'Receivable:Get', args: (x) => [x.R], readers: ['debtor', 'holder', ...OVERSIGHT] },
  { transaction: 'Receivable:ListByDebtor', args: (x) => [x.ids.debtor, ...page], readers: ['debtor', ...OVERSIGHT] },
  { transaction: 'Receivable:ListByCreditor', args: (x) => [x.ids.holder, ...page], readers: ['holder', ...OVERSIGHT] },
  { transaction: 'Certificate:Get', args: (x) => [x.K], readers: ['debtor', 'holder', 'lienBank', ...OVERSIGHT] },
  { transaction: 'Certificate:Get', args: (x) => [x.O], readers: ['debtor', 'otherBranch', 'recipient', ...OVERSIGHT] },
  { transaction: 'Certificate:ListByHolder', args: (x) => [x.ids.otherBranch, ...page], readers: ['otherBranch', ...OVERSIGHT] },
  { transaction: 'Certificate:ListOffersTo', args: (x) => [x.ids.recipient, ...page], readers: ['recipient', ...OVERSIGHT] },
  { transaction: 'CreditLine:Get', args: (x) => [x.L], readers: ['debtor', 'lienBank', ...OVERSIGHT] },
  { transaction: 'CreditLine:GetLimit', args: (x) => [x.L], readers: ['debtor', 'lienBank', ...OVERSIGHT] },
  { transaction: 'CreditLine:ListByCore', args: (x) => [x.ids.debtor, ...page], readers: ['debtor', ...OVERSIGHT] },
  { transaction: 'CreditLine:ListByBank', args: (x) => [x.ids.lienBank, ...page], readers: ['lienBank', ...OVERSIGHT] },
  // Q is the other branch's unlocked remainder: a quote is for the holder of a piece it could still finance.
  { transaction: 'Financing:Quote', args: (x) => [x.Q, x.ids.lienBank], readers: ['otherBranch'], transient: (x) => ({
    terms: JSON.stringify({ requestedAmount: '100000', annualRateBps: 300, feeAmount: '0', tenorEnd: x.tenorEnd }) }) },
  { transaction: 'Financing:Get', args: (x) => [x.F], readers: ['holder', 'lienBank', ...OVERSIGHT] },
  // QR: the other branch asked the lien bank and the rival bank to quote on Q; the lien bank quoted.
  { transaction: 'QuoteRequest:Get', args: (x) => [x.QR], readers: ['otherBranch', 'lienBank', 'rivalBank', ...OVERSIGHT] },
  { transaction: 'QuoteRequest:GetQuote', args: (x) => [x.QR, x.ids.lienBank], readers: ['otherBranch', 'lienBank', ...OVERSIGHT] },
  { transaction: 'QuoteRequest:GetQuote', args: (x) => [x.QR, x.ids.rivalBank], readers: ['otherBranch', 'rivalBank', ...OVERSIGHT] },
  { transaction: 'QuoteRequest:ListByBank', args: (x) => [x.ids.rivalBank, ...page], readers: ['rivalBank', ...OVERSIGHT] },
  { transaction: 'Financing:GetTerms', args: (x) => [x.F], readers: ['holder', 'lienBank', ...OVERSIGHT] },
  { transaction: 'Financing:GetPosition', args: (x) => [x.F], readers: ['holder', 'lienBank', ...OVERSIGHT] },
  { transaction: 'Financing:ListByBank', args: (x) => [x.ids.lienBank, ...page], readers: ['lienBank', ...OVERSIGHT] },
  { transaction: 'Financing:ListByApplicant', args: (x) => [x.ids.holder, ...page], readers: ['holder', ...OVERSIGHT] },
  { transaction: 'Settlement:Get', args: (x) => [x.S], readers: ['debtor', 'holder', 'otherBranch', 'lienBank', ...OVERSIGHT] },
  { transaction: 'Settlement:ListByReceivable', args: (x) => [x.R2], readers: ['debtor', 'holder', ...OVERSIGHT] },
  { transaction: 'Settlement:PayoutsTo', args: (x) => [x.ids.otherBranch, ...page], readers: ['otherBranch', ...OVERSIGHT] },
  { transaction: 'Trace:Lineage', args: (x) => [x.O], readers: ['debtor', 'otherBranch', 'recipient', ...OVERSIGHT] },
  { transaction: 'Trace:Lineage', args: (x) => [x.K], readers: ['debtor', 'holder', 'lienBank', ...OVERSIGHT] },
  { transaction: 'Trace:Tree', args: (x) => [x.R], readers: ['debtor', ...OVERSIGHT] },
  { transaction: 'Trace:Attestations', args: (x) => ['receivable', x.R], readers: ['debtor', 'holder', ...OVERSIGHT] },
  { transaction: 'Trace:Attestations', args: (x) => ['financing', x.F], readers: ['holder', 'lienBank', ...OVERSIGHT] },
  { transaction: 'Trace:History', args: (x) => ['certificate', x.O], readers: ['debtor', 'otherBranch', 'recipient', ...OVERSIGHT] },
  { transaction: 'Trace:History', args: (x) => ['receivable', x.R], readers: ['debtor', 'holder', ...OVERSIGHT] },
  { transaction: 'Trace:History', args: (x) => ['creditLine', x.L], readers: ['debtor', 'lienBank', ...OVERSIGHT] },
  { transaction: 'Trace:History', args: (x) => ['financing', x.F], readers: ['holder', 'lienBank', ...OVERSIGHT] },
  { transaction: 'Trace:History', args: (x) => ['settlement', x.S], readers: ['debtor', 'holder', 'otherBranch', 'lienBank', ...OVERSIGHT] },
  { transaction: 'Trace:History', args: (x) => ['enterprise', x.ids.debtor], readers: EVERYONE },
  { transaction: 'Statement:Holdings', args: (x) => [x.ids.otherBranch, '2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z', ...page], readers: ['otherBranch', ...OVERSIGHT] },
];

/** Registers an enterprise the fixtures do not have, bound to a fresh identity of Bank2MSP. */
async function newcomer(world: World, id: string, roles: string[], registrationNumber: string): Promise<LocalIdentity> {
  const identity = await world.cas.bank2.issue({ commonName: `${id}@bank2` });
  await world.submit(world.admins.bank2, 'Enterprise:Register', [id, id, JSON.stringify(roles)], { registrationNumber });
  await world.submit(world.admins.bank2, 'Enterprise:BindIdentity', [id, 'Bank2MSP', identity.clientId]);
  return identity;
}

async function settled(world: World): Promise<{ R2: string; S: string }> {
  const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '500000', 1);
  const split = await world.submit<Split>(world.as('tier1'), 'Certificate:Split', [certificateId, '["300000","200000"]']);
  await world.transfer(split.children[1]!.id, 'tier1', 'tier2');
  world.advance(2 * 86_400);
  const paid = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '500000', 'CNAPS-9', '50']);
  return { R2: receivableId, S: paid.settlement.id };
}

async function build(world: World): Promise<{ ids: Ids; as: Record<ReaderKind, LocalIdentity> }> {
  const rival = world.as('bankTwo');
  const stranger = await newcomer(world, 'did:scf:stranger', ['SUPPLIER'], OTHER_REGISTRATION_NUMBER);
  const { R2, S } = await settled(world);
  const { receivableId: R, certificateId } = await world.issued('coreA', 'tier1', '1000000');
  const split = await world.submit<Split>(world.as('tier1'), 'Certificate:Split', [certificateId, '["600000","400000"]']);
  const [K, P] = [split.children[0]!.id, split.children[1]!.id];
  await world.transfer(P, 'tier1', 'tier2');
  const part = await world.submit<OfferedPart>(world.as('tier2'), 'Certificate:OfferPart', [P, '100000', world.id('tier3'), world.inSeconds(3600)]);
  const quoteRequest = await world.submit<QuoteRequest>(world.as('tier2'), 'QuoteRequest:Open',
    [part.remainder.id, JSON.stringify([world.id('bank'), world.id('bankTwo')]), world.inSeconds(86_400)]);
  await world.submit(world.as('bank'), 'QuoteRequest:Answer', [quoteRequest.id],
    { quote: JSON.stringify({ requestedAmount: '100000', annualRateBps: 300, feeAmount: '0', tenorEnd: world.dueIn(30), salt: sha('matrix quote') }) });
  const { financing } = await world.apply('tier1', K, { amount: '500000', rateBps: 300, tenorEnd: world.dueIn(30) });
  await world.approve('bank', financing.id, 'SWIFT-1');
  const claims = JSON.stringify({ nonce: 'b3f1c9a07e5d4c2a', checkedBy: 'desk' });
  const credential = await world.submit<Credential>(world.as('bank'), 'Credential:Issue', [world.id('tier1'), 'KYC', world.inSeconds(86_400)], { claims });
  const proposal = await world.proposeChange('limits', { maxSplitDepth: 5 });
  // coreA's admin proposes a four-eyes policy: an instruction awaiting a checker.
  const instruction = await world.submit<{ id: string }>(world.as('coreA'), 'Instruction:Propose',
    ['Instruction:SetPolicy', JSON.stringify(['{"Receivable:Issue":"0"}']), world.inSeconds(86_400)]);
  await world.submit(world.as('tier1'), 'Identity:SetGuardians', [JSON.stringify([world.id('tier2'), world.id('tier3')]), '2']);
  const replacement = await world.cas.bank1.issue({ commonName: 'tier1-recovered' });
  await world.submit(world.as('tier2'), 'Identity:ProposeRecovery', [world.id('tier1'), 'Bank1MSP', replacement.clientId, world.inSeconds(86_400)]);
  const as: Record<ReaderKind, LocalIdentity> = {
    debtor: world.as('coreA'), holder: world.as('tier1'), otherBranch: world.as('tier2'), recipient: world.as('tier3'), lienBank: world.as('bank'),
    rivalBank: rival, stranger, auditor: world.as('auditor'), regulator: world.as('regulator'),
  };
  const ids: Record<ReaderKind, string> = {
    debtor: world.id('coreA'), holder: world.id('tier1'), otherBranch: world.id('tier2'), recipient: world.id('tier3'), lienBank: world.id('bank'),
    rivalBank: world.id('bankTwo'), stranger: 'did:scf:stranger', auditor: world.id('auditor'), regulator: world.id('regulator'),
  };
  return { ids: { R, R2, K, O: part.offered.id, Q: part.remainder.id, tenorEnd: world.dueIn(30), QR: quoteRequest.id, F: financing.id, S, L: world.lineOf('coreA'), G: proposal.id, I: instruction.id, credential: credential.id, ids }, as };
}

describe('the read matrix: every query transaction × every kind of reader', () => {
  let world: World;
  let x: Ids;
  let as: Record<ReaderKind, LocalIdentity>;
  beforeAll(async () => {
    world = await World.create();
    ({ ids: x, as } = await build(world));
  });

  test('every query transaction of the read table has its rows', () => {
    expect(new Set(CASES.map((c) => c.transaction))).toEqual(new Set(Object.keys(READ_TABLE)));
  });

  test.each(CASES.map((c) => [c.transaction, c] as const))('%s', async (_name, c) => {
    const outcome: Record<string, string> = {};
    for (const reader of READERS) {
      outcome[reader] = await world.evaluate(as[reader], c.transaction, c.args(x), c.transient?.(x)).then(
        () => 'read',
        (error: Error) => (/FORBIDDEN/.test(error.message) ? 'FORBIDDEN' : error.message),
      );
    }
    const expected = Object.fromEntries(READERS.map((r) => [r, c.readers.includes(r) ? 'read' : 'FORBIDDEN']));
    expect(outcome).toEqual(expected);
  });

  test('a payee reads the settlement with its own payouts only, the collecting bank none; the debtor and oversight read them all', async () => {
    const payees = async (reader: ReaderKind): Promise<string[]> =>
      (await world.evaluate<{ payouts: { payeeId: string }[] }>(as[reader], 'Settlement:Get', [x.S])).payouts.map((p) => p.payeeId).sort();
    expect(await payees('otherBranch')).toEqual([x.ids.otherBranch]);
    expect(await payees('holder')).toEqual([x.ids.holder]);
    expect(await payees('lienBank')).toEqual([]);
    for (const reader of ['debtor', 'auditor', 'regulator'] as const) expect(await payees(reader)).toEqual([x.ids.holder, x.ids.otherBranch].sort());
  });

  test('a record that does not exist is NOT_FOUND for oversight and FORBIDDEN for anyone else', async () => {
    const zeros = '0'.repeat(64);
    const missing: [ReadTransaction, string[]][] = [
      ['Certificate:Get', [`crt_${zeros}_0`]], ['Receivable:Get', [`rcv_${zeros}`]], ['Trace:Tree', [`rcv_${zeros}`]],
      ['Trace:History', ['certificate', `crt_${zeros}_0`]], ['Settlement:ListByReceivable', [`rcv_${zeros}`]],
    ];
    for (const [transaction, args] of missing) {
      await world.refused('NOT_FOUND', () => world.evaluate(as.auditor, transaction, args));
      for (const reader of ['debtor', 'holder', 'stranger'] as const) await world.refused('FORBIDDEN', () => world.evaluate(as[reader], transaction, args));
    }
  });
});

describe('events, projected per reader with the same rules', () => {
  let world: World;
  let x: Ids;
  let payloads: EventPayload[];
  beforeAll(async () => {
    world = await World.create();
    const start = world.events.length;
    ({ ids: x } = await build(world));
    payloads = world.events.slice(start).map((e) => JSON.parse(Buffer.from(e.payload).toString('utf8')) as EventPayload);
  });
  const of = (type: string): EventPayload => payloads.filter((p) => p.type === type).at(-1)!;
  const enterprise = (id: string): Reader => ({ kind: 'enterprise', id });

  test('the offer recipient gets the offered piece, not the remainder its holder keeps; the stranger nothing', () => {
    const offered = of('TransferOffered');
    expect(offered.certificates).toHaveLength(3);
    const toRecipient = eventProjection(offered, enterprise(x.ids.recipient))!;
    expect(toRecipient.certificates.map((c) => c.id)).toEqual([x.O]);
    expect(toRecipient.parties).toEqual([x.ids.recipient]);
    expect(eventProjection(offered, enterprise(x.ids.otherBranch))!.certificates).toHaveLength(3);
    expect(eventProjection(offered, enterprise(x.ids.debtor))!.certificates).toHaveLength(3);
    for (const id of [x.ids.holder, x.ids.lienBank, x.ids.stranger, x.ids.rivalBank]) expect(eventProjection(offered, enterprise(id))).toBeUndefined();
    expect(eventProjection(offered, { kind: 'oversight' })).toEqual(offered);
    expect(eventProjection(offered, { kind: 'admin' })).toBeUndefined();
  });

  test('the creditor gets the issued receivable and its attestations, not the debtor\'s credit line', () => {
    const issued = of('ReceivableIssued');
    expect(issued.creditLines).toHaveLength(1);
    const toCreditor = eventProjection(issued, enterprise(x.ids.holder))!;
    expect(toCreditor.receivables.map((r) => r.id)).toEqual([x.R]);
    expect(toCreditor.attestations).toHaveLength(issued.attestations.length);
    expect(toCreditor.creditLines).toEqual([]);
    expect(eventProjection(issued, enterprise(x.ids.lienBank))!.creditLines).toHaveLength(1);
    expect(eventProjection(issued, enterprise(x.ids.lienBank))!.receivables).toEqual([]);
    expect(eventProjection(issued, enterprise(x.ids.stranger))).toBeUndefined();
  });

  test('a quote request reaches its holder and each bank asked, no one else; no event carries a quote', () => {
    const requested = of('QuotesRequested');
    for (const id of [x.ids.otherBranch, x.ids.lienBank, x.ids.rivalBank]) {
      expect(eventProjection(requested, enterprise(id))!.quoteRequests.map((q) => q.id)).toEqual([x.QR]);
    }
    for (const id of [x.ids.holder, x.ids.stranger, x.ids.debtor]) expect(eventProjection(requested, enterprise(id))).toBeUndefined();
    expect(JSON.stringify(payloads)).not.toContain('annualRateBps');
  });

  test('each payee gets the settlement with its own payout; the bank its financing and the piece', () => {
    const paid = of('PaymentRecorded');
    expect(paid.payouts).toHaveLength(2);
    for (const id of [x.ids.holder, x.ids.otherBranch]) {
      const toPayee = eventProjection(paid, enterprise(id))!;
      expect(toPayee.payouts.map((p) => p.payeeId)).toEqual([id]);
      expect(toPayee.settlements).toHaveLength(1);
    }
    expect(eventProjection(paid, enterprise(x.ids.debtor))!.payouts).toHaveLength(2);
    expect(eventProjection(paid, enterprise(x.ids.stranger))).toBeUndefined();
    const applied = of('FinancingApplied');
    const toBank = eventProjection(applied, enterprise(x.ids.lienBank))!;
    expect(toBank.financings.map((f) => f.id)).toEqual([x.F]);
    expect(toBank.certificates.map((c) => c.id)).toEqual([x.K]);
    expect(eventProjection(applied, enterprise(x.ids.rivalBank))).toBeUndefined();
  });

  test('registry events reach their parties and admins; an admin never gets a restricted record', () => {
    const registered = payloads.find((p) => p.type === 'EnterpriseRegistered' && p.enterprises[0]?.id === x.ids.stranger)!;
    expect(eventProjection(registered, { kind: 'admin' })).toMatchObject({ enterprises: [{ id: x.ids.stranger }] });
    expect(eventProjection(registered, enterprise(x.ids.stranger))).toBeDefined();
    expect(eventProjection(registered, enterprise(x.ids.holder))).toBeUndefined();
    const kyc = of('CredentialIssued');
    expect(eventProjection(kyc, enterprise(x.ids.holder))!.credentials).toHaveLength(1);
    expect(eventProjection(kyc, enterprise(x.ids.stranger))).toBeUndefined();
    for (const payload of payloads) {
      const toAdmin = eventProjection(payload, { kind: 'admin' });
      if (toAdmin) expect([...toAdmin.receivables, ...toAdmin.certificates, ...toAdmin.creditLines, ...toAdmin.financings, ...toAdmin.payouts]).toEqual([]);
    }
  });
});

describe('the README shows the read table', () => {
  test('every query transaction is listed with the rule it obeys', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const missing = Object.entries(READ_TABLE).filter(([transaction, rule]) => !readme.includes(`| \`${transaction}\` | ${rule} |`));
    expect(missing).toEqual([]);
  });
});
