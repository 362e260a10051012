import { signatoryOf } from '../access/relationships';
import type { TxScope } from './scf-context';

/**
 * Records which identity vouched for each document hash a transaction puts on the
 * ledger, so a relying bank can see who attested a fact and check that identity's
 * credentials (Trace:Attestations).
 */
export async function attestDocuments(
  tx: TxScope,
  subjectKind: string,
  subjectId: string,
  hashes: Record<string, string>,
): Promise<void> {
  const attestedBy = signatoryOf(tx.signedBy);
  for (const [field, hash] of Object.entries(hashes).sort(([a], [b]) => a.localeCompare(b))) {
    await tx.credentials.attest({ subjectKind, subjectId, field, hash, attestedBy, at: tx.now, txId: tx.txId });
  }
}
