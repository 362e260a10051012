import { Info, Returns, Transaction } from 'fabric-contract-api';
import { applyLimits, DEFAULT_LIMITS, initialiseConsortium } from '../domain/consortium-rules';
import { ScfError } from '../domain/errors';
import { LimitsPatch, MspId, parseJsonArg } from '../domain/inputs';
import { z } from 'zod';
import { isTransactionName } from '../access/policy';
import { requireNamedBankAdmin } from '../access/relationships';
import { CREDENTIAL_TYPES } from '../domain/vocabulary';
import { emit, reply, ScfContract } from './scf-contract';
import { ScfContext } from './scf-context';

const MIN_SALT_BYTES = 32;
const CredentialPolicy = z.record(
  z.string().max(80),
  z
    .array(z.enum(CREDENTIAL_TYPES as [string]))
    .min(1)
    .max(5),
);

@Info({
  title: 'Consortium',
  description: 'Channel-wide configuration: the bank organisations and the consortium limits',
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
      throw new ScfError('ALREADY_EXISTS', 'the consortium is already initialised; use UpdateLimits to change limits');
    }
    requireNamedBankAdmin(tx.signedBy, bankMspIds);
    const config = initialiseConsortium(bankMspIds, applyLimits(DEFAULT_LIMITS, patch), tx.now);
    await tx.consortium.save(config);
    await tx.consortium.saveInvoiceSalt(salt);
    return emit(tx, { event: 'ConsortiumInitialised', answer: config });
  }

  @Transaction()
  @Returns('string')
  async UpdateLimits(ctx: ScfContext, limitsJson: string): Promise<string> {
    const tx = ctx.tx;
    const patch = parseJsonArg('limits', LimitsPatch, limitsJson);
    const current = await tx.consortium.get();
    const config = { ...current, limits: applyLimits(current.limits, patch) };
    await tx.consortium.save(config);
    return emit(tx, { event: 'ConsortiumLimitsChanged', answer: config });
  }

  /**
   * `policyJson`: {"Financing:Apply": ["KYC"], …}: the acting enterprise must hold a valid
   * credential of every listed type to call that transaction. `{}` lifts every requirement.
   */
  @Transaction()
  @Returns('string')
  async SetCredentialPolicy(ctx: ScfContext, policyJson: string): Promise<string> {
    const tx = ctx.tx;
    const policy = parseJsonArg('policy', CredentialPolicy, policyJson);
    const unknown = Object.keys(policy).find((name) => !isTransactionName(name));
    if (unknown) throw new ScfError('INVALID_ARGUMENT', `policy names ${unknown}, which is not a transaction`);
    const config = { ...(await tx.consortium.get()), credentialPolicy: policy };
    await tx.consortium.save(config);
    return emit(tx, { event: 'CredentialPolicyChanged', answer: config });
  }

  @Transaction(false)
  @Returns('string')
  async GetConfig(ctx: ScfContext): Promise<string> {
    return reply(await ctx.tx.consortium.get());
  }
}
