import type { Express, RequestHandler } from 'express';
import type { LedgerBackend, LedgerCall, SubmitHooks, SubmitOutcome } from '../ledger/ledger-backend';
import type { GatewayMetrics } from '../observability/metrics';
import type { GatewayParts } from './gateway-parts';
import type { IdempotentWrites } from './idempotent-write';
import { type Operation, OPERATIONS } from './operations';
import { handle, requirePrincipal, validate } from './request-context';
import { timedLedger } from './timing';

/** Submits with latency and retry metrics: every MVCC re-run is counted, whether it ends in a commit or not. */
async function submitMeasured(
  backend: LedgerBackend,
  metrics: GatewayMetrics,
  call: LedgerCall,
  hooks: SubmitHooks,
): Promise<SubmitOutcome> {
  const stop = metrics.submitSeconds.startTimer({ transaction: call.transaction });
  try {
    const outcome = await backend.submit(call, {
      ...hooks,
      onRetry: () => metrics.retries.inc({ transaction: call.transaction }),
    });
    stop({ outcome: 'committed' });
    return outcome;
  } catch (error) {
    stop({ outcome: 'refused' });
    throw error;
  }
}

/** The routes of the operation table: each validates its input and calls one chaincode transaction. */
export function ledgerRoutes(
  app: Express,
  parts: GatewayParts,
  writes: IdempotentWrites,
  body: readonly RequestHandler[],
): void {
  const { backend, metrics } = parts;
  for (const operation of OPERATIONS as readonly Operation[]) {
    app[operation.method](
      operation.path,
      ...(operation.method === 'post' ? body : []),
      handle(async (req, res) => {
        const principal = requirePrincipal(req);
        const params = validate(operation.params, req.params, 'path');
        const query = validate(operation.query, req.query, 'query');
        if (operation.mode === 'evaluate') {
          // A read may take a body (e.g. claims presented for verification): it travels as transient data.
          const input = validate(operation.body, req.body, 'body');
          const call = { identity: principal.identity, ...operation.call({ params, body: input, query }) };
          res.json(await timedLedger(res, () => backend.evaluate(call)));
          return;
        }
        await writes.run(req, res, principal, { status: operation.status ?? 200 }, (caller, hooks) => {
          const input = validate(operation.body, req.body, 'body');
          const call = { identity: caller.identity, ...operation.call({ params, body: input, query }) };
          return timedLedger(res, () => submitMeasured(backend, metrics, call, hooks));
        });
      }),
    );
  }
}
