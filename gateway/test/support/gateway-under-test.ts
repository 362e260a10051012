import { mkdtempSync, readFileSync } from 'fs';
import type { Server } from 'http';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import pino, { type Logger } from 'pino';
import { createApp, shutdown, type GatewayParts } from '../../src/http/app';
import { listen } from '../../src/http/server';
import { openGateway } from '../../src/compose';
import { configFromEnv, type GatewayConfig } from '../../src/config';
import { OpenApiValidator, type ReceivedAnswer } from './openapi-validator';
import { callOperation, type OperationAnswer, type OperationId, type OperationInput } from './typed-api';

export interface GatewayOptions {
  /** Reuse a data folder (a restart); a new temporary one otherwise. */
  readonly dataDir?: string;
  /** Gateway environment, e.g. SCF_BACKEND=fabric and SCF_NETWORK_DIR. */
  readonly env?: NodeJS.ProcessEnv;
  /** Settings over the environment's, e.g. a short body timeout. */
  readonly settings?: Partial<GatewayConfig>;
  /** Where the gateway logs; silent by default. */
  readonly logger?: Logger;
  /** A fixed port (a suite given a port range); any free port by default. */
  readonly port?: number;
}

/** The operator's token for `/metrics` in every gateway under test. */
export const METRICS_TOKEN = 'metrics-token-of-the-tests';

/**
 * A real gateway on a real port, assembled exactly as `npm start` assembles it. Every
 * answer `call` receives is checked against the gateway's own `/openapi.json`: an answer
 * the document does not describe fails the test.
 */
export class GatewayUnderTest {
  private constructor(readonly dataDir: string, readonly parts: GatewayParts, readonly server: Server, readonly app: ReturnType<typeof createApp>,
    public keys: Record<string, string>, readonly validator: OpenApiValidator) {}

  static async start(options: GatewayOptions = {}): Promise<GatewayUnderTest> {
    const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'scf-gw-'));
    // Suites send many bad keys on purpose: only the throttling test meets the production limit.
    const config = { ...configFromEnv({ SCF_STORE: 'off', ...options.env, SCF_DATA_DIR: dataDir }), bodyLimit: '16kb', authFailuresPerWindow: 1_000_000, metricsToken: METRICS_TOKEN,
      ...options.settings };
    const { parts } = await openGateway(config, options.logger ?? pino({ level: 'silent' }));
    const app = createApp(parts);
    const server = await listen(app, options.port ?? 0, '127.0.0.1');
    const keys = JSON.parse(readFileSync(path.join(dataDir, 'demo-keys.json'), 'utf8')) as Record<string, string>;
    const { port } = server.address() as AddressInfo;
    const validator = new OpenApiValidator(await (await fetch(`http://127.0.0.1:${port}/openapi.json`)).json());
    return new GatewayUnderTest(dataDir, parts, server, app, keys, validator);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  height(): Promise<number> {
    return this.parts.backend.height();
  }

  /**
   * Sends a request and returns the answer, its JSON body parsed (any other body as text),
   * after checking it against the document. `rawBody` is sent as it is (say, broken JSON).
   */
  async call(method: string, route: string,
    options: { as?: string; body?: unknown; rawBody?: string; key?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.as) headers.authorization = `Bearer ${this.keys[options.as] ?? options.as}`;
    if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
    if (options.key) headers['idempotency-key'] = options.key;
    const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const send = () => fetch(this.url + route, { method, headers, body: payload });
    // A kept-alive socket the server closed as it was reused: send again (writes carry their idempotency key).
    const response = await send().catch((error: Error & { cause?: { code?: string } }) => {
      if (error.cause?.code !== 'ECONNRESET') throw error;
      return send();
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type');
    const body = text && /^application\/json\b/.test(contentType ?? '') ? JSON.parse(text) : text || undefined;
    this.expectDocumented({ method, url: route, status: response.status, contentType, body });
    return { status: response.status, body, headers: response.headers };
  }

  /**
   * A well-formed request for one operation, by its operationId, with typed params, query
   * and body, answered typed: `{ ok: true, body }` (the operation's success answer),
   * `{ ok: 'pending' }` (a write not seen committed in time) or `{ ok: false, body: { error } }`.
   * It goes through `call`, so the answer is checked against /openapi.json all the same.
   */
  op<Id extends OperationId>(operationId: Id, input: OperationInput<Id>): Promise<OperationAnswer<Id>> {
    return callOperation(this, operationId, input);
  }

  /** Fails (throws) unless the gateway's OpenAPI document describes this answer. */
  expectDocumented(answer: ReceivedAnswer): void {
    const problems = this.validator.check(answer);
    if (problems.length > 0) throw new Error(`the answer does not match /openapi.json:\n  ${problems.map((p) => p.detail).join('\n  ')}`);
  }

  stop(): Promise<void> {
    return shutdown(this.server, this.app, this.parts);
  }
}
