import { createHash } from 'crypto';
import type { records } from '@scf/chaincode';
import type { LedgerCaller } from '../ledger/ledger-backend';
import type { Checkpoint } from '../store/feed';
import type { QueryStore } from '../store/query-store';

/**
 * Compares the query store with the ledger, as an auditor reads it: every receivable of every
 * enterprise the store knows (Receivable:ListByDebtor), each receivable's whole tree
 * (Trace:Tree), against the store's rows. Drift names the record and the field; the digests
 * cover every piece's id, holder and amount on each side, so equal digests mean equal books.
 * Run it while the ledger is quiet: a write committed during the check shows as drift until
 * the store reads it.
 */
export interface Drift {
  readonly kind: 'receivable' | 'certificate';
  readonly id: string;
  readonly field: string;
  readonly store: string | null;
  readonly ledger: string | null;
}

export interface StoreCheck {
  readonly checkpoint: Checkpoint;
  readonly receivables: number;
  readonly certificates: number;
  /** Live amount over every receivable, as the ledger's trees total it. */
  readonly liveAmount: string;
  readonly digest: { readonly store: string; readonly ledger: string };
  readonly drift: Drift[];
}

interface TreeNode {
  readonly certificate: records.Certificate;
  readonly children: readonly TreeNode[];
}
interface Tree {
  readonly root: TreeNode | null;
  readonly liveAmount: string;
}
interface Piece {
  readonly id: string;
  readonly holderId: string;
  readonly amount: string;
}

const PAGE_SIZE = '200';
const flatten = (node: TreeNode | null): records.Certificate[] =>
  node ? [node.certificate, ...node.children.flatMap(flatten)] : [];
const digestOf = (pieces: readonly Piece[]): string =>
  createHash('sha256')
    .update(
      [...pieces]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((p) => `${p.id}|${p.holderId}|${p.amount}\n`)
        .join(''),
    )
    .digest('hex');

async function ledgerReceivables(caller: LedgerCaller, debtorId: string): Promise<records.Receivable[]> {
  const found: records.Receivable[] = [];
  let bookmark = '';
  do {
    const page = (await caller.backend.evaluate({
      identity: caller.identity,
      transaction: 'Receivable:ListByDebtor',
      args: [debtorId, PAGE_SIZE, bookmark],
    })) as { items: records.Receivable[]; bookmark: string };
    found.push(...page.items);
    bookmark = page.bookmark;
  } while (bookmark !== '');
  return found;
}

function compare(kind: Drift['kind'], id: string, pairs: Record<string, [string | null, string | null]>): Drift[] {
  return Object.entries(pairs)
    .filter(([, [store, ledger]]) => store !== ledger)
    .map(([field, [store, ledger]]) => ({ kind, id, field, store, ledger }));
}

/** The pieces of one receivable: each on both sides with the same holder and amount, none on one side only. */
function comparePieces(
  ledgerPieces: readonly Piece[],
  stored: readonly { id: string; holder_id: string; amount: string }[],
): Drift[] {
  const drift: Drift[] = [];
  const byId = new Map(stored.map((c) => [c.id, c]));
  for (const piece of ledgerPieces) {
    const mine = byId.get(piece.id);
    byId.delete(piece.id);
    drift.push(
      ...compare('certificate', piece.id, {
        present: [mine ? 'yes' : null, 'yes'],
        holderId: [mine?.holder_id ?? null, piece.holderId],
        amount: [mine?.amount ?? null, piece.amount],
      }),
    );
  }
  for (const extra of byId.keys())
    drift.push({ kind: 'certificate', id: extra, field: 'present', store: 'yes', ledger: null });
  return drift;
}

/** One receivable and its pieces, on both sides. */
async function checkReceivable(
  caller: LedgerCaller,
  store: QueryStore,
  receivable: records.Receivable,
): Promise<{ drift: Drift[]; ledgerPieces: Piece[]; live: bigint }> {
  const row = await store.db
    .selectFrom('receivables')
    .select(['status', 'settled_amount'])
    .where('id', '=', receivable.id)
    .executeTakeFirst();
  const drift = compare('receivable', receivable.id, {
    present: [row ? 'yes' : null, 'yes'],
    status: [row?.status ?? null, receivable.status],
    settledAmount: [row?.settled_amount ?? null, receivable.settledAmount],
  });
  if (!('rootCertificateId' in receivable)) return { drift, ledgerPieces: [], live: 0n };
  const tree = (await caller.backend.evaluate({
    identity: caller.identity,
    transaction: 'Trace:Tree',
    args: [receivable.id],
  })) as Tree;
  const ledgerPieces = flatten(tree.root).map((c) => ({ id: c.id, holderId: c.holderId, amount: c.amount }));
  const stored = await store.db
    .selectFrom('certificates')
    .select(['id', 'holder_id', 'amount'])
    .where('receivable_id', '=', receivable.id)
    .execute();
  drift.push(...comparePieces(ledgerPieces, stored));
  return { drift, ledgerPieces, live: BigInt(tree.liveAmount) };
}

export async function checkStore(caller: LedgerCaller, store: QueryStore): Promise<StoreCheck> {
  const checkpoint = await store.checkpoint();
  const enterprises = await store.db.selectFrom('enterprises').select('id').orderBy('id').execute();
  const drift: Drift[] = [];
  const ledgerPieces: Piece[] = [];
  const seen = new Set<string>();
  let live = 0n;
  for (const { id } of enterprises) {
    for (const receivable of await ledgerReceivables(caller, id)) {
      seen.add(receivable.id);
      const checked = await checkReceivable(caller, store, receivable);
      drift.push(...checked.drift);
      ledgerPieces.push(...checked.ledgerPieces);
      live += checked.live;
    }
  }
  const storedReceivables = await store.db.selectFrom('receivables').select('id').execute();
  for (const { id } of storedReceivables.filter((r) => !seen.has(r.id)))
    drift.push({ kind: 'receivable', id, field: 'present', store: 'yes', ledger: null });
  const storedPieces = await store.db
    .selectFrom('certificates')
    .select(['id', 'holder_id as holderId', 'amount'])
    .execute();
  return {
    checkpoint,
    receivables: seen.size,
    certificates: ledgerPieces.length,
    liveAmount: live.toString(),
    digest: { store: digestOf(storedPieces), ledger: digestOf(ledgerPieces) },
    drift,
  };
}
