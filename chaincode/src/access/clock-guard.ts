import { ScfError } from '../domain/errors';

/**
 * Fabric 2.5 takes the proposal timestamp from the client and does not bound it, yet
 * maturity, overdue and offer-expiry rules rest on it. Each endorser therefore refuses a
 * proposal whose timestamp is further than this from its own clock. The check only ever
 * refuses: the written state still comes from the proposal timestamp alone, so endorsers
 * agree on every transaction they accept. Peers need NTP-synchronised clocks.
 */
export const MAX_CLOCK_SKEW_SECONDS = Number(process.env.SCF_MAX_CLOCK_SKEW_SECONDS ?? 300);

/** The embedded engine simulates a peer's clock; a real peer's is the host clock. */
interface EndorserClock {
  endorserTimeMillis?: () => number;
}

export function endorserTimeMillis(stub: unknown): number {
  const simulated = (stub as EndorserClock).endorserTimeMillis;
  // eslint-disable-next-line no-restricted-properties -- a refusal-only guard, never written to state
  return typeof simulated === 'function' ? simulated.call(stub) : Date.now();
}

export function requireTimelyProposal(proposalMillis: number, endorserMillis: number): void {
  const skewSeconds = Math.abs(proposalMillis - endorserMillis) / 1000;
  if (skewSeconds > MAX_CLOCK_SKEW_SECONDS) {
    throw new ScfError(
      'TIMESTAMP_OUT_OF_RANGE',
      `the proposal timestamp is ${Math.round(skewSeconds)} s from this peer's clock ` +
        `(at most ${MAX_CLOCK_SKEW_SECONDS} s); check the client's clock and resubmit`,
    );
  }
}
