import { enterpriseReader, type EventPayload, eventProjection } from '@scf/chaincode';
import { randomBytes } from 'crypto';
import { sql, type Transaction } from 'kysely';
import type { LedgerEvent } from '../ledger/ledger-backend';
import type { StoreDb, StoreTables } from './schema';

/**
 * Webhook subscriptions and their outbox. A subscriber receives what it could read on the
 * event stream: each event's projection for it under the read table (eventProjection), queued
 * in the same database transaction that stores the event, so an event is queued for delivery
 * if and only if it is stored (at least once, never lost to a crash in between).
 */
export interface Subscription {
  readonly id: string;
  readonly enterpriseId: string;
  readonly url: string;
  readonly eventTypes: string[];
  readonly active: boolean;
  readonly createdAt: string;
}

export interface NewSubscription {
  readonly enterpriseId: string;
  readonly roles: readonly string[];
  readonly url: string;
  readonly eventTypes: readonly string[];
  /** The ledger's height now: the subscriber receives what is committed after. */
  readonly fromBlock: number;
}

const toSubscription = (row: {
  id: string;
  enterprise_id: string;
  url: string;
  event_types: string[];
  active: boolean;
  created_at: string;
}): Subscription => ({
  id: row.id,
  enterpriseId: row.enterprise_id,
  url: row.url,
  eventTypes: row.event_types,
  active: row.active,
  createdAt: row.created_at,
});

const COLUMNS = ['id', 'enterprise_id', 'url', 'event_types', 'active', 'created_at'] as const;

/** Creates a subscription; its signing secret is returned here only. */
export async function subscribe(db: StoreDb, input: NewSubscription): Promise<Subscription & { secret: string }> {
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const row = await db
    .insertInto('webhooks')
    .values({
      id: `wh_${randomBytes(12).toString('hex')}`,
      enterprise_id: input.enterpriseId,
      roles: [...input.roles],
      url: input.url,
      secret,
      event_types: [...input.eventTypes],
      from_block: BigInt(input.fromBlock),
      active: true,
      created_at: new Date().toISOString(),
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return { ...toSubscription(row), secret };
}

export async function subscriptionsOf(db: StoreDb, enterpriseId: string): Promise<Subscription[]> {
  const rows = await db
    .selectFrom('webhooks')
    .select(COLUMNS)
    .where('enterprise_id', '=', enterpriseId)
    .orderBy('created_at')
    .execute();
  return rows.map(toSubscription);
}

/** Stops deliveries to a subscription of this enterprise; false when it has none of that id. */
export async function disable(db: StoreDb, enterpriseId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable('webhooks')
    .set({ active: false })
    .where('id', '=', id)
    .where('enterprise_id', '=', enterpriseId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

const wanted = (types: readonly string[], type: string): boolean => types.length === 0 || types.includes(type);

/** Queues a committed event for every active subscriber that may read something of it. */
export async function queueEvent(trx: Transaction<StoreTables>, event: LedgerEvent): Promise<void> {
  const subscriptions = await trx
    .selectFrom('webhooks')
    .select(['id', 'enterprise_id', 'roles', 'event_types'])
    .where('active', '=', true)
    .where('from_block', '<=', String(event.blockNumber))
    .execute();
  for (const s of subscriptions) {
    if (!wanted(s.event_types, event.type)) continue;
    const projection = eventProjection(event.payload, enterpriseReader(s.enterprise_id, s.roles));
    if (projection) await queue(trx, s.id, `${event.blockNumber}:${event.txId}`, event.type, projection);
  }
}

/** Queues a gateway notice (a reminder) for an enterprise's active subscribers. */
export async function queueNotice(
  db: StoreDb,
  enterpriseId: string,
  key: string,
  type: string,
  payload: unknown,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const subscriptions = await trx
      .selectFrom('webhooks')
      .select(['id', 'event_types'])
      .where('active', '=', true)
      .where('enterprise_id', '=', enterpriseId)
      .execute();
    for (const s of subscriptions.filter((s) => wanted(s.event_types, type)))
      await queue(trx, s.id, key, type, payload);
  });
}

async function queue(
  trx: Transaction<StoreTables>,
  subscriptionId: string,
  eventKey: string,
  type: string,
  payload: EventPayload | unknown,
): Promise<void> {
  const now = new Date().toISOString();
  await trx
    .insertInto('webhook_outbox')
    .values({
      subscription_id: subscriptionId,
      event_key: eventKey,
      type,
      payload: JSON.stringify(payload),
      created_at: now,
      next_attempt_at: now,
      delivered_at: null,
      failed_at: null,
    })
    .onConflict((oc) => oc.columns(['subscription_id', 'event_key']).doNothing())
    .execute();
}

export interface DeliveryLog {
  readonly outboxId: string;
  readonly eventKey: string;
  readonly type: string;
  readonly deliveredAt: string | null;
  readonly failedAt: string | null;
  readonly attempts: {
    readonly attempt: number;
    readonly at: string;
    readonly status: number | null;
    readonly error: string | null;
  }[];
}

/** A subscription's deliveries, newest first, each with every attempt; undefined when it is not this enterprise's. */
export async function deliveriesOf(
  db: StoreDb,
  enterpriseId: string,
  id: string,
  limit: number,
): Promise<DeliveryLog[] | undefined> {
  const owned = await db
    .selectFrom('webhooks')
    .select('id')
    .where('id', '=', id)
    .where('enterprise_id', '=', enterpriseId)
    .executeTakeFirst();
  if (!owned) return undefined;
  const rows = await db
    .selectFrom('webhook_outbox')
    .select(['id', 'event_key', 'type', 'delivered_at', 'failed_at'])
    .where('subscription_id', '=', id)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const attempts =
    rows.length === 0
      ? []
      : await db
          .selectFrom('webhook_deliveries')
          .select(['outbox_id', 'attempt', 'at', 'status', 'error'])
          .where(
            'outbox_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('id')
          .execute();
  return rows.map((r) => ({
    outboxId: r.id,
    eventKey: r.event_key,
    type: r.type,
    deliveredAt: r.delivered_at,
    failedAt: r.failed_at,
    attempts: attempts
      .filter((a) => a.outbox_id === r.id)
      .map(({ attempt, at, status, error }) => ({ attempt, at, status, error })),
  }));
}

/** Sends a delivery again (delivered or given up on): false when it is not this enterprise's. */
export async function replay(db: StoreDb, enterpriseId: string, id: string, outboxId: string): Promise<boolean> {
  const result = await db
    .updateTable('webhook_outbox')
    .set({ delivered_at: null, failed_at: null, next_attempt_at: new Date().toISOString() })
    .where('id', '=', outboxId)
    .where('subscription_id', '=', id)
    .where(sql<boolean>`exists (select 1 from webhooks w where w.id = ${id} and w.enterprise_id = ${enterpriseId})`)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
