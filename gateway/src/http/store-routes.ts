import { vocabulary } from '@scf/chaincode';
import type { Express, Response } from 'express';
import { z } from 'zod';
import type { Principal } from '../identity/principals';
import { exportRows, EXPORT_COLUMNS, type ExportRow } from '../store/exports';
import {
  type BusinessReader,
  concentration,
  decodeCursor,
  exposure,
  listCertificates,
  listFinancings,
  listOverdue,
} from '../store/queries';
import type { QueryStore } from '../store/query-store';
import type { LedgerCaller } from '../ledger/ledger-backend';
import { checkStore } from '../services/store-check';
import { readerOf } from './event-stream';
import type { GatewayParts } from './gateway-parts';
import { HttpError } from './http-error';
import { handle, requireSigner, validate } from './request-context';
import { ANY, type DocumentedRoute, union } from './route-docs';
import { csvField } from './statement-csv';

const did = z.string().regex(vocabulary.DID_PATTERN).describe('enterprise DID, e.g. did:scf:supplier-t1');
const date = z.iso.date().describe('calendar date YYYY-MM-DD (an existing day)');
const instant = z.iso.datetime({ offset: true }).describe('ISO-8601 time with zone, e.g. 2027-03-31T16:00:00Z');
const status = z
  .string()
  .regex(/^[A-Z_]{1,32}$/)
  .describe("a record status as the ledger writes it, e.g. 'ACTIVE'");
const amount = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,18})$/)
  .refine((text) => !/^[0-9]+$/.test(text) || BigInt(text) <= vocabulary.MAX_AMOUNT, `at most ${vocabulary.MAX_AMOUNT}`)
  .describe('integer minor units as a decimal string');
const limit = z.coerce.number().int().min(1).max(vocabulary.MAX_PAGE_SIZE).default(50);
const cursor = z.string().max(1024).describe('`nextCursor` of the previous page; none for the first');

const CERTIFICATE_QUERY = z
  .object({
    holderId: did.optional(),
    status: status.optional(),
    bankId: did.optional(),
    dueFrom: date.optional(),
    dueTo: date.optional(),
    minAmount: amount.optional(),
    maxAmount: amount.optional(),
    limit,
    cursor: cursor.optional(),
  })
  .strict();
const OVERDUE_QUERY = z
  .object({
    asOf: date.describe('the business date to reckon on (Asia/Shanghai by default)'),
    limit,
    cursor: cursor.optional(),
  })
  .strict();
const EXPOSURE_QUERY = z.object({ by: z.enum(['core', 'bank']).default('core') }).strict();
const CONCENTRATION_QUERY = z
  .object({ bankId: did.optional(), top: z.coerce.number().int().min(1).max(100).default(10) })
  .strict();
const FINANCING_QUERY = z
  .object({
    bankId: did.optional(),
    status: status.optional(),
    from: instant.optional(),
    to: instant.optional(),
    limit,
    cursor: cursor.optional(),
  })
  .strict();
const EXPORT_QUERY = z
  .object({
    enterpriseId: did.optional().describe('whose records (oversight); an enterprise always exports its own'),
    from: instant.optional(),
    to: instant.optional(),
    format: z.enum(['jsonl', 'csv']).default('jsonl'),
  })
  .strict();

const pageOf = <T extends z.ZodType>(item: T): z.ZodType =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() }).strict();
const CertificateItem = z.object({
  id: z.string(),
  receivableId: z.string(),
  holderId: z.string(),
  debtorId: z.string(),
  status: z.string(),
  amount: z.string(),
  dueDate: z.string(),
  bankId: z.string().nullable(),
  txId: z.string(),
});
const OverdueItem = z.object({
  id: z.string(),
  debtorId: z.string(),
  creditorId: z.string(),
  bankId: z.string(),
  dueDate: z.string(),
  faceAmount: z.string(),
  outstandingAmount: z.string(),
  daysOverdue: z.number().int(),
  txId: z.string(),
});
const ExposureItem = z.object({
  id: z.string(),
  liveAmount: z.string(),
  livePieces: z.number().int(),
  financedAmount: z.string(),
  financings: z.number().int(),
});
const ConcentrationItem = z.object({
  bankId: z.string(),
  debtorId: z.string(),
  rank: z.number().int(),
  financedAmount: z.string(),
  shareBps: z.number().int(),
});
const FinancingItem = z.object({
  id: z.string(),
  certificateId: z.string(),
  applicantId: z.string(),
  bankId: z.string(),
  debtorId: z.string(),
  status: z.string(),
  amount: z.string(),
  appliedAt: z.string(),
  txId: z.string(),
});
const Drift = z.object({
  kind: z.enum(['receivable', 'certificate']),
  id: z.string(),
  field: z.string(),
  store: z.string().nullable(),
  ledger: z.string().nullable(),
});
const StoreCheck = z.object({
  checkpoint: z.object({ blockNumber: z.number().int(), txId: z.string(), events: z.number().int() }),
  receivables: z.number().int(),
  certificates: z.number().int(),
  liveAmount: z.string(),
  digest: z.object({ store: z.string(), ledger: z.string() }),
  drift: z.array(Drift),
});
const StoreStatus = z.object({
  checkpoint: z.object({ blockNumber: z.number().int(), txId: z.string(), events: z.number().int() }),
  ledgerHeight: z.number().int(),
  failure: z.string().optional(),
});

/** What a store route serves with: the store, the caller as the read table knows it, its validated query. */
interface StoreRequest<Q> {
  readonly store: QueryStore;
  readonly reader: BusinessReader;
  readonly query: Q;
  readonly res: Response;
  readonly ledgerHeight: () => Promise<number>;
  /** The caller's own identity on the ledger, for the check. */
  readonly caller: LedgerCaller;
}

interface StoreRoute {
  readonly doc: DocumentedRoute;
  readonly serve: (request: StoreRequest<unknown>) => Promise<void>;
}

/** Store routes may also answer: a bad query or cursor (400), an admin (403), a gateway without a store (404). */
const STORE_ERRORS = union(ANY, [400, 403, 404]);

function route<Q extends z.ZodType>(
  doc: Omit<DocumentedRoute, 'method' | 'access' | 'tag' | 'errors' | 'query'> & { readonly query?: Q },
  serve: (request: StoreRequest<z.output<Q>>) => Promise<unknown>,
): StoreRoute {
  return {
    doc: { ...doc, method: 'get', access: 'apiKey', tag: 'Query store', errors: STORE_ERRORS },
    serve: async (request) => {
      const answer = await serve(request as StoreRequest<z.output<Q>>);
      if (answer !== undefined) request.res.json(answer);
    },
  };
}

/** The sort key a page's cursor names, or 400: a cursor is only ever one this store handed out. */
function after(cursorText: string | undefined, size: number): string[] | undefined {
  if (cursorText === undefined) return undefined;
  const key = decodeCursor(cursorText, size);
  if (!key)
    throw new HttpError(400, 'VALIDATION_FAILED', 'query.cursor: not a cursor this store gave out', 'query.cursor');
  return key;
}

const exportLine = {
  jsonl: (row: ExportRow): string => `${JSON.stringify(row)}\n`,
  csv: (row: ExportRow): string =>
    `${EXPORT_COLUMNS.map((column) =>
      csvField(column === 'record' ? JSON.stringify(row.record) : String(row[column])),
    ).join(',')}\r\n`,
};

/** Streams the export row by row; a client that goes away stops the reading. */
async function streamExport(request: StoreRequest<z.output<typeof EXPORT_QUERY>>): Promise<void> {
  const { res, query, reader } = request;
  if (reader.kind === 'enterprise' && query.enterpriseId !== undefined && query.enterpriseId !== reader.id)
    throw new HttpError(403, 'FORBIDDEN', 'an enterprise exports its own records: leave enterpriseId out');
  const csv = query.format === 'csv';
  res.status(200).type(csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="scf-export.${csv ? 'csv' : 'jsonl'}"`);
  if (csv) res.write(`${EXPORT_COLUMNS.join(',')}\r\n`);
  for await (const row of exportRows(request.store.db, reader, query)) {
    if (res.destroyed) return;
    if (!res.write(exportLine[query.format](row))) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

export const STORE_ROUTES: readonly StoreRoute[] = [
  route(
    {
      path: '/store/certificates',
      operationId: 'storeCertificates',
      summary: 'Certificates by holder, status, bank, due-date range and amount range (query store)',
      description:
        'Pieces the caller may read under the read table ' +
        '(holder, offer recipient, lien bank, debtor; oversight all), ' +
        'ordered by id. `bankId` is the bank a piece is applied for or pledged to.',
      query: CERTIFICATE_QUERY,
      responses: { 200: { description: 'a page', schema: pageOf(CertificateItem), name: 'StoreCertificatePage' } },
    },
    async ({ store, reader, query }) => {
      const { limit: size, cursor: at, minAmount, maxAmount, ...filter } = query;
      const amounts = {
        ...(minAmount !== undefined ? { minAmount: BigInt(minAmount) } : {}),
        ...(maxAmount !== undefined ? { maxAmount: BigInt(maxAmount) } : {}),
      };
      return listCertificates(store.db, reader, { ...filter, ...amounts }, size, after(at, 1));
    },
  ),
  route(
    {
      path: '/store/receivables/overdue',
      operationId: 'storeOverdueReceivables',
      summary: 'Receivables overdue on a business date: owed and due before it, oldest first (query store)',
      query: OVERDUE_QUERY,
      responses: { 200: { description: 'a page', schema: pageOf(OverdueItem), name: 'StoreOverduePage' } },
    },
    ({ store, reader, query }) => listOverdue(store.db, reader, query.asOf, query.limit, after(query.cursor, 2)),
  ),
  route(
    {
      path: '/store/exposure',
      operationId: 'storeExposure',
      summary: 'Exposure per core enterprise or per bank: live amounts and outstanding financed amounts (query store)',
      description: 'Sums over the rows the caller may read: a bank its own financings, a core enterprise its own debt.',
      query: EXPOSURE_QUERY,
      responses: {
        200: {
          description: 'one row per enterprise',
          schema: z.object({ items: z.array(ExposureItem) }),
          name: 'StoreExposure',
        },
      },
    },
    async ({ store, reader, query }) => ({ items: await exposure(store.db, reader, query.by) }),
  ),
  route(
    {
      path: '/store/concentration',
      operationId: 'storeConcentration',
      summary: "Each bank's top debtors by outstanding financed amount, with their share (query store)",
      query: CONCENTRATION_QUERY,
      responses: {
        200: {
          description: 'ranked rows',
          schema: z.object({ items: z.array(ConcentrationItem) }),
          name: 'StoreConcentration',
        },
      },
    },
    async ({ store, reader, query }) => ({ items: await concentration(store.db, reader, query.top, query.bankId) }),
  ),
  route(
    {
      path: '/store/financings',
      operationId: 'storeFinancings',
      summary: 'Financings by bank, status and period of application, oldest first (query store)',
      query: FINANCING_QUERY,
      responses: { 200: { description: 'a page', schema: pageOf(FinancingItem), name: 'StoreFinancingPage' } },
    },
    async ({ store, reader, query }) => {
      const { limit: size, cursor: at, ...filter } = query;
      return listFinancings(store.db, reader, filter, size, after(at, 2));
    },
  ),
  route(
    {
      path: '/store/exports',
      operationId: 'storeExport',
      summary:
        'Every record version an enterprise was a reader of, with its transaction id: JSON Lines or CSV, streamed',
      description:
        'Oldest first; each row is one version of a record as one committed transaction wrote it (check it with ' +
        'GET /transactions/{txId}). An enterprise exports its own records, including pieces it has since passed on; ' +
        "oversight exports any enterprise's, or everything.",
      query: EXPORT_QUERY,
      responses: {
        200: { description: 'one row per record version', mediaType: 'application/x-ndjson', alsoAs: 'text/csv' },
      },
    },
    async (request) => {
      await streamExport(request);
      return undefined;
    },
  ),
  route(
    {
      path: '/store/status',
      operationId: 'storeStatus',
      summary: "How far the query store has read the ledger: its checkpoint, the ledger's height, why it stopped",
      responses: { 200: { description: 'the checkpoint', schema: StoreStatus, name: 'StoreStatus' } },
    },
    async ({ store, ledgerHeight }) => ({
      checkpoint: await store.checkpoint(),
      ledgerHeight: await ledgerHeight(),
      ...(store.feed.status.failure ? { failure: store.feed.status.failure } : {}),
    }),
  ),
  route(
    {
      path: '/store/check',
      operationId: 'storeCheck',
      summary: 'Compare the store with the ledger: counts, totals per receivable, a digest of every piece (oversight)',
      description:
        "Reads every receivable of every enterprise the store knows and each one's tree from the ledger with the " +
        "caller's identity, and names each record and field that differs. Run it while the ledger is quiet.",
      responses: {
        200: { description: 'the comparison; `drift` empty when they agree', schema: StoreCheck, name: 'StoreCheck' },
      },
    },
    async ({ store, reader, caller }) => {
      if (reader.kind !== 'oversight')
        throw new HttpError(403, 'FORBIDDEN', 'only auditors and regulators check the store');
      return checkStore(caller, store);
    },
  ),
];

/** The caller as a reader of business records: a consortium bank admin reads the registry only. */
function businessReader(principal: Principal): BusinessReader {
  const reader = readerOf(principal);
  if (reader.kind === 'admin')
    throw new HttpError(
      403,
      'FORBIDDEN',
      "the query store holds business records; use an enterprise's or an auditor's key",
    );
  return reader;
}

/** The gateway's query store, or 404 on a gateway that runs without one (its routes and webhooks alike). */
export function requireStore(parts: GatewayParts): QueryStore {
  if (!parts.store)
    throw new HttpError(404, 'STORE_OFF', 'this gateway runs without a query store: start it with SCF_STORE');
  return parts.store;
}

export function storeRoutes(app: Express, parts: GatewayParts): void {
  for (const { doc, serve } of STORE_ROUTES) {
    app.get(
      doc.path,
      handle(async (req, res) => {
        const principal = requireSigner(req);
        const reader = businessReader(principal);
        const query = validate(doc.query, req.query, 'query');
        const store = requireStore(parts);
        const caller = { backend: parts.backend, identity: principal.identity };
        await serve({ store, reader, query, res, caller, ledgerHeight: () => parts.backend.height() });
      }),
    );
  }
}
