import { fabricClientId } from '@scf/chaincode/engine';
import { randomBytes } from 'crypto';
import { promises as fs, readdirSync, readFileSync } from 'fs';
import path from 'path';
import type { Logger } from 'pino';
import type { GatewayParts } from './http/app';
import type { GatewayConfig } from './config';
import { DEMO_BANK_MSPS, type DemoKeys, seedDemoConsortium } from './demo/seed-consortium';
import { CertificateAuthorities } from './identity/certificate-authorities';
import { FabricCaIssuer } from './identity/fabric-ca-issuer';
import type { IdentityIssuer } from './identity/identity-issuer';
import { FilePrincipalRegistry, type PrincipalRegistry } from './identity/principals';
import type { SigningIdentity } from './identity/signing-identity';
import { EmbeddedBackend } from './ledger/embedded/embedded-backend';
import { type ConnectionProfile, loadConnectionProfile } from './ledger/fabric/connection-profile';
import { FabricBackend } from './ledger/fabric/fabric-backend';
import type { LedgerBackend } from './ledger/ledger-backend';
import { GatewayMetrics } from './observability/metrics';
import { finishRotations } from './services/key-rotation';
import { ReminderLog, ReminderService, type SentReminders } from './services/reminders';
import type { StoreLocation } from './store/connection';
import type { IdempotencyRecords } from './store/idempotency-records';
import { LevelDbIdempotency } from './store/leveldb-idempotency';
import { QueryStore } from './store/query-store';
import { SharedIdempotency } from './store/shared-idempotency';
import { SharedPrincipalRegistry } from './store/shared-principals';
import { SharedReminderLog } from './store/shared-reminders';
import { queueNotice } from './store/webhooks';
import { WebhookDelivery } from './services/webhook-delivery';
import { reminderKey } from './services/reminders';

interface Ledger {
  readonly backend: LedgerBackend;
  readonly issuer: IdentityIssuer;
  /** Bank admins, who onboard enterprises: made locally on the embedded ledger, the network's own on Fabric. */
  readonly admins: () => Promise<ReadonlyMap<string, SigningIdentity>>;
  /** Whether the consortium still has to be initialised (Fabric's is initialised by `network.sh deploy`). */
  readonly initialise: boolean;
}

async function embeddedLedger(dataDir: string): Promise<Ledger> {
  const authorities = await CertificateAuthorities.open(dataDir, DEMO_BANK_MSPS);
  return {
    backend: await EmbeddedBackend.open(dataDir),
    issuer: authorities,
    admins: async () =>
      new Map(
        await Promise.all(
          DEMO_BANK_MSPS.map(
            async (mspId) =>
              [
                mspId,
                await authorities.of(mspId).issue({ commonName: `admin.${mspId.toLowerCase()}`, type: 'admin' }),
              ] as const,
          ),
        ),
      ),
    initialise: true,
  };
}

export function profileAdmin(profile: ConnectionProfile, mspId: string): SigningIdentity {
  const admin = profile.identities[mspId]?.admin;
  if (!admin) throw new Error(`the connection profile has no admin identity for ${mspId}`);
  const certificatePem = readFileSync(admin.certPath, 'utf8');
  const keyFile = readdirSync(admin.keyDir)[0];
  if (!keyFile) throw new Error(`no private key in ${admin.keyDir}`);
  return {
    mspId,
    certificatePem,
    privateKeyPem: readFileSync(path.join(admin.keyDir, keyFile), 'utf8'),
    clientId: fabricClientId(certificatePem),
  };
}

function fabricLedger(config: GatewayConfig, logger: Logger): Ledger {
  const profile = loadConnectionProfile(config.connectionProfile);
  const backend = new FabricBackend({
    profile,
    serviceIdentity: profileAdmin(profile, config.gatewayMspId),
    commitTimeoutMs: config.commitTimeoutMs,
    onWarning: (message, error) => logger.warn({ err: error }, message),
  });
  return {
    backend,
    issuer: new FabricCaIssuer(profile.cas),
    admins: async () => new Map(profile.cas.map((ca) => [ca.mspId, profileAdmin(profile, ca.mspId)] as const)),
    initialise: false,
  };
}

/**
 * Keys for the admins of organisations the profile names and no key serves yet (a bank that
 * joined the running network), added to `<data>/demo-keys.json` beside the first keys.
 */
async function adminKeysForNewBanks(ledger: Ledger, principals: PrincipalRegistry, dataDir: string): Promise<string[]> {
  const admins = await ledger.admins();
  const added: Record<string, string> = {};
  for (const [mspId, identity] of admins) {
    if (!(await principals.hasAdmin(mspId)))
      added[`admin:${mspId}`] = await principals.issueKey({ kind: 'admin', mspId, identity });
  }
  if (Object.keys(added).length === 0) return [];
  const file = path.join(dataDir, 'demo-keys.json');
  const keys = await fs.readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as Record<string, string>,
    () => ({}),
  );
  await fs.writeFile(file, JSON.stringify({ ...keys, ...added }, null, 2), { mode: 0o600 });
  return Object.keys(added).map((key) => key.slice('admin:'.length));
}

/** The query store the settings ask for, fed from the ledger's events from its checkpoint on. */
async function openQueryStore(
  config: GatewayConfig,
  backend: LedgerBackend,
  logger: Logger,
): Promise<{ store?: QueryStore }> {
  if (config.store.kind === 'off') return {};
  const location: StoreLocation =
    config.store.kind === 'server' ? config.store : { kind: 'embedded', dir: path.join(config.dataDir, 'store') };
  const onFailure = (error: Error): void =>
    logger.error({ err: error }, 'the query store stopped reading the ledger; restart the gateway to resume');
  if (config.storeRebuild) logger.info('rebuilding the query store from block 0 (SCF_STORE_REBUILD)');
  return { store: await QueryStore.open(location, backend, { onFailure, rebuild: config.storeRebuild }) };
}

/** Delivers the store's webhook outbox, and queues each reminder for its enterprise's subscribers. */
function startWebhooks(
  store: QueryStore,
  reminders: ReminderService,
  config: GatewayConfig,
  logger: Logger,
): WebhookDelivery {
  const delivery = new WebhookDelivery(
    store.db,
    {
      intervalMs: config.webhookIntervalMs,
      baseDelayMs: config.webhookRetryMs,
      maxAttempts: config.webhookMaxAttempts,
      timeoutMs: 10_000,
    },
    (error) => logger.error({ err: error }, 'a webhook delivery round failed'),
  );
  reminders.subscribe((reminder) => {
    queueNotice(store.db, reminder.to, reminderKey(reminder), reminder.type, reminder).catch((error: Error) =>
      logger.error({ err: error }, 'a reminder could not be queued for webhooks'),
    );
  });
  delivery.start();
  return delivery;
}

interface GatewayState {
  readonly principals: PrincipalRegistry;
  readonly idempotency: IdempotencyRecords;
  readonly sentReminders: SentReminders;
}

/** The store when it is a PostgreSQL server, which several gateways may share: the gateway is then "shared". */
const sharedStore = (config: GatewayConfig, store: QueryStore | undefined): QueryStore | undefined =>
  config.store.kind === 'server' ? store : undefined;

/**
 * Where the gateway keeps API keys, identities, idempotency records and the reminders sent: in
 * the shared database, else in its data folder, for itself alone.
 */
async function gatewayState(config: GatewayConfig, store: QueryStore | undefined): Promise<GatewayState> {
  const shared = sharedStore(config, store);
  if (shared) {
    return {
      principals: new SharedPrincipalRegistry(shared.db),
      idempotency: new SharedIdempotency(shared.db),
      sentReminders: new SharedReminderLog(shared.db),
    };
  }
  return {
    principals: await FilePrincipalRegistry.open(config.dataDir),
    idempotency: await LevelDbIdempotency.open(config.dataDir),
    sentReminders: await ReminderLog.open(config.dataDir),
  };
}

/**
 * A gateway that kept its keys in its own files and now shares a database: when the database
 * has no keys yet, the files' keys, identities, rotations and reminders sent move into it
 * (the files stay, untouched). Idempotency records do not: a retry of a request answered
 * before the move runs afresh.
 */
async function adoptOwnFiles(dataDir: string, store: QueryStore, logger: Logger): Promise<void> {
  const shared = new SharedPrincipalRegistry(store.db);
  const own = await FilePrincipalRegistry.open(dataDir);
  if (!(await shared.isEmpty()) || (await own.isEmpty())) return;
  const contents = own.contents();
  await shared.adopt(contents);
  await new SharedReminderLog(store.db).claim((await ReminderLog.open(dataDir)).keys());
  logger.info(`moved ${contents.principals.length} API key(s) from principals.json into the shared database`);
}

/** Assembles the gateway for the configured backend; see keysAtStart for the keys it returns. */
export async function openGateway(
  config: GatewayConfig,
  logger: Logger,
): Promise<{ parts: GatewayParts; firstKeys?: DemoKeys }> {
  // Keys, identities and business records live here: only the gateway's own user may read them.
  await fs.mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  await fs.chmod(config.dataDir, 0o700);
  const ledger = config.backend === 'fabric' ? fabricLedger(config, logger) : await embeddedLedger(config.dataDir);
  const { store } = await openQueryStore(config, ledger.backend, logger);
  const { principals, idempotency, sentReminders } = await gatewayState(config, store);
  const reminders = new ReminderService(ledger.backend, sentReminders, {
    leadDays: config.reminderLeadDays,
    parties: () => principals.enterprises(),
  });
  const parts: GatewayParts = {
    backend: ledger.backend,
    principals,
    issuer: ledger.issuer,
    idempotency,
    reminders,
    ...(store ? { store, webhooks: startWebhooks(store, reminders, config, logger) } : {}),
    logger,
    metrics: new GatewayMetrics(),
    settings: config,
  };
  // Gateways sharing a database set up one at a time: the first seeds it, the others find its keys.
  const shared = sharedStore(config, store);
  const setUp = async (): Promise<DemoKeys | undefined> => {
    if (shared) await adoptOwnFiles(config.dataDir, shared, logger);
    return keysAtStart(parts, ledger, config);
  };
  const firstKeys = await (shared ? shared.exclusively(setUp) : setUp());
  return firstKeys ? { parts, firstKeys } : { parts };
}

/**
 * Keys at start: a gateway with keys finishes interrupted rotations and gives banks that joined
 * since an admin key; one without gets a key per bank admin, and the demo consortium when
 * seeding is on, returned (once) and written to `<data>/demo-keys.json`.
 */
async function keysAtStart(parts: GatewayParts, ledger: Ledger, config: GatewayConfig): Promise<DemoKeys | undefined> {
  const { principals, logger } = parts;
  if (!(await principals.isEmpty())) {
    // A key rotation that committed while the gateway was stopping: its API keys switch now.
    const finished = await finishRotations(parts);
    if (finished > 0) logger.info(`finished ${finished} key rotation(s) that committed before the gateway stopped`);
    // A bank that joined the network since (scripts/network.sh add-bank): its admin gets a key now.
    const joined = await adminKeysForNewBanks(ledger, principals, config.dataDir);
    if (joined.length > 0)
      logger.info(`issued admin API keys for ${joined.join(', ')}, which joined since; see demo-keys.json`);
    return undefined;
  }
  const admins = await ledger.admins();
  const firstKeys: Record<string, string> = {};
  for (const [mspId, identity] of admins)
    firstKeys[`admin:${mspId}`] = await principals.issueKey({ kind: 'admin', mspId, identity });
  if (ledger.initialise) {
    logger.info(`initialising the consortium (${[...admins.keys()].join(', ')})`);
    await ledger.backend.submit({
      identity: [...admins.values()][0]!,
      transaction: 'Consortium:Initialize',
      args: [JSON.stringify([...admins.keys()]), '{}'],
      transient: { invoiceSalt: randomBytes(32).toString('base64') },
    });
  }
  if (config.seedDemo)
    Object.assign(firstKeys, await seedDemoConsortium({ ...ledger, principals, admins }, (m) => logger.info(m)));
  await fs.writeFile(path.join(config.dataDir, 'demo-keys.json'), JSON.stringify(firstKeys, null, 2), { mode: 0o600 });
  return firstKeys;
}
