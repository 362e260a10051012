import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { seg } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { Lineage, Receivable } from '../../api/types';
import { ErrorNote, Loading, Money, Status } from '../../components/bits';

function ReceivableLine({ receivable, certificateId }: { receivable: Receivable; certificateId: string }): ReactNode {
  const { t } = useTranslation();
  return (
    <li>
      {t('lineage.receivable')}{' '}
      <Link href={`/audit/receivables/${receivable.id}?piece=${encodeURIComponent(certificateId)}`}>
        <code>{receivable.id}</code>
      </Link>{' '}
      · {receivable.debtorId} → {receivable.creditorId} ·{' '}
      <Money minor={receivable.faceAmount} currency={receivable.currency} /> · {t('receivable.due')}{' '}
      {receivable.dueDate} · <Status status={receivable.status} frozen={receivable.frozen} />
    </li>
  );
}

/** How a piece traces back through splits and transfers to its confirmed receivable. */
export function LineageList({ certificateId }: { certificateId: string }): ReactNode {
  const { t } = useTranslation();
  const lineage = useLoad((api) => api.get<Lineage>(`/certificates/${seg(certificateId)}/lineage`), [certificateId]);
  const data = lineage.data;
  return (
    <section aria-labelledby="lineage-title">
      <h2 id="lineage-title">{t('lineage.title')}</h2>
      <Loading loading={lineage.loading && !data} />
      <ErrorNote error={lineage.error} />
      {data ? (
        <ol className="lineage" data-testid="lineage">
          <ReceivableLine receivable={data.receivable} certificateId={certificateId} />
          {data.path.map((piece) => (
            <li key={piece.id}>
              <Link href={`/audit/certificates/${piece.id}`}>
                <code>{piece.id}</code>
              </Link>{' '}
              · {piece.holderId} · <Money minor={piece.amount} currency={piece.currency} /> ·{' '}
              <Status status={piece.status} frozen={piece.frozen} />
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
