import { Contract } from 'fabric-contract-api';
import { actorLabel, authorize, ENTERPRISE_ATTRIBUTE } from '../access/authorize';
import { signerOf } from '../access/signer';
import { endorserTimeMillis, requireTimelyProposal } from '../access/clock-guard';
import { ScfError } from '../domain/errors';
import { toCanonicalBytes, toCanonicalJson } from '../domain/canonical-json';
import { ScfContext } from './scf-context';

/**
 * The base of every contract: checks access before the body runs and emits the one
 * event that carries all of the transaction's changes after it.
 */
export abstract class ScfContract extends Contract {
  override createContext(): ScfContext {
    return new ScfContext();
  }

  override async beforeTransaction(ctx: ScfContext): Promise<void> {
    const tx = ctx.begin();
    requireTimelyProposal(ctx.stub.getDateTimestamp().getTime(), endorserTimeMillis(ctx.stub));
    const fcn = ctx.stub.getFunctionAndParameters().fcn;
    const name = `${this.getName()}:${fcn.slice(fcn.lastIndexOf(':') + 1)}`;
    const enterpriseAttribute = ctx.clientIdentity.getAttributeValue(ENTERPRISE_ATTRIBUTE);
    tx.actor = await authorize(name, signerOf(ctx.clientIdentity), enterpriseAttribute, tx, tx.now);
  }

  override async afterTransaction(ctx: ScfContext, _result: unknown): Promise<void> {
    const tx = ctx.tx;
    if (!tx.changes.isEmpty) {
      const payload = tx.changes.toPayload(tx.txId, tx.now, actorLabel(tx.signedBy));
      ctx.stub.setEvent(payload.type, toCanonicalBytes(payload));
    }
  }

  override async unknownTransaction(ctx: ScfContext): Promise<void> {
    throw new ScfError('NOT_FOUND', `${this.getName()} has no transaction ${ctx.stub.getFunctionAndParameters().fcn}`);
  }
}

/** Transactions answer with canonical JSON, so evaluations on different peers compare equal. */
export function reply(value: unknown): string {
  return toCanonicalJson(value);
}
