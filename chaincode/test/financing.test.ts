import type { Certificate, Financing } from '../src/domain/model';
import type { FinancingWithCertificate, History, Page } from './support/answers';
import { sha } from './support/fixtures';
import { World } from './support/world';

describe('financing (融资) against a certificate', () => {
  let world: World;
  let certificateId: string;
  beforeEach(async () => {
    world = await World.create();
    ({ certificateId } = await world.issued('coreA', 'tier1', '1000000'));
  });

  const apply = (mode: 'PLEDGE' | 'ASSIGNMENT' = 'PLEDGE', amount = '900000', tenorDays = 80, who: 'tier1' | 'tier2' = 'tier1') =>
    world.apply(who, certificateId, { mode, amount, fee: '1500', tenorEnd: world.dueIn(tenorDays) });
  const termsOf = (financingId: string, who: 'tier1' | 'bank' = 'tier1') =>
    world.evaluate<{ proposed: Record<string, unknown>; decided: Record<string, unknown> | null }>(world.as(who), 'Financing:GetTerms', [financingId]);

  test('applying locks the piece: it cannot be split or offered until the bank decides; rejection lifts the lock', async () => {
    const { financing, certificate } = await apply();
    expect(financing).toMatchObject({ status: 'APPLIED', applicantId: world.id('tier1'), bankId: world.id('bank'), termsOrg: 'Bank1MSP' });
    expect(financing).not.toHaveProperty('annualRateBps');
    expect((await termsOf(financing.id)).proposed).toMatchObject({ annualRateBps: 385, feeAmount: '1500', requestedAmount: '900000' });
    expect(certificate).toMatchObject({ status: 'PLEDGED', lien: { stage: 'APPLIED', financingId: financing.id } });
    await world.refused('INVALID_STATE', () => world.submit(world.as('tier1'), 'Certificate:Split', [certificateId, '["500000","500000"]']));
    await world.refused('INVALID_STATE', () => world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(60)]));
    await world.refused('INVALID_STATE', () => apply());
    const rejected = await world.submit<FinancingWithCertificate>(world.as('bank'), 'Financing:Reject', [financing.id, 'insufficient trade history']);
    expect(rejected.certificate.status).toBe('ACTIVE');
    expect(rejected.financing).toMatchObject({ status: 'REJECTED', reason: 'insufficient trade history' });
    await world.submit(world.as('tier1'), 'Certificate:Split', [certificateId, '["500000","500000"]']);
  });

  test('a funded pledge keeps the piece locked until the applicant repays', async () => {
    const { financing } = await apply();
    // 900,000 less 80 days' interest at 3.85% ACT/360 (7,700) less the fee of 1,500.
    const funded = await world.approve('bank', financing.id, 'SWIFT-2027-0001', '890800');
    expect(funded.financing).toMatchObject({ status: 'FUNDED', paymentRef: 'SWIFT-2027-0001' });
    expect((await termsOf(financing.id, 'bank')).decided).toMatchObject({ disbursedAmount: '890800', financingId: financing.id });
    expect(funded.certificate).toMatchObject({ status: 'PLEDGED', holderId: world.id('tier1'), lien: { stage: 'PLEDGED' } });
    await world.refused('INVALID_STATE', () => world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(60)]));
    await world.refused('FORBIDDEN', () => world.recordRepayment('tier2', financing.id, '900000'));
    const repaid = await world.repayInFull('tier1', financing.id);
    expect(repaid.financing).toMatchObject({ status: 'REPAID', receipt: { by: world.id('bank'), ref: 'RECEIPT-1' } });
    expect(repaid.certificate.status).toBe('ACTIVE');
  });

  test('an assignment sells the piece to the bank, which then holds it', async () => {
    const { financing } = await apply('ASSIGNMENT');
    const funded = await world.approve('bank', financing.id, 'CNAPS-77');
    expect(funded.certificate).toMatchObject({ status: 'ACTIVE', holderId: world.id('bank') });
    await world.refused('INVALID_STATE', () => world.recordRepayment('tier1', financing.id, '1'));
    const held = await world.evaluate<Page<Certificate>>(world.as('bank'), 'Certificate:ListByHolder', [world.id('bank'), '10', '']);
    expect(held.items.map((c) => c.id)).toEqual([certificateId]);
  });

  test.each([
    ['more than the piece holds', () => apply('PLEDGE', '1000001'), 'INVALID_ARGUMENT'],
    ['a tenor past the due date', () => apply('PLEDGE', '900000', 91), 'INVALID_ARGUMENT'],
    ['someone else\'s piece', () => apply('PLEDGE', '900000', 80, 'tier2'), 'FORBIDDEN'],
  ])('applying for %s is refused', async (_label, attempt, code) => {
    await world.refused(code as 'FORBIDDEN', attempt);
  });

  test('an application names proposed terms by hash: an unknown mode, unknown terms or terms made for another piece are refused', async () => {
    const termsHash = await world.propose('tier1', certificateId, { amount: '900000', tenorEnd: world.dueIn(80) });
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('tier1'), 'Financing:Apply', [certificateId, world.id('bank'), 'LOAN', termsHash, sha('docs')]));
    await world.refused('TERMS_MISMATCH', () => world.applyOn('tier1', certificateId, {}, sha('no such terms')));
    const other = await world.issued('coreA', 'tier1', '500000');
    await world.refused('TERMS_MISMATCH', () => world.applyOn('tier1', other.certificateId, {}, termsHash));
    await world.refused('TERMS_MISMATCH', () => world.applyOn('tier1', certificateId, { bank: 'bankTwo' }, termsHash));
  });

  test('only the named bank decides, and only the priced disbursement; banks and applicants list their applications', async () => {
    const { financing } = await apply();
    await world.refused('FORBIDDEN', () => world.decide('tier1', financing.id, '1'));
    await world.refused('PRICE_MISMATCH', () => world.decide('bank', financing.id, '900001'));
    await world.refused('PRICE_MISMATCH', () => world.decide('bank', financing.id, '890801'));
    const decisionHash = await world.decide('bank', financing.id, '890800');
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('bank'), 'Financing:Approve', [financing.id, decisionHash, 'bad ref with spaces']));
    await world.refused('TERMS_MISMATCH', () => world.submit(world.as('bank'), 'Financing:Approve', [financing.id, financing.termsHash, 'X']));
    const bankList = await world.evaluate<Page<Financing>>(world.as('bank'), 'Financing:ListByBank', [world.id('bank'), '10', '']);
    expect(bankList.items.map((f) => f.id)).toEqual([financing.id]);
    const mine = await world.evaluate<Page<Financing>>(world.as('tier1'), 'Financing:ListByApplicant', [world.id('tier1'), '10', '']);
    expect(mine.items).toHaveLength(1);
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier2'), 'Financing:Get', [financing.id]));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier2'), 'Financing:ListByBank', [world.id('bank'), '10', '']));
  });
});

describe('priced financing: the chaincode computes the price and holds the bank to it', () => {
  let world: World;
  let certificateId: string;
  beforeEach(async () => {
    world = await World.create();
    ({ certificateId } = await world.issued('coreA', 'tier1', '1000000'));
  });
  type Priced = { disbursedAmount: string; interestAmount: string; days: number; dayCount: string; valueDate: string };
  const asked = (tenorDays: number, amount = '900000') =>
    ({ terms: JSON.stringify({ requestedAmount: amount, annualRateBps: 385, feeAmount: '1500', tenorEnd: world.dueIn(tenorDays) }) });
  const quote = (who: 'tier1' | 'tier2' | 'auditor', terms = asked(80)) =>
    world.evaluate<Priced>(world.as(who), 'Financing:Quote', [certificateId, world.id('bank')], terms);

  test('the holder sees the price before applying, and nothing is written', async () => {
    const height = world.engine.store.height;
    const before = await world.digest();
    expect(await quote('tier1')).toEqual({ financedAmount: '900000', annualRateBps: 385, dayCount: 'ACT/360', valueDate: '2027-01-04',
      tenorEnd: world.dueIn(80), days: 80, interestAmount: '7700', feeAmount: '1500', disbursedAmount: '890800' });
    expect(world.engine.store.height).toBe(height);
    expect(await world.digest()).toBe(before);
    await world.refused('FORBIDDEN', () => quote('tier2'));
    await world.refused('FORBIDDEN', () => quote('auditor'));
    await world.refused('INVALID_ARGUMENT', () => quote('tier1', asked(91)));
    await world.refused('INVALID_ARGUMENT', () => quote('tier1', asked(80, '1000001')));
    await world.refused('INVALID_ARGUMENT', () => quote('tier1', { terms: JSON.stringify({ requestedAmount: '900000', annualRateBps: 385, feeAmount: '1500', tenorEnd: world.dueIn(80), salt: 'x' }) }));
  });

  test('a decision is priced for its value date: funding on a later business day is refused until the bank decides again', async () => {
    const { financing } = await world.apply('tier1', certificateId, { amount: '900000', fee: '1500', tenorEnd: world.dueIn(80) });
    const decisionHash = await world.decide('bank', financing.id, '890800');
    world.advance(86_400);
    await world.refused('PRICE_MISMATCH', () => world.submit(world.as('bank'), 'Financing:Approve', [financing.id, decisionHash, 'PAY-1']));
    // One day shorter: 900,000 × 385 × 79 / 3,600,000 = 7,603.75, rounded down.
    const funded = await world.approve('bank', financing.id, 'PAY-1', '890897');
    expect(funded.financing.status).toBe('FUNDED');
    const terms = await world.evaluate<{ decided: { price: Priced } }>(world.as('tier1'), 'Financing:GetTerms', [financing.id]);
    expect(terms.decided.price).toMatchObject({ valueDate: '2027-01-05', days: 79, interestAmount: '7603', disbursedAmount: '890897' });
  });

  test('the value date is the funding date in Beijing: 16:00 UTC is already the next day', async () => {
    const terms = asked(80);
    world.now = Date.parse('2027-01-04T15:59:59.000Z');
    expect(await quote('tier1', terms)).toMatchObject({ valueDate: '2027-01-04', days: 80 });
    world.now = Date.parse('2027-01-04T16:00:00.000Z');
    expect(await quote('tier1', terms)).toMatchObject({ valueDate: '2027-01-05', days: 79, disbursedAmount: '890897' });
    const { financing } = await world.apply('tier1', certificateId, { amount: '900000', fee: '1500', tenorEnd: world.dueIn(80) });
    expect(await world.priced('bank', financing.id)).toBe('890897');
  });

  test('a bank organisation that prices ACT/365F does so once the consortium agrees; other banks keep ACT/360', async () => {
    await world.refused('INVALID_ARGUMENT', () => world.proposeChange('dayCount', { mspId: 'Bank1MSP', dayCount: 'ACT/366' }));
    await world.refused('INVALID_STATE', () => world.proposeChange('dayCount', { mspId: 'Bank9MSP', dayCount: 'ACT/365F' }));
    const config = await world.govern('dayCount', { mspId: 'Bank1MSP', dayCount: 'ACT/365F' });
    expect(config.status).toBe('APPLIED');
    // 900,000 × 385 × 80 / 3,650,000 = 7,594.52…
    expect(await quote('tier1')).toMatchObject({ dayCount: 'ACT/365F', interestAmount: '7594', disbursedAmount: '890906' });
    const rival = await world.evaluate<Priced>(world.as('tier1'), 'Financing:Quote', [certificateId, world.id('bankTwo')], asked(80));
    expect(rival).toMatchObject({ dayCount: 'ACT/360', interestAmount: '7700' });
  });
});

describe('a regulator\'s freeze', () => {
  test('a frozen piece cannot move or be financed; a frozen receivable holds every piece; unfreezing restores both', async () => {
    const world = await World.create();
    const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '1000000');
    await world.refused('FORBIDDEN', () => world.submit(world.as('auditor'), 'Regulator:Freeze', ['certificate', certificateId, 'court order']));
    const frozen = await world.submit<Certificate>(world.as('regulator'), 'Regulator:Freeze', ['certificate', certificateId, 'court order 2027-17']);
    expect(frozen.frozen).toMatchObject({ by: world.id('regulator'), reason: 'court order 2027-17' });
    await world.refused('FROZEN', () => world.submit(world.as('tier1'), 'Certificate:Split', [certificateId, '["500000","500000"]']));
    await world.refused('FROZEN', () => world.apply('tier1', certificateId, { amount: '1000', tenorEnd: world.dueIn(30) }));
    await world.submit(world.as('regulator'), 'Regulator:Unfreeze', ['certificate', certificateId]);
    await world.submit(world.as('regulator'), 'Regulator:Freeze', ['receivable', receivableId, 'investigation']);
    await world.refused('FROZEN', () => world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(60)]));
    await world.refused('INVALID_STATE', () => world.submit(world.as('regulator'), 'Regulator:Freeze', ['receivable', receivableId, 'again']));
    await world.submit(world.as('regulator'), 'Regulator:Unfreeze', ['receivable', receivableId]);
    await world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(60)]);
    const history = await world.evaluate<History<Certificate>>(world.as('auditor'), 'Trace:History', ['certificate', certificateId]);
    expect(history.entries.map((e) => e.value!.frozen !== null)).toEqual([false, false, true, false]);
  });
});
