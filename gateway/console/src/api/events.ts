import { type LedgerEvent, parseSseBlock } from './sse';

export type { LedgerEvent } from './sse';

const RECONNECT_MS = 2000;

/** What following the stream needs of the API client (ApiClient.stream): a raw answer, the key in a header. */
export interface StreamSource {
  stream(path: string, signal: AbortSignal, extra?: Record<string, string>): Promise<Response>;
}

/** A block with an id and no data: the resume point a stream opened with `?after=now` starts from. */
const resumePoint = (block: string): string | undefined => /^id: ?(.+)$/m.exec(block)?.[1];

/** Reads one connection's events until it ends; `onId` hears every resume point, with or without an event. */
async function readEvents(
  body: NonNullable<Response['body']>,
  onId: (id: string) => void,
  onEvent: (event: LedgerEvent) => void,
): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = parseSseBlock(block);
      const id = event ? event.id : resumePoint(block);
      if (id) onId(id);
      if (event) onEvent(event);
    }
  }
}

/**
 * Follows GET /events with fetch, not EventSource: EventSource cannot send the API key in a
 * header, and the key must never go in a URL. The first connection starts from now (`?after=now`:
 * signing in does not download the whole history); it resumes after the last event seen, or the
 * point the stream started from (Last-Event-ID), when the stream drops, until `signal` aborts or
 * the key is refused.
 */
export async function followEvents(
  api: StreamSource,
  onEvent: (event: LedgerEvent) => void,
  signal: AbortSignal,
  onConnected: (connected: boolean) => void = () => undefined,
): Promise<void> {
  let lastId: string | undefined;
  // Noted as each arrives, so a connection that drops midway resumes after the last one seen.
  const noteId = (id: string): void => {
    lastId = id;
  };
  while (!signal.aborted) {
    try {
      const response = lastId
        ? await api.stream('/events', signal, { 'last-event-id': lastId })
        : await api.stream('/events?after=now', signal);
      // A key no longer valid (revoked, or the caller suspended) will not become valid by retrying.
      if (response.status === 401 || response.status === 403) return;
      if (response.ok && response.body) {
        onConnected(true);
        await readEvents(response.body, noteId, onEvent);
      }
    } catch {
      if (signal.aborted) return;
    }
    onConnected(false);
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
}
