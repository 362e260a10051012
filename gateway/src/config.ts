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
}

function positiveInteger(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`${name} must be a positive integer, not "${value}"`);
  return parsed;
}

function trustProxy(value: string | undefined): string | number | false {
  if (value === undefined || value === '' || value === 'false') return false;
  return /^[0-9]+$/.test(value) ? Number(value) : value;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const backend = env.SCF_BACKEND ?? 'embedded';
  if (backend !== 'embedded' && backend !== 'fabric') {
    throw new Error(`SCF_BACKEND must be "embedded" or "fabric", not "${backend}"`);
  }
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a TCP port, not "${env.PORT}"`);
  const connectionProfile = path.resolve(
    env.SCF_CONNECTION_PROFILE ?? path.join(env.SCF_NETWORK_DIR ?? 'network/run', 'gateway/connection.json'),
  );
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    backend,
    // A Fabric gateway's wallet belongs with the network it was made for, and goes when the network is purged.
    dataDir: path.resolve(
      env.SCF_DATA_DIR ?? (backend === 'fabric' ? path.join(path.dirname(connectionProfile), 'data') : 'data'),
    ),
    bodyLimit: env.SCF_BODY_LIMIT ?? '64kb',
    bodyTimeoutMs: positiveInteger('SCF_BODY_TIMEOUT_MS', env.SCF_BODY_TIMEOUT_MS ?? '10000'),
    heartbeatMs: positiveInteger('SCF_SSE_HEARTBEAT_MS', env.SCF_SSE_HEARTBEAT_MS ?? '15000'),
    ...(env.SCF_METRICS_TOKEN ? { metricsToken: env.SCF_METRICS_TOKEN } : {}),
    corsOrigins: (env.SCF_CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    authFailuresPerWindow: positiveInteger('SCF_AUTH_FAILURES_PER_WINDOW', env.SCF_AUTH_FAILURES_PER_WINDOW ?? '30'),
    authWindowMs: positiveInteger('SCF_AUTH_WINDOW_MS', env.SCF_AUTH_WINDOW_MS ?? '300000'),
    trustProxy: trustProxy(env.SCF_TRUST_PROXY),
    seedDemo: (env.SCF_SEED_DEMO ?? 'true') !== 'false',
    connectionProfile,
    gatewayMspId: env.SCF_GATEWAY_MSP ?? 'Bank1MSP',
    commitTimeoutMs: positiveInteger('SCF_COMMIT_TIMEOUT_MS', env.SCF_COMMIT_TIMEOUT_MS ?? '30000'),
  };
}
