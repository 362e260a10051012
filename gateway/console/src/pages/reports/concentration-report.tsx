import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../api/hooks';
import { queryOf } from '../../api/paging';
import { EmptyNote, ErrorNote, Money } from '../../components/bits';

interface Concentration {
  readonly bankId: string;
  readonly debtorId: string;
  readonly rank: number;
  readonly financedAmount: string;
  readonly shareBps: number;
}

/** Basis points as a percentage with two decimals: 1234 → "12.34%". */
const percent = (bps: number): string => `${Math.trunc(bps / 100)}.${String(bps % 100).padStart(2, '0')}%`;

/** Each bank's top debtors by outstanding financed amount (GET /store/concentration). */
export function ConcentrationReport(): ReactNode {
  const { t } = useTranslation();
  const [bankId, setBankId] = useState('');
  const [top, setTop] = useState('10');
  const [query, setQuery] = useState(queryOf({ top: '10' }));
  const loaded = useLoad((api) => api.get<{ items: Concentration[] }>(`/store/concentration?${query}`), [query]);
  return (
    <section aria-labelledby="concentration-title">
      <h2 id="concentration-title">{t('reports.concentration')}</h2>
      <form className="inline" onSubmit={(e) => (e.preventDefault(), setQuery(queryOf({ bankId, top })))}>
        <label htmlFor="concentration-bank">{t('reports.bank')}</label>{' '}
        <input id="concentration-bank" value={bankId} onChange={(e) => setBankId(e.target.value.trim())} />{' '}
        <label htmlFor="concentration-top">{t('reports.top')}</label>{' '}
        <input
          id="concentration-top"
          type="number"
          min={1}
          max={100}
          value={top}
          onChange={(e) => setTop(e.target.value)}
        />{' '}
        <button type="submit">{t('reports.search')}</button>
      </form>
      <ErrorNote error={loaded.error} />
      <table data-testid="concentration">
        <thead>
          <tr>
            <th scope="col">{t('reports.bank')}</th>
            <th scope="col">#</th>
            <th scope="col">{t('reports.debtor')}</th>
            <th scope="col">{t('reports.financed')}</th>
            <th scope="col">{t('reports.share')}</th>
          </tr>
        </thead>
        <tbody>
          {(loaded.data?.items ?? []).map((c) => (
            <tr key={`${c.bankId} ${c.debtorId}`}>
              <td>{c.bankId}</td>
              <td>{c.rank}</td>
              <td>{c.debtorId}</td>
              <td>
                <Money minor={c.financedAmount} />
              </td>
              <td>{percent(c.shareBps)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <EmptyNote items={loaded.data?.items} />
    </section>
  );
}
