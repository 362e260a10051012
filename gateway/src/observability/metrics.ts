import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, on a registry of its own (one per app, so tests stay apart). */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'scf_http_requests_total',
    help: 'HTTP requests by route template and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly requestSeconds = new Histogram({
    name: 'scf_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'],
    registers: [this.registry],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  readonly submitSeconds = new Histogram({
    name: 'scf_ledger_submit_duration_seconds',
    help: 'Endorse-to-commit latency of ledger submissions',
    labelNames: ['transaction', 'outcome'],
    registers: [this.registry],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  readonly retries = new Counter({
    name: 'scf_ledger_mvcc_retries_total',
    help: 'Submissions re-endorsed after an MVCC read conflict',
    labelNames: ['transaction'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
