import path from 'path';

/** Gateway settings, all from the environment (see README: Gateway configuration). */
export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly backend: 'embedded' | 'fabric';
  /** Where the embedded ledger, identities and idempotency records live. */
  readonly dataDir: string;
  readonly bodyLimit: string;
  /** Seed the demo consortium into an empty embedded ledger. */
  readonly seedDemo: boolean;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const backend = env.SCF_BACKEND ?? 'embedded';
  if (backend !== 'embedded' && backend !== 'fabric') {
    throw new Error(`SCF_BACKEND must be "embedded" or "fabric", not "${backend}"`);
  }
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a TCP port, not "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    backend,
    dataDir: path.resolve(env.SCF_DATA_DIR ?? 'data'),
    bodyLimit: env.SCF_BODY_LIMIT ?? '64kb',
    seedDemo: (env.SCF_SEED_DEMO ?? 'true') !== 'false',
  };
}
