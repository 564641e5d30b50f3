import { Counter, Gauge, type Registry } from 'prom-client';

/** The message log's figures on /metrics (docs/OPERATIONS.md "OCPP message log"). */
export function createMessageLogMetrics(registry: Registry) {
  return {
    written: new Counter({
      name: 'chargeops_message_log_rows_total',
      help: 'OCPP frames written to the message log',
      registers: [registry],
    }),
    dropped: new Counter({
      name: 'chargeops_message_log_dropped_total',
      help: 'OCPP frames not logged: queue_full (the writer fell behind; OCPP is never held for it) or write_failed',
      labelNames: ['reason'],
      registers: [registry],
    }),
    flushes: new Counter({
      name: 'chargeops_message_log_flushes_total',
      help: 'Multi-row inserts of the message log',
      registers: [registry],
    }),
    queued: new Gauge({
      name: 'chargeops_message_log_queued',
      help: 'OCPP frames waiting to be written to the message log',
      registers: [registry],
    }),
    pruned: new Counter({
      name: 'chargeops_message_log_pruned_total',
      help: 'Message log rows deleted by retention, by rule (age, per_charger)',
      labelNames: ['rule'],
      registers: [registry],
    }),
  };
}
export type MessageLogMetrics = ReturnType<typeof createMessageLogMetrics>;
