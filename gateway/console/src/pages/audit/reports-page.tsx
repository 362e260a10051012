import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useLoad } from '../../api/hooks';
import { EmptyNote, ErrorNote, Money } from '../../components/bits';
import { rolesOf, useSession } from '../../session/session';
import { CertificatesReport } from '../reports/certificates-report';
import { ConcentrationReport } from '../reports/concentration-report';
import { ExportsPanel } from '../reports/exports-panel';
import { FinancingsReport } from '../reports/financings-report';

interface Overdue {
  readonly id: string;
  readonly debtorId: string;
  readonly creditorId: string;
  readonly dueDate: string;
  readonly outstandingAmount: string;
  readonly daysOverdue: number;
}

interface Exposure {
  readonly id: string;
  readonly liveAmount: string;
  readonly livePieces: number;
  readonly financedAmount: string;
  readonly financings: number;
}

/**
 * The query store's reports, under the read table like every read: overdue receivables,
 * exposure, concentration, financings, certificates and exports. Oversight exports any
 * enterprise's records; a supplier or core enterprise has its exports beside its statement.
 */
export function ReportsPage(): ReactNode {
  const { t } = useTranslation();
  const roles = rolesOf(useSession().me);
  const oversight = roles.includes('AUDITOR') || roles.includes('REGULATOR');
  const hasStatement = roles.includes('SUPPLIER') || roles.includes('CORE');
  const [by, setBy] = useState<'core' | 'bank'>('core');
  const today = new Date().toISOString().slice(0, 10);
  const overdue = useLoad((api) => api.get<{ items: Overdue[] }>(`/store/receivables/overdue?asOf=${today}`), [today]);
  const exposure = useLoad((api) => api.get<{ items: Exposure[] }>(`/store/exposure?by=${by}`), [by]);
  return (
    <article>
      <h1>{t('reports.title')}</h1>
      <section aria-labelledby="overdue-title">
        <h2 id="overdue-title">{t('reports.overdue')}</h2>
        <ErrorNote error={overdue.error} />
        <ul data-testid="overdue">
          {(overdue.data?.items ?? []).map((r) => (
            <li key={r.id}>
              <Link href={`/audit/receivables/${r.id}`}>
                <code>{r.id}</code>
              </Link>{' '}
              · {r.debtorId} → {r.creditorId} · {r.dueDate} · <Money minor={r.outstandingAmount} /> ·{' '}
              {`${r.daysOverdue} ${t('finance.days')}`}
            </li>
          ))}
        </ul>
        <EmptyNote items={overdue.data?.items} />
      </section>
      <section aria-labelledby="exposure-title">
        <h2 id="exposure-title">{t('reports.exposure')}</h2>
        <label htmlFor="exposure-by">{t('reports.by')}</label>{' '}
        <select id="exposure-by" value={by} onChange={(e) => setBy(e.target.value as 'core' | 'bank')}>
          <option value="core">{t('reports.byCore')}</option>
          <option value="bank">{t('reports.byBank')}</option>
        </select>
        <ErrorNote error={exposure.error} />
        <table data-testid="exposure">
          <thead>
            <tr>
              <th scope="col">{t('reports.enterprise')}</th>
              <th scope="col">{t('receivable.live')}</th>
              <th scope="col">{t('reports.financed')}</th>
            </tr>
          </thead>
          <tbody>
            {(exposure.data?.items ?? []).map((e) => (
              <tr key={e.id}>
                <td>{e.id}</td>
                <td>
                  {e.livePieces} · <Money minor={e.liveAmount} />
                </td>
                <td>
                  {e.financings} · <Money minor={e.financedAmount} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <EmptyNote items={exposure.data?.items} />
      </section>
      <ConcentrationReport />
      <FinancingsReport />
      <CertificatesReport />
      {hasStatement ? null : <ExportsPanel chooseEnterprise={oversight} />}
    </article>
  );
}
