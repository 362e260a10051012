import { vocabulary } from '@scf/chaincode';
import type { Request, Response } from 'express';
import type { Principal } from '../identity/principals';
import type { EventPosition, LedgerBackend, LedgerEvent } from '../ledger/ledger-backend';
import { HttpError } from './http-error';

// Oversight roles (auditors, regulators) see every event, as the chaincode lets them read every record.
const OVERSIGHT_ROLES = new Set<string>(vocabulary.OVERSIGHT_ROLES);
/** An event id: `<block>:<txId>`, or a block number alone. */
export const EVENT_ID = /^(-1|0|[1-9][0-9]{0,15})(?::([0-9a-f]{64}))?$/;

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * Reads a resume point: `<block>:<txId>` (after that event) or `<block>` (after that
 * block); none starts at the beginning.
 */
export function eventPosition(id: string | undefined): EventPosition {
  if (id === undefined) return { blockNumber: -1 };
  const match = EVENT_ID.exec(id);
  if (!match)
    throw new HttpError(
      400,
      'VALIDATION_FAILED',
      'Last-Event-ID must be an event id (<block>:<txId>) or a block number',
      'Last-Event-ID',
    );
  return { blockNumber: Number(match[1]), ...(match[2] ? { txId: match[2] } : {}) };
}

/**
 * Server-sent events: the caller's own events (all of them for auditors, regulators and
 * admins). Each event's id is `<block>:<txId>`; a client resumes after it with
 * Last-Event-ID (or `?after=`), or after a whole block with `<block>`. The headers go out at
 * once, and a comment line every `heartbeatMs` keeps proxies from closing a quiet stream.
 */
export class EventStreams {
  private readonly open = new Set<() => void>();

  constructor(
    private readonly backend: LedgerBackend,
    private readonly heartbeatMs: number,
  ) {}

  async serve(req: Request, res: Response, principal: Principal): Promise<void> {
    const after = eventPosition(
      req.get('last-event-id') ?? (typeof req.query.after === 'string' ? req.query.after : undefined),
    );
    if (req.method === 'HEAD') {
      res.writeHead(200, STREAM_HEADERS).end();
      return;
    }
    const seesAll = principal.kind === 'admin' || principal.roles.some((r) => OVERSIGHT_ROLES.has(r));
    res.writeHead(200, STREAM_HEADERS);
    res.write(': stream open\n\n');
    const send = (event: LedgerEvent): void => {
      if (!seesAll && principal.kind === 'enterprise' && !event.payload.parties.includes(principal.enterpriseId))
        return;
      res.write(
        `id: ${event.blockNumber}:${event.txId}\nevent: ${event.type}\ndata: ${JSON.stringify(event.payload)}\n\n`,
      );
    };
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), this.heartbeatMs);
    let unsubscribe: (() => void) | undefined;
    let closed = false;
    const close = (): void => {
      closed = true;
      clearInterval(heartbeat);
      unsubscribe?.();
      this.open.delete(close);
      res.end();
    };
    this.open.add(close);
    req.on('close', close);
    try {
      unsubscribe = await this.backend.subscribe(after, send);
    } catch (error) {
      close();
      throw error;
    }
    // The client may have gone while the subscription was being set up.
    if (closed) unsubscribe();
  }

  /** Ends every open stream (at shutdown: clients reconnect elsewhere with their Last-Event-ID). */
  closeAll(): void {
    this.open.forEach((close) => close());
  }
}
