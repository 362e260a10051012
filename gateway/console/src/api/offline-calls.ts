import type { SelfHeldKey, ToSign } from './self-held-key';

/** A chaincode call as the offline flow takes it: the transaction and its arguments exactly. */
export interface ChaincodeCall {
  readonly transaction: string;
  readonly args: readonly string[];
}

type Mapping = (ids: readonly string[], query: URLSearchParams, body: Record<string, unknown>) => ChaincodeCall;

/** A paged listing of one enterprise (operations.ts `listing`): id, page size, bookmark. */
const listing =
  (transaction: string): Mapping =>
  ([id], query) => ({ transaction, args: [id!, query.get('pageSize') ?? '50', query.get('bookmark') ?? ''] });

/**
 * The console's routes a self-held user can take, mapped to the chaincode calls the gateway's
 * operation table (gateway/src/http/operations.ts) makes of them: the supplier's pages and
 * actions. Any other ledger route answers such a user 403 KEY_SELF_HELD.
 */
const ROUTES: readonly { method: 'GET' | 'POST'; pattern: RegExp; call: Mapping }[] = [
  { method: 'GET', pattern: /^\/me$/, call: () => ({ transaction: 'Enterprise:WhoAmI', args: [] }) },
  { method: 'GET', pattern: /^\/enterprises\/([^/]+)\/certificates$/, call: listing('Certificate:ListByHolder') },
  {
    method: 'GET',
    pattern: /^\/enterprises\/([^/]+)\/financings\/applied$/,
    call: listing('Financing:ListByApplicant'),
  },
  { method: 'GET', pattern: /^\/enterprises\/([^/]+)\/payouts$/, call: listing('Settlement:PayoutsTo') },
  {
    method: 'GET',
    pattern: /^\/settlements\/([^/]+)$/,
    call: ([id]) => ({ transaction: 'Settlement:Get', args: [id!] }),
  },
  { method: 'GET', pattern: /^\/enterprises\/([^/]+)\/offers$/, call: listing('Certificate:ListOffersTo') },
  { method: 'GET', pattern: /^\/enterprises\/([^/]+)\/receivables\/held$/, call: listing('Receivable:ListByCreditor') },
  {
    method: 'GET',
    pattern: /^\/certificates\/([^/]+)$/,
    call: ([id]) => ({ transaction: 'Certificate:Get', args: [id!] }),
  },
  {
    method: 'GET',
    pattern: /^\/certificates\/([^/]+)\/lineage$/,
    call: ([id]) => ({ transaction: 'Trace:Lineage', args: [id!] }),
  },
  {
    method: 'POST',
    pattern: /^\/certificates\/([^/]+)\/offer\/accept$/,
    call: ([id]) => ({ transaction: 'Certificate:AcceptTransfer', args: [id!] }),
  },
  {
    method: 'POST',
    pattern: /^\/certificates\/([^/]+)\/offer\/refuse$/,
    call: ([id]) => ({ transaction: 'Certificate:RefuseTransfer', args: [id!] }),
  },
  {
    method: 'POST',
    pattern: /^\/certificates\/([^/]+)\/offer$/,
    call: ([id], _query, body) =>
      body.amount
        ? {
            transaction: 'Certificate:OfferPart',
            args: [id!, String(body.amount), String(body.to), String(body.expiresAt)],
          }
        : { transaction: 'Certificate:OfferTransfer', args: [id!, String(body.to), String(body.expiresAt)] },
  },
  {
    method: 'POST',
    pattern: /^\/certificates\/([^/]+)\/split$/,
    call: ([id], _query, body) => ({ transaction: 'Certificate:Split', args: [id!, JSON.stringify(body.amounts)] }),
  },
  {
    method: 'POST',
    pattern: /^\/receivables\/([^/]+)\/accept$/,
    call: ([id]) => ({ transaction: 'Receivable:Accept', args: [id!] }),
  },
  {
    method: 'POST',
    pattern: /^\/receivables\/([^/]+)\/refuse$/,
    call: ([id], _query, body) => ({ transaction: 'Receivable:Refuse', args: [id!, String(body.reason)] }),
  },
];

/** The chaincode call a console route stands for, when a self-held user may make it through the offline flow. */
export function offlineCallFor(method: 'GET' | 'POST', path: string, body: unknown = {}): ChaincodeCall | undefined {
  const [route = '', search = ''] = path.split('?');
  for (const candidate of ROUTES) {
    const match = candidate.method === method ? candidate.pattern.exec(route) : null;
    if (match)
      return candidate.call(
        match.slice(1).map((id) => decodeURIComponent(id)),
        new URLSearchParams(search),
        (body ?? {}) as Record<string, unknown>,
      );
  }
  return undefined;
}

/** What a self-held user is asked before its transaction signature: the call, and the result it commits to. */
export interface SigningRequest extends ChaincodeCall {
  readonly result: unknown;
}

/** The key and the person's consent: the console signs a transaction only once the person has seen what it is. */
export interface OfflineSigner {
  readonly key: SelfHeldKey;
  confirm(request: SigningRequest): Promise<boolean>;
}

export interface Prepared {
  readonly id: string;
  readonly mode: 'evaluate' | 'submit';
  readonly proposal: ToSign;
}

export type ProposalSigned =
  | { readonly mode: 'evaluate'; readonly result: unknown }
  | { readonly mode: 'submit'; readonly result: unknown; readonly transaction: ToSign };
