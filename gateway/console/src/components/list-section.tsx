import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';
import { ErrorNote } from './bits';

/** A titled list of things awaiting the user (offers, receivables, instructions), or a plain "nothing here". */
export function ListSection<T>(props: {
  readonly id: string;
  readonly title: string;
  readonly error: ApiError | undefined;
  readonly items: readonly T[];
  readonly render: (item: T) => ReactNode;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      <ErrorNote error={props.error} />
      {props.items.length === 0 ? <p>{t('common.none')}</p> : <ul>{props.items.map(props.render)}</ul>}
    </section>
  );
}
