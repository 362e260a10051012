import { readFileSync } from 'fs';
import path from 'path';
import type { Price } from '../src/domain/model';
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
});
