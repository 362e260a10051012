import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { seg } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { Financing, Page } from '../../api/types';
import { EmptyNote, ErrorNote, Loading, Money, Status } from '../../components/bits';
import { enterpriseIdOf, useSession } from '../../session/session';
import { GrantLine } from './grant-line';
import { PayoutsOwed } from '../supplier/payouts-owed';

interface CreditLine {
  readonly id: string;
  readonly coreId: string;
  readonly currency: string;
  readonly used: string;
  readonly status: string;
  readonly expiresAt: string;
}

/** A bank's main page: the applications addressed to it (open ones first) and the credit lines it granted. */
export function BankHome(): ReactNode {
  const { t } = useTranslation();
  const { me } = useSession();
  const id = enterpriseIdOf(me) ?? '';
  const addressed = useLoad(
    (api) => api.get<Page<Financing>>(`/enterprises/${seg(id)}/financings/addressed?pageSize=200`),
    [id],
  );
  const lines = useLoad((api) => api.get<Page<CreditLine>>(`/enterprises/${seg(id)}/credit-lines/granted`), [id]);
  const items = [...(addressed.data?.items ?? [])].sort(
    (a, b) => Number(b.status === 'APPLIED') - Number(a.status === 'APPLIED') || b.appliedAt.localeCompare(a.appliedAt),
  );
  return (
    <article>
      <h1>{t('bank.title')}</h1>
      <section aria-labelledby="applications-title">
        <h2 id="applications-title">{t('bank.applications')}</h2>
        <Loading loading={addressed.loading && !addressed.data} />
        <ErrorNote error={addressed.error} />
        <table data-testid="applications">
          <thead>
            <tr>
              <th scope="col">{t('bank.financing')}</th>
              <th scope="col">{t('bank.applicant')}</th>
              <th scope="col">{t('finance.mode')}</th>
              <th scope="col">{t('bank.appliedAt')}</th>
              <th scope="col">{t('receivable.status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr key={f.id}>
                <td>
                  <Link href={`/financings/${f.id}`}>
                    <code>{f.id}</code>
                  </Link>
                </td>
                <td>{f.applicantId}</td>
                <td>{f.mode}</td>
                <td>{new Date(f.appliedAt).toLocaleString()}</td>
                <td>
                  <Status status={f.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <EmptyNote items={addressed.data && items} />
      </section>
      <section aria-labelledby="lines-title">
        <h2 id="lines-title">{t('bank.creditLines')}</h2>
        <ErrorNote error={lines.error} />
        <ul>
          {(lines.data?.items ?? []).map((line) => (
            <li key={line.id}>
              <code>{line.id}</code> · {line.coreId} · {t('bank.used')}{' '}
              <Money minor={line.used} currency={line.currency} /> · <Status status={line.status} />
            </li>
          ))}
        </ul>
        <EmptyNote items={lines.data?.items} />
      </section>
      <GrantLine />
      <PayoutsOwed enterpriseId={id} />
    </article>
  );
}
