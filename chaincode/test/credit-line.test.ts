import type { CreditLine, Receivable } from '../src/domain/model';
import type { Page } from './support/answers';
import { sha } from './support/fixtures';
import { World } from './support/world';

describe('credit lines (授信): issuing consumes limit, payment and refusal release it', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); });

  async function freshLine(limit: string, days = 365) {
    return world.grantLine('bank', 'coreA', limit, days * 86400);
  }
  const limitOf = (lineId: string, who: 'bank' | 'coreA' = 'coreA') =>
    world.evaluate<{ limit: string; used: string; available: string; limitHash: string }>(world.as(who), 'CreditLine:GetLimit', [lineId]);
  const issueOn = (line: string, amount: string) => world.submit<Receivable>(world.as('coreA'), 'Receivable:Issue',
    [world.id('tier1'), amount, 'CNY', world.dueIn(60), sha(`i${amount}${line}`), sha('c'), line], { invoice: world.invoice('tier1', 'coreA') });

  test('a bank grants a line; issuing consumes it and an issuance over what is left is refused', async () => {
    const line = await freshLine('1000000');
    expect(line).toMatchObject({ bankId: world.id('bank'), coreId: world.id('coreA'), termsOrg: 'Bank1MSP', used: '0', status: 'ACTIVE' });
    expect(line).not.toHaveProperty('limit');
    expect(await limitOf(line.id)).toMatchObject({ limit: '1000000', used: '0', available: '1000000' });
    await issueOn(line.id, '600000');
    expect((await world.evaluate<CreditLine>(world.as('coreA'), 'CreditLine:Get', [line.id])).used).toBe('600000');
    await world.refused('CREDIT_LIMIT_EXCEEDED', () => issueOn(line.id, '400001'));
    await issueOn(line.id, '400000');
  });

  test('refusing a receivable releases its limit', async () => {
    const line = await freshLine('1000000');
    const receivable = await issueOn(line.id, '1000000');
    await world.submit(world.as('tier1'), 'Receivable:Refuse', [receivable.id, 'wrong goods']);
    expect((await world.evaluate<CreditLine>(world.as('bank'), 'CreditLine:Get', [line.id])).used).toBe('0');
  });

  test('a frozen or expired line, another core\'s line or another currency cannot be issued on', async () => {
    const line = await freshLine('1000000', 10);
    await world.submit(world.as('bank'), 'CreditLine:Freeze', [line.id]);
    await world.refused('CREDIT_LIMIT_EXCEEDED', () => issueOn(line.id, '1000'));
    await world.submit(world.as('bank'), 'CreditLine:Unfreeze', [line.id]);
    await issueOn(line.id, '1000');
    await world.refused('FORBIDDEN', () => world.submit(world.as('coreB'), 'Receivable:Issue',
      [world.id('tier1'), '1000', 'CNY', world.dueIn(60), sha('x'), sha('c'), line.id], { invoice: world.invoice('tier1', 'coreB') }));
    const usd = await world.grantLine('bank', 'coreA', '1000000', 86400 * 30, 'USD');
    await world.refused('INVALID_ARGUMENT', () => issueOn(usd.id, '1000'));
    world.advance(11 * 86400);
    await world.refused('CREDIT_LIMIT_EXCEEDED', () => issueOn(line.id, '1000'));
  });

  test('only the granting bank raises, lowers or freezes its line; only banks grant, and only to core enterprises', async () => {
    const line = await freshLine('1000000');
    await issueOn(line.id, '800000');
    const { limitHash } = await world.setLimit('bank', line.id, '500000');
    expect(await limitOf(line.id, 'bank')).toMatchObject({ limit: '500000', used: '800000', available: '-300000', limitHash });
    await world.refused('CREDIT_LIMIT_EXCEEDED', () => issueOn(line.id, '1'));
    await world.refused('FORBIDDEN', () => world.setLimit('coreA', line.id, '9000000'));
    await world.refused('FORBIDDEN', () => world.submit(world.as('tier1'), 'CreditLine:Grant', [world.id('coreA'), 'CNY', world.inSeconds(60)]));
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('bank'), 'CreditLine:Grant', [world.id('tier1'), 'CNY', world.inSeconds(60)]));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier1'), 'CreditLine:GetLimit', [line.id]));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier1'), 'CreditLine:Get', [line.id]));
    const lines = await world.evaluate<Page<CreditLine>>(world.as('coreA'), 'CreditLine:ListByCore', [world.id('coreA'), '10', '']);
    expect(lines.items.map((l) => l.id)).toContain(line.id);
  });

  test('issuances by different core enterprises never conflict; two at once on one line do, and one must retry', async () => {
    const endorseIssue = (core: 'coreA' | 'coreB', line: string) => world.engine.endorse({
      identity: world.as(core), transaction: 'Receivable:Issue',
      args: [world.id('tier1'), '1000', 'CNY', world.dueIn(60), sha('i'), sha('c'), line], transient: { invoice: world.invoice('tier1', core) },
    });
    const [a, b] = await Promise.all([endorseIssue('coreA', world.lineOf('coreA')), endorseIssue('coreB', world.lineOf('coreB'))]);
    await world.engine.commit(a);
    await world.engine.commit(b);
    const [c, d] = await Promise.all([endorseIssue('coreA', world.lineOf('coreA')), endorseIssue('coreA', world.lineOf('coreA'))]);
    await world.engine.commit(c);
    await expect(world.engine.commit(d)).rejects.toMatchObject({ validationCode: 'MVCC_READ_CONFLICT' });
  });
});
