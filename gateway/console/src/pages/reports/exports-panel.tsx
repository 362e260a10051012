import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client';
import { asApiError } from '../../api/hooks';
import { queryOf } from '../../api/paging';
import { ErrorNote } from '../../components/bits';
import { dayStart } from '../../period';
import { saveFile } from '../../save-file';
import { useSession } from '../../session/session';

const FORMATS = { csv: 'text/csv', jsonl: 'application/x-ndjson' } as const;
type Format = keyof typeof FORMATS;

/**
 * "My records and exports": every record version the caller's enterprise was a reader of
 * (GET /store/exports), as CSV or JSON Lines, fetched with the key in its header and saved
 * from a Blob. Oversight (`chooseEnterprise`) may name any enterprise, or none for everything.
 */
export function ExportsPanel({ chooseEnterprise = false }: { chooseEnterprise?: boolean }): ReactNode {
  const { t } = useTranslation();
  const { api } = useSession();
  const [form, setForm] = useState({ enterpriseId: '', from: '', to: '', format: 'csv' as Format });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [field]: e.target.value.trim() });
  const download = async (): Promise<void> => {
    const query = queryOf({
      enterpriseId: chooseEnterprise ? form.enterpriseId : undefined,
      from: dayStart(form.from),
      to: dayStart(form.to, 1),
      format: form.format,
    });
    setBusy(true);
    setError(undefined);
    try {
      saveFile(await api.download(`/store/exports?${query}`, FORMATS[form.format]), `scf-export.${form.format}`);
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="exports-title">
      <h2 id="exports-title">{t(chooseEnterprise ? 'reports.exportsAny' : 'reports.exports')}</h2>
      <p>{t(chooseEnterprise ? 'reports.exportsAnyIntro' : 'reports.exportsIntro')}</p>
      <form className="inline" onSubmit={(e) => (e.preventDefault(), void download())}>
        {chooseEnterprise ? (
          <>
            <label htmlFor="exports-enterprise">{t('reports.enterprise')}</label>{' '}
            <input id="exports-enterprise" value={form.enterpriseId} onChange={set('enterpriseId')} />{' '}
          </>
        ) : null}
        <label htmlFor="exports-from">{t('reports.from')}</label>{' '}
        <input id="exports-from" type="date" value={form.from} onChange={set('from')} />{' '}
        <label htmlFor="exports-to">{t('reports.to')}</label>{' '}
        <input id="exports-to" type="date" value={form.to} onChange={set('to')} />{' '}
        <label htmlFor="exports-format">{t('reports.format')}</label>{' '}
        <select id="exports-format" value={form.format} onChange={set('format')}>
          <option value="csv">CSV</option>
          <option value="jsonl">JSON Lines</option>
        </select>{' '}
        <button type="submit" disabled={busy}>
          {t('reports.download')}
        </button>
      </form>
      <ErrorNote error={error} />
    </section>
  );
}
