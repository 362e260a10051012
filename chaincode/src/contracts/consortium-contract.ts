import { Info, Returns, Transaction } from 'fabric-contract-api';
import { applyLimits, DEFAULT_LIMITS, initialiseConsortium } from '../domain/consortium-rules';
import { ScfError } from '../domain/errors';
import { LimitsPatch, MspId, parseJsonArg } from '../domain/inputs';
import { z } from 'zod';
import { requireNamedBankAdmin } from '../access/relationships';
import { emit, reply, ScfContract } from './scf-contract';
import { ScfContext } from './scf-context';

const MIN_SALT_BYTES = 32;

@Info({
  title: 'Consortium',
  description: 'Channel-wide configuration: the bank organisations and the consortium limits (changed by Governance)',
})
export class ConsortiumContract extends ScfContract {
  constructor() {
    super('Consortium');
  }

  /** Transient `invoiceSalt`: at least 32 random bytes, kept in the banks' private collection. */
  @Transaction()
  @Returns('string')
  async Initialize(ctx: ScfContext, bankMspIdsJson: string, limitsJson: string): Promise<string> {
    const tx = ctx.tx;
    const bankMspIds = parseJsonArg('bankMspIds', z.array(MspId).min(1).max(32), bankMspIdsJson);
    const patch = parseJsonArg('limits', LimitsPatch, limitsJson);
    const salt = tx.transient('invoiceSalt');
    if (!salt || salt.length < MIN_SALT_BYTES) {
      throw new ScfError('INVALID_ARGUMENT', `transient invoiceSalt must hold at least ${MIN_SALT_BYTES} random bytes`);
    }
    if (await tx.consortium.find()) {
      throw new ScfError(
        'ALREADY_EXISTS',
        'the consortium is already initialised; its rules change by Governance:Propose',
      );
    }
    requireNamedBankAdmin(tx.signedBy, bankMspIds);
    const config = initialiseConsortium(bankMspIds, applyLimits(DEFAULT_LIMITS, patch), tx.now);
    await tx.consortium.save(config);
    await tx.consortium.saveInvoiceSalt(salt);
    return emit(tx, { event: 'ConsortiumInitialised', answer: config });
  }

  @Transaction(false)
  @Returns('string')
  async GetConfig(ctx: ScfContext): Promise<string> {
    return reply(await ctx.tx.consortium.get());
  }
}
