import type { z } from 'zod';
import { ScfError } from '../domain/errors';
import { parseJsonArg } from '../domain/inputs';
import type { TxScope } from './scf-context';

/**
 * A JSON document sent as transient data: it reaches the endorsing peers but never the
 * block. `shape` tells a caller who forgot it what to send.
 */
export function transientJson<T>(tx: TxScope, name: string, schema: z.ZodType<T>, shape: string): T {
  const raw = tx.transient(name);
  if (!raw) throw new ScfError('INVALID_ARGUMENT', `transient ${name} is required: ${shape}`);
  return parseJsonArg(name, schema, Buffer.from(raw).toString('utf8'));
}
