import type { GatewayUnderTest } from './gateway-under-test';

export interface StreamedEvent {
  id: string;
  block: number;
  type: string;
  data: { parties: string[] } & Record<string, unknown>;
}

/** Reads the stream until `count` events arrived or three seconds passed. */
export async function readEvents(gw: GatewayUnderTest, as: string, lastEventId: string, count: number): Promise<StreamedEvent[]> {
  const controller = new AbortController();
  const response = await fetch(`${gw.url}/events`, { headers: { authorization: `Bearer ${gw.keys[as]}`, 'last-event-id': lastEventId }, signal: controller.signal });
  // The stream never ends: its status and media type are checked against the document, not its body.
  gw.expectDocumented({ method: 'GET', url: '/events', status: response.status, contentType: response.headers.get('content-type'), body: undefined });
  const reader = response.body!.getReader();
  const events: StreamedEvent[] = [];
  let buffer = '';
  const deadline = setTimeout(() => controller.abort(), 3000);
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += Buffer.from(value).toString('utf8');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const lines = Object.fromEntries(buffer.slice(0, end).split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
        buffer = buffer.slice(end + 2);
        // A block of comment lines only (the stream's opening and heartbeats) carries no event.
        if (lines.id === undefined) continue;
        events.push({ id: lines.id as string, block: Number((lines.id as string).split(':')[0]), type: lines.event as string, data: JSON.parse(lines.data as string) });
      }
    }
  } catch { /* the deadline ends the read */ } finally {
    clearTimeout(deadline);
    controller.abort();
  }
  // One chunk may carry more events than asked for.
  return events.slice(0, count);
}
