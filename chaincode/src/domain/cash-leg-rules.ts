import { ScfError } from './errors';
import type { Certificate, Freeze, Payout, Receipt, Receivable, Settlement } from './model';

/**
 * The cash leg (资金闭环): money the ledger only records is confirmed by whoever receives it.
 * The collecting bank confirms the debtor's payment arrived; then each payee confirms its
 * payout arrived, once. A settlement is COMPLETED when it is cleared and every payout is PAID.
 */

/** The freeze that holds a piece's payout back, if any: on the piece itself or on its receivable. */
export function holdingFreeze(certificate: Certificate, receivable: Receivable): Freeze | null {
  return certificate.frozen ?? receivable.frozen;
}

/**
 * A payout as it stands now. Unfreezing cannot rewrite an unbounded number of payouts in
 * one transaction, so HELD is not a stored fact but read from the freeze that holds the
 * piece now: lifting it makes the payout PAYABLE again, and every read and confirmation agrees.
 */
export function payoutAsOf(payout: Payout, freeze: Freeze | null): Payout {
  if (payout.status === 'PAID') return payout;
  return { ...payout, status: freeze ? 'HELD' : 'PAYABLE' };
}

/** A settlement as it stands now: COMPLETED once it is cleared and every payout is PAID (payouts as of now). */
export function settlementAsOf(settlement: Settlement, payouts: readonly Payout[]): Settlement {
  const completed = settlement.status === 'CLEARED' && payouts.every((payout) => payout.status === 'PAID');
  return completed ? { ...settlement, status: 'COMPLETED' } : settlement;
}

/** The collecting bank confirms the debtor's money arrived; a second confirmation is refused. */
export function confirmPayment(settlement: Settlement, receipt: Receipt): Settlement {
  if (settlement.payment.status === 'CONFIRMED') {
    throw new ScfError(
      'ALREADY_CONFIRMED',
      `the payment of settlement ${settlement.id} was confirmed by ${settlement.payment.receipt.by} ` +
        `at ${settlement.payment.receipt.at} (reference ${settlement.payment.receipt.ref})`,
    );
  }
  return { ...settlement, payment: { status: 'CONFIRMED', receipt } };
}

/**
 * The payee confirms its payout arrived: only once the debtor's payment is confirmed, never
 * while a freeze holds it, and never twice. `current` is the payout as of now (payoutAsOf).
 */
export function confirmPayout(settlement: Settlement, current: Payout, receipt: Receipt): Payout {
  if (current.status === 'PAID') {
    throw new ScfError(
      'ALREADY_CONFIRMED',
      `the payout of certificate ${current.certificateId} was confirmed paid by ${current.receipt.by} ` +
        `at ${current.receipt.at} (reference ${current.receipt.ref})`,
    );
  }
  if (settlement.payment.status !== 'CONFIRMED') {
    throw new ScfError(
      'PAYMENT_UNCONFIRMED',
      `the collecting bank ${settlement.collectingBankId} has not confirmed the payment of settlement ${settlement.id}`,
    );
  }
  if (current.status === 'HELD') {
    throw new ScfError('FROZEN', `the payout of certificate ${current.certificateId} is held by a regulator's freeze`);
  }
  const { status: _owed, ...owed } = current;
  return { ...owed, status: 'PAID', receipt };
}
