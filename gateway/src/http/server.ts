import type { Express } from 'express';
import { createServer, type Server } from 'http';
import type { Socket } from 'net';
import { GATEWAY_ERRORS } from './http-error';

type ParserRefusal = 'MALFORMED_REQUEST' | 'HEADERS_TOO_LARGE';

/** The API's error body, written straight to a socket the HTTP parser gave up on. */
function refusalBytes(code: ParserRefusal, message: string): string {
  const status = GATEWAY_ERRORS[code];
  const body = JSON.stringify({ error: { code, message } });
  const reason = code === 'HEADERS_TOO_LARGE' ? 'Request Header Fields Too Large' : 'Bad Request';
  return (
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/**
 * Requests Node's HTTP parser refuses before the app sees them (raw non-ASCII bytes in a
 * path, conflicting framing, no Host, a header over the size limit) get the API's JSON
 * error with a registered code, not Node's bare answer; the connection then closes.
 */
function answerParserRefusal(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return void socket.destroy();
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  socket.end(
    tooLarge
      ? refusalBytes('HEADERS_TOO_LARGE', 'the request headers are too large; send fewer or shorter headers')
      : refusalBytes(
          'MALFORMED_REQUEST',
          'the request is not valid HTTP/1.1 (its request line, headers or framing); check the client',
        ),
  );
}

/** The gateway's HTTP server: the app, with parser refusals answered as API errors. */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  // Node would answer an HTTP/1.1 request without Host itself, bare: the app refuses it as an API error instead.
  const server = createServer({ requireHostHeader: false }, app);
  server.on('clientError', answerParserRefusal);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
