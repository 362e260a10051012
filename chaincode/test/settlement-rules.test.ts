import fc from 'fast-check';
import type { Certificate, Receivable, Settlement } from '../src/domain/model';
import { parseAmount } from '../src/domain/money';
import { clearPage, recordPayment } from '../src/domain/settlement-rules';

const NOW = '2027-06-30T09:00:00.000Z';

function receivable(face: bigint): Receivable {
  return {
    id: 'rcv_1', debtorId: 'did:scf:core', creditorId: 'did:scf:s1', faceAmount: face.toString(), currency: 'CNY',
    dueDate: '2027-06-30', invoiceHash: 'a'.repeat(64), contractHash: 'b'.repeat(64), invoiceKey: 'c'.repeat(64),
    creditLineId: 'cl_1', issuedAt: '2027-01-01T00:00:00.000Z', issueTxId: 't', settledAmount: '0', frozen: null,
    status: 'ACCEPTED', acceptedAt: '2027-01-01T00:00:00.000Z', rootCertificateId: 'crt_0',
  };
}

function piece(i: number, amount: bigint): Certificate {
  return {
    id: `crt_${String(i).padStart(4, '0')}`, receivableId: 'rcv_1', parentId: 'crt_0', holderId: `did:scf:h${i % 3}`,
    amount: amount.toString(), currency: 'CNY', depth: 1, createdAt: NOW, createdTxId: 't', debtorId: 'did:scf:core', paidAmount: '0', frozen: null, status: 'ACTIVE',
  };
}

/** Clears all pieces in pages of `pageSize` and returns each piece's share. */
function shares(amounts: bigint[], payment: bigint, pageSize: number): bigint[] {
  const total = amounts.reduce((a, b) => a + b, 0n);
  const pieces = amounts.map((a, i) => piece(i, a));
  let { settlement, receivable: settling } = recordPayment(receivable(total), 'did:scf:bank', parseAmount('payment', payment.toString()), 'PAY-1', NOW, 'tx');
  const result = new Map<string, bigint>();
  for (let start = 0; ; start += pageSize) {
    const last = start + pageSize >= pieces.length;
    const outcome = clearPage(settlement, settling, pieces.slice(start, start + pageSize), last, NOW);
    outcome.payouts.forEach((p) => result.set(p.certificateId, BigInt(p.amount)));
    settlement = outcome.settlement as Settlement;
    settling = outcome.receivable;
    // Live + settled = face holds after every page, not only at the end.
    const stillOwed = pieces.reduce((sum, p) => sum + BigInt(p.amount) - (result.get(p.id) ?? 0n), 0n);
    expect(stillOwed + BigInt(settling.settledAmount)).toBe(total);
    if (last) break;
  }
  expect(settlement.status).toBe('CLEARED');
  expect(settling.status).toBe(payment === total ? 'SETTLED' : 'ACCEPTED');
  return pieces.map((p) => result.get(p.id) ?? 0n);
}

describe('pro-rata allocation of a payment across live pieces', () => {
  test('a worked example: 100 paid over three equal pieces gives 33, 33, 34', () => {
    expect(shares([1000n, 1000n, 1000n], 100n, 10)).toEqual([33n, 33n, 34n]);
  });

  test('no minor unit is created or lost, no share exceeds its piece or strays a unit from exact, and paging changes nothing', () => {
    fc.assert(fc.property(
      fc.array(fc.bigInt({ min: 1n, max: 10n ** 15n }), { minLength: 1, maxLength: 40 }),
      fc.nat(), fc.integer({ min: 1, max: 40 }),
      (amounts, seed, pageSize) => {
        const total = amounts.reduce((a, b) => a + b, 0n);
        const payment = (BigInt(seed) % total) + 1n;
        const paged = shares(amounts, payment, pageSize);
        expect(paged.reduce((a, b) => a + b, 0n)).toBe(payment);
        paged.forEach((share, i) => {
          const amount = amounts[i] as bigint;
          expect(share <= amount).toBe(true);
          const exactTimesTotal = payment * amount; // the exact share is this divided by total
          expect(share * total - exactTimesTotal < total && exactTimesTotal - share * total < total).toBe(true);
        });
        expect(paged).toEqual(shares(amounts, payment, amounts.length));
      }), { numRuns: 300 });
  });
});
