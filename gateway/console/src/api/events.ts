import type { ApiClient } from './client';
import { type LedgerEvent, parseSseBlock } from './sse';

export type { LedgerEvent } from './sse';

const RECONNECT_MS = 2000;

/** Reads one connection's events until it ends. */
async function readEvents(body: NonNullable<Response['body']>, onEvent: (event: LedgerEvent) => void): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = parseSseBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event) onEvent(event);
    }
  }
}

/**
 * Follows GET /events with fetch, not EventSource: EventSource cannot send the API key in a
 * header, and the key must never go in a URL. Resumes after the last event seen
 * (Last-Event-ID) when the stream drops, until `signal` aborts or the key is refused.
 */
export async function followEvents(
  api: ApiClient,
  onEvent: (event: LedgerEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  let lastId: string | undefined;
  // Noted as each event arrives, so a connection that drops midway resumes after the last one seen.
  const seen = (event: LedgerEvent): void => {
    lastId = event.id ?? lastId;
    onEvent(event);
  };
  while (!signal.aborted) {
    try {
      const response = await api.stream('/events', signal, lastId ? { 'last-event-id': lastId } : {});
      // A key no longer valid (revoked, or the caller suspended) will not become valid by retrying.
      if (response.status === 401 || response.status === 403) return;
      if (response.ok && response.body) await readEvents(response.body, seen);
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
}
