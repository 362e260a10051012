import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { seg } from '../../api/client';
import { useLoad, useWrite } from '../../api/hooks';
import type { Certificate, Page } from '../../api/types';
import { ErrorNote, Money, Outcome } from '../../components/bits';
import { ListSection } from '../../components/list-section';

function OfferRow({ offer }: { offer: Certificate }): ReactNode {
  const { t } = useTranslation();
  const write = useWrite<Certificate>();
  const path = `/certificates/${seg(offer.id)}/offer`;
  return (
    <li data-testid={`offer-${offer.id}`}>
      <code>{offer.id}</code> · {t('supplier.from')} {offer.holderId} ·{' '}
      <Money minor={offer.amount} currency={offer.currency} />
      {offer.offer ? ` · ${t('supplier.until')} ${new Date(offer.offer.expiresAt).toLocaleString()}` : ''}{' '}
      <button type="button" disabled={write.busy} onClick={() => void write.run(`${path}/accept`, {})}>
        {t('supplier.sign')}
      </button>{' '}
      <button type="button" disabled={write.busy} onClick={() => void write.run(`${path}/refuse`, {})}>
        {t('supplier.refuse')}
      </button>
      <ErrorNote error={write.error} />
      <Outcome outcome={write.outcome} />
    </li>
  );
}

/** Pieces offered to the supplier: it signs for them (签收) or refuses them. */
export function IncomingOffers({ enterpriseId }: { enterpriseId: string }): ReactNode {
  const { t } = useTranslation();
  const offers = useLoad(
    (api) => api.get<Page<Certificate>>(`/enterprises/${seg(enterpriseId)}/offers?pageSize=200`),
    [enterpriseId],
  );
  return (
    <ListSection
      id="offers-title"
      title={t('supplier.offers')}
      error={offers.error}
      items={offers.data?.items ?? []}
      render={(c) => <OfferRow key={c.id} offer={c} />}
    />
  );
}
