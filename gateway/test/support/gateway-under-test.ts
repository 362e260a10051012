import { mkdtempSync } from 'fs';
import type { Server } from 'http';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import pino from 'pino';
import { createApp, shutdown, type GatewayParts } from '../../src/app';
import { DEMO_BANK_MSPS, seedDemoConsortium } from '../../src/demo/seed-consortium';
import { IdempotencyStore } from '../../src/http/idempotency';
import { CertificateAuthorities } from '../../src/identity/certificate-authorities';
import { PrincipalRegistry } from '../../src/identity/principals';
import { GatewayMetrics } from '../../src/observability/metrics';
import { EmbeddedBackend } from '../../src/ledger/embedded/embedded-backend';

/** A real gateway on a real port over a persistent embedded ledger in a temporary folder. */
export class GatewayUnderTest {
  keys: Record<string, string> = {};

  private constructor(readonly dataDir: string, readonly parts: GatewayParts, readonly server: Server, readonly app: ReturnType<typeof createApp>) {}

  static async start(dataDir = mkdtempSync(path.join(os.tmpdir(), 'scf-gw-')), seed = true): Promise<GatewayUnderTest> {
    const backend = await EmbeddedBackend.open(dataDir);
    const principals = await PrincipalRegistry.open(dataDir);
    const authorities = await CertificateAuthorities.open(dataDir, DEMO_BANK_MSPS);
    const parts: GatewayParts = {
      backend, principals, authorities, idempotency: await IdempotencyStore.open(dataDir), logger: pino({ level: 'silent' }), bodyLimit: '16kb',
      metrics: new GatewayMetrics(),
    };
    const keys = seed && principals.isEmpty ? await seedDemoConsortium(backend, authorities, principals, dataDir, () => undefined) : {};
    const app = createApp(parts);
    const server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
    const gateway = new GatewayUnderTest(dataDir, parts, server, app);
    gateway.keys = keys;
    return gateway;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get height(): number {
    return (this.parts.backend as EmbeddedBackend).engine.store.height;
  }

  async call(method: string, route: string, options: { as?: string; body?: unknown; key?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.as) headers.authorization = `Bearer ${this.keys[options.as] ?? options.as}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.key) headers['idempotency-key'] = options.key;
    const response = await fetch(this.url + route, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  }

  stop(): Promise<void> {
    return shutdown(this.server, this.app, this.parts);
  }
}
