import type { AddressInfo } from 'node:net';
import ocpp from 'ocpp-rpc';

// ocpp-rpc is CommonJS: Node's ESM loader sees only its default export.
const { NOREPLY, RPCServer } = ocpp;

type ServerClient = InstanceType<typeof ocpp.RPCClient>;

export interface Received {
  identity: string;
  action: string;
  params: Record<string, unknown>;
  /** Which connection of this charger it came on (1 = first). */
  connection: number;
}

/**
 * A real, independent OCPP 1.6J central system for the simulator's tests:
 * ocpp-rpc's RPCServer in strict mode (the official 1.6 schemas validate
 * every call and every answer both ways), Basic auth against given secrets,
 * minimal correct answers, and a record of everything that arrived.
 * `intercept` lets a test replace the answer to one action (return NOREPLY to drop it).
 */
export async function startRecordingServer(
  opts: { secrets?: Record<string, string>; heartbeatInterval?: number } = {},
) {
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  const received: Received[] = [];
  const validationFailures: unknown[] = [];
  const clients = new Map<string, ServerClient>();
  const connections = new Map<string, number>();
  const txCounters = new Map<string, number>();
  const listeners = new Set<() => void>();
  const intercept = new Map<string, (r: Received, client: ServerClient) => unknown>();

  server.auth((accept, reject, handshake) => {
    const expected = opts.secrets?.[handshake.identity];
    if (opts.secrets && (!expected || handshake.password?.toString('utf8') !== expected))
      return reject(401, 'bad credentials');
    accept();
  });

  server.on('client', (client: ServerClient) => {
    const id = client.identity!;
    clients.set(id, client);
    const connection = (connections.get(id) ?? 0) + 1;
    connections.set(id, connection);
    client.on('strictValidationFailure', (e: unknown) => validationFailures.push(e));
    client.handle(async ({ method, params: raw }) => {
      const params = (raw ?? {}) as Record<string, unknown>;
      const r: Received = { identity: id, action: method!, params, connection };
      received.push(r);
      for (const l of [...listeners]) l();
      const custom = intercept.get(r.action);
      if (custom) {
        const answer = custom(r, client);
        if (answer !== undefined) return answer as Record<string, unknown>;
      }
      return answer(id, method!, params) as Record<string, unknown>;
    });
  });

  const answer = (id: string, method: string, params: Record<string, unknown>): unknown => {
    const now = new Date().toISOString();
    switch (method) {
      case 'BootNotification':
        return { status: 'Accepted', currentTime: now, interval: opts.heartbeatInterval ?? 300 };
      case 'Heartbeat':
        return { currentTime: now };
      case 'Authorize':
        return { idTagInfo: { status: params.idTag === 'BLOCKED' ? 'Blocked' : 'Accepted' } };
      case 'StartTransaction': {
        // Per charger, so two runs with the same seed see the same ids.
        const n = (txCounters.get(id) ?? 0) + 1;
        txCounters.set(id, n);
        return { transactionId: n, idTagInfo: { status: 'Accepted' } };
      }
      case 'StopTransaction':
        return { idTagInfo: { status: 'Accepted' } };
      case 'DataTransfer':
        return { status: 'Accepted' };
      default:
        return {};
    }
  };

  const http = await server.listen(0, '127.0.0.1');
  const port = (http.address() as AddressInfo).port;

  /** Resolves with the first received call (from now on or already there) matching `pred`. */
  function waitFor(pred: (r: Received) => boolean, timeoutMs = 10_000): Promise<Received> {
    const found = received.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error('timed out waiting for a call'));
      }, timeoutMs);
      const check = () => {
        const hit = received.find(pred);
        if (hit) {
          clearTimeout(timer);
          listeners.delete(check);
          resolve(hit);
        }
      };
      listeners.add(check);
    });
  }

  return {
    url: `ws://127.0.0.1:${port}/ocpp`,
    received,
    validationFailures,
    intercept,
    waitFor,
    NOREPLY,
    /** Sends a command to a connected charger and returns its (schema-validated) answer. */
    command(identity: string, action: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
      const c = clients.get(identity);
      if (!c) throw new Error(`${identity} not connected`);
      return c.call(action, params) as Promise<Record<string, unknown>>;
    },
    client(identity: string): ServerClient | undefined {
      return clients.get(identity);
    },
    calls(identity: string, action?: string): Received[] {
      return received.filter((r) => r.identity === identity && (!action || r.action === action));
    },
    close: () => server.close({ force: true }),
  };
}
export type RecordingServer = Awaited<ReturnType<typeof startRecordingServer>>;
