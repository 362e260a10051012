import type { LedgerAccess, LedgerCall, SubmitHooks, SubmitOutcome } from '../ledger/ledger-backend';
import { CommitPending, LedgerUnavailable, TransactionInvalidated } from '../ledger/ledger-errors';

/** How long a flow of several transactions waits for a slow commit before giving up. */
const COMMIT_WAIT_MS = 60_000;
const POLL_MS = 500;

/**
 * Submits and, should the commit be slow to show, waits for it: a flow of several
 * transactions must not start its next step on a write that may still be invalidated.
 */
export async function submitAndWait(
  backend: LedgerAccess,
  call: LedgerCall,
  hooks?: SubmitHooks,
): Promise<SubmitOutcome> {
  try {
    return await backend.submit(call, hooks);
  } catch (error) {
    if (!(error instanceof CommitPending)) throw error;
    for (let waited = 0; waited < COMMIT_WAIT_MS; waited += POLL_MS) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const record = await backend.transaction(error.txId);
      if (record && !record.valid) throw new TransactionInvalidated(record.txId, record.validationCode);
      if (record) return { txId: record.txId, blockNumber: record.blockNumber, result: error.result, attempts: 1 };
    }
    throw new LedgerUnavailable(`transaction ${error.txId} did not commit within ${COMMIT_WAIT_MS} ms`);
  }
}
