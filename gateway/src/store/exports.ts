import { sql, type SqlBool } from 'kysely';
import type { BusinessReader } from './queries';
import type { StoreDb } from './schema';

/** One version of a record, as the transaction `txId` wrote it: a row of an export. */
export interface ExportRow {
  readonly seq: string;
  readonly block: string;
  readonly txId: string;
  readonly type: string;
  readonly at: string;
  readonly kind: string;
  readonly recordId: string;
  readonly status: string;
  readonly record: unknown;
}

export interface ExportScope {
  /** Whose records: an enterprise's own export, or (oversight only) any enterprise's; none: everything. */
  readonly enterpriseId?: string;
  /** Written at or after (ISO instant). */
  readonly from?: string;
  /** Written before (ISO instant). */
  readonly to?: string;
}

const BATCH = 500;

/**
 * Every record version the scope covers, oldest first, read in keyset batches so memory
 * stays the same whatever the export's size. A version belongs to an enterprise when the
 * read table named it a reader of that version: what it held, owed, was offered, lent
 * against or was paid, even after it passed the piece on.
 */
export async function* exportRows(db: StoreDb, reader: BusinessReader, scope: ExportScope): AsyncGenerator<ExportRow> {
  const whose = reader.kind === 'enterprise' ? reader.id : scope.enterpriseId;
  let after = '0';
  for (;;) {
    let query = db
      .selectFrom('changes')
      .select(['seq', 'block', 'tx_id', 'type', 'at', 'kind', 'record_id', 'record'])
      .where('seq', '>', after);
    if (whose !== undefined) query = query.where(sql<SqlBool>`readers @> array[${whose}]::text[]`);
    if (scope.from !== undefined) query = query.where('at', '>=', scope.from);
    if (scope.to !== undefined) query = query.where('at', '<', scope.to);
    const rows = await query.orderBy('seq').limit(BATCH).execute();
    for (const r of rows) {
      const record = r.record as { status?: unknown };
      yield {
        seq: r.seq,
        block: r.block,
        txId: r.tx_id,
        type: r.type,
        at: r.at,
        kind: r.kind,
        recordId: r.record_id,
        status: typeof record.status === 'string' ? record.status : '',
        record,
      };
    }
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.seq;
  }
}

export const EXPORT_COLUMNS = ['seq', 'block', 'txId', 'at', 'type', 'kind', 'recordId', 'status', 'record'] as const;
