import { ScfError } from '../domain/errors';

export const MAX_PAGE_SIZE = 200;

/** Listings are paged so that one call's cost is bounded by its page, not the ledger. */
export function parsePage(pageSize: string, bookmark: string): { size: number; bookmark: string } {
  const size = Number(pageSize);
  if (!/^[0-9]{1,3}$/.test(pageSize) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new ScfError('INVALID_ARGUMENT', `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  if (bookmark.length > 2048 || !/^[A-Za-z0-9_-]*$/.test(bookmark)) {
    throw new ScfError('INVALID_ARGUMENT', 'bookmark must be a value returned by a previous page');
  }
  return { size, bookmark: Buffer.from(bookmark, 'base64url').toString('utf8') };
}

/** Fabric's bookmark is a raw composite key with NUL separators: callers get it opaque and URL-safe. */
export function encodeBookmark(raw: string): string {
  return Buffer.from(raw, 'utf8').toString('base64url');
}
