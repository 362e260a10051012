import { createHash } from 'crypto';
import { z } from 'zod';
import type { ReadWriteSet } from './simulation-stub';

/**
 * The embedded ledger's proposal and transaction as bytes a client signs, for the offline
 * signing flow: canonical JSON a person can read, standing where Fabric has its protobuf
 * messages. What is signed is SHA-256 of these bytes, as on Fabric.
 */

const sha256 = (bytes: Uint8Array | string): Buffer => createHash('sha256').update(bytes).digest();

/** Keys sorted at every level, so the same content is always the same bytes. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const ProposalContent = z
  .object({
    kind: z.literal('scf.embedded.proposal'),
    channelId: z.string(),
    chaincode: z.string(),
    transaction: z.string().min(1),
    args: z.array(z.string()),
    /** Transient values, base64: part of what is signed, never of the transaction. */
    transient: z.record(z.string(), z.string()),
    creator: z.object({ mspId: z.string().min(1), certificatePem: z.string().min(1) }).strict(),
    nonce: z.string().regex(/^[0-9a-f]{48}$/),
    timestampMillis: z.number().int().nonnegative(),
    txId: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type ProposalContent = z.infer<typeof ProposalContent>;

/** Fabric's transaction id: SHA-256 over the nonce and the serialized creator. */
export function transactionIdOf(nonceHex: string, creator: ProposalContent['creator']): string {
  return createHash('sha256')
    .update(Buffer.from(nonceHex, 'hex'))
    .update(creator.mspId)
    .update(creator.certificatePem)
    .digest('hex');
}

export function encodeProposal(content: ProposalContent): Uint8Array {
  return Buffer.from(canonical(content), 'utf8');
}

/** The proposal in `bytes`, or undefined when they are not one (bad JSON or shape, a txId not from its nonce). */
export function decodeProposal(bytes: Uint8Array): ProposalContent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
  const content = ProposalContent.safeParse(parsed);
  if (!content.success || transactionIdOf(content.data.nonce, content.data.creator) !== content.data.txId)
    return undefined;
  return content.data;
}

/** A digest of a simulation's reads and writes, in a fixed order. */
function rwsetDigest(rwset: ReadWriteSet): string {
  const sorted = <T>(entries: Iterable<[string, T]>): [string, T][] =>
    [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const writes = sorted(rwset.writes).map(([k, v]) => [k, v === null ? null : Buffer.from(v).toString('base64')]);
  return sha256(canonical({ reads: sorted(rwset.reads), rangeReads: rwset.rangeReads, writes })).toString('hex');
}

/**
 * The transaction a client signs after endorsement: its proposal's digest, the chaincode's
 * result and a digest of what the endorsement read and wrote, so a signature cannot be
 * carried over to other writes.
 */
export function encodeTransaction(endorsed: {
  readonly txId: string;
  readonly proposalDigest: string;
  readonly result: Uint8Array;
  readonly rwset: ReadWriteSet;
  readonly event: { name: string; payload: Uint8Array } | undefined;
}): Uint8Array {
  return Buffer.from(
    canonical({
      kind: 'scf.embedded.transaction',
      txId: endorsed.txId,
      proposalDigest: endorsed.proposalDigest,
      result: Buffer.from(endorsed.result).toString('base64'),
      rwset: rwsetDigest(endorsed.rwset),
      event: endorsed.event && {
        name: endorsed.event.name,
        payload: sha256(endorsed.event.payload).toString('hex'),
      },
    }),
    'utf8',
  );
}

export const digestOf = (bytes: Uint8Array): string => sha256(bytes).toString('hex');
