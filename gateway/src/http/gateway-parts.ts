import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';
import type { IdentityIssuer } from '../identity/identity-issuer';
import type { PrincipalRegistry } from '../identity/principals';
import type { LedgerBackend } from '../ledger/ledger-backend';
import type { ReminderService } from '../services/reminders';
import type { IdempotencyRecords } from '../store/idempotency-records';
import type { QueryStore } from '../store/query-store';
import type { WebhookDelivery } from '../services/webhook-delivery';
import type { GatewayMetrics } from '../observability/metrics';

/** What the HTTP layer is assembled from (compose.ts builds it for the configured backend). */
export interface GatewayParts {
  readonly metrics: GatewayMetrics;
  readonly backend: LedgerBackend;
  readonly principals: PrincipalRegistry;
  readonly issuer: IdentityIssuer;
  readonly idempotency: IdempotencyRecords;
  /** Due-date reminders, sent on the event stream (main.ts starts their timer). */
  readonly reminders: ReminderService;
  /** The query store, fed from the ledger's events; absent when SCF_STORE=off. */
  readonly store?: QueryStore;
  /** Delivers the store's webhook outbox (with the store). */
  readonly webhooks?: WebhookDelivery;
  readonly logger: Logger;
  readonly settings: HttpSettings;
}

/** How the HTTP layer treats its clients (from GatewayConfig). */
export type HttpSettings = Pick<
  GatewayConfig,
  | 'bodyLimit'
  | 'bodyTimeoutMs'
  | 'heartbeatMs'
  | 'metricsToken'
  | 'corsOrigins'
  | 'authFailuresPerWindow'
  | 'authWindowMs'
  | 'trustProxy'
  | 'webhookAllowHttp'
>;
