import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Principal } from '../identity/principals';
import { HttpError } from './http-error';

/** A request whose API key, if it presented one, was found valid. */
export type Authed = Request & { principal?: Principal };

/** The API key a request presents: `Authorization: Bearer <key>`, else `X-API-Key`. */
export function presentedKey(req: Request): string | undefined {
  // HTTP auth schemes are case-insensitive: `bearer` is `Bearer`.
  const bearer = /^bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
  return bearer ? bearer[1]!.trim() : req.get('x-api-key');
}

export function requirePrincipal(req: Authed): Principal {
  if (!req.principal) throw new HttpError(401, 'AUTHENTICATION_REQUIRED', 'send Authorization: Bearer <API key>');
  return req.principal;
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
