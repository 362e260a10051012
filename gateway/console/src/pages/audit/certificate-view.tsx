import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { seg } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { Certificate } from '../../api/types';
import { ErrorNote, Money, Status } from '../../components/bits';
import { FreezeForm } from './freeze-form';
import { HistoryTimeline } from './history-timeline';
import { LineageList } from './lineage-list';

/** One certificate: its facts, its lineage to the receivable and its history. */
export function CertificateView({ params }: { params: { id: string } }): ReactNode {
  const { t } = useTranslation();
  const certificate = useLoad((api) => api.get<Certificate>(`/certificates/${seg(params.id)}`), [params.id]);
  const c = certificate.data;
  return (
    <article>
      <h1>{t('certificate.title')}</h1>
      <ErrorNote error={certificate.error} />
      {c ? (
        <dl className="facts">
          <dt>{t('certificate.id')}</dt>
          <dd>
            <code>{c.id}</code>
          </dd>
          <dt>{t('certificate.holder')}</dt>
          <dd>{c.holderId}</dd>
          <dt>{t('certificate.amount')}</dt>
          <dd>
            <Money minor={c.amount} currency={c.currency} />
          </dd>
          <dt>{t('certificate.status')}</dt>
          <dd>
            <Status status={c.status} frozen={c.frozen} />
          </dd>
          {c.lien ? (
            <>
              <dt>{t('certificate.bank')}</dt>
              <dd>{c.lien.bankId}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      <LineageList certificateId={params.id} />
      {c ? <FreezeForm kind="certificate" id={c.id} frozen={c.frozen !== null} /> : null}
      <HistoryTimeline kind="certificate" id={params.id} />
    </article>
  );
}
