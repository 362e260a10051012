import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { type Principal, type SigningPrincipal, signingPrincipal } from '../identity/principals';
import { HttpError } from './http-error';

/** A request whose API key, if it presented one, was found valid. */
export type Authed = Request & { principal?: Principal };

/** The credential of `Authorization: Bearer <token>` (HTTP auth schemes are case-insensitive), if sent. */
export function bearerToken(req: Request): string | undefined {
  return /^bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1]?.trim();
}

/** The API key a request presents: `Authorization: Bearer <key>`, else `X-API-Key`. */
export function presentedKey(req: Request): string | undefined {
  return bearerToken(req) ?? req.get('x-api-key');
}

export function requirePrincipal(req: Authed): Principal {
  if (!req.principal) throw new HttpError(401, 'AUTHENTICATION_REQUIRED', 'send Authorization: Bearer <API key>');
  return req.principal;
}

/** The caller, when the gateway holds its key and so can sign its calls; a self-held key's user is told how to sign. */
export function requireSigner(req: Authed): SigningPrincipal {
  const signing = signingPrincipal(requirePrincipal(req));
  if (!signing)
    throw new HttpError(
      403,
      'KEY_SELF_HELD',
      'this user keeps its key itself, so the gateway cannot sign for it: prepare the call with ' +
        'POST /offline-calls and sign the digests it answers (scf-sign)',
    );
  return signing;
}

/** Parses one part of a request (`where`: path, query or body), or answers 400 naming the first bad field. */
export function validate<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = [where, ...(issue?.path ?? [])].join('.');
  throw new HttpError(400, 'VALIDATION_FAILED', `${field}: ${issue?.message ?? 'invalid'}`, field);
}

/** An async route handler whose failures reach the error handler. */
export const handle =
  (fn: (req: Authed, res: Response) => Promise<void>): RequestHandler =>
  (req, res, next) => {
    fn(req as Authed, res).catch(next);
  };

/**
 * Refuses a request whose body will not be read: the connection closes, so the unread
 * bytes cannot be taken for a next request.
 */
export function refuseUnread(res: Response, next: NextFunction, error: HttpError): void {
  res.setHeader('Connection', 'close');
  next(error);
}
