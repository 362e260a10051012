import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { HistoryTimeline } from './history-timeline';

/** Any record's history (enterprises, credit lines, financings, settlements). */
export function HistoryView({ params }: { params: { kind: string; id: string } }): ReactNode {
  const { t } = useTranslation();
  return (
    <article>
      <h1>
        {t('history.of')} <code>{params.id}</code>
      </h1>
      <HistoryTimeline kind={params.kind} id={params.id} />
    </article>
  );
}
