import { parse as parseContentType } from 'content-type';
import type { Request, RequestHandler } from 'express';
import getRawBody from 'raw-body';
import type { Readable, Transform } from 'stream';
import { createGunzip, createInflate } from 'zlib';
import { HttpError } from './http-error';
import { refuseUnread } from './request-context';

/** JSON nested deeper than this is refused before it is parsed: no request of ours nests past 4. */
export const MAX_JSON_DEPTH = 32;

/** Keys that mean something to JavaScript objects: two documents differing only in one must never read as one. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const DECODERS: Readonly<Record<string, (() => Transform) | null>> = {
  identity: null,
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
};

export interface JsonBodyLimits {
  /** Largest body accepted, in bytes, after decompression. */
  readonly limitBytes: number;
  /** How long a client may take to send its body before it gets 408. */
  readonly timeoutMs: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Depth of the deepest array or object in JSON text, found by one pass over the text
 * (no recursion, so hostile nesting cannot overflow the stack); stops counting past `max`.
 */
export function jsonDepth(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length && deepest <= max; i++) {
    const c = text.charCodeAt(i);
    // Brackets inside a string do not nest: the scan goes on after the string.
    if (c === QUOTE) i = closingQuote(text, i);
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** Index of the quote that closes the string opened at `open`, or past the end when none does. */
function closingQuote(text: string, open: number): number {
  let i = open + 1;
  // A backslash escapes the next character, so an escaped quote does not close the string.
  while (i < text.length && text.charCodeAt(i) !== QUOTE) i += text.charCodeAt(i) === BACKSLASH ? 2 : 1;
  return i;
}

/** Parses a request body: strict JSON (an object or array), no prototype keys, no deeper than MAX_JSON_DEPTH. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  if (!/^\s*[[{]/.test(text)) throw new HttpError(400, 'VALIDATION_FAILED', 'the body must be a JSON object', 'body');
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new HttpError(400, 'BODY_TOO_DEEP', `the body nests deeper than ${MAX_JSON_DEPTH} levels`, 'body');
  }
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (PROTOTYPE_KEYS.has(key))
        throw new HttpError(400, 'VALIDATION_FAILED', `"${key}" is not allowed as a key`, 'body');
      return value;
    });
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'VALIDATION_FAILED', 'the body is not valid JSON', 'body');
  }
}

function declaredLength(req: Request): number | undefined {
  const header = req.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

/** The body as a stream of its plain bytes, or the refusal of an encoding we do not take. */
function decodedStream(req: Request): Readable | HttpError {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decoder = DECODERS[encoding];
  if (decoder === undefined) {
    return new HttpError(
      415,
      'UNSUPPORTED_ENCODING',
      `Content-Encoding "${encoding}" is not accepted; send gzip, deflate or no encoding`,
    );
  }
  return decoder === null ? req : req.pipe(decoder());
}

function charsetRefusal(req: Request): HttpError | undefined {
  let charset: string | undefined;
  try {
    charset = parseContentType(req).parameters.charset?.toLowerCase();
  } catch {
    return new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'the Content-Type header is malformed; send Content-Type: application/json',
    );
  }
  return charset === undefined || charset === 'utf-8' || charset === 'utf8'
    ? undefined
    : new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `charset "${charset}" is not accepted; send JSON in UTF-8`);
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

function readFailure(error: Error & { type?: string; code?: string }, limitBytes: number): HttpError {
  if (error.type === 'entity.too.large')
    return new HttpError(413, 'PAYLOAD_TOO_LARGE', `the body exceeds ${limitBytes} bytes`);
  return new HttpError(
    400,
    'BODY_NOT_DECODABLE',
    'the body could not be read as its headers describe it (length or encoding); send it again',
  );
}

/**
 * Reads and parses JSON request bodies, refusing early what need not be read: a charset or
 * encoding we do not take, a declared length over the limit. A body that is too slow gets
 * 408 and one that grows past the limit 413, each on a connection then closed, so neither
 * holds the server. Replaces express.json, which reads a refused upload to its end first.
 */
export function jsonBody(limits: JsonBodyLimits): RequestHandler {
  return (req, res, next) => {
    req.body = {};
    const length = declaredLength(req);
    if (length === 0 || (length === undefined && req.headers['transfer-encoding'] === undefined)) return next();
    const refusal =
      charsetRefusal(req) ??
      (length !== undefined && length > limits.limitBytes
        ? new HttpError(413, 'PAYLOAD_TOO_LARGE', `the body exceeds ${limits.limitBytes} bytes`)
        : undefined);
    if (refusal) return refuseUnread(res, next, refusal);
    const stream = decodedStream(req);
    if (stream instanceof HttpError) return refuseUnread(res, next, stream);
    let answered = false;
    const answer = (error?: HttpError): void => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      if (error) refuseUnread(res, next, error);
      else next();
    };
    const timer = setTimeout(
      () =>
        answer(
          new HttpError(408, 'REQUEST_TIMEOUT', `the body did not arrive within ${limits.timeoutMs} ms; send it again`),
        ),
      limits.timeoutMs,
    );
    getRawBody(stream, { limit: limits.limitBytes, length: stream === req ? length : undefined }).then(
      (buffer) => {
        try {
          req.body = parseJsonBody(STRICT_UTF8.decode(buffer));
          answer();
        } catch (error) {
          answer(
            error instanceof HttpError
              ? error
              : new HttpError(400, 'BODY_NOT_DECODABLE', 'the body is not valid UTF-8'),
          );
        }
      },
      (error: Error) => answer(readFailure(error, limits.limitBytes)),
    );
  };
}
