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
  readonly pieces: readonly PlacedPiece[];
  readonly byId: ReadonlyMap<string, PlacedPiece>;
  readonly bounds: { readonly minX: number; readonly minY: number; readonly width: number; readonly height: number };
}

/** What a piece was worth when it was made: still owed on it plus what settlements paid on it. */
export const valueOf = (certificate: Certificate): bigint =>
  BigInt(certificate.amount) + BigInt(certificate.paidAmount);

/**
 * A piece's radius: its area grows with its share of the receivable (bigint ratio, then a
 * float only for drawing), so a big piece looks big next to its siblings.
 */
export function radiusOf(value: bigint, total: bigint): number {
  const perMillion = Number((value * 1_000_000n) / (total || 1n));
  return MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * Math.sqrt(perMillion / 1_000_000);
}

/**
 * Lays the certificate tree out left to right (d3-hierarchy's tidy tree): the root at the
 * left, each split's children in the next column, siblings apart by their radii.
 */
export function layoutTree(root: TreeNode): TreeLayout {
  const total = valueOf(root.certificate);
  const nodes = hierarchy<TreeNode>(root, (node) => node.children as TreeNode[]);
  const radius = (node: HierarchyPointNode<TreeNode>): number => radiusOf(valueOf(node.data.certificate), total);
  const placed = tree<TreeNode>()
    .nodeSize([1, COLUMN_GAP])
    .separation((a, b) => radius(a) + radius(b) + ROW_GAP)(nodes);
  const pieces = placed.descendants().map((node) => ({
    certificate: node.data.certificate,
    x: node.y,
    y: node.x,
    r: radius(node),
    parentId: node.parent?.data.certificate.id ?? null,
  }));
  const ys = pieces.map((p) => p.y);
  const xs = pieces.map((p) => p.x);
  const minY = Math.min(...ys) - MAX_RADIUS;
  const minX = Math.min(...xs) - MAX_RADIUS;
  return {
    pieces,
    byId: new Map(pieces.map((p) => [p.certificate.id, p])),
    bounds: { minX, minY, width: Math.max(...xs) - minX + LABEL_ROOM, height: Math.max(...ys) - minY + MAX_RADIUS },
  };
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
