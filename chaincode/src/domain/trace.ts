import { asOf, isLive } from './certificate-rules';
import type { Certificate, Receivable } from './model';
import { formatAmount, parseStoredAmount, sumAmounts } from './money';

export interface TreeNode {
  readonly certificate: Certificate;
  readonly children: TreeNode[];
}

export interface ReceivableTree {
  readonly receivable: Receivable;
  readonly root: TreeNode | null;
  readonly livePieces: number;
  readonly liveAmount: string;
}

/**
 * Arranges a receivable's certificates from its root down to every piece, live or paid.
 * Every receivable that ever got a root certificate (accepted, being settled, settled)
 * has a tree: settled business is what an auditor traces most. Only one never accepted
 * (ISSUED, REFUSED) has none.
 */
export function buildTree(receivable: Receivable, certificates: readonly Certificate[], now: string): ReceivableTree {
  const byId = new Map(certificates.map((c) => [c.id, asOf(c, now)]));
  const nodeOf = (certificate: Certificate): TreeNode => ({
    certificate,
    children:
      certificate.status === 'SPLIT'
        ? certificate.childIds.flatMap((id) => {
            const child = byId.get(id);
            return child ? [nodeOf(child)] : [];
          })
        : [],
  });
  // Keyed on the field, not a list of states, so a state added later with a certificate keeps its tree.
  const rootCertificate = 'rootCertificateId' in receivable ? byId.get(receivable.rootCertificateId) : undefined;
  const live = [...byId.values()].filter(isLive);
  return {
    receivable,
    root: rootCertificate ? nodeOf(rootCertificate) : null,
    livePieces: live.length,
    liveAmount: formatAmount(
      sumAmounts(
        'live amount',
        live.map((c) => parseStoredAmount('amount', c.amount)),
      ),
    ),
  };
}
