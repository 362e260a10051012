import type { ApiClient } from './client';
import { type LedgerEvent, parseSseBlock } from './sse';

export type { LedgerEvent } from './sse';

/**
 * Follows GET /events with fetch, not EventSource: EventSource cannot send the API key in a
 * header, and the key must never go in a URL. Resumes after the last event seen
 * (Last-Event-ID) when the stream drops, until `signal` aborts.
 */
export async function followEvents(
  api: ApiClient,
  onEvent: (event: LedgerEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  let lastId: string | undefined;
  while (!signal.aborted) {
    try {
      const response = await api.stream('/events', signal, lastId ? { 'last-event-id': lastId } : {});
      if (!response.ok || !response.body) throw new Error(`the event stream answered ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = parseSseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (!event) continue;
          if (event.id) lastId = event.id;
          onEvent(event);
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
