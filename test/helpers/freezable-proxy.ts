import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP proxy between the app and PostgreSQL that a test controls. While
 * frozen it forwards nothing in either direction and closes nothing: bytes
 * wait in the proxy, like packets of a black-holed route (a fail-over behind
 * a virtual IP, a dropped NAT entry: no RST, no FIN). Thawed, it delivers what
 * waited, then any close that happened meanwhile. `refuse()` resets every
 * connection and stops listening, so new ones are refused (ECONNREFUSED): a
 * database that is down.
 */
export interface FreezableProxy {
  /** postgres://… of `targetUrl` with host and port replaced by the proxy's. */
  url: string;
  freeze(): void;
  thaw(): void;
  refuse(): Promise<void>;
  /** Connections currently open through the proxy. */
  readonly open: number;
  close(): Promise<void>;
}

interface Pair {
  down: Socket;
  up: Socket;
}

export async function startFreezableProxy(targetUrl: string): Promise<FreezableProxy> {
  const target = new URL(targetUrl);
  const pairs = new Set<Pair>();
  let frozen = false;
  const waiting: (() => void)[] = [];
  const whenThawed = (fn: () => void) => (frozen ? waiting.push(fn) : fn());

  const pipe = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => whenThawed(() => to.write(chunk)));
    from.on('end', () => whenThawed(() => to.end()));
    from.on('close', () => whenThawed(() => to.destroy()));
    from.on('error', () => {});
  };

  const server = createServer((down) => {
    const up = connect(Number(target.port || 5432), target.hostname);
    const pair = { down, up };
    pairs.add(pair);
    pipe(down, up);
    pipe(up, down);
    const forget = () => {
      if (down.destroyed && up.destroyed) pairs.delete(pair);
    };
    down.on('close', forget);
    up.on('close', forget);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);

  return {
    url: url.toString(),
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const fn of waiting.splice(0)) fn();
    },
    async refuse() {
      for (const p of pairs) {
        p.down.resetAndDestroy();
        p.up.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    get open() {
      return [...pairs].filter((p) => !p.down.destroyed).length;
    },
    async close() {
      frozen = false;
      waiting.length = 0;
      for (const p of pairs) {
        p.down.destroy();
        p.up.destroy();
      }
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
