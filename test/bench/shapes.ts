import type { EndorsedTransaction, LedgerEngine } from '@scf/chaincode/engine';

/**
 * What a transaction asks of the ledger, whatever its logic: its state calls and the bytes
 * it writes, emits and returns. The baseline chaincode's `Shaped` replays it.
 */
export interface TransactionShape {
  /** Keys read (each one `getState`: the contracts read a key once per transaction). */
  readonly reads: number;
  /** Values written, and their mean size. */
  readonly records: number;
  readonly recordBytes: number;
  /** One-byte index entries written. */
  readonly markers: number;
  readonly deletes: number;
  readonly eventBytes: number;
  readonly replyBytes: number;
}

export function shapeOf({ rwset, event, result }: EndorsedTransaction): TransactionShape {
  const values = [...rwset.writes.values()];
  const records = values.filter((value): value is Uint8Array => value !== null && value.length > 1);
  return {
    reads: rwset.reads.size,
    records: records.length,
    recordBytes: records.length === 0 ? 0 : Math.round(records.reduce((sum, value) => sum + value.length, 0) / records.length),
    markers: values.filter((value) => value?.length === 1).length,
    deletes: values.filter((value) => value === null).length,
    eventBytes: event?.payload.length ?? 0,
    replyBytes: result.length,
  };
}

/** From now on, the shape of the last endorsement of each transaction name the engine endorses. */
export function recordShapes(engine: LedgerEngine): ReadonlyMap<string, TransactionShape> {
  const shapes = new Map<string, TransactionShape>();
  const endorse = engine.endorse.bind(engine);
  engine.endorse = async (proposal) => {
    const endorsed = await endorse(proposal);
    shapes.set(proposal.transaction, shapeOf(endorsed));
    return endorsed;
  };
  return shapes;
}

/** A record named instead of carried: its id, `"crt_<64 hex>_<n>"` with the quotes. */
const NAMED_RECORD_BYTES = 72;
const named = (bytes: number, shape: TransactionShape) => bytes - shape.records * (shape.recordBytes - NAMED_RECORD_BYTES);

/**
 * Design levers, each a change to the split/transfer footprint, priced on the shaped
 * baseline (`npm run bench -- --what-if`) before anyone builds it.
 */
export const LEVERS: Readonly<Record<string, (shape: TransactionShape, transaction: string) => TransactionShape>> = {
  'replies name the records': (shape) => ({ ...shape, replyBytes: named(shape.replyBytes, shape) }),
  'events name the records': (shape) => ({ ...shape, eventBytes: named(shape.eventBytes, shape) }),
  // A split's children are the only pieces indexed under their receivable; tree and settlement would walk childIds instead.
  'no receivable~certificate index': (shape, transaction) =>
    (transaction === 'Certificate:Split' ? { ...shape, markers: shape.markers - (shape.records - 1) } : shape),
};

/** Each lever, and all of them together, applied to the shapes of `transactions`. */
export function leverVariants(transactions: readonly string[], shapes: readonly TransactionShape[]): [string, TransactionShape[]][] {
  const all = (shape: TransactionShape, transaction: string) => Object.values(LEVERS).reduce((changed, lever) => lever(changed, transaction), shape);
  return [...Object.entries(LEVERS), ['all of them', all] as const]
    .map(([name, lever]) => [name, shapes.map((shape, i) => lever(shape, transactions[i]!))]);
}
