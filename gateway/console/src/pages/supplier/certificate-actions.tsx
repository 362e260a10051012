import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { seg } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { Certificate, Lineage } from '../../api/types';
import { ErrorNote, Money, Status } from '../../components/bits';
import { enterpriseIdOf, useSession } from '../../session/session';
import { LineageList } from '../audit/lineage-list';
import { FinanceForm } from './finance-form';
import { OfferForm } from './offer-form';
import { SplitForm } from './split-form';

/** What a split (or a part offered) made of the piece: the way on to the pieces it became. */
function Children({ certificate }: { certificate: Certificate }): ReactNode {
  const { t } = useTranslation();
  if (!certificate.childIds) return null;
  return (
    <>
      <dt>{t('certificate.children')}</dt>
      <dd>
        <ul className="plain" data-testid="children">
          {certificate.childIds.map((id) => (
            <li key={id}>
              <Link href={`/certificates/${id}`}>
                <code>{id}</code>
              </Link>
            </li>
          ))}
        </ul>
      </dd>
    </>
  );
}

/** One of the supplier's pieces: its lineage and what its holder may do with it (split, offer, finance). */
export function CertificateActions({ params }: { params: { id: string } }): ReactNode {
  const { t } = useTranslation();
  const { me } = useSession();
  const loaded = useLoad(
    async (api) => {
      // The holder reads its piece's receivable through the lineage (the read table's row for holders).
      const [certificate, lineage] = await Promise.all([
        api.get<Certificate>(`/certificates/${seg(params.id)}`),
        api.get<Lineage>(`/certificates/${seg(params.id)}/lineage`),
      ]);
      return { certificate, receivable: lineage.receivable };
    },
    [params.id],
  );
  const c = loaded.data?.certificate;
  const movable = c !== undefined && c.status === 'ACTIVE' && c.frozen === null && c.holderId === enterpriseIdOf(me);
  return (
    <article>
      <h1>{t('certificate.title')}</h1>
      <ErrorNote error={loaded.error} />
      {c && loaded.data ? (
        <>
          <dl className="facts">
            <dt>{t('certificate.id')}</dt>
            <dd>
              <code data-testid="certificate-id">{c.id}</code>
            </dd>
            <dt>{t('certificate.amount')}</dt>
            <dd>
              <Money minor={c.amount} currency={c.currency} />
            </dd>
            <dt>{t('receivable.due')}</dt>
            <dd>{loaded.data.receivable.dueDate}</dd>
            <dt>{t('certificate.status')}</dt>
            <dd data-testid="certificate-status">
              <Status status={c.status} frozen={c.frozen} />
            </dd>
            <Children certificate={c} />
          </dl>
          {movable ? (
            // Keyed by the piece: moving to a child starts its forms afresh.
            <div className="actions" key={c.id}>
              <SplitForm certificate={c} />
              <OfferForm certificate={c} />
              <FinanceForm certificate={c} dueDate={loaded.data.receivable.dueDate} />
            </div>
          ) : (
            <p className="hint">{t('certificate.notMovable')}</p>
          )}
        </>
      ) : null}
      <LineageList certificateId={params.id} />
    </article>
  );
}
