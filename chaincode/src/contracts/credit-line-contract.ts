import { requireCounterpartyInBusiness } from '../access/bank-suspension';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { actingEnterprise, requireGrantingBank } from '../access/relationships';
import { available, grantCreditLine, setFrozen, setLimit } from '../domain/credit-line-rules';
import { ScfError } from '../domain/errors';
import { requireCoreEnterprise } from '../domain/enterprise-rules';
import { CreditLineId, Currency, EnterpriseId, LimitInput, parseArg } from '../domain/inputs';
import type { CreditLine } from '../domain/model';
import { formatAmount, parseAmount } from '../domain/money';
import { parseInstant } from '../domain/time';
import { enterpriseListing } from './paging';
import { termsOrgOf } from './terms-org';
import { transientJson } from './transient';
import { readableCreditLine } from './readable';
import { emit, reply, ScfContract } from './scf-contract';
import { ScfContext, type TxScope } from './scf-context';

@Info({ title: 'CreditLine', description: 'Bank credit lines (授信) that core enterprises issue receivables against' })
export class CreditLineContract extends ScfContract {
  constructor() {
    super('CreditLine');
  }

  /**
   * Grants a line with no limit yet: the bank sets the limit next with SetLimit, on its own
   * peers, so the figure never appears in a public argument or a block.
   */
  @Transaction()
  @Returns('string')
  async Grant(ctx: ScfContext, coreId: string, currency: string, expiresAt: string): Promise<string> {
    const tx = ctx.tx;
    const bank = actingEnterprise(tx.signedBy);
    const core = await tx.enterprises.get(parseArg('coreId', EnterpriseId, coreId));
    requireCoreEnterprise(core);
    requireCounterpartyInBusiness(await tx.consortium.get(), core);
    const lineCurrency = parseArg('currency', Currency, currency);
    const expiry = parseInstant('expiresAt', expiresAt);
    const granting = { id: bank.id, termsOrg: await termsOrgOf(tx, bank) };
    const line = grantCreditLine(granting, core.id, lineCurrency, expiry, tx.now, tx.txId);
    await tx.creditLines.save(line, true);
    return emit(tx, { event: 'CreditLineGranted', answer: line });
  }

  /**
   * Sets or changes the limit (transient `limit`: {limit, salt}). It writes only the granting
   * bank's collection, so that bank's peers alone endorse it and no other peer learns the
   * figure; every peer keeps its salted hash. A limit below what is used blocks new issuance.
   */
  @Transaction()
  @Returns('string')
  async SetLimit(ctx: ScfContext, creditLineId: string): Promise<string> {
    const tx = ctx.tx;
    const line = await tx.creditLines.get(parseArg('creditLineId', CreditLineId, creditLineId));
    requireGrantingBank(tx.signedBy, line);
    tx.terms.requireKept(line.termsOrg, `the limit of credit line ${line.id}`);
    const input = transientJson(tx, 'limit', LimitInput, '{limit, salt}');
    const limitHash = await tx.terms.setLimit(
      line.termsOrg,
      setLimit(line, parseAmount('limit', input.limit), input.salt, tx.now),
    );
    return reply({ creditLineId: line.id, limitHash });
  }

  /** The limit, from the granting bank's peers: for that bank, the core enterprise, auditors and regulators. */
  @Transaction(false)
  @Returns('string')
  async GetLimit(ctx: ScfContext, creditLineId: string): Promise<string> {
    const tx = ctx.tx;
    const line = await readableCreditLine(tx, parseArg('creditLineId', CreditLineId, creditLineId));
    const limit = await tx.terms.limit(line.termsOrg, line.id);
    if (!limit) throw new ScfError('NOT_FOUND', `credit line ${line.id} has no limit set yet`);
    const limitHash = await tx.terms.limitHash(line.termsOrg, line.id);
    return reply({
      creditLineId: line.id,
      limit: limit.limit,
      used: line.used,
      available: formatAmount(available(line, limit)),
      setAt: limit.setAt,
      salt: limit.salt,
      limitHash,
    });
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
    const line = await readableCreditLine(tx, parseArg('creditLineId', CreditLineId, creditLineId));
    return reply({ ...line, limitHash: (await tx.terms.limitHash(line.termsOrg, line.id)) ?? null });
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
