import type { LedgerCaller } from '../ledger/ledger-backend';

/**
 * An enterprise's statement (对账单) for a period [from, to): its holdings from the chaincode
 * (Statement:Holdings, page by page of the pieces it ever held) and the payouts it confirmed
 * received (Settlement:PayoutsTo), merged into one line per transaction and step.
 * The balance is what it holds of live pieces; a `paid` line is cash received and leaves it
 * unchanged (the piece was already paid down by its `settled` line). Every page is one bounded
 * evaluation; the statement as a whole grows with the enterprise's business.
 */

export type StatementLineKind =
  'issued' | 'received' | 'transferredOut' | 'split' | 'financed' | 'repaid' | 'settled' | 'paid';

export interface StatementLine {
  readonly kind: StatementLineKind;
  readonly txId: string;
  readonly timestamp: string;
  /** The pieces the transaction changed for the enterprise, in id order. */
  readonly certificateIds: string[];
  /** The change to the balance, signed minor units. */
  readonly change: string;
  /** Money the enterprise confirmed it received (a `paid` line), minor units; "0" otherwise. */
  readonly cash: string;
}

export interface Statement {
  readonly enterpriseId: string;
  readonly from: string;
  readonly to: string;
  readonly opening: string;
  readonly closing: string;
  /** Per kind: the sum of its lines' changes (for `paid`, of the cash received). */
  readonly totals: Record<string, string>;
  readonly lines: StatementLine[];
}

interface HoldingsPage {
  readonly from: string;
  readonly to: string;
  readonly opening: string;
  readonly closing: string;
  readonly lines: { kind: StatementLineKind; txId: string; timestamp: string; certificateId: string; change: string }[];
  readonly bookmark: string;
}

interface PayoutPage {
  readonly items: { certificateId: string; amount: string; status: string; receipt?: { txId: string; at: string } }[];
  readonly bookmark: string;
}

/** The chaincode's page limit: the fewest evaluations for a long history. */
const PAGE_SIZE = '200';

async function pages<T extends { bookmark: string }>(read: (bookmark: string) => Promise<T>): Promise<T[]> {
  const all: T[] = [];
  let bookmark = '';
  do {
    const page = await read(bookmark);
    all.push(page);
    bookmark = page.bookmark;
  } while (bookmark !== '');
  return all;
}

/** One line per transaction and step: a split's retired and new pieces net to zero in one line. */
function merged(lines: readonly StatementLine[]): StatementLine[] {
  const byStep = new Map<string, StatementLine>();
  for (const line of lines) {
    const key = `${line.txId}/${line.kind}`;
    const seen = byStep.get(key);
    byStep.set(
      key,
      seen
        ? {
            ...seen,
            certificateIds: [...seen.certificateIds, ...line.certificateIds].sort(),
            change: (BigInt(seen.change) + BigInt(line.change)).toString(),
            cash: (BigInt(seen.cash) + BigInt(line.cash)).toString(),
          }
        : line,
    );
  }
  return [...byStep.values()].sort(
    (a, b) => a.timestamp.localeCompare(b.timestamp) || a.txId.localeCompare(b.txId) || a.kind.localeCompare(b.kind),
  );
}

function totalsOf(lines: readonly StatementLine[]): Record<string, string> {
  const totals: Record<string, bigint> = {};
  for (const line of lines)
    totals[line.kind] = (totals[line.kind] ?? 0n) + BigInt(line.kind === 'paid' ? line.cash : line.change);
  return Object.fromEntries(Object.entries(totals).map(([kind, sum]) => [kind, sum.toString()]));
}

export async function statementOf(
  caller: LedgerCaller,
  enterpriseId: string,
  from: string,
  to: string,
): Promise<Statement> {
  const evaluate = async <T>(transaction: string, args: string[]): Promise<T> =>
    (await caller.backend.evaluate({ identity: caller.identity, transaction, args })) as T;
  const holdings = await pages((bookmark) =>
    evaluate<HoldingsPage>('Statement:Holdings', [enterpriseId, from, to, PAGE_SIZE, bookmark]),
  );
  const payouts = await pages((bookmark) =>
    evaluate<PayoutPage>('Settlement:PayoutsTo', [enterpriseId, PAGE_SIZE, bookmark]),
  );
  // The chaincode's normalised bounds, so payouts are cut at exactly the same instants.
  const [start, end] = [holdings[0]!.from, holdings[0]!.to];
  const lines: StatementLine[] = [
    ...holdings.flatMap((page) =>
      page.lines.map(({ certificateId, ...line }) => ({ ...line, certificateIds: [certificateId], cash: '0' })),
    ),
    ...payouts.flatMap((page) =>
      page.items.flatMap((payout) =>
        payout.receipt && payout.receipt.at >= start && payout.receipt.at < end
          ? [
              {
                kind: 'paid' as const,
                txId: payout.receipt.txId,
                timestamp: payout.receipt.at,
                certificateIds: [payout.certificateId],
                change: '0',
                cash: payout.amount,
              },
            ]
          : [],
      ),
    ),
  ];
  const sum = (field: 'opening' | 'closing'): string =>
    holdings.reduce((total, page) => total + BigInt(page[field]), 0n).toString();
  const all = merged(lines);
  return {
    enterpriseId,
    from: start,
    to: end,
    opening: sum('opening'),
    closing: sum('closing'),
    totals: totalsOf(all),
    lines: all,
  };
}
