import { ScfError } from './errors';
import { type Amount, formatAmount, parseStoredAmount, sumAmounts } from './money';
import type { Certificate, ConsortiumLimits, LiveCertificate, Receivable } from './model';
import { requireOpenReceivable } from './receivable-rules';
import { certificateId } from './ids';
import { millisOf } from './time';

/**
 * The certificate state machine, free of Fabric: each function takes records and
 * returns the records that replace them, or throws the reason it may not.
 *
 *   ACTIVE --offer--> OFFERED --accept--> ACTIVE (new holder)
 *      ^                 |--refuse/cancel/expire--> ACTIVE (same holder)
 *      +--split--> SPLIT (retired; children ACTIVE)
 *      +--apply for financing--> PLEDGED --reject/repay--> ACTIVE
 *      +--settlement pays the whole piece--> SETTLED
 * A piece moves only while neither it nor its receivable is frozen, and while its
 * receivable is not being settled.
 */

export { certificateId };

export function isLive(certificate: Certificate): certificate is LiveCertificate {
  return certificate.status === 'ACTIVE' || certificate.status === 'OFFERED' || certificate.status === 'PLEDGED';
}

/** An offer not signed for by its expiry time goes back to the holder. */
export function isOfferExpired(certificate: Certificate, now: string): boolean {
  return certificate.status === 'OFFERED' && millisOf(now) >= millisOf(certificate.offer.expiresAt);
}

/** The certificate as it stands at `now`: an expired offer reads as returned. */
export function asOf(certificate: Certificate, now: string): Certificate {
  return certificate.status === 'OFFERED' && isOfferExpired(certificate, now)
    ? returnedOffer(certificate)
    : certificate;
}

export type ActiveCertificate = Extract<Certificate, { status: 'ACTIVE' }>;

export function requireNotFrozen(certificate: Certificate): void {
  if (certificate.frozen) {
    throw new ScfError(
      'FROZEN',
      `certificate ${certificate.id} is frozen by ${certificate.frozen.by}: ${certificate.frozen.reason}`,
    );
  }
}

/** The piece may be split, offered or financed: active, not frozen, its receivable open. */
export function requireTradable(
  certificate: Certificate,
  receivable: Receivable,
  now: string,
  action: string,
): ActiveCertificate {
  requireOpenReceivable(receivable);
  requireNotFrozen(certificate);
  const current = asOf(certificate, now);
  if (current.status !== 'ACTIVE') {
    throw new ScfError('INVALID_STATE', `certificate ${certificate.id} is ${current.status} and cannot be ${action}`);
  }
  return current;
}

export interface SplitOutcome {
  readonly retired: Certificate;
  readonly children: Certificate[];
}

/** The consortium's limits on a split: how many pieces, how deep. Checked before the amounts are read. */
export function requireSplittable(parent: ActiveCertificate, pieces: number, limits: ConsortiumLimits): void {
  if (pieces < 2 || pieces > limits.maxSplitChildren) {
    throw new ScfError('LIMIT_EXCEEDED', `a split makes 2 to ${limits.maxSplitChildren} pieces, not ${pieces}`);
  }
  if (parent.depth + 1 > limits.maxSplitDepth) {
    throw new ScfError(
      'LIMIT_EXCEEDED',
      `certificate ${parent.id} is at split depth ${parent.depth}; the limit is ${limits.maxSplitDepth}`,
    );
  }
}

/** Splits into children whose amounts sum exactly to the parent's; the parent is retired. */
export function splitCertificate(
  parent: ActiveCertificate,
  amounts: readonly Amount[],
  limits: ConsortiumLimits,
  now: string,
  txId: string,
): SplitOutcome {
  const active = parent;
  requireSplittable(active, amounts.length, limits);
  const minPiece = parseStoredAmount('minPieceAmount', limits.minPieceAmount);
  amounts.forEach((amount, i) => {
    if (amount < minPiece) {
      throw new ScfError('LIMIT_EXCEEDED', `amounts[${i}] is ${amount}, below the minimum piece amount ${minPiece}`);
    }
  });
  const total = sumAmounts('sum of amounts', amounts);
  if (total !== parseStoredAmount('amount', active.amount)) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `amounts sum to ${total} but certificate ${parent.id} holds ${active.amount}`,
    );
  }
  const children: Certificate[] = amounts.map((amount, i) => ({
    id: certificateId(txId, i),
    receivableId: active.receivableId,
    debtorId: active.debtorId,
    parentId: active.id,
    holderId: active.holderId,
    amount: formatAmount(amount),
    currency: active.currency,
    depth: active.depth + 1,
    createdAt: now,
    createdTxId: txId,
    paidAmount: '0',
    frozen: null,
    status: 'ACTIVE',
  }));
  const retired: Certificate = { ...active, status: 'SPLIT', childIds: children.map((c) => c.id), retiredAt: now };
  return { retired, children };
}

export function offerTransfer(
  active: ActiveCertificate,
  to: string,
  expiresAt: string,
  limits: ConsortiumLimits,
  now: string,
): Certificate {
  if (to === active.holderId) {
    throw new ScfError('INVALID_ARGUMENT', 'to must be another enterprise than the holder');
  }
  const lifetimeSeconds = (millisOf(expiresAt) - millisOf(now)) / 1000;
  if (lifetimeSeconds <= 0) {
    throw new ScfError('INVALID_ARGUMENT', `expiresAt ${expiresAt} is not after the transaction time ${now}`);
  }
  if (lifetimeSeconds > limits.maxOfferSeconds) {
    throw new ScfError('LIMIT_EXCEEDED', `an offer may stay open at most ${limits.maxOfferSeconds} seconds`);
  }
  return { ...active, status: 'OFFERED', offer: { to, offeredAt: now, expiresAt } };
}

function requireOpenOffer(certificate: Certificate, now: string): Extract<Certificate, { status: 'OFFERED' }> {
  if (certificate.status !== 'OFFERED') {
    throw new ScfError(
      'INVALID_STATE',
      `certificate ${certificate.id} has no open offer (it is ${certificate.status})`,
    );
  }
  if (isOfferExpired(certificate, now)) {
    throw new ScfError(
      'OFFER_EXPIRED',
      `the offer of certificate ${certificate.id} expired at ${certificate.offer.expiresAt}`,
    );
  }
  return certificate;
}

/** The recipient signs for the piece (签收) and becomes its holder. */
export function acceptTransfer(certificate: Certificate, receivable: Receivable, now: string): Certificate {
  requireOpenReceivable(receivable);
  requireNotFrozen(certificate);
  const offered = requireOpenOffer(certificate, now);
  const { offer, ...rest } = offered;
  return { ...rest, status: 'ACTIVE', holderId: offer.to };
}

/** The recipient refuses an open offer: the piece stays with its holder. */
export function refuseTransfer(certificate: Certificate, now: string): Certificate {
  return returnedOffer(requireOpenOffer(certificate, now));
}

/** The holder withdraws its offer, open or already expired, which also clears it from indexes. */
export function cancelOffer(certificate: Certificate): Certificate {
  if (certificate.status !== 'OFFERED') {
    throw new ScfError(
      'INVALID_STATE',
      `certificate ${certificate.id} has no open offer (it is ${certificate.status})`,
    );
  }
  return returnedOffer(certificate);
}

export function returnedOffer(certificate: Extract<Certificate, { status: 'OFFERED' }>): ActiveCertificate {
  const { offer: _withdrawn, ...rest } = certificate;
  return { ...rest, status: 'ACTIVE' };
}
