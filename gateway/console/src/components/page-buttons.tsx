import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Paged } from '../api/paging';

/** "First page" and "Next page" for a report read with the API's cursors. */
export function PageButtons({ paged, label }: { paged: Paged<unknown>; label: string }): ReactNode {
  const { t } = useTranslation();
  if (!paged.first && !paged.next) return null;
  return (
    <nav aria-label={label} className="inline">
      <button type="button" onClick={paged.first} disabled={!paged.first}>
        {t('reports.firstPage')}
      </button>{' '}
      <button type="button" onClick={paged.next} disabled={!paged.next}>
        {t('reports.nextPage')}
      </button>
    </nav>
  );
}
