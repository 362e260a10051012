import type { Certificate, Financing, Payout, Receivable, Settlement } from '../../src/domain/model';
import { isLive } from '../../src/domain/certificate-rules';
import { KEY_TYPES } from '../../src/ledger/keys';
import type { World } from './world';

export interface LedgerView {
  readonly receivables: Receivable[];
  readonly financings: Financing[];
  readonly settlements: Settlement[];
  readonly payouts: Payout[];
  readonly certificates: Map<string, Certificate>;
  readonly index: (type: string) => string[][];
}

/** Reads every record straight from the store, bypassing the contracts under test. */
export async function readLedger(world: World): Promise<LedgerView> {
  const rows = await world.engine.store.range('scf', '', '');
  const byType = new Map<string, { attributes: string[]; value: string }[]>();
  for (const [key, { value }] of rows) {
    const [type = '', ...attributes] = key.slice(1, -1).split('\u0000');
    const list = byType.get(type) ?? [];
    list.push({ attributes, value: Buffer.from(value).toString('utf8') });
    byType.set(type, list);
  }
  const records = <T>(type: string) => (byType.get(type) ?? []).map((r) => JSON.parse(r.value) as T);
  return {
    receivables: records<Receivable>(KEY_TYPES.receivable),
    financings: records<Financing>(KEY_TYPES.financing),
    settlements: records<Settlement>(KEY_TYPES.settlement),
    payouts: records<Payout>(KEY_TYPES.payout),
    certificates: new Map(records<Certificate>(KEY_TYPES.certificate).map((c) => [c.id, c])),
    index: (type) => (byType.get(type) ?? []).map((r) => r.attributes).sort(),
  };
}

/**
 * DESIGN.md invariants 1 and 2, checked on raw state: live pieces of every accepted
 * receivable plus what was settled sum to its face amount; a retired piece's children sum to it; every live
 * piece descends through retired ones only; the holder and offer indexes list exactly
 * the live pieces and open offers, so no piece can be spent from two places; payouts add
 * up to what each settlement cleared; every lien matches an open financing.
 */
export async function checkInvariants(world: World): Promise<void> {
  const ledger = await readLedger(world);
  const certificates = [...ledger.certificates.values()];
  for (const receivable of ledger.receivables) {
    const pieces = certificates.filter((c) => c.receivableId === receivable.id);
    const liveTotal = pieces.filter(isLive).reduce((sum, c) => sum + BigInt(c.amount), 0n);
    if (receivable.status === 'ISSUED' || receivable.status === 'REFUSED') {
      expect(pieces).toEqual([]);
    } else {
      expect(liveTotal + BigInt(receivable.settledAmount)).toBe(BigInt(receivable.faceAmount));
    }
  }
  for (const certificate of certificates) {
    if (certificate.status === 'SPLIT') {
      // A child's face is what it still owes plus what settlements paid it.
      const children = certificate.childIds.map((id) => ledger.certificates.get(id));
      expect(children.every((c) => c?.parentId === certificate.id)).toBe(true);
      expect(children.reduce((sum, c) => sum + BigInt(c?.amount ?? '0') + BigInt(c?.paidAmount ?? '0'), 0n)).toBe(BigInt(certificate.amount));
    }
    for (let parentId = certificate.parentId; parentId !== null;) {
      const parent = ledger.certificates.get(parentId);
      expect(parent?.status).toBe('SPLIT');
      parentId = parent?.parentId ?? null;
    }
  }
  for (const settlement of ledger.settlements) {
    const paid = ledger.payouts.filter((p) => p.settlementId === settlement.id).reduce((sum, p) => sum + BigInt(p.amount), 0n);
    expect(paid).toBe(BigInt(settlement.clearedAmount));
    if (settlement.status === 'CLEARED') expect(paid).toBe(BigInt(settlement.amount));
    // COMPLETED is read, never written (cash-leg-rules.ts settlementAsOf).
    expect(settlement.status).not.toBe('COMPLETED');
  }
  // A payout is confirmed paid only after its settlement's payment was confirmed.
  for (const payout of ledger.payouts.filter((p) => p.status === 'PAID')) {
    expect(ledger.settlements.find((s) => s.id === payout.settlementId)?.payment.status).toBe('CONFIRMED');
  }
  expect(ledger.index(KEY_TYPES.payeePayout)).toEqual(ledger.payouts.map((p) => [p.payeeId, p.settlementId, p.certificateId]).sort());
  for (const certificate of certificates.filter((c) => c.status === 'PLEDGED')) {
    const lien = (certificate as Extract<Certificate, { status: 'PLEDGED' }>).lien;
    const financing = ledger.financings.find((f) => f.id === lien.financingId);
    expect(financing?.status).toBe(lien.stage === 'APPLIED' ? 'APPLIED' : 'FUNDED');
  }
  const live = certificates.filter(isLive);
  expect(ledger.index(KEY_TYPES.holderCertificate)).toEqual(live.map((c) => [c.holderId, c.id]).sort());
  const offered = certificates.flatMap((c) => (c.status === 'OFFERED' ? [[c.offer.to, c.id]] : []));
  expect(ledger.index(KEY_TYPES.offereeCertificate)).toEqual(offered.sort());
  expect(ledger.index(KEY_TYPES.receivableCertificate)).toEqual(certificates.map((c) => [c.receivableId, c.id]).sort());
}
