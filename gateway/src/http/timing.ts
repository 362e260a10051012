import type { RequestHandler, Response } from 'express';
import onHeaders from 'on-headers';

/** Milliseconds since a `process.hrtime.bigint()` reading, to 0.1 ms. */
const msSince = (started: bigint): string => (Number(process.hrtime.bigint() - started) / 1e6).toFixed(1);

/**
 * Server-Timing: the request's time in the gateway until its answer (`total`), beside the
 * ledger's share where it was called.
 */
export const serverTiming: RequestHandler = (_req, res, next) => {
  const started = process.hrtime.bigint();
  onHeaders(res, () => {
    const total = `total;dur=${msSince(started)}`;
    const ledger = res.getHeader('Server-Timing');
    res.setHeader('Server-Timing', ledger === undefined ? total : `${String(ledger)}, ${total}`);
  });
  next();
};

/**
 * Runs a call to the ledger and reports its duration as `Server-Timing: ledger;dur=<ms>`,
 * so a caller (or the benchmark) can tell the gateway's own share of the `total`.
 */
export async function timedLedger<T>(res: Response, call: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  try {
    return await call();
  } finally {
    res.setHeader('Server-Timing', `ledger;dur=${msSince(started)}`);
  }
}
