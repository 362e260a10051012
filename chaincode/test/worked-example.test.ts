import { readFileSync } from 'fs';
import path from 'path';
import type { FinancingPosition, Price } from '../src/domain/model';
import type { Cleared } from './support/answers';
import { World } from './support/world';

/**
 * The README's worked example ("Pricing, value dates and the business day"), run on the
 * ledger: the table in the README is the one this test writes from the ledger's answers,
 * so a change of rule that moves a figure fails here until the README says so too.
 */
describe('the README\'s worked example', () => {
  test('a financing priced, funded at its price and repaid to the bank by a settlement in full, as the README shows it', async () => {
    const world = await World.create(); // 2027-01-04T09:00Z: 17:00 in Beijing
    const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '100000000', 90);
    const asked = { requestedAmount: '100000000', annualRateBps: 365, feeAmount: '50000', tenorEnd: '2027-04-04' };
    const quote = await world.evaluate<Price>(world.as('tier1'), 'Financing:Quote', [certificateId, world.id('bank')], { terms: JSON.stringify(asked) });
    const { financing } = await world.apply('tier1', certificateId, { amount: asked.requestedAmount, rateBps: asked.annualRateBps, fee: asked.feeAmount, tenorEnd: asked.tenorEnd });
    await world.refused('PRICE_MISMATCH', () => world.decide('bank', financing.id, '99100000'));
    await world.approve('bank', financing.id, 'CNAPS-2027-0001', quote.disbursedAmount);
    const { decided } = await world.evaluate<{ decided: { disbursedAmount: string } }>(world.as('bank'), 'Financing:GetTerms', [financing.id]);
    world.now = Date.parse('2027-04-03T15:59:59.000Z');
    await world.refused('NOT_DUE', () => world.submit(world.as('coreA'), 'Settlement:Pay', [receivableId, '100000000', 'CNAPS-2027-0404', '10']));
    world.now = Date.parse('2027-04-03T16:00:00.000Z');
    const paid = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '100000000', 'CNAPS-2027-0404', '10']);
    const [payout] = paid.payouts;
    const settled = await world.evaluate<{ status: string }>(world.as('bank'), 'Financing:Get', [financing.id]);

    const table = [
      '| step | when | figures (minor units: fen) |',
      '|---|---|---|',
      `| tier 1 asks bank-one (ACT/360) what financing its whole piece costs | 2027-01-04 09:00 UTC (17:00 Beijing) | financed ${quote.financedAmount}, rate ${quote.annualRateBps} bps, fee ${quote.feeAmount}, tenor end ${quote.tenorEnd} |`,
      `| the quote | value date ${quote.valueDate} | ${quote.days} days ${quote.dayCount}: interest ⌊${quote.financedAmount} × ${quote.annualRateBps} × ${quote.days} / 3600000⌋ = ${quote.interestAmount}; disbursed ${quote.financedAmount} − ${quote.interestAmount} − ${quote.feeAmount} = ${quote.disbursedAmount} |`,
      `| bank-one decides 99100000 | the same day | refused \`PRICE_MISMATCH\` (the message gives ${quote.disbursedAmount}) |`,
      `| bank-one funds | the same day | disbursed ${decided.disbursedAmount}, the piece pledged to it |`,
      '| core A pays | 2027-04-03 15:59:59 UTC (23:59:59 Beijing, the day before the due date) | refused `NOT_DUE` |',
      `| core A pays in full | 2027-04-03 16:00 UTC (00:00 Beijing on the due date 2027-04-04) | ${payout!.amount} to bank-one (\`${payout!.basis}\`); financing ${settled.status}; receivable ${paid.receivable.status}, settled ${paid.receivable.settledAmount} of ${paid.receivable.faceAmount} |`,
    ].join('\n');
    expect(readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8')).toContain(table);
  });

  test('a financing priced, repaid in part, repaid late with penalty, and its piece settled in full, as the README shows it', async () => {
    const world = await World.create(); // 2027-01-04T09:00Z: 17:00 in Beijing
    const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '100000000', 90);
    const asked = { amount: '80000000', rateBps: 365, fee: '50000', tenorEnd: '2027-03-05' };
    const { financing } = await world.apply('tier1', certificateId, asked);
    const decision = { recourse: true, penaltyRateBps: 3600 };
    await world.approve('bank', financing.id, 'CNAPS-2027-0002', undefined, decision);
    const { decided } = await world.evaluate<{ decided: { price: Price } }>(world.as('bank'), 'Financing:GetTerms', [financing.id]);
    const price = decided.price;
    const position = (): Promise<FinancingPosition> => world.position('tier1', financing.id);
    const opened = await position();
    world.now = Date.parse('2027-03-01T02:00:00.000Z');
    await world.repay('tier1', financing.id, '30000000', 'CNAPS-R-0301');
    const afterFirst = await position();
    world.now = Date.parse('2027-03-15T02:00:00.000Z');
    const late = await position();
    await world.refused('REPAYMENT_EXCEEDS_OUTSTANDING', () => world.recordRepayment('tier1', financing.id, String(BigInt(late.outstanding) + 1n)));
    await world.repay('tier1', financing.id, '20000000', 'CNAPS-R-0315');
    const afterSecond = await position();
    await world.refused('NOT_REPAID', () => world.submit(world.as('bank'), 'Financing:Release', [financing.id, 'RCPT-0315']));
    world.now = Date.parse('2027-04-03T16:00:00.000Z');
    const due = await position();
    const paid = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '100000000', 'CNAPS-2027-0404', '10']);
    const [payout] = paid.payouts;
    const closed = await position();
    const settled = await world.evaluate<{ status: string }>(world.as('bank'), 'Financing:Get', [financing.id]);

    const table = [
      '| step | when (business date, Beijing) | figures (minor units: fen) |',
      '|---|---|---|',
      `| bank-one funds 80% of tier 1's piece of 100000000, recourse, penalty ${decision.penaltyRateBps} bps a year | ${price.valueDate} | ${price.days} days ${price.dayCount} to ${price.tenorEnd}: interest ⌊${price.financedAmount} × ${price.annualRateBps} × ${price.days} / 3600000⌋ = ${price.interestAmount}, fee ${price.feeAmount}, disbursed ${price.disbursedAmount}; due at the tenor end ${opened.principalDue} |`,
      `| tier 1 repays 30000000 | 2027-03-01 | outstanding ${afterFirst.outstanding}, not overdue |`,
      `| the tenor end passes unpaid | ${late.asOf} | ${late.overdueDays} days overdue: penalty ⌊${afterFirst.principalOutstanding} × ${decision.penaltyRateBps} × ${late.overdueDays} / 3600000⌋ = ${late.penaltyCharged}; outstanding ${late.outstanding} |`,
      `| tier 1 repays ${BigInt(late.outstanding) + 1n} | the same day | refused \`REPAYMENT_EXCEEDS_OUTSTANDING\` |`,
      `| tier 1 repays 20000000 | the same day | ${late.penaltyCharged} to the penalty, the rest to the principal: outstanding ${afterSecond.outstanding} |`,
      '| bank-one releases the pledge | the same day | refused `NOT_REPAID` |',
      `| the due date | ${due.asOf} | ${due.overdueDays} days overdue; 20 more days' penalty ⌊${afterSecond.principalOutstanding} × ${decision.penaltyRateBps} × 20 / 3600000⌋ = ${BigInt(due.penaltyCharged) - BigInt(late.penaltyCharged)}; outstanding ${due.outstanding} |`,
      `| core A pays 100000000 | ${due.asOf} | ${payout!.amount} to bank-one (\`${payout!.basis}\`), financing ${settled.status}: bank-one keeps ${closed.collected} (penalty, then principal) and owes tier 1 the surplus ${closed.surplus}; outstanding ${closed.outstanding} |`,
      `| the account | | repaid ${closed.repaid} + collected ${closed.collected} + written off ${closed.writtenOff} = due ${closed.principalDue} + penalty ${closed.penaltyCharged} |`,
    ].join('\n');
    expect(readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8')).toContain(table);
  });
});
