import { select } from 'd3-selection';
import { zoom, zoomIdentity } from 'd3-zoom';
import { type ReactNode, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { TreeNode } from '../api/types';
import { formatMinor } from '../money';
import { holderName, layoutTree, pathTo, type PlacedPiece, type TreeLayout, valueOf } from './tree-layout';

/** Names the browser's performance entries: the benchmark and the tests read them. */
export const RENDER_MARK = 'scf-tree-start';
export const RENDER_MEASURE = 'scf-tree-render';
const VIEW_WIDTH = 960;
const VIEW_HEIGHT = { min: 220, max: 560 };

interface Props {
  readonly root: TreeNode;
  readonly selected: string | undefined;
  onSelect(id: string): void;
}

/** The scale that shows the whole tree at first: as wide as the view, never taller than its largest height. */
function fitOf(layout: TreeLayout): number {
  const { bounds } = layout;
  return Math.min(VIEW_WIDTH / bounds.width, VIEW_HEIGHT.max / bounds.height, 1.2);
}

/** A shallow tree gets a shallow picture. */
const viewHeightOf = (layout: TreeLayout): number =>
  Math.round(Math.min(VIEW_HEIGHT.max, Math.max(VIEW_HEIGHT.min, layout.bounds.height * fitOf(layout))));

/** A tidy tree's links curve from column to column; a wheel's run straight out from the centre. */
function linkPath(shape: TreeLayout['shape'], from: PlacedPiece, to: PlacedPiece): string {
  if (shape === 'radial') return `M${from.x},${from.y}L${to.x},${to.y}`;
  const mid = (from.x + to.x) / 2;
  return `M${from.x},${from.y}C${mid},${from.y} ${mid},${to.y} ${to.x},${to.y}`;
}

function labelOf(piece: PlacedPiece): string {
  const { certificate } = piece;
  const bank = certificate.lien ? ` → ${holderName(certificate.lien.bankId)}` : '';
  return `${holderName(certificate.holderId)} · ${formatMinor(valueOf(certificate))}${bank}`;
}

function Piece({
  piece,
  onPath,
  dimmed,
  onSelect,
}: {
  piece: PlacedPiece;
  onPath: boolean;
  dimmed: boolean;
  onSelect(id: string): void;
}): ReactNode {
  const { certificate } = piece;
  const classes = [
    'piece',
    `piece-${certificate.status.toLowerCase()}`,
    certificate.frozen ? 'frozen' : '',
    onPath ? 'on-path' : '',
    dimmed ? 'dimmed' : '',
  ].join(' ');
  return (
    <g
      className={classes}
      transform={`translate(${piece.x},${piece.y})`}
      data-id={certificate.id}
      onClick={() => onSelect(certificate.id)}
    >
      <circle r={piece.r} />
      <text x={piece.r + 4} dy="0.32em" className="label">
        {labelOf(piece)}
      </text>
    </g>
  );
}

/**
 * A receivable's certificate tree as an SVG picture: pieces sized by amount and coloured by
 * status, holders and financing banks labelled, the chosen piece's path to the root drawn
 * bold. d3-zoom pans and zooms by moving one group's transform, so a thousand pieces stay
 * responsive; labels show once zoomed in enough to read them.
 */
export function TreeGraph({ root, selected, onSelect }: Props): ReactNode {
  const { t } = useTranslation();
  const svgRef = useRef<SVGSVGElement>(null);
  const groupRef = useRef<SVGGElement>(null);
  const layout = useMemo(() => {
    performance.clearMarks(RENDER_MARK);
    performance.mark(RENDER_MARK);
    return layoutTree(root);
  }, [root]);
  const path = useMemo(() => pathTo(layout, selected), [layout, selected]);

  useLayoutEffect(() => {
    // Measured once the browser has laid out and painted the new tree.
    const frame = requestAnimationFrame(() => {
      performance.clearMeasures(RENDER_MEASURE);
      performance.measure(RENDER_MEASURE, RENDER_MARK);
      svgRef.current?.setAttribute('data-rendered', String(layout.pieces.length));
    });
    return () => cancelAnimationFrame(frame);
  }, [layout]);

  useEffect(() => {
    const svg = svgRef.current;
    const group = groupRef.current;
    if (!svg || !group) return;
    const { bounds } = layout;
    const fit = fitOf(layout);
    const behaviour = zoom<SVGSVGElement, unknown>()
      .scaleExtent([Math.min(fit, 0.01), 8])
      .on('zoom', (event: { transform: { k: number; toString(): string } }) => {
        group.setAttribute('transform', event.transform.toString());
        // Labels only once they no longer overlap: a thousand at once are unreadable.
        svg.classList.toggle('show-labels', event.transform.k >= layout.labelScale);
      });
    const top = (viewHeightOf(layout) - bounds.height * fit) / 2;
    const left = Math.max(0, (VIEW_WIDTH - bounds.width * fit) / 2);
    const initial = zoomIdentity.translate(left - bounds.minX * fit, top - bounds.minY * fit).scale(fit);
    select(svg).call(behaviour).call(behaviour.transform, initial);
    return () => void select(svg).on('.zoom', null);
  }, [layout]);

  return (
    <figure className="tree">
      <svg
        ref={svgRef}
        viewBox={`0 0 ${VIEW_WIDTH} ${viewHeightOf(layout)}`}
        role="img"
        aria-label={t('tree.label', { count: layout.pieces.length })}
        data-testid="tree-graph"
      >
        <g ref={groupRef}>
          <g className="links">
            {layout.pieces.map((piece) => {
              const parent = piece.parentId ? layout.byId.get(piece.parentId) : undefined;
              if (!parent) return null;
              return (
                <path
                  key={piece.certificate.id}
                  className={path.has(piece.certificate.id) ? 'link on-path' : 'link'}
                  d={linkPath(layout.shape, parent, piece)}
                />
              );
            })}
          </g>
          {layout.pieces.map((piece) => (
            <Piece
              key={piece.certificate.id}
              piece={piece}
              onPath={path.has(piece.certificate.id)}
              dimmed={path.size > 0 && !path.has(piece.certificate.id)}
              onSelect={onSelect}
            />
          ))}
        </g>
      </svg>
      <figcaption>
        <Legend />
        <span className="hint">{t('tree.hint')}</span>
      </figcaption>
    </figure>
  );
}

function Legend(): ReactNode {
  const { t } = useTranslation();
  return (
    <ul className="legend" aria-label={t('tree.legend')}>
      {(['ACTIVE', 'OFFERED', 'PLEDGED', 'SPLIT', 'SETTLED'] as const).map((status) => (
        <li key={status}>
          <svg width="12" height="12" aria-hidden="true">
            <circle cx="6" cy="6" r="5" className={`swatch piece-${status.toLowerCase()}`} />
          </svg>
          {t(`status.${status}`)}
        </li>
      ))}
    </ul>
  );
}
