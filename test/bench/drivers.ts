import type { LedgerEngine, LocalIdentity } from '@scf/chaincode/engine';
import { randomBytes, randomUUID } from 'crypto';
import { type Operation, OPERATIONS, runOperation } from '../../gateway/src/http/operations';
import { CertificateAuthorities } from '../../gateway/src/identity/certificate-authorities';
import { FilePrincipalRegistry } from '../../gateway/src/identity/principals';
import { EmbeddedBackend } from '../../gateway/src/ledger/embedded/embedded-backend';
import { type OnboardingDeps, onboardEnterprise } from '../../gateway/src/services/onboarding';

export interface EnterpriseSpec {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly msp: string;
  readonly registrationNumber: string;
}

/** One call's outcome: the chaincode's result and how many endorsements it took (MVCC retries + 1). */
export interface CallOutcome {
  readonly result: any;
  readonly attempts: number;
  /** The REST gateway's own time on the request: its Server-Timing `total` less the ledger's share. */
  readonly gatewayOwnMs?: number;
}

/**
 * How the workload reaches the ledger, in REST terms (method, route template, params, body)
 * so that every driver runs the same operations: over HTTP, or straight into a backend
 * through the same operation declarations the gateway uses.
 */
export interface Driver<Actor = unknown> {
  readonly name: string;
  onboard(enterprise: EnterpriseSpec): Promise<Actor>;
  call(actor: Actor, method: 'get' | 'post', route: string, params?: Record<string, string>, body?: unknown): Promise<CallOutcome>;
}

function operation(method: string, route: string): Operation {
  const found = OPERATIONS.find((op) => op.method === method && op.path === route);
  if (!found) throw new Error(`no operation ${method.toUpperCase()} ${route}`);
  return found;
}

/**
 * Calls a ledger backend directly (no HTTP): for fabric, that is `@hyperledger/fabric-gateway`
 * with the native signer; for embedded, the in-process engine.
 */
export class BackendDriver implements Driver<LocalIdentity> {
  constructor(readonly name: string, private readonly deps: OnboardingDeps, private readonly admins: ReadonlyMap<string, LocalIdentity>) {}

  async onboard(enterprise: EnterpriseSpec): Promise<LocalIdentity> {
    const admin = { mspId: enterprise.msp, identity: this.admins.get(enterprise.msp)! };
    return (await onboardEnterprise(this.deps, admin, enterprise)).identity;
  }

  async call(identity: LocalIdentity, method: 'get' | 'post', route: string, params: Record<string, string> = {}, body: unknown = {}): Promise<CallOutcome> {
    const op = operation(method, route);
    const input = { params: op.params.parse(params), body: op.body ? op.body.parse(body) : undefined, query: op.query ? op.query.parse({}) : undefined };
    return runOperation(op, { backend: this.deps.backend, identity }, input);
  }
}

/** Calls the REST gateway over HTTP with API keys and idempotency keys, as a client system would. */
export class RestDriver implements Driver<string> {
  readonly name = 'rest';

  constructor(private readonly url: string, private readonly adminKeys: Readonly<Record<string, string>>) {}

  async onboard(enterprise: EnterpriseSpec): Promise<string> {
    const { id, name, roles, registrationNumber } = enterprise;
    const { answer } = await this.exchange(this.adminKeys[`admin:${enterprise.msp}`]!, 'post', '/enterprises', { id, name, roles, registrationNumber });
    return answer.apiKey as string;
  }

  async call(apiKey: string, method: 'get' | 'post', route: string, params: Record<string, string> = {}, body: unknown = {}): Promise<CallOutcome> {
    const path = route.replace(/:([a-zA-Z]+)/g, (_, name: string) => encodeURIComponent(params[name]!));
    const { answer, gatewayOwnMs } = await this.exchange(apiKey, method, path, method === 'post' ? body : undefined);
    return method === 'get' ? { result: answer, attempts: 1, gatewayOwnMs } : { result: answer.result, attempts: answer.attempts ?? 1, gatewayOwnMs };
  }

  private async exchange(apiKey: string, method: string, path: string, body?: unknown): Promise<{ answer: any; gatewayOwnMs?: number }> {
    const response = await fetch(this.url + path, {
      method: method.toUpperCase(),
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json() as any;
    if (response.status >= 300) throw new Error(`${method.toUpperCase()} ${path}: ${response.status} ${answer?.error?.code ?? ''} ${answer?.error?.message ?? ''}`);
    const timing = response.headers.get('server-timing') ?? '';
    const [ledger, total] = ['ledger', 'total'].map((name) => new RegExp(`${name};dur=([0-9.]+)`).exec(timing)?.[1]);
    return { answer, gatewayOwnMs: ledger && total ? Number(total) - Number(ledger) : undefined };
  }
}

/** A fresh embedded ledger in `dir` with an initialised two-bank consortium, driven directly. */
export async function openEmbeddedDriver(dir: string): Promise<{ driver: BackendDriver; engine: LedgerEngine; close: () => Promise<void> }> {
  const backend = await EmbeddedBackend.open(dir);
  const cas = await CertificateAuthorities.open(dir, ['Bank1MSP', 'Bank2MSP']);
  const admins = new Map(await Promise.all(['Bank1MSP', 'Bank2MSP'].map(async (msp) => [msp, await cas.of(msp).issue({ commonName: `admin.${msp}`, type: 'admin' })] as const)));
  await backend.submit({ identity: admins.get('Bank1MSP')!, transaction: 'Consortium:Initialize', args: ['["Bank1MSP","Bank2MSP"]', '{}'],
    transient: { invoiceSalt: randomBytes(32).toString('base64') } });
  const principals = await FilePrincipalRegistry.open(dir);
  return { driver: new BackendDriver('embedded', { backend, issuer: cas, principals }, admins), engine: backend.engine, close: () => backend.close() };
}
