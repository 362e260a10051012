import type { Express, RequestHandler } from 'express';
import type { LedgerAccess, LedgerBackend, LedgerCall, SubmitHooks, SubmitOutcome } from '../ledger/ledger-backend';
import type { GatewayMetrics } from '../observability/metrics';
import type { GatewayParts } from './gateway-parts';
import type { IdempotentWrites } from './idempotent-write';
import { type Operation, type OperationInput, OPERATIONS, runOperation } from './operations';
import { handle, requireSigner, validate } from './request-context';
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

/** The backend as writes use it: every submit measured, including each step of a flow. */
function measured(backend: LedgerBackend, metrics: GatewayMetrics): LedgerAccess {
  return {
    submit: (call, hooks = {}) => submitMeasured(backend, metrics, call, hooks),
    evaluate: (call) => backend.evaluate(call),
    transaction: (txId) => backend.transaction(txId),
  };
}

/** The routes of the operation table: each validates its input, then calls its transaction or runs its flow. */
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
        const principal = requireSigner(req);
        const params = validate(operation.params, req.params, 'path');
        const query = validate(operation.query, req.query, 'query');
        // A read may take a body (e.g. claims presented for verification): it travels as transient data.
        const input = (): OperationInput<unknown, unknown, unknown> => ({
          params,
          query,
          body: validate(operation.body, req.body, 'body'),
        });
        if (operation.mode === 'evaluate') {
          const caller = { backend, identity: principal.identity };
          const valid = input();
          const result = await timedLedger(res, async () => (await runOperation(operation, caller, valid)).result);
          if ('csv' in operation && operation.csv && (query as { format?: string }).format === 'csv') {
            res.type('text/csv; charset=utf-8').send(operation.csv(result));
          } else {
            res.json(result);
          }
          return;
        }
        await writes.run(req, res, principal, { status: operation.status ?? 200 }, (_writer, hooks) => {
          const caller = { backend: measured(backend, metrics), identity: principal.identity };
          const valid = input();
          return timedLedger(res, () => runOperation(operation, caller, valid, hooks));
        });
      }),
    );
  }
}
