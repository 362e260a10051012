import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { StoreDb, StoreTables } from './schema';

/** Where the store lives: an in-process PostgreSQL (PGlite) in a folder, or a PostgreSQL server. */
export type StoreLocation =
  { readonly kind: 'embedded'; readonly dir: string } | { readonly kind: 'server'; readonly url: string };

const INT8 = 20;
const DATE = 1082;
const TIMESTAMPTZ = 1184;
const NUMERIC = 1700;

/**
 * Values come back as the ledger writes them: amounts and sums as decimal strings (never a
 * float), dates as `YYYY-MM-DD` (no local-time Date), instants as ISO strings.
 */
const PARSERS: Readonly<Record<number, (text: string) => string>> = {
  [INT8]: (text) => text,
  [NUMERIC]: (text) => text,
  [DATE]: (text) => text,
  [TIMESTAMPTZ]: (text) => new Date(text).toISOString(),
};

function serverTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) =>
      PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
  };
}

/** An open store: the typed query builder and how to close what it opened. */
export interface StoreConnection {
  readonly db: StoreDb;
  readonly location: StoreLocation;
  close(): Promise<void>;
}

export async function openStore(location: StoreLocation): Promise<StoreConnection> {
  if (location.kind === 'server') {
    const pool = new pg.Pool({ connectionString: location.url, max: 8, types: serverTypes() });
    const db = new Kysely<StoreTables>({ dialect: new PostgresDialect({ pool }) });
    return { db, location, close: () => db.destroy() };
  }
  const lite = await PGlite.create(location.dir, { parsers: PARSERS });
  const db = new Kysely<StoreTables>({ dialect: new PGliteDialect(lite) });
  return {
    db,
    location,
    close: async () => {
      await db.destroy();
      if (!lite.closed) await lite.close();
    },
  };
}
