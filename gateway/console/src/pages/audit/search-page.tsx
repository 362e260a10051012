import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { routeForId } from './id-routes';

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
