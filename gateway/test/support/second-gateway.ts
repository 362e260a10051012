import type { Server } from 'http';
import pino from 'pino';
import { createApp } from '../../src/http/app';
import type { GatewayParts } from '../../src/http/gateway-parts';
import { listen } from '../../src/http/server';
import { GatewayMetrics } from '../../src/observability/metrics';
import { ReminderService } from '../../src/services/reminders';
import { WebhookDelivery } from '../../src/services/webhook-delivery';
import { QueryStore } from '../../src/store/query-store';
import { SharedIdempotency } from '../../src/store/shared-idempotency';
import { SharedPrincipalRegistry } from '../../src/store/shared-principals';
import { SharedReminderLog } from '../../src/store/shared-reminders';

/**
 * A second gateway beside `first`, sharing its database as a second process would: its own
 * connection pool, key registry, idempotency records, store feed, webhook deliverer and
 * reminder log, its own HTTP server. Only the embedded ledger is the first gateway's (two
 * processes cannot open one LevelDB: on Fabric, both would talk to the same peers).
 */
export class SecondGateway {
  private constructor(readonly parts: GatewayParts, private readonly server: Server, readonly url: string) {}

  static async start(first: GatewayParts, databaseUrl: string, port: number): Promise<SecondGateway> {
    const store = await QueryStore.open({ kind: 'server', url: databaseUrl }, first.backend, { onFailure: () => undefined });
    const webhooks = new WebhookDelivery(store.db, { intervalMs: 50, baseDelayMs: 100, maxAttempts: 3, timeoutMs: 5_000 }, () => undefined);
    webhooks.start();
    const principals = new SharedPrincipalRegistry(store.db);
    const parts: GatewayParts = {
      ...first,
      principals,
      idempotency: new SharedIdempotency(store.db),
      reminders: new ReminderService(first.backend, new SharedReminderLog(store.db), { leadDays: [7, 1], parties: () => principals.enterprises() }),
      store,
      webhooks,
      logger: pino({ level: 'silent' }),
      metrics: new GatewayMetrics(),
    };
    const server = await listen(createApp(parts), port, '127.0.0.1');
    return new SecondGateway(parts, server, `http://127.0.0.1:${port}`);
  }

  /** Stops what is its own; the ledger stays the first gateway's. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.parts.webhooks?.stop();
    await this.parts.store?.close();
  }
}
