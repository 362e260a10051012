import { hierarchy, type HierarchyPointNode, tree } from 'd3-hierarchy';
import type { Certificate, TreeNode } from '../api/types';

/** Pixels between generations (left to right) and the least gap between two pieces of one column. */
export const COLUMN_GAP = 220;
const ROW_GAP = 6;
/** Room right of the last column for its labels. */
const LABEL_ROOM = 300;
const MIN_RADIUS = 3;
const MAX_RADIUS = 18;

export interface PlacedPiece {
  readonly certificate: Certificate;
  readonly x: number;
  readonly y: number;
  readonly r: number;
  readonly parentId: string | null;
}

export interface TreeLayout {
  /** Left to right for a tree a column can hold; a wheel around the root for a wide one. */
  readonly shape: 'tidy' | 'radial';
  readonly pieces: readonly PlacedPiece[];
  readonly byId: ReadonlyMap<string, PlacedPiece>;
  readonly bounds: { readonly minX: number; readonly minY: number; readonly width: number; readonly height: number };
  /** The zoom from which labels no longer overlap: 12 px of text over the closest pieces' spacing. */
  readonly labelScale: number;
}

/** What a piece was worth when it was made: still owed on it plus what settlements paid on it. */
export const valueOf = (certificate: Certificate): bigint =>
  BigInt(certificate.amount) + BigInt(certificate.paidAmount);

/**
 * A piece's radius: its area grows with its share of the receivable (bigint ratio, then a
 * float only for drawing), so a big piece looks big next to its siblings.
 */
export function radiusOf(value: bigint, total: bigint, least = MIN_RADIUS): number {
  const perMillion = Number((value * 1_000_000n) / (total || 1n));
  return least + (MAX_RADIUS - least) * Math.sqrt(perMillion / 1_000_000);
}

/** From this many leaves a column of them would be too tall to read at once: the tree becomes a wheel. */
export const RADIAL_FROM = 60;
/** Pixels between two rings of the wheel (one generation). */
const RING_GAP = 160;
const LABEL_PX = 12;

type Placed = HierarchyPointNode<TreeNode>;

function boundsOf(pieces: readonly PlacedPiece[], labelRoom: number): TreeLayout['bounds'] {
  const xs = pieces.map((p) => p.x);
  const ys = pieces.map((p) => p.y);
  const minX = Math.min(...xs) - MAX_RADIUS;
  const minY = Math.min(...ys) - MAX_RADIUS;
  return { minX, minY, width: Math.max(...xs) - minX + labelRoom, height: Math.max(...ys) - minY + MAX_RADIUS };
}

const place = (node: Placed, x: number, y: number, r: number): PlacedPiece => ({
  certificate: node.data.certificate,
  x,
  y,
  r,
  parentId: node.parent?.data.certificate.id ?? null,
});

/** Left to right (d3-hierarchy's tidy tree): each split's children in the next column, apart by their radii. */
function tidy(nodes: ReturnType<typeof hierarchy<TreeNode>>, total: bigint): TreeLayout {
  const radius = (node: Placed): number => radiusOf(valueOf(node.data.certificate), total);
  const placed = tree<TreeNode>()
    .nodeSize([1, COLUMN_GAP])
    .separation((a, b) => radius(a) + radius(b) + ROW_GAP)(nodes);
  const pieces = placed.descendants().map((node) => place(node, node.y, node.x, radius(node)));
  const spacing = 2 * MIN_RADIUS + ROW_GAP;
  return {
    shape: 'tidy',
    pieces,
    byId: byIdOf(pieces),
    bounds: boundsOf(pieces, LABEL_ROOM),
    labelScale: LABEL_PX / spacing,
  };
}

/**
 * A wheel: the root in the middle, each generation on the next ring, leaves spread around the
 * outer one (d3-hierarchy's radial tidy tree), so a thousand pieces fill the view rather than
 * a sliver of it; pieces keep their size by value, smaller at the least.
 */
function radial(nodes: ReturnType<typeof hierarchy<TreeNode>>, total: bigint): TreeLayout {
  const outer = Math.max(1, nodes.height) * RING_GAP;
  const placed = tree<TreeNode>()
    .size([2 * Math.PI, outer])
    .separation((a, b) => (a.parent === b.parent ? 1 : 2) / Math.max(1, a.depth))(nodes);
  const arc = (2 * Math.PI * outer) / Math.max(1, nodes.leaves().length);
  const least = Math.max(0.8, Math.min(MIN_RADIUS, arc / 3));
  const pieces = placed.descendants().map((node) => {
    const angle = node.x - Math.PI / 2;
    return place(
      node,
      node.y * Math.cos(angle),
      node.y * Math.sin(angle),
      radiusOf(valueOf(node.data.certificate), total, least),
    );
  });
  return {
    shape: 'radial',
    pieces,
    byId: byIdOf(pieces),
    bounds: boundsOf(pieces, LABEL_ROOM),
    labelScale: LABEL_PX / arc,
  };
}

const byIdOf = (pieces: readonly PlacedPiece[]): ReadonlyMap<string, PlacedPiece> =>
  new Map(pieces.map((p) => [p.certificate.id, p]));

/** Lays the certificate tree out: a tidy tree while its leaves fit a column, a wheel beyond. */
export function layoutTree(root: TreeNode): TreeLayout {
  const total = valueOf(root.certificate);
  const nodes = hierarchy<TreeNode>(root, (node) => node.children as TreeNode[]);
  return nodes.leaves().length < RADIAL_FROM ? tidy(nodes, total) : radial(nodes, total);
}

/** The ids on the path from the root down to `id` (the piece's lineage), empty when none is chosen. */
export function pathTo(layout: TreeLayout, id: string | undefined): ReadonlySet<string> {
  const path = new Set<string>();
  let current = id ? layout.byId.get(id) : undefined;
  while (current) {
    path.add(current.certificate.id);
    current = current.parentId ? layout.byId.get(current.parentId) : undefined;
  }
  return path;
}

/** The label of a piece: its holder, its amount and, where it is financed, the bank. */
export function holderName(did: string): string {
  return did.replace(/^did:scf:/, '');
}
