import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP proxy between the app and PostgreSQL that a test controls. A frozen
 * connection forwards nothing in either direction and closes nothing: bytes
 * wait in the proxy, like packets on a black-holed route (a fail-over behind
 * a virtual IP, a dropped NAT entry: no RST, no FIN). Thawed, it delivers what
 * waited, then any close that happened meanwhile.
 */
export interface FreezableProxy {
  /** postgres://… of the target with host and port replaced by the proxy's. */
  url: string;
  /** Freezes every connection, open or opened later, until thaw(). */
  freeze(): void;
  /** Freezes the connections open now for good; new ones flow (the virtual IP moved to a new primary). */
  blackHoleOpen(): void;
  thaw(): void;
  /** Resets every connection and stops listening: new ones are refused (ECONNREFUSED), a database that is down. */
  refuse(): Promise<void>;
  close(): Promise<void>;
}

class Pair {
  frozen = false;
  private readonly waiting: (() => void)[] = [];
  constructor(
    readonly down: Socket,
    readonly up: Socket,
  ) {
    this.pipe(down, up);
    this.pipe(up, down);
  }
  private pipe(from: Socket, to: Socket) {
    from.on('data', (chunk: Buffer) => this.later(() => to.write(chunk)));
    from.on('end', () => this.later(() => to.end()));
    from.on('close', () => this.later(() => to.destroy()));
    from.on('error', () => {});
  }
  private later(fn: () => void) {
    if (this.frozen) this.waiting.push(fn);
    else fn();
  }
  thaw() {
    this.frozen = false;
    for (const fn of this.waiting.splice(0)) fn();
  }
  destroy() {
    this.waiting.length = 0;
    this.down.resetAndDestroy();
    this.up.destroy();
  }
}

export async function startFreezableProxy(targetUrl: string): Promise<FreezableProxy> {
  const target = new URL(targetUrl);
  const pairs = new Set<Pair>();
  let frozenAll = false;

  const server = createServer((down) => {
    const pair = new Pair(down, connect(Number(target.port || 5432), target.hostname));
    pair.frozen = frozenAll;
    pairs.add(pair);
    const forget = () => {
      if (pair.down.destroyed && pair.up.destroyed) pairs.delete(pair);
    };
    pair.down.on('close', forget);
    pair.up.on('close', forget);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  const stop = () =>
    server.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();

  return {
    url: url.toString(),
    freeze() {
      frozenAll = true;
      for (const p of pairs) p.frozen = true;
    },
    blackHoleOpen() {
      for (const p of pairs) p.frozen = true;
    },
    thaw() {
      frozenAll = false;
      for (const p of pairs) p.thaw();
    },
    async refuse() {
      for (const p of pairs) p.destroy();
      await stop();
    },
    async close() {
      for (const p of pairs) p.destroy();
      await stop();
    },
  };
}
