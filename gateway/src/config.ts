import path from 'path';

/** Gateway settings, all from the environment (see README: Gateway configuration). */
export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly backend: 'embedded' | 'fabric';
  /** Where the embedded ledger, identities and idempotency records live. */
  readonly dataDir: string;
  readonly bodyLimit: string;
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

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const backend = env.SCF_BACKEND ?? 'embedded';
  if (backend !== 'embedded' && backend !== 'fabric') {
    throw new Error(`SCF_BACKEND must be "embedded" or "fabric", not "${backend}"`);
  }
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a TCP port, not "${env.PORT}"`);
  const connectionProfile = path.resolve(env.SCF_CONNECTION_PROFILE ?? path.join(env.SCF_NETWORK_DIR ?? 'network/run', 'gateway/connection.json'));
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    backend,
    // A Fabric gateway's wallet belongs with the network it was made for, and goes when the network is purged.
    dataDir: path.resolve(env.SCF_DATA_DIR ?? (backend === 'fabric' ? path.join(path.dirname(connectionProfile), 'data') : 'data')),
    bodyLimit: env.SCF_BODY_LIMIT ?? '64kb',
    seedDemo: (env.SCF_SEED_DEMO ?? 'true') !== 'false',
    connectionProfile,
    gatewayMspId: env.SCF_GATEWAY_MSP ?? 'Bank1MSP',
    commitTimeoutMs: positiveInteger('SCF_COMMIT_TIMEOUT_MS', env.SCF_COMMIT_TIMEOUT_MS ?? '30000'),
  };
}
