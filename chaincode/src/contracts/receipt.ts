import { actorLabel } from '../access/authorize';
import type { Receipt } from '../domain/model';
import type { TxScope } from './scf-context';

/** Who confirms a receipt in this transaction, with their reference, when and in which transaction. */
export function receiptOf(tx: TxScope, ref: string): Receipt {
  return {
    by: actorLabel(tx.signedBy),
    mspId: tx.signedBy.signer.mspId,
    clientId: tx.signedBy.signer.clientId,
    ref,
    at: tx.now,
    txId: tx.txId,
  };
}
