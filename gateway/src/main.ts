// The contracts log through fabric-contract-api, which reads its level once, at load.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'WARNING';

import path from 'path';
import pino from 'pino';
import { createApp, shutdown } from './http/app';
import { listen } from './http/server';
import { openGateway } from './compose';
import { configFromEnv } from './config';

async function main(): Promise<void> {
  // Every file the gateway writes holds keys, identities or business records: none for other users.
  process.umask(0o077);
  const logger = pino({ name: 'scf-gateway' });
  const config = configFromEnv();
  logger.info({ backend: config.backend, dataDir: config.dataDir }, 'starting the gateway');
  const { parts, firstKeys } = await openGateway(config, logger);
  if (!(await parts.backend.ready())) logger.warn('the ledger is not reachable yet: /readyz answers 503 until it is');
  if (firstKeys) {
    console.log(`\nAPI keys, shown once (also in ${path.join(config.dataDir, 'demo-keys.json')}):`);
    for (const [who, key] of Object.entries(firstKeys)) console.log(`  ${who.padEnd(24)} ${key}`);
  }
  const app = createApp(parts);
  const server = await listen(app, config.port, config.host);
  parts.reminders.start(config.reminderIntervalMs, (error) => logger.warn({ err: error }, 'a reminder sweep failed'));
  const url = `http://${config.host}:${config.port}`;
  console.log(`\nSCF gateway (${config.backend} ledger, data in ${config.dataDir}) listening on ${url}`);
  console.log(`API docs: ${url}/docs   OpenAPI: /openapi.json   Web console: ${url}/console`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down after in-flight requests');
      shutdown(server, app, parts).then(
        () => process.exit(0),
        (error) => {
          logger.error(error);
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: Error) => {
  console.error(`The gateway could not start: ${error.message}`);
  process.exit(1);
});
