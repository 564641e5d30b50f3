import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** OCPP figures on the app's Prometheus registry (docs/PRODUCT.md §7 /metrics). */
export function createOcppMetrics(registry: Registry) {
  return {
    connected: new Gauge({
      name: 'ocpp_connected_chargers',
      help: 'Charge points with an open OCPP WebSocket in this process',
      registers: [registry],
    }),
    calls: new Counter({
      name: 'ocpp_calls_total',
      help: 'OCPP CALLs by action, direction (in: from chargers, out: commands) and outcome',
      labelNames: ['action', 'direction', 'outcome'],
      registers: [registry],
    }),
    badFrames: new Counter({
      name: 'ocpp_bad_frames_total',
      help: 'Frames that were not valid OCPP-J RPC messages',
      registers: [registry],
    }),
    handlerSeconds: new Histogram({
      name: 'ocpp_handler_duration_seconds',
      help: 'Time to handle and persist an inbound OCPP CALL, by action',
      labelNames: ['action'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'ocpp_write_batch_size',
      help: 'Chargers per group-committed batch (live: boot, status, heartbeat, connect writes; admission: handshake look-ups)',
      labelNames: ['batch'],
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers: [registry],
    }),
    batchSplits: new Counter({
      name: 'ocpp_write_batch_splits_total',
      help: 'Batches that failed as a whole and were retried one write at a time',
      labelNames: ['batch'],
      registers: [registry],
    }),
    secretChecks: new Counter({
      name: 'ocpp_secret_checks_total',
      help: 'Charger secrets checked at the handshake, by kind (fast: the stored HMAC check; scrypt: the full hash; busy: scrypt queue full, the charger told to come back)',
      labelNames: ['kind'],
      registers: [registry],
    }),
  };
}
export type OcppMetrics = ReturnType<typeof createOcppMetrics>;
