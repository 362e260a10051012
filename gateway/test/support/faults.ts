import type { Server } from 'http';
import type { AddressInfo } from 'net';
import { createApp } from '../../src/http/app';
import { fetchRetryingReset, type GatewayOptions, GatewayUnderTest } from './gateway-under-test';

/** Stands for the gateway process dying at that point: nothing after it runs, and the test restarts the gateway on the same data. */
export class Crash extends Error {}

interface Armed { readonly method: string; readonly when: 'before' | 'after'; readonly fault: () => Error | Promise<void>; readonly match: (args: unknown[]) => boolean }

/**
 * Fault-injecting wrappers of the gateway's parts: an armed fault fires once, before the
 * wrapped call (it never happens) or after it (it happened, the caller never learns). A
 * fault that returns a promise instead of an error is an interference: it runs, then the call goes on.
 */
export class Faults {
  private readonly armed: Armed[] = [];
  calls: string[] = [];

  arm(method: string, when: Armed['when'], fault: Armed['fault'], match: Armed['match'] = () => true): void {
    this.armed.push({ method, when, fault, match });
  }

  forgetCalls(): void {
    this.calls = [];
  }

  wrap<T extends object>(name: string, target: T): T {
    return new Proxy(target, {
      get: (object, property) => {
        const value = Reflect.get(object, property, object) as unknown;
        if (typeof value !== 'function') return value;
        const method = `${name}.${String(property)}`;
        const original = value as (...a: unknown[]) => unknown;
        return (...args: unknown[]) => {
          this.calls.push(method);
          const index = this.armed.findIndex((fault) => fault.method === method && fault.match(args));
          // Unarmed calls go straight through (synchronous ones stay synchronous).
          if (index < 0) return original.apply(object, args);
          const armed = this.armed.splice(index, 1)[0]!;
          const fire = async () => {
            const fault = armed.fault();
            if (fault instanceof Error) throw fault;
            await fault;
          };
          return (async () => {
            if (armed.when === 'before') await fire();
            const result = await original.apply(object, args);
            if (armed.when === 'after') await fire();
            return result;
          })();
        };
      },
    });
  }

  count(method: string): number {
    return this.calls.filter((call) => call === method).length;
  }
}

/** Matches a ledger call by its transaction name. */
export const transactionIs = (name: string) => (args: unknown[]) => (args[0] as { transaction?: string }).transaction === name;

/** A gateway (as GatewayUnderTest starts it) whose backend, issuer and principal registry go through fault injectors. */
export async function faultyGateway(options: GatewayOptions = {}) {
  const gw = await GatewayUnderTest.start(options);
  const faults = new Faults();
  const app = createApp({ ...gw.parts, backend: faults.wrap('backend', gw.parts.backend), issuer: faults.wrap('issuer', gw.parts.issuer),
    principals: faults.wrap('principals', gw.parts.principals) });
  const server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (method: string, route: string, as: string, options: { key?: string; body?: unknown } = {}) => {
    const response = await fetchRetryingReset(url + route, { method, body: options.body === undefined ? undefined : JSON.stringify(options.body), headers: {
      authorization: `Bearer ${gw.keys[as] ?? as}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.key ? { 'idempotency-key': options.key } : {}),
    } });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const stop = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await gw.stop();
  };
  return { gw, faults, call, stop };
}
export type FaultyGateway = Awaited<ReturnType<typeof faultyGateway>>;
