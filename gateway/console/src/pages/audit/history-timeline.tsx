import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { seg } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { History } from '../../api/types';
import { ErrorNote, Loading, Status } from '../../components/bits';
import { changedFields } from './history-model';

/** Every committed version of one record, newest first, each with its transaction. */
export function HistoryTimeline({ kind, id }: { kind: string; id: string }): ReactNode {
  const { t } = useTranslation();
  const history = useLoad((api) => api.get<History>(`/history/${seg(kind)}/${seg(id)}`), [kind, id]);
  const entries = history.data?.entries ?? [];
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('history.title')}</h2>
      <Loading loading={history.loading && !history.data} />
      <ErrorNote error={history.error} />
      <ol className="timeline" data-testid="timeline">
        {entries.map((entry, index) => {
          const status = entry.value?.status;
          const changed = changedFields(entry, entries[index + 1]);
          return (
            <li key={entry.txId + index}>
              <time dateTime={entry.timestamp}>{new Date(entry.timestamp).toLocaleString()}</time>{' '}
              {typeof status === 'string' ? <Status status={status} frozen={entry.value?.frozen} /> : null}
              {entry.isDelete ? t('history.deleted') : null}{' '}
              <Link href={`/audit/transactions/${entry.txId}`}>{t('history.transaction')}</Link>
              {changed.length > 0 ? (
                <span className="changed">
                  {' '}
                  {t('history.changed')}: {changed.join(', ')}
                </span>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
