import { holdingFreeze } from './cash-leg-rules';
import { isLive, returnedOffer } from './certificate-rules';
import { ScfError } from './errors';
import { type Amount, formatAmount, parseStoredAmount } from './money';
import type { Certificate, LiveCertificate, Payout, Receivable, Settlement } from './model';
import { millisOf, startOfDate } from './time';

/**
 * Settlement (兑付). The debtor records a payment at or after the due date; it is cleared
 * to the receivable's live pieces in certificate-id order, one page at a time.
 *
 * Allocation rule (pro rata, exact): with payment A, outstanding live total T and pieces
 * a1..an in id order with running sums C0 = 0, Ci = a1 + … + ai, piece i receives
 *   floor(A·Ci / T) − floor(A·C(i−1) / T).
 * The shares telescope to floor(A·T/T) = A exactly, each is within one minor unit of the
 * exact pro-rata share A·ai/T and never exceeds ai; the indivisible remainder falls to the
 * pieces where the running share crosses a whole unit. A page needs only the running sum
 * C carried in the settlement record, so pages add up to the payment by construction.
 * Early payment (before the due date) is refused: financed pieces are priced to maturity.
 * A short payment leaves each piece owing the rest, and the receivable overdue.
 */
export function settlementId(txId: string): string {
  return `stl_${txId}`;
}

/** A receivable takes a payment only when accepted, unfrozen and due. Checked before the amount is read. */
export function requirePayable(receivable: Receivable, now: string): Extract<Receivable, { status: 'ACCEPTED' }> {
  if (receivable.frozen) {
    throw new ScfError(
      'FROZEN',
      `receivable ${receivable.id} is frozen by ${receivable.frozen.by}: ${receivable.frozen.reason}`,
    );
  }
  if (receivable.status !== 'ACCEPTED') {
    throw new ScfError(
      'INVALID_STATE',
      `receivable ${receivable.id} is ${receivable.status} and cannot take a payment`,
    );
  }
  if (millisOf(now) < startOfDate(receivable.dueDate)) {
    throw new ScfError(
      'NOT_DUE',
      `receivable ${receivable.id} is due on ${receivable.dueDate}; early settlement is not accepted`,
    );
  }
  return receivable;
}

export function recordPayment(
  receivable: Receivable,
  collectingBankId: string,
  paid: Amount,
  paymentRef: string,
  now: string,
  txId: string,
): {
  readonly settlement: Settlement;
  readonly receivable: Receivable;
  readonly paid: Amount;
} {
  const accepted = requirePayable(receivable, now);
  const outstanding =
    parseStoredAmount('faceAmount', receivable.faceAmount) -
    parseStoredAmount('settledAmount', receivable.settledAmount);
  if (paid > outstanding) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `amount ${paid} exceeds the ${outstanding} outstanding on receivable ${receivable.id}`,
    );
  }
  const settlement: Settlement = {
    id: settlementId(txId),
    receivableId: receivable.id,
    debtorId: receivable.debtorId,
    collectingBankId,
    amount: formatAmount(paid),
    paymentRef,
    paidAt: now,
    payment: { status: 'RECORDED' },
    liveTotal: formatAmount(outstanding),
    clearedLive: '0',
    clearedAmount: '0',
    clearedPieces: 0,
    cursor: '',
    status: 'CLEARING',
  };
  // settledAmount grows page by page, as pieces are paid, so live + settled = face throughout.
  const settling: Receivable = { ...accepted, status: 'SETTLING', settlementId: settlement.id };
  return { settlement, receivable: settling, paid };
}

export interface PageOutcome {
  readonly settlement: Settlement;
  readonly receivable: Receivable;
  readonly certificates: Certificate[];
  readonly payouts: Payout[];
}

/**
 * Clears one page of pieces (the caller passes them in id order, after the cursor; retired
 * pieces are skipped). `last` says the index holds no pieces after this page.
 */
export function clearPage(
  settlement: Settlement,
  receivable: Receivable,
  page: readonly Certificate[],
  last: boolean,
  now: string,
): PageOutcome {
  if (settlement.status !== 'CLEARING') {
    throw new ScfError('INVALID_STATE', `settlement ${settlement.id} is already cleared`);
  }
  const total = parseStoredAmount('liveTotal', settlement.liveTotal);
  const paid = parseStoredAmount('amount', settlement.amount);
  let running: bigint = parseStoredAmount('clearedLive', settlement.clearedLive);
  const clearedBefore = parseStoredAmount('clearedAmount', settlement.clearedAmount);
  let cleared: bigint = clearedBefore;
  const certificates: Certificate[] = [];
  const payouts: Payout[] = [];
  for (const piece of page) {
    if (!isLive(piece)) continue;
    const amount = parseStoredAmount('amount', piece.amount);
    const share = (paid * (running + amount)) / total - (paid * running) / total;
    running += amount;
    cleared += share;
    if (share === 0n) continue;
    certificates.push(paidPiece(piece, amount - share, share, now));
    payouts.push(payoutFor(settlement, receivable, piece, share));
  }
  const lastId = page.length > 0 ? (page[page.length - 1] as Certificate).id : settlement.cursor;
  if (last) requireAllCleared(settlement, running, total, cleared, paid);
  const paidDown: Receivable = {
    ...receivable,
    settledAmount: formatAmount(parseStoredAmount('settledAmount', receivable.settledAmount) + cleared - clearedBefore),
  };
  return {
    settlement: {
      ...settlement,
      cursor: lastId,
      clearedLive: formatAmount(running),
      clearedAmount: formatAmount(cleared),
      clearedPieces: settlement.clearedPieces + payouts.length,
      status: last ? 'CLEARED' : 'CLEARING',
    },
    receivable: last ? finishClearing(paidDown, now) : paidDown,
    certificates,
    payouts,
  };
}

/** A pledged piece's share goes to the bank holding the pledge; a frozen piece or receivable holds it back. */
function payoutFor(settlement: Settlement, receivable: Receivable, piece: LiveCertificate, share: bigint): Payout {
  const pledgee = piece.status === 'PLEDGED' && piece.lien.stage === 'PLEDGED' ? piece.lien.bankId : undefined;
  return {
    settlementId: settlement.id,
    certificateId: piece.id,
    payeeId: pledgee ?? piece.holderId,
    amount: formatAmount(share),
    basis: pledgee ? 'PLEDGEE' : 'HOLDER',
    status: holdingFreeze(piece, receivable) ? 'HELD' : 'PAYABLE',
  };
}

/** After the last page the whole live total has been walked and the whole payment paid out. */
function requireAllCleared(
  settlement: Settlement,
  running: bigint,
  total: bigint,
  cleared: bigint,
  paid: bigint,
): void {
  if (running !== total || cleared !== paid) {
    // Invariant 1 guarantees the live pieces sum to the outstanding total; anything else is corruption.
    throw new Error(`settlement ${settlement.id} cleared ${cleared} of ${paid} over ${running} of ${total}`);
  }
}

/** A paid piece owes what is left; paid in full it is settled, and any offer or lien on it lapses. */
function paidPiece(piece: LiveCertificate, remaining: bigint, share: bigint, now: string): Certificate {
  const paid = {
    amount: formatAmount(remaining),
    paidAmount: formatAmount(parseStoredAmount('paidAmount', piece.paidAmount) + share),
  };
  if (remaining === 0n) {
    const { id, receivableId, debtorId, parentId, holderId, currency, depth, createdAt, createdTxId, frozen } = piece;
    return {
      id,
      receivableId,
      debtorId,
      parentId,
      holderId,
      currency,
      depth,
      createdAt,
      createdTxId,
      frozen,
      ...paid,
      status: 'SETTLED',
      settledAt: now,
    };
  }
  return piece.status === 'OFFERED' ? { ...returnedOffer(piece), ...paid } : { ...piece, ...paid };
}

/** After the last page the receivable is settled if nothing is owed, else open (and overdue) again. */
function finishClearing(receivable: Receivable, now: string): Receivable {
  if (receivable.status !== 'SETTLING') {
    throw new ScfError('INVALID_STATE', `receivable ${receivable.id} is not being settled`);
  }
  const { settlementId: _done, ...rest } = receivable;
  return receivable.settledAmount === receivable.faceAmount
    ? { ...rest, status: 'SETTLED', settledAt: now }
    : { ...rest, status: 'ACCEPTED' };
}
