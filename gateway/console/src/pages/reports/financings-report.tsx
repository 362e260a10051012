import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { queryOf, useCursorPages } from '../../api/paging';
import { EmptyNote, ErrorNote, Money, Status } from '../../components/bits';
import { PageButtons } from '../../components/page-buttons';
import { dayStart } from '../../period';

interface StoreFinancing {
  readonly id: string;
  readonly certificateId: string;
  readonly applicantId: string;
  readonly bankId: string;
  readonly status: string;
  readonly amount: string;
  readonly appliedAt: string;
}

const STATUSES = ['APPLIED', 'FUNDED', 'REJECTED', 'REPAID'] as const;

/** Financings by bank, status and period of application, oldest first (GET /store/financings). */
export function FinancingsReport(): ReactNode {
  const { t } = useTranslation();
  const [form, setForm] = useState({ bankId: '', status: '', from: '', to: '' });
  const [query, setQuery] = useState('');
  const paged = useCursorPages<StoreFinancing>('/store/financings', query);
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [field]: e.target.value.trim() });
  const search = (): void =>
    setQuery(
      queryOf({ bankId: form.bankId, status: form.status, from: dayStart(form.from), to: dayStart(form.to, 1) }),
    );
  return (
    <section aria-labelledby="financings-title">
      <h2 id="financings-title">{t('reports.financings')}</h2>
      <form className="inline" onSubmit={(e) => (e.preventDefault(), search())}>
        <label htmlFor="financings-bank">{t('reports.bank')}</label>{' '}
        <input id="financings-bank" value={form.bankId} onChange={set('bankId')} />{' '}
        <label htmlFor="financings-status">{t('reports.status')}</label>{' '}
        <select id="financings-status" value={form.status} onChange={set('status')}>
          <option value="">{t('reports.any')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>{' '}
        <label htmlFor="financings-from">{t('reports.from')}</label>{' '}
        <input id="financings-from" type="date" value={form.from} onChange={set('from')} />{' '}
        <label htmlFor="financings-to">{t('reports.to')}</label>{' '}
        <input id="financings-to" type="date" value={form.to} onChange={set('to')} />{' '}
        <button type="submit">{t('reports.search')}</button>
      </form>
      <ErrorNote error={paged.error} />
      <table data-testid="store-financings">
        <thead>
          <tr>
            <th scope="col">{t('bank.financing')}</th>
            <th scope="col">{t('bank.applicant')}</th>
            <th scope="col">{t('reports.bank')}</th>
            <th scope="col">{t('reports.amount')}</th>
            <th scope="col">{t('reports.applied')}</th>
            <th scope="col">{t('reports.status')}</th>
          </tr>
        </thead>
        <tbody>
          {(paged.data?.items ?? []).map((f) => (
            <tr key={f.id}>
              <td>
                <Link href={`/audit/history/financing/${f.id}`}>
                  <code>{f.id}</code>
                </Link>
              </td>
              <td>{f.applicantId}</td>
              <td>{f.bankId}</td>
              <td>
                <Money minor={f.amount} />
              </td>
              <td>{new Date(f.appliedAt).toLocaleString()}</td>
              <td>
                <Status status={f.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <EmptyNote items={paged.data?.items} />
      <PageButtons paged={paged} label={t('reports.financings')} />
    </section>
  );
}
