import { Info, Returns, Transaction } from 'fabric-contract-api';
import { actingEnterprise, requireGrantingBank } from '../access/relationships';
import { grantCreditLine, setFrozen, setLimit } from '../domain/credit-line-rules';
import { requireCoreEnterprise } from '../domain/enterprise-rules';
import { CreditLineId, Currency, EnterpriseId, parseArg } from '../domain/inputs';
import type { CreditLine } from '../domain/model';
import { parseAmount } from '../domain/money';
import { parseInstant } from '../domain/time';
import { enterpriseListing } from './paging';
import { readableCreditLine } from './readable';
import { emit, reply, ScfContract } from './scf-contract';
import { ScfContext, type TxScope } from './scf-context';

@Info({ title: 'CreditLine', description: 'Bank credit lines (授信) that core enterprises issue receivables against' })
export class CreditLineContract extends ScfContract {
  constructor() {
    super('CreditLine');
  }

  @Transaction()
  @Returns('string')
  async Grant(ctx: ScfContext, coreId: string, currency: string, limit: string, expiresAt: string): Promise<string> {
    const tx = ctx.tx;
    const bank = actingEnterprise(tx.signedBy);
    const core = await tx.enterprises.get(parseArg('coreId', EnterpriseId, coreId));
    requireCoreEnterprise(core);
    const lineCurrency = parseArg('currency', Currency, currency);
    const expiry = parseInstant('expiresAt', expiresAt);
    const line = grantCreditLine(bank.id, core.id, lineCurrency, parseAmount('limit', limit), expiry, tx.now, tx.txId);
    await tx.creditLines.save(line, true);
    return emit(tx, { event: 'CreditLineGranted', answer: line });
  }

  /** Raises or lowers the limit; a limit below what is used blocks new issuance until payments release it. */
  @Transaction()
  @Returns('string')
  async SetLimit(ctx: ScfContext, creditLineId: string, limit: string): Promise<string> {
    return this.change(ctx.tx, creditLineId, (line) => setLimit(line, parseAmount('limit', limit)));
  }

  @Transaction()
  @Returns('string')
  async Freeze(ctx: ScfContext, creditLineId: string): Promise<string> {
    return this.change(ctx.tx, creditLineId, (line) => setFrozen(line, true));
  }

  @Transaction()
  @Returns('string')
  async Unfreeze(ctx: ScfContext, creditLineId: string): Promise<string> {
    return this.change(ctx.tx, creditLineId, (line) => setFrozen(line, false));
  }

  /** The granting bank, the core enterprise, auditors and regulators may read a line. */
  @Transaction(false)
  @Returns('string')
  async Get(ctx: ScfContext, creditLineId: string): Promise<string> {
    const tx = ctx.tx;
    return reply(await readableCreditLine(tx, parseArg('creditLineId', CreditLineId, creditLineId)));
  }

  @Transaction(false)
  @Returns('string')
  async ListByCore(ctx: ScfContext, coreId: string, pageSize: string, bookmark: string): Promise<string> {
    return this.list(ctx.tx, 'core', coreId, pageSize, bookmark);
  }

  @Transaction(false)
  @Returns('string')
  async ListByBank(ctx: ScfContext, bankId: string, pageSize: string, bookmark: string): Promise<string> {
    return this.list(ctx.tx, 'bank', bankId, pageSize, bookmark);
  }

  private async list(
    tx: TxScope,
    party: 'core' | 'bank',
    enterpriseId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    return reply(
      await enterpriseListing(
        tx,
        enterpriseId,
        pageSize,
        bookmark,
        (id, size, mark) => tx.creditLines.pageIds(party, id, size, mark),
        (id) => tx.creditLines.get(id),
      ),
    );
  }

  private async change(tx: TxScope, creditLineId: string, apply: (line: CreditLine) => CreditLine): Promise<string> {
    const line = await tx.creditLines.get(parseArg('creditLineId', CreditLineId, creditLineId));
    requireGrantingBank(tx.signedBy, line);
    const changed = apply(line);
    await tx.creditLines.save(changed);
    return emit(tx, { event: 'CreditLineChanged', answer: changed });
  }
}
