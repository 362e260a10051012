import { businessDate } from '../domain/business-time';
import type { DecidedFinancing } from '../domain/model';
import { parseStoredAmount } from '../domain/money';
import { type Movement, type Position, positionOf, repaymentTermsOf } from '../domain/repayment-rules';
import type { TxScope } from './scf-context';

/** An instant with its business date. */
type Dating = (at: string) => { at: string; date: string };

/** Where a funded financing's account stands today, on the bank's peers (refused elsewhere). */
export async function positionNow(tx: TxScope, financing: DecidedFinancing): Promise<Position> {
  tx.terms.requireKept(financing.termsOrg, `the position of financing ${financing.id}`);
  return (await positionWhereKept(tx, financing)) as Position;
}

/**
 * Where the account stands today, from the decision's terms, the repayments the public
 * record names and what settlements paid the bank for the pledged piece. Every peer makes
 * the same reads (the public records, and the hash of each private one), so a public step
 * endorsed by a rival's peer reads as the bank's does; only the bank's peers read the
 * figures and answer the position, any other undefined.
 */
export async function positionWhereKept(tx: TxScope, financing: DecidedFinancing): Promise<Position | undefined> {
  const zone = (await tx.consortium.get()).businessTimeZone;
  const dated: Dating = (at) => ({ at, date: businessDate(at, zone) });
  const collected = await collections(tx, financing, dated);
  const missing = (what: string): string => `${what} of ${financing.id} is missing from ${financing.termsOrg}`;
  const decided = await tx.terms.named(financing.termsOrg, financing.decisionHash, 'decided', missing('the decision'));
  const repaid: Movement[] = [];
  for (const entry of financing.repayments ?? []) {
    const hash = entry.repaymentHash;
    const record = await tx.terms.named(financing.termsOrg, hash, 'repayment', missing(`repayment ${hash}`));
    if (record)
      repaid.push({ kind: 'repayment', ...dated(entry.at), amount: parseStoredAmount('amount', record.amount) });
  }
  if (!decided) return undefined;
  const settled: Movement[] =
    financing.status === 'SETTLED' ? [{ kind: 'pieceSettled', ...dated(financing.settledAt) }] : [];
  const movements = [...repaid, ...collected, ...settled];
  return positionOf(financing.id, repaymentTermsOf(decided), movements, businessDate(tx.now, zone));
}

/**
 * The settlement payouts the bank took for the pledged piece while this financing held it:
 * paid after it was funded and, once it was released, before that.
 */
async function collections(tx: TxScope, financing: DecidedFinancing, dated: Dating): Promise<Movement[]> {
  const movements: Movement[] = [];
  for (const id of await tx.settlements.idsOfReceivable(financing.receivableId)) {
    const payout = await tx.settlements.findPayout(id, financing.certificateId);
    if (payout?.basis !== 'PLEDGEE' || payout.payeeId !== financing.bankId) continue;
    const { paidAt } = await tx.settlements.get(id);
    if (paidAt < financing.decidedAt || (financing.status === 'REPAID' && paidAt > financing.repaidAt)) continue;
    movements.push({ kind: 'collection', ...dated(paidAt), amount: parseStoredAmount('amount', payout.amount) });
  }
  return movements;
}
