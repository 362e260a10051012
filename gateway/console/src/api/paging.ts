import { useState } from 'react';
import { type Loaded, useLoad } from './hooks';

export interface CursorPage<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

export interface Paged<T> extends Loaded<CursorPage<T>> {
  /** The page after this one, when the API handed out a cursor for it. */
  readonly next: (() => void) | undefined;
  /** Back to the first page, when not on it. */
  readonly first: (() => void) | undefined;
}

/** Rows per page of a report: a screenful. */
export const PAGE_ROWS = 20;

/**
 * A query-store report read page by page with the API's `nextCursor` (a cursor is the last
 * row's sort key, so pages stay stable while the store grows). A changed query starts again
 * from its first page.
 */
export function useCursorPages<T>(route: string, query: string): Paged<T> {
  const [at, setAt] = useState<{ query: string; cursor: string } | undefined>();
  const cursor = at?.query === query ? at.cursor : undefined;
  const page = new URLSearchParams(query);
  page.set('limit', String(PAGE_ROWS));
  if (cursor !== undefined) page.set('cursor', cursor);
  const path = `${route}?${page.toString()}`;
  const loaded = useLoad((api) => api.get<CursorPage<T>>(path), [path]);
  const nextCursor = loaded.data?.nextCursor;
  return {
    ...loaded,
    next: nextCursor === undefined ? undefined : () => setAt({ query, cursor: nextCursor }),
    first: cursor === undefined ? undefined : () => setAt(undefined),
  };
}

/** A query string of the filled fields only (an empty field is no filter). */
export function queryOf(fields: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value) params.set(name, value);
  return params.toString();
}
