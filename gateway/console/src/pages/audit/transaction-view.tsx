import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { seg } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { TransactionRecord } from '../../api/types';
import { ErrorNote, Loading } from '../../components/bits';

/** A committed transaction: its block, validation code, time and endorsing organisations. */
export function TransactionView({ params }: { params: { txId: string } }): ReactNode {
  const { t } = useTranslation();
  const tx = useLoad((api) => api.get<TransactionRecord>(`/transactions/${seg(params.txId)}`), [params.txId]);
  const data = tx.data;
  return (
    <article>
      <h1>{t('transaction.title')}</h1>
      <Loading loading={tx.loading && !data} />
      <ErrorNote error={tx.error} />
      {data ? (
        <dl className="facts" data-testid="transaction">
          <dt>{t('transaction.id')}</dt>
          <dd>
            <code>{data.txId}</code>
          </dd>
          <dt>{t('transaction.block')}</dt>
          <dd>{data.blockNumber}</dd>
          <dt>{t('transaction.validation')}</dt>
          <dd className={data.valid ? 'ok' : 'error'}>{data.validationCode}</dd>
          <dt>{t('transaction.time')}</dt>
          <dd>
            <time dateTime={data.timestamp}>{new Date(data.timestamp).toLocaleString()}</time>
          </dd>
          <dt>{t('transaction.endorsers')}</dt>
          <dd>{data.endorsers.length > 0 ? data.endorsers.join(', ') : t('transaction.embedded')}</dd>
        </dl>
      ) : null}
    </article>
  );
}
