import { requireSelfOrOversight } from '../access/relationships';
import { ScfError } from '../domain/errors';
import { EnterpriseId, parseArg } from '../domain/inputs';
import { BOOKMARK_PATTERN, MAX_BOOKMARK_LENGTH, MAX_PAGE_SIZE } from '../domain/vocabulary';
import type { TxScope } from './scf-context';

/** Listings are paged so that one call's cost is bounded by its page, not the ledger. */
export function parsePage(pageSize: string, bookmark: string): { size: number; bookmark: string } {
  const size = Number(pageSize);
  if (!/^[0-9]{1,3}$/.test(pageSize) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new ScfError('INVALID_ARGUMENT', `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  if (bookmark.length > MAX_BOOKMARK_LENGTH || !BOOKMARK_PATTERN.test(bookmark)) {
    throw new ScfError('INVALID_ARGUMENT', 'bookmark must be a value returned by a previous page');
  }
  return { size, bookmark: Buffer.from(bookmark, 'base64url').toString('utf8') };
}

/** Fabric's bookmark is a raw composite key with NUL separators: callers get it opaque and URL-safe. */
export function encodeBookmark(raw: string): string {
  return Buffer.from(raw, 'utf8').toString('base64url');
}

/**
 * One page of an enterprise's own listing (its pieces, offers, receivables, lines,
 * financings), open to the enterprise itself and to auditors and regulators.
 */
export async function enterpriseListing<T>(
  tx: TxScope,
  enterpriseId: string,
  pageSize: string,
  bookmark: string,
  pageIds: (id: string, size: number, bookmark: string) => Promise<{ ids: string[]; bookmark: string }>,
  load: (id: string) => Promise<T>,
): Promise<{ items: T[]; bookmark: string }> {
  const id = parseArg('enterpriseId', EnterpriseId, enterpriseId);
  requireSelfOrOversight(tx.signedBy, id);
  const page = parsePage(pageSize, bookmark);
  const { ids, bookmark: next } = await pageIds(id, page.size, page.bookmark);
  return { items: await Promise.all(ids.map(load)), bookmark: encodeBookmark(next) };
}
