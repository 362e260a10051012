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

/** Arranges a receivable's certificates from its root down to every live piece. */
export function buildTree(receivable: Receivable, certificates: readonly Certificate[], now: string): ReceivableTree {
  const byId = new Map(certificates.map((c) => [c.id, asOf(c, now)]));
  const nodeOf = (certificate: Certificate): TreeNode => ({
    certificate,
    children: certificate.status === 'SPLIT'
      ? certificate.childIds.flatMap((id) => { const child = byId.get(id); return child ? [nodeOf(child)] : []; })
      : [],
  });
  const rootCertificate = receivable.status === 'ACCEPTED' ? byId.get(receivable.rootCertificateId) : undefined;
  const live = [...byId.values()].filter(isLive);
  return {
    receivable,
    root: rootCertificate ? nodeOf(rootCertificate) : null,
    livePieces: live.length,
    liveAmount: formatAmount(sumAmounts('live amount', live.map((c) => parseStoredAmount('amount', c.amount)))),
  };
}
