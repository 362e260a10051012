import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';

/** Where an id leads: ledger ids carry their kind as a prefix; a bare 64-hex digest is a transaction. */
export function routeForId(raw: string): string | undefined {
  const id = raw.trim();
  const enc = encodeURIComponent(id);
  if (/^rcv_/.test(id)) return `/audit/receivables/${enc}`;
  if (/^crt_/.test(id)) return `/audit/certificates/${enc}`;
  if (/^fin_/.test(id)) return `/audit/history/financing/${enc}`;
  if (/^stl_/.test(id)) return `/audit/history/settlement/${enc}`;
  if (/^did:scf:/.test(id)) return `/audit/history/enterprise/${enc}`;
  if (/^[0-9a-f]{64}$/.test(id)) return `/audit/transactions/${enc}`;
  if (id !== '') return `/audit/history/creditLine/${enc}`;
  return undefined;
}

/** Search by any id: receivable, certificate, financing, settlement, enterprise, credit line or transaction. */
export function SearchPage(): ReactNode {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const [id, setId] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const to = routeForId(id);
    if (to) navigate(to);
  };
  return (
    <article>
      <h1>{t('search.title')}</h1>
      <form onSubmit={submit} className="search" role="search">
        <label htmlFor="search-id">{t('search.label')}</label>
        <input id="search-id" value={id} onChange={(e) => setId(e.target.value)} spellCheck={false} required />
        <button type="submit">{t('search.submit')}</button>
      </form>
      <p className="hint">{t('search.hint')}</p>
    </article>
  );
}
