import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearch } from 'wouter';
import { seg } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { ReceivableTree, TreeNode } from '../../api/types';
import { ErrorNote, Loading, Money, Status } from '../../components/bits';
import { TreeGraph } from '../../graph/tree-graph';
import { FreezeForm } from './freeze-form';
import { HistoryTimeline } from './history-timeline';

function flatten(node: TreeNode | null): TreeNode['certificate'][] {
  return node ? [node.certificate, ...node.children.flatMap(flatten)] : [];
}

/** A receivable for its debtor and for oversight: its facts, its certificate tree drawn, its history. */
export function ReceivableView({ params }: { params: { id: string } }): ReactNode {
  const { t } = useTranslation();
  const chosen = new URLSearchParams(useSearch()).get('piece') ?? undefined;
  const [selected, setSelected] = useState<string | undefined>(chosen);
  const tree = useLoad((api) => api.get<ReceivableTree>(`/receivables/${seg(params.id)}/tree`), [params.id]);
  const data = tree.data;
  const pieces = flatten(data?.root ?? null);
  const piece = pieces.find((p) => p.id === selected);
  return (
    <article>
      <h1>{t('receivable.title')}</h1>
      <Loading loading={tree.loading && !data} />
      <ErrorNote error={tree.error} />
      {data ? (
        <>
          <dl className="facts">
            <dt>{t('receivable.id')}</dt>
            <dd>
              <code>{data.receivable.id}</code>
            </dd>
            <dt>{t('receivable.status')}</dt>
            <dd>
              <Status status={data.receivable.status} frozen={data.receivable.frozen} />
            </dd>
            <dt>{t('receivable.debtor')}</dt>
            <dd>{data.receivable.debtorId}</dd>
            <dt>{t('receivable.creditor')}</dt>
            <dd>{data.receivable.creditorId}</dd>
            <dt>{t('receivable.face')}</dt>
            <dd>
              <Money minor={data.receivable.faceAmount} currency={data.receivable.currency} />
            </dd>
            <dt>{t('receivable.due')}</dt>
            <dd>{data.receivable.dueDate}</dd>
            <dt>{t('receivable.live')}</dt>
            <dd>
              {data.livePieces} · <Money minor={data.liveAmount} />
            </dd>
            <dt>{t('receivable.settled')}</dt>
            <dd>
              <Money minor={data.receivable.settledAmount} />
            </dd>
          </dl>
          {data.root ? (
            <section aria-labelledby="tree-title">
              <h2 id="tree-title">{t('tree.title')}</h2>
              <label htmlFor="piece-choice">{t('tree.choose')}</label>{' '}
              <select
                id="piece-choice"
                value={selected ?? ''}
                onChange={(e) => setSelected(e.target.value || undefined)}
              >
                <option value="">—</option>
                {pieces.map((p) => (
                  <option key={p.id} value={p.id}>{`${p.id} · ${p.holderId}`}</option>
                ))}
              </select>
              <TreeGraph root={data.root} selected={selected} onSelect={setSelected} />
              {piece ? (
                <p className="chosen" data-testid="chosen-piece">
                  <Link href={`/audit/certificates/${piece.id}`}>
                    <code>{piece.id}</code>
                  </Link>{' '}
                  · {piece.holderId} · <Money minor={piece.amount} currency={piece.currency} /> ·{' '}
                  <Status status={piece.status} frozen={piece.frozen} />
                </p>
              ) : null}
            </section>
          ) : (
            <p>{t('tree.notAccepted')}</p>
          )}
          <FreezeForm kind="receivable" id={data.receivable.id} frozen={data.receivable.frozen !== null} />
        </>
      ) : null}
      <HistoryTimeline kind="receivable" id={params.id} />
    </article>
  );
}
