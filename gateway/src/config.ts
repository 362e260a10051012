import path from 'path';

/** Gateway settings, all from the environment (see README: Gateway configuration). */
export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly backend: 'embedded' | 'fabric';
  /** Where the embedded ledger, identities and idempotency records live. */
  readonly dataDir: string;
  readonly bodyLimit: string;
  /** How long a client may take to send a request body (408 after). */
  readonly bodyTimeoutMs: number;
  /** How often a quiet event stream gets a comment line, so proxies keep it open. */
  readonly heartbeatMs: number;
  /** The bearer token `/metrics` answers to; unset, metrics are off. */
  readonly metricsToken?: string;
  /** Browser origins allowed by CORS; none by default (CORS off). */
  readonly corsOrigins: readonly string[];
  /** Failed authentications one client address may make per window before 429. */
  readonly authFailuresPerWindow: number;
  readonly authWindowMs: number;
  /** Express's `trust proxy` (hops or addresses), so rate limits see the client, not the proxy. */
  readonly trustProxy: string | number | false;
  /** Seed the demo consortium when the gateway starts with no API keys. */
  readonly seedDemo: boolean;
  /** Fabric backend: the network's connection profile (written by `scripts/network.sh deploy`). */
  readonly connectionProfile: string;
  /** Fabric backend: the bank whose admin identity the gateway uses for events and lookups. */
  readonly gatewayMspId: string;
  /** Fabric backend: how long a write waits for its commit before it is answered 202 pending. */
  readonly commitTimeoutMs: number;
  /** Reminders: days before a receivable's due date at which its parties are reminded. */
  readonly reminderLeadDays: readonly number[];
  /** Reminders: how often the gateway looks for reminders that are due. */
  readonly reminderIntervalMs: number;
  /** The query store: in-process PostgreSQL under the data folder, a PostgreSQL server, or none. */
  readonly store: StoreSetting;
  /** Empty the query store at start, so it is read again from block 0 (SCF_STORE_REBUILD=true). */
  readonly storeRebuild: boolean;
  /** Webhooks: how often the outbox is looked at, the first retry's delay (doubling), the attempts before giving up. */
  readonly webhookIntervalMs: number;
  readonly webhookRetryMs: number;
  readonly webhookMaxAttempts: number;
  /** Webhooks to plain http:// addresses (a development receiver); https only otherwise. */
  readonly webhookAllowHttp: boolean;
}

/** SCF_STORE: `embedded` (PGlite in `<data>/store`), `off`, or a `postgres://` URL. */
export type StoreSetting =
  { readonly kind: 'embedded' } | { readonly kind: 'server'; readonly url: string } | { readonly kind: 'off' };

/** The setting `name` as a positive integer; `fallback` when it is unset. */
function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name] ?? String(fallback);
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`${name} must be a positive integer, not "${value}"`);
  return parsed;
}

function backendKind(env: NodeJS.ProcessEnv): GatewayConfig['backend'] {
  const backend = env.SCF_BACKEND ?? 'embedded';
  if (backend !== 'embedded' && backend !== 'fabric') {
    throw new Error(`SCF_BACKEND must be "embedded" or "fabric", not "${backend}"`);
  }
  return backend;
}

function tcpPort(env: NodeJS.ProcessEnv): number {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a TCP port, not "${env.PORT}"`);
  return port;
}

function connectionProfilePath(env: NodeJS.ProcessEnv): string {
  return path.resolve(
    env.SCF_CONNECTION_PROFILE ?? path.join(env.SCF_NETWORK_DIR ?? 'network/run', 'gateway/connection.json'),
  );
}

function dataDirectory(env: NodeJS.ProcessEnv, backend: GatewayConfig['backend'], connectionProfile: string): string {
  // A Fabric gateway's wallet belongs with the network it was made for, and goes when the network is purged.
  return path.resolve(
    env.SCF_DATA_DIR ?? (backend === 'fabric' ? path.join(path.dirname(connectionProfile), 'data') : 'data'),
  );
}

/** A comma-separated list, without blanks. */
function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Reminder leads: whole days, e.g. "7,1". */
function leadDays(value: string): number[] {
  const days = commaList(value).map(Number);
  if (days.length === 0 || days.some((d) => !Number.isInteger(d) || d <= 0 || d > 366)) {
    throw new Error(`SCF_REMINDER_LEAD_DAYS must be whole days from 1 to 366, comma-separated, not "${value}"`);
  }
  return days;
}

function storeSetting(value: string | undefined): StoreSetting {
  if (value === undefined || value === '' || value === 'embedded') return { kind: 'embedded' };
  if (value === 'off') return { kind: 'off' };
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: 'server', url: value };
  throw new Error('SCF_STORE must be "embedded", "off" or a postgres:// connection URL');
}

function trustProxy(value: string | undefined): string | number | false {
  if (value === undefined || value === '' || value === 'false') return false;
  return /^[0-9]+$/.test(value) ? Number(value) : value;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const backend = backendKind(env);
  const port = tcpPort(env);
  const connectionProfile = connectionProfilePath(env);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    backend,
    dataDir: dataDirectory(env, backend, connectionProfile),
    bodyLimit: env.SCF_BODY_LIMIT ?? '64kb',
    bodyTimeoutMs: positiveInteger(env, 'SCF_BODY_TIMEOUT_MS', 10_000),
    heartbeatMs: positiveInteger(env, 'SCF_SSE_HEARTBEAT_MS', 15_000),
    reminderLeadDays: leadDays(env.SCF_REMINDER_LEAD_DAYS ?? '7,1'),
    reminderIntervalMs: positiveInteger(env, 'SCF_REMINDER_INTERVAL_MS', 600_000),
    ...(env.SCF_METRICS_TOKEN ? { metricsToken: env.SCF_METRICS_TOKEN } : {}),
    corsOrigins: commaList(env.SCF_CORS_ORIGINS),
    authFailuresPerWindow: positiveInteger(env, 'SCF_AUTH_FAILURES_PER_WINDOW', 30),
    authWindowMs: positiveInteger(env, 'SCF_AUTH_WINDOW_MS', 300_000),
    trustProxy: trustProxy(env.SCF_TRUST_PROXY),
    seedDemo: (env.SCF_SEED_DEMO ?? 'true') !== 'false',
    connectionProfile,
    gatewayMspId: env.SCF_GATEWAY_MSP ?? 'Bank1MSP',
    commitTimeoutMs: positiveInteger(env, 'SCF_COMMIT_TIMEOUT_MS', 30_000),
    store: storeSetting(env.SCF_STORE),
    storeRebuild: env.SCF_STORE_REBUILD === 'true',
    webhookIntervalMs: positiveInteger(env, 'SCF_WEBHOOK_INTERVAL_MS', 1000),
    webhookRetryMs: positiveInteger(env, 'SCF_WEBHOOK_RETRY_MS', 5000),
    webhookMaxAttempts: positiveInteger(env, 'SCF_WEBHOOK_MAX_ATTEMPTS', 12),
    webhookAllowHttp: env.SCF_WEBHOOK_ALLOW_HTTP === 'true',
  };
}
