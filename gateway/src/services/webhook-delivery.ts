import { createHmac } from 'crypto';
import { sql } from 'kysely';
import type { StoreDb } from '../store/schema';

/**
 * Delivers the webhook outbox: every due delivery is POSTed to its subscriber, signed with
 * the subscription's secret, and logged attempt by attempt. A 2xx answer delivers it; anything
 * else is tried again after a backoff that doubles from `baseDelayMs` up to an hour, until
 * `maxAttempts`, after which it waits for a replay. Receivers see each delivery at least once,
 * and `X-SCF-Delivery` tells them which one it is, so they can drop repeats.
 *
 * Signature: `X-SCF-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 */
export interface DeliverySettings {
  readonly intervalMs: number;
  readonly baseDelayMs: number;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
}

const MAX_DELAY_MS = 3_600_000;
const BATCH = 20;
/** How long past a send's timeout a claimed delivery stays another gateway's. */
const CLAIM_MARGIN_MS = 30_000;

export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

interface Due {
  readonly id: string;
  readonly type: string;
  readonly event_key: string;
  readonly payload: unknown;
  readonly attempts: number;
  readonly url: string;
  readonly secret: string;
}

/** The status a subscriber answered, or why nothing came back. */
async function post(delivery: Due, timeoutMs: number): Promise<{ status: number | null; error: string | null }> {
  const body = JSON.stringify({
    id: delivery.id,
    type: delivery.type,
    eventId: delivery.event_key,
    payload: delivery.payload,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      // A redirect would send the signed body somewhere the subscriber did not name.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'x-scf-event': delivery.type,
        'x-scf-delivery': delivery.id,
        'x-scf-signature': signature(delivery.secret, timestamp, body),
      },
      body,
    });
    await response.body?.cancel();
    return { status: response.status, error: response.ok ? null : `answered ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: null, error: cause ?? (error as Error).message };
  }
}

export class WebhookDelivery {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: StoreDb,
    private readonly settings: DeliverySettings,
    private readonly onError: (error: Error) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.settings.intervalMs);
  }

  /** Sends every delivery that is due now (one round at a time). */
  runOnce(): Promise<void> {
    this.running ??= this.round()
      .catch((error: Error) => this.onError(error))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Up to BATCH deliveries, each claimed just before it is sent. */
  private async round(): Promise<void> {
    for (let sent = 0; sent < BATCH; sent++) {
      const delivery = await this.claimNext();
      if (!delivery) return;
      await this.deliver(delivery);
    }
  }

  /**
   * Takes the next due delivery for this gateway: its next attempt moves past the time a send
   * can take, in the same statement that finds it (rows another gateway is claiming are
   * skipped), so gateways sharing the outbox never send one delivery at once; one that dies
   * mid-send leaves it to be retried when that time has passed.
   */
  private async claimNext(): Promise<Due | undefined> {
    const now = Date.now();
    const until = new Date(now + this.settings.timeoutMs + CLAIM_MARGIN_MS).toISOString();
    const claimed = await sql<Due>`
      update webhook_outbox o set next_attempt_at = ${until}
      from webhooks w
      where w.id = o.subscription_id and o.id = (
        select d.id from webhook_outbox d join webhooks s on s.id = d.subscription_id
        where d.delivered_at is null and d.failed_at is null and s.active
          and d.next_attempt_at <= ${new Date(now).toISOString()}
        order by d.id limit 1 for update of d skip locked)
      returning o.id, o.type, o.event_key, o.payload, o.attempts, w.url, w.secret`.execute(this.db);
    return claimed.rows[0];
  }

  private async deliver(delivery: Due): Promise<void> {
    const outcome = await post(delivery, this.settings.timeoutMs);
    const attempt = delivery.attempts + 1;
    const now = new Date();
    const delay = Math.min(MAX_DELAY_MS, this.settings.baseDelayMs * 2 ** (attempt - 1));
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_deliveries')
        .values({
          outbox_id: delivery.id,
          attempt,
          at: now.toISOString(),
          status: outcome.status,
          error: outcome.error,
        })
        .execute();
      await trx
        .updateTable('webhook_outbox')
        .set({
          attempts: attempt,
          ...(outcome.error === null
            ? { delivered_at: now.toISOString() }
            : attempt >= this.settings.maxAttempts
              ? { failed_at: now.toISOString() }
              : { next_attempt_at: new Date(now.getTime() + delay).toISOString() }),
        })
        .where('id', '=', delivery.id)
        .execute();
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
