import type { AddressInfo } from 'node:net';
import { RPCClient } from '../../server/ocpp/rpc.ts';
import type { ChargerEvent } from '../../contracts/events.ts';
import { createTestApp, type TestApp, type TestAppOptions } from './app.ts';

export const SECRET = 'charger-secret-1';
export const BOOT = {
  chargePointVendor: 'evpower',
  chargePointModel: 'Amos_EVG-32N',
  chargePointSerialNumber: '21509006',
  firmwareVersion: '2',
};

export interface OcppTestApp extends TestApp {
  /** ws://127.0.0.1:<port>/ocpp */
  endpoint: string;
  clients: RPCClient[];
}

/** The real app listening on a loopback port, so real ocpp-rpc clients can connect. */
export async function createOcppTestApp(opts: TestAppOptions = {}): Promise<OcppTestApp> {
  const t = await createTestApp(opts);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (t.app.server.address() as AddressInfo).port;
  const clients: RPCClient[] = [];
  return {
    ...t,
    endpoint: `ws://127.0.0.1:${port}/ocpp`,
    clients,
    async close() {
      await Promise.all(clients.map((c) => c.close({ force: true }).catch(() => undefined)));
      await t.close();
    },
  };
}

/** Registers a charger through the API as an admin would. */
export async function registerCharger(t: TestApp, id: string, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/chargers',
    headers: await t.as('admin'),
    payload: { id, secret: SECRET, ...extra },
  });
  if (res.statusCode !== 201) throw new Error(`register ${id}: ${res.statusCode} ${res.body}`);
}

/** A strict-mode OCPP 1.6 charge point (the real ocpp-rpc client), not yet connected. */
/** `password` null connects without HTTP Basic auth. */
export function chargePoint(
  t: OcppTestApp,
  id: string,
  password: string | null = SECRET,
  options: Record<string, unknown> = {},
): RPCClient {
  const client = new RPCClient({
    endpoint: t.endpoint,
    identity: id,
    ...(password !== null ? { password } : {}),
    protocols: ['ocpp1.6'],
    strictMode: true,
    reconnect: false,
    ...options,
  } as never);
  t.clients.push(client);
  return client;
}

/** Registers, connects and boots a charger; resolves once it is Accepted. */
export async function bootedCharger(t: OcppTestApp, id: string): Promise<RPCClient> {
  await registerCharger(t, id);
  const cp = chargePoint(t, id);
  await cp.connect();
  const boot = (await cp.call('BootNotification', BOOT)) as { status: string };
  if (boot.status !== 'Accepted') throw new Error(`boot ${id}: ${boot.status}`);
  return cp;
}

/** Resolves with the next published event that matches. */
export function nextEvent(t: TestApp, match: (e: ChargerEvent) => boolean, timeoutMs = 5000): Promise<ChargerEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('event not published in time'));
    }, timeoutMs);
    const off = t.app.events.subscribe((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

/** Sends a raw text frame and resolves with the next frame the server sends back, parsed. */
export function rawExchange(client: RPCClient, frame: string): Promise<unknown[]> {
  return new Promise((resolve) => {
    const onMessage = (e: { message: string; outbound: boolean }) => {
      if (e.outbound) return;
      client.off('message', onMessage);
      resolve(JSON.parse(e.message) as unknown[]);
    };
    client.on('message', onMessage);
    client.sendRaw(frame);
  });
}

/** The OCPP error code of a rejected call. */
export async function callError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { rpcErrorCode?: string }).rpcErrorCode ?? `not an RPC error: ${(err as Error).message}`;
  }
  throw new Error('the call succeeded');
}
