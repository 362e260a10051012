import { Contract } from 'fabric-contract-api';
import type { Actor } from '../access/actor';
import { actorLabel, authorize, ENTERPRISE_ATTRIBUTE } from '../access/authorize';
import { requireOneUserSuffices } from '../access/four-eyes';
import { signerOf } from '../access/signer';
import { endorserTimeMillis, requireTimelyProposal } from '../access/clock-guard';
import { ScfError } from '../domain/errors';
import { toCanonicalBytes, toCanonicalJson } from '../domain/canonical-json';
import type { EventType } from '../ledger/change-set';
import { ScfContext, type TxScope } from './scf-context';

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
    const { fcn, params } = ctx.stub.getFunctionAndParameters();
    const name = `${this.getName()}:${fcn.slice(fcn.lastIndexOf(':') + 1)}`;
    tx.actor = await authorizeSigner(ctx, name);
    await requireOneUserSuffices(name, tx.actor, params, tx);
  }

  override async afterTransaction(ctx: ScfContext, _result: unknown): Promise<void> {
    const tx = ctx.tx;
    if (!tx.changes.isEmpty && !tx.emitted) {
      throw new Error('a transaction changed state without returning its event');
    }
  }

  override async unknownTransaction(ctx: ScfContext): Promise<void> {
    throw new ScfError('NOT_FOUND', `${this.getName()} has no transaction ${ctx.stub.getFunctionAndParameters().fcn}`);
  }
}

/**
 * The access check of `transaction` for this proposal's signer. `approving`: a checker runs a
 * maker's instruction, so the user role checked is the maker's (at proposal and approval),
 * and everything else is checked again as for a direct call.
 */
export function authorizeSigner(ctx: ScfContext, transaction: string, approving = false): Promise<Actor> {
  const tx = ctx.tx;
  const enterpriseAttribute = ctx.clientIdentity.getAttributeValue(ENTERPRISE_ATTRIBUTE);
  return authorize(transaction, signerOf(ctx.clientIdentity), enterpriseAttribute, tx, tx.now, approving);
}

/** What a write transaction did: the one event it emits (its type; the payload is the change set) and its answer. */
export interface TransactionOutcome {
  readonly event: EventType;
  readonly answer: unknown;
}

/**
 * The one place a transaction's event is set. Fabric keeps only the last `setEvent` of a
 * transaction, so each write emits exactly once, carrying every record it changed.
 */
export function emit(tx: TxScope, outcome: TransactionOutcome): string {
  if (tx.emitted) {
    throw new Error('a transaction returned a second event');
  }
  tx.emitted = true;
  if (!tx.changes.isEmpty) {
    const payload = tx.changes.toPayload(outcome.event, tx.txId, tx.now, actorLabel(tx.signedBy));
    tx.ctx.stub.setEvent(payload.type, toCanonicalBytes(payload));
  }
  return reply(outcome.answer);
}

/** Transactions answer with canonical JSON, so evaluations on different peers compare equal. */
export function reply(value: unknown): string {
  return toCanonicalJson(value);
}
