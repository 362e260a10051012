import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { type ApiClient, seg } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { Certificate, Financing, Lineage, Page } from '../../api/types';
import { EmptyNote, ErrorNote, Loading, Money, Status } from '../../components/bits';
import { enterpriseIdOf, useSession } from '../../session/session';
import { IncomingOffers } from './incoming-offers';
import { ReceivablesToAccept } from './receivables-to-accept';
import { PayoutsOwed } from './payouts-owed';

interface Holding {
  readonly certificates: readonly Certificate[];
  readonly dueDates: ReadonlyMap<string, string>;
}

/**
 * The live pieces an enterprise holds, each with its receivable's due date, read through one
 * piece's lineage per receivable (a holder reads its pieces' lineage, not the receivable itself).
 */
async function holdingsOf(api: ApiClient, me: string): Promise<Holding> {
  const page = await api.get<Page<Certificate>>(`/enterprises/${seg(me)}/certificates?pageSize=200`);
  const onePerReceivable = new Map(page.items.map((c) => [c.receivableId, c.id]));
  const lineages = await Promise.all(
    [...onePerReceivable.values()].map((id) => api.get<Lineage>(`/certificates/${seg(id)}/lineage`)),
  );
  return {
    certificates: page.items,
    dueDates: new Map(lineages.map(({ receivable }) => [receivable.id, receivable.dueDate])),
  };
}

/** A supplier's main page: what it holds, what awaits its signature, what it applied to finance. */
export function SupplierHome(): ReactNode {
  const { t } = useTranslation();
  const { me } = useSession();
  const id = enterpriseIdOf(me) ?? '';
  const holdings = useLoad((api) => holdingsOf(api, id), [id]);
  const financings = useLoad((api) => api.get<Page<Financing>>(`/enterprises/${seg(id)}/financings/applied`), [id]);
  return (
    <article>
      <h1>{t('supplier.title')}</h1>
      <ReceivablesToAccept enterpriseId={id} />
      <IncomingOffers enterpriseId={id} />
      <section aria-labelledby="held-title">
        <h2 id="held-title">{t('supplier.certificates')}</h2>
        <Loading loading={holdings.loading && !holdings.data} />
        <ErrorNote error={holdings.error} />
        <table data-testid="certificates">
          <thead>
            <tr>
              <th scope="col">{t('certificate.id')}</th>
              <th scope="col">{t('certificate.amount')}</th>
              <th scope="col">{t('receivable.due')}</th>
              <th scope="col">{t('certificate.status')}</th>
            </tr>
          </thead>
          <tbody>
            {(holdings.data?.certificates ?? []).map((c) => (
              <tr key={c.id}>
                <td>
                  <Link href={`/certificates/${c.id}`}>
                    <code>{c.id}</code>
                  </Link>
                </td>
                <td>
                  <Money minor={c.amount} currency={c.currency} />
                </td>
                <td>{holdings.data?.dueDates.get(c.receivableId)}</td>
                <td>
                  <Status status={c.status} frozen={c.frozen} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <EmptyNote items={holdings.data?.certificates} />
      </section>
      <section aria-labelledby="applied-title">
        <h2 id="applied-title">{t('supplier.financings')}</h2>
        <ErrorNote error={financings.error} />
        <ul data-testid="financings">
          {(financings.data?.items ?? []).map((f) => (
            <li key={f.id}>
              <Link href={`/audit/history/financing/${f.id}`}>
                <code>{f.id}</code>
              </Link>{' '}
              · {f.bankId} · <Status status={f.status} />
            </li>
          ))}
        </ul>
        <EmptyNote items={financings.data?.items} />
      </section>
      <PayoutsOwed enterpriseId={id} />
    </article>
  );
}
