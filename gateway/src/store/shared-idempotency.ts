import { randomBytes } from 'crypto';
import { type RawBuilder, sql } from 'kysely';
import type { IdempotencyClaim, IdempotencyRecords, StoredOutcome } from './idempotency-records';
import type { StoreDb } from './schema';

/** How long a claim holds without being renewed: a gateway that died lets go of its keys after this. */
export const CLAIM_LEASE_MS = 60_000;

/**
 * The idempotency records of gateways that share a database. A claim is one statement:
 * insert the key's row, or take the existing one if no live claim holds it (ON CONFLICT …
 * WHERE), each with a token of its own and a lease, so of any number of requests on any
 * number of gateways exactly one holds a key at a time. The lease is renewed while the
 * request runs; a gateway that dies lets go when it ends, and the next request finds the
 * transaction the dead one noted and looks it up, never builds it again. Every write of a
 * claimant names its token: one whose lease lapsed (a gateway stalled past it) writes
 * nothing, and a note that fails stops its transaction before it is ordered.
 */
export class SharedIdempotency implements IdempotencyRecords {
  constructor(
    private readonly db: StoreDb,
    private readonly leaseMs = CLAIM_LEASE_MS,
  ) {}

  async claim(scope: string, key: string): Promise<IdempotencyClaim | undefined> {
    const token = randomBytes(16).toString('hex');
    const taken = await sql<{ outcome: StoredOutcome | null }>`
      insert into gateway_idempotency as r (scope, key, outcome, claim_token, claimed_until)
      values (${scope}, ${key}, null, ${token}, clock_timestamp() + ${this.leaseMs} * interval '1 millisecond')
      on conflict (scope, key) do update set claim_token = excluded.claim_token, claimed_until = excluded.claimed_until
      where r.claimed_until is null or r.claimed_until < clock_timestamp()
      returning r.outcome`.execute(this.db);
    const row = taken.rows[0];
    return row ? new SharedClaim(this.db, { scope, key, token }, row.outcome ?? undefined, this.leaseMs) : undefined;
  }

  // The connection is the store's: closing it is the store's business.
  async close(): Promise<void> {}
}

interface ClaimId {
  readonly scope: string;
  readonly key: string;
  readonly token: string;
}

class SharedClaim implements IdempotencyClaim {
  private readonly renewal: NodeJS.Timeout;

  constructor(
    private readonly db: StoreDb,
    private readonly id: ClaimId,
    readonly stored: StoredOutcome | undefined,
    private readonly leaseMs: number,
  ) {
    // A failed renewal is not fatal here: if the lease lapses, the claimant's next write says so.
    this.renewal = setInterval(() => void this.renew().catch(() => undefined), leaseMs / 3);
    this.renewal.unref();
  }

  async save(outcome: StoredOutcome): Promise<void> {
    await this.write(sql`outcome = ${JSON.stringify(outcome)}`);
  }

  async forget(): Promise<void> {
    await this.write(sql`outcome = null`);
  }

  async release(): Promise<void> {
    clearInterval(this.renewal);
    const { scope, key, token } = this.id;
    // A key whose request left nothing is free at once; otherwise its outcome stays for the replays.
    await sql`delete from gateway_idempotency
      where scope = ${scope} and key = ${key} and claim_token = ${token} and outcome is null`.execute(this.db);
    await sql`update gateway_idempotency set claim_token = null, claimed_until = null
      where scope = ${scope} and key = ${key} and claim_token = ${token}`.execute(this.db);
  }

  private async renew(): Promise<void> {
    await this.write(sql`claimed_until = clock_timestamp() + ${this.leaseMs} * interval '1 millisecond'`);
  }

  private async write(assignment: RawBuilder<unknown>): Promise<void> {
    const { scope, key, token } = this.id;
    const result = await sql`update gateway_idempotency set ${assignment}
      where scope = ${scope} and key = ${key} and claim_token = ${token}`.execute(this.db);
    if (result.numAffectedRows !== 1n) {
      throw new Error(
        `the claim on Idempotency-Key ${key} lapsed (this gateway stalled past its lease): ` +
          'the request was stopped; retry it',
      );
    }
  }
}
