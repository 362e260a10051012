import { isLive } from './certificate-rules';
import type { Certificate } from './model';

/**
 * A party's holdings over a period, from the versions of the pieces it held. Its balance is
 * the sum of the live amounts it holds; each line is one transaction's change to one piece
 * that concerns it, named by the business step:
 *   issued         - it signed for a receivable: the root piece
 *   received       - a piece was transferred (or assigned) to it
 *   transferredOut - a piece it held went to someone else (a transfer, or an assignment to a bank)
 *   split          - a piece it held was retired for pieces it holds: neutral once a transaction's lines are summed
 *   financed       - a piece it holds was pledged to a funding bank (no change: it still holds it)
 *   repaid         - the pledge was released (no change)
 *   settled        - a settlement paid the piece down (the change is minus the share paid)
 * Only what concerns the party is told: no line names another enterprise, and versions from
 * before it held a piece or after it passed it on give no line.
 */
export const HOLDING_LINE_KINDS = [
  'issued',
  'received',
  'transferredOut',
  'split',
  'financed',
  'repaid',
  'settled',
] as const;
export type HoldingLineKind = (typeof HOLDING_LINE_KINDS)[number];

export interface HoldingLine {
  readonly kind: HoldingLineKind;
  readonly txId: string;
  readonly timestamp: string;
  readonly certificateId: string;
  /** The change to the party's balance, signed minor units. */
  readonly change: string;
}

export interface HoldingVersion {
  readonly txId: string;
  readonly timestamp: string;
  readonly value: Certificate | null;
}

export interface Holdings {
  readonly opening: bigint;
  readonly closing: bigint;
  readonly lines: HoldingLine[];
}

/** What the party holds of a piece in one version: its live amount, or nothing. */
function held(party: string, piece: Certificate | null): bigint {
  return piece !== null && piece.holderId === party && isLive(piece) ? BigInt(piece.amount) : 0n;
}

function isFunded(piece: Certificate | null): boolean {
  return piece?.status === 'PLEDGED' && piece.lien.stage === 'PLEDGED';
}

/** The business step a version records for the party, if it concerns it. */
export function lineKind(
  party: string,
  previous: Certificate | null,
  next: Certificate | null,
): HoldingLineKind | undefined {
  if (next === null) return undefined;
  const had = previous?.holderId === party;
  const has = next.holderId === party;
  if (!had && !has) return undefined;
  if (previous === null) return next.parentId === null ? 'issued' : 'split';
  if (had !== has) return has ? 'received' : 'transferredOut';
  return stepOfHolder(previous, next);
}

/** What changed on a piece the party held before and after. */
function stepOfHolder(previous: Certificate, next: Certificate): HoldingLineKind | undefined {
  if (next.status === 'SPLIT' && previous.status !== 'SPLIT') return 'split';
  if (BigInt(next.paidAmount) > BigInt(previous.paidAmount)) return 'settled';
  if (isFunded(next) !== isFunded(previous)) return isFunded(next) ? 'financed' : 'repaid';
  return undefined;
}

/**
 * One piece's part of a statement over [from, to): the party's holding of it before `from`
 * (opening) and before `to` (closing), and the lines in between. `versions` oldest first.
 */
export function holdingsOfPiece(
  party: string,
  versions: readonly HoldingVersion[],
  from: string,
  to: string,
): Holdings {
  let opening = 0n;
  let closing = 0n;
  const lines: HoldingLine[] = [];
  let previous: Certificate | null = null;
  for (const version of versions) {
    const amount = held(party, version.value);
    if (version.timestamp < from) opening = amount;
    if (version.timestamp < to) closing = amount;
    const kind = lineKind(party, previous, version.value);
    if (version.value !== null && kind !== undefined && version.timestamp >= from && version.timestamp < to) {
      const change = (amount - held(party, previous)).toString();
      lines.push({ kind, txId: version.txId, timestamp: version.timestamp, certificateId: version.value.id, change });
    }
    previous = version.value;
  }
  return { opening, closing, lines };
}
