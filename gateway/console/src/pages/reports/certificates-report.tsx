import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { queryOf, useCursorPages } from '../../api/paging';
import { EmptyNote, ErrorNote, Money, Status } from '../../components/bits';
import { PageButtons } from '../../components/page-buttons';
import { parseMajor } from '../../money';

interface StoreCertificate {
  readonly id: string;
  readonly receivableId: string;
  readonly holderId: string;
  readonly debtorId: string;
  readonly status: string;
  readonly amount: string;
  readonly dueDate: string;
  readonly bankId: string | null;
}

const STATUSES = ['ACTIVE', 'OFFERED', 'PLEDGED', 'SPLIT', 'SETTLED'] as const;
const EMPTY = { holderId: '', status: '', bankId: '', dueFrom: '', dueTo: '', minAmount: '', maxAmount: '' };
type Filters = typeof EMPTY;

/** Yuan as typed → minor units for the query; empty is no bound, anything else unparseable is refused. */
function minorOf(text: string): string | undefined | null {
  if (text.trim() === '') return undefined;
  const parsed = parseMajor(text);
  return parsed.ok ? parsed.minor.toString() : null;
}

/** One page of the report, each piece linked to its lineage and history. */
function CertificatesTable({ items }: { items: readonly StoreCertificate[] }): ReactNode {
  const { t } = useTranslation();
  return (
    <table data-testid="store-certificates">
      <thead>
        <tr>
          <th scope="col">{t('certificate.id')}</th>
          <th scope="col">{t('reports.holder')}</th>
          <th scope="col">{t('reports.amount')}</th>
          <th scope="col">{t('reports.due')}</th>
          <th scope="col">{t('reports.status')}</th>
          <th scope="col">{t('reports.bank')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => (
          <tr key={c.id}>
            <td>
              <Link href={`/audit/certificates/${c.id}`}>
                <code>{c.id}</code>
              </Link>
            </td>
            <td>{c.holderId}</td>
            <td>
              <Money minor={c.amount} />
            </td>
            <td>{c.dueDate}</td>
            <td>
              <Status status={c.status} />
            </td>
            <td>{c.bankId ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Pieces by holder, status, bank, due-date and amount range (GET /store/certificates), page by page. */
export function CertificatesReport(): ReactNode {
  const { t } = useTranslation();
  const [form, setForm] = useState<Filters>(EMPTY);
  const [query, setQuery] = useState('');
  const paged = useCursorPages<StoreCertificate>('/store/certificates', query);
  const min = minorOf(form.minAmount);
  const max = minorOf(form.maxAmount);
  const set = (field: keyof Filters) => (e: { target: { value: string } }) =>
    setForm({ ...form, [field]: e.target.value.trim() });
  const search = (): void => {
    if (min === null || max === null) return;
    setQuery(queryOf({ ...form, minAmount: min, maxAmount: max }));
  };
  const text = (field: 'holderId' | 'bankId' | 'dueFrom' | 'dueTo', label: string, type = 'text'): ReactNode => (
    <>
      <label htmlFor={`certificates-${field}`}>{label}</label>{' '}
      <input id={`certificates-${field}`} type={type} value={form[field]} onChange={set(field)} />{' '}
    </>
  );
  const money = (field: 'minAmount' | 'maxAmount', invalid: boolean): ReactNode => (
    <>
      <label htmlFor={`certificates-${field}`}>{t(`reports.${field}`)}</label>{' '}
      <input
        id={`certificates-${field}`}
        inputMode="decimal"
        value={form[field]}
        onChange={set(field)}
        aria-invalid={invalid}
        aria-describedby={invalid ? 'certificates-amount-invalid' : undefined}
      />{' '}
    </>
  );
  return (
    <section aria-labelledby="certificates-title">
      <h2 id="certificates-title">{t('reports.certificates')}</h2>
      <form className="inline" onSubmit={(e) => (e.preventDefault(), search())}>
        {text('holderId', t('reports.holder'))}
        <label htmlFor="certificates-status">{t('reports.status')}</label>{' '}
        <select id="certificates-status" value={form.status} onChange={set('status')}>
          <option value="">{t('reports.any')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>{' '}
        {text('bankId', t('reports.bank'))}
        {text('dueFrom', `${t('reports.due')} ${t('reports.from')}`, 'date')}
        {text('dueTo', `${t('reports.due')} ${t('reports.to')}`, 'date')}
        {money('minAmount', min === null)}
        {money('maxAmount', max === null)}
        <button type="submit" disabled={min === null || max === null}>
          {t('reports.search')}
        </button>
        {min === null || max === null ? (
          <p id="certificates-amount-invalid" className="error">
            {t('money.invalid')}
          </p>
        ) : null}
      </form>
      <ErrorNote error={paged.error} />
      <CertificatesTable items={paged.data?.items ?? []} />
      <EmptyNote items={paged.data?.items} />
      <PageButtons paged={paged} label={t('reports.certificates')} />
    </section>
  );
}
