import { enterpriseReader, type EventPayload, eventProjection, type Reader } from '@scf/chaincode';
import type { Request, Response } from 'express';
import type { Principal } from '../identity/principals';
import type { EventPosition, LedgerBackend, LedgerEvent } from '../ledger/ledger-backend';
import type { Reminder, ReminderService } from '../services/reminders';
import { HttpError } from './http-error';

/** The caller as the chaincode's read table knows readers: oversight, a consortium admin or one enterprise. */
export function readerOf(principal: Principal): Reader {
  return principal.kind === 'admin' ? { kind: 'admin' } : enterpriseReader(principal.enterpriseId, principal.roles);
}

/**
 * What a caller receives of an event: the chaincode's projection (access/event-projection.ts),
 * the records it may read under the read table, or nothing.
 */
export function projectionFor(principal: Principal, payload: EventPayload): EventPayload | undefined {
  return eventProjection(payload, readerOf(principal));
}
/**
 * A committed transaction is read as its event is: by oversight, by whoever signed it, and by
 * anyone its event has something for (an admin: registry transactions).
 */
export function mayReadTransaction(principal: Principal, event: EventPayload | undefined): boolean {
  if (readerOf(principal).kind === 'oversight') return true;
  if (event === undefined) return false;
  const signer = principal.kind === 'admin' ? `msp:${principal.mspId}` : principal.enterpriseId;
  return event.actor === signer || projectionFor(principal, event) !== undefined;
}

/** An event id: `<block>:<txId>`, or a block number alone. */
export const EVENT_ID = /^(-1|0|[1-9][0-9]{0,15})(?::([0-9a-f]{64}))?$/;
/** `?after=` also takes `now`: only events committed from the moment of connecting (no replay). */
export const AFTER = new RegExp(`${EVENT_ID.source}|^now$`);

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
 * Server-sent events: each event as the caller may read it (projectionFor): auditors and
 * regulators whole, an enterprise the records the read table lets it read, a consortium admin
 * the registry; an event with nothing for the caller is skipped. Each event's id is
 * `<block>:<txId>`; a client resumes after it with Last-Event-ID (or `?after=`), or after a
 * whole block with `<block>`; `?after=now` skips the replay (the stream's first line is the
 * resume point it starts from). The headers go out at once, and a comment line every
 * `heartbeatMs` keeps proxies from closing a quiet stream.
 */
export class EventStreams {
  private readonly open = new Set<() => void>();

  constructor(
    private readonly backend: LedgerBackend,
    private readonly heartbeatMs: number,
    private readonly reminders: Pick<ReminderService, 'subscribe'>,
  ) {}

  async serve(req: Request, res: Response, principal: Principal): Promise<void> {
    const lastEventId = req.get('last-event-id');
    const query = typeof req.query.after === 'string' ? req.query.after : undefined;
    const fromNow = lastEventId === undefined && query === 'now';
    const after = fromNow ? { blockNumber: (await this.backend.height()) - 1 } : eventPosition(lastEventId ?? query);
    if (req.method === 'HEAD') {
      res.writeHead(200, STREAM_HEADERS).end();
      return;
    }
    res.writeHead(200, STREAM_HEADERS);
    res.write(': stream open\n\n');
    // An id with no data sets the client's resume point without an event: a drop before the first
    // event then resumes from here, not from the start (nor skips what was committed meanwhile).
    if (fromNow) res.write(`id: ${after.blockNumber}\n\n`);
    const send = (event: LedgerEvent): void => {
      const projected = projectionFor(principal, event.payload);
      if (projected === undefined) return;
      res.write(`id: ${event.blockNumber}:${event.txId}\nevent: ${event.type}\ndata: ${JSON.stringify(projected)}\n\n`);
    };
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), this.heartbeatMs);
    // A reminder is the gateway's, not the ledger's: it has no id, so Last-Event-ID stays a ledger position.
    const remind = (reminder: Reminder): void => {
      if (principal.kind === 'enterprise' && principal.enterpriseId === reminder.to) {
        res.write(`event: ${reminder.type}\ndata: ${JSON.stringify(reminder)}\n\n`);
      }
    };
    const unsubscribeReminders = this.reminders.subscribe(remind);
    let unsubscribe: (() => void) | undefined;
    let closed = false;
    const close = (): void => {
      closed = true;
      clearInterval(heartbeat);
      unsubscribeReminders();
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
