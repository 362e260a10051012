// The contracts log through fabric-contract-api, which reads its level once, at load.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'WARNING';

import { promises as fs } from 'fs';
import path from 'path';
import pino from 'pino';
import { createApp, shutdown, type GatewayParts } from './app';
import { configFromEnv } from './config';
import { DEMO_BANK_MSPS, seedDemoConsortium } from './demo/seed-consortium';
import { IdempotencyStore } from './http/idempotency';
import { CertificateAuthorities } from './identity/certificate-authorities';
import { PrincipalRegistry } from './identity/principals';
import { GatewayMetrics } from './observability/metrics';
import { EmbeddedBackend } from './ledger/embedded/embedded-backend';

async function main(): Promise<void> {
  const logger = pino({ name: 'scf-gateway' });
  const config = configFromEnv();
  if (config.backend === 'fabric') {
    throw new Error('SCF_BACKEND=fabric is not available yet: the Fabric backend is still to be built; run with the default embedded ledger');
  }
  await fs.mkdir(config.dataDir, { recursive: true });
  const backend = await EmbeddedBackend.open(config.dataDir);
  const principals = await PrincipalRegistry.open(config.dataDir);
  const authorities = await CertificateAuthorities.open(config.dataDir, DEMO_BANK_MSPS);
  const parts: GatewayParts = { backend, principals, authorities, idempotency: await IdempotencyStore.open(config.dataDir), logger, metrics: new GatewayMetrics(), bodyLimit: config.bodyLimit };
  if (principals.isEmpty && config.seedDemo) {
    logger.info('empty ledger: seeding the demo consortium');
    const keys = await seedDemoConsortium(backend, authorities, principals, config.dataDir, (m) => logger.info(m));
    console.log(`\nDemo API keys (also in ${path.join(config.dataDir, 'demo-keys.json')}):`);
    for (const [who, key] of Object.entries(keys)) console.log(`  ${who.padEnd(24)} ${key}`);
  }
  const app = createApp(parts);
  const server = app.listen(config.port, config.host, () => {
    console.log(`\nSCF gateway (${config.backend} ledger in ${config.dataDir}) listening on http://${config.host}:${config.port}`);
    console.log(`API docs: http://${config.host}:${config.port}/docs   OpenAPI: /openapi.json`);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down after in-flight requests');
      shutdown(server, app, parts).then(() => process.exit(0), (error) => { logger.error(error); process.exit(1); });
    });
  }
}

main().catch((error: Error) => {
  console.error(`The gateway could not start: ${error.message}`);
  process.exit(1);
});
