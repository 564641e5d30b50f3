import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  /** The status code of the first response line, or 0 when the server closed without answering. */
  status: number;
  /** Everything the server sent before closing (or before `untilHead` was satisfied). */
  text: string;
}

/**
 * Opens a TCP connection, writes `request` exactly as given (no HTTP library
 * repairs or rejects it first) and resolves with the server's first answer:
 * once the response head is complete (the socket is then destroyed), or
 * when the server closes. A successful WebSocket upgrade (101) resolves too.
 */
export function rawRequest(port: number, request: string | Buffer, from?: string): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', ...(from ? { localAddress: from } : {}) });
    let text = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text });
    };
    socket.on('connect', () => socket.write(request));
    socket.on('data', (b: Buffer) => {
      text += b.toString('latin1');
      if (text.includes('\r\n\r\n')) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
  });
}

/**
 * A TCP connection that writes `first` and then stays open (from `from`, a
 * loopback address such as 127.0.0.2, to look like another client); `closed`
 * resolves with all the server sent once it hangs up.
 */
export function heldRequest(
  port: number,
  first: string,
  from?: string,
): { socket: Socket; opened: Promise<void>; closed: Promise<string> } {
  const socket = connect({ port, host: '127.0.0.1', ...(from ? { localAddress: from } : {}) });
  let text = '';
  socket.on('data', (b: Buffer) => (text += b.toString('latin1')));
  const opened = new Promise<void>((resolve) => socket.once('connect', () => socket.write(first, () => resolve())));
  const closed = new Promise<string>((resolve) => {
    socket.on('error', () => undefined);
    socket.once('close', () => resolve(text));
  });
  return { socket, opened, closed };
}

/** A syntactically valid WebSocket upgrade request for `path`; `headers` adds or replaces (null removes). */
export function upgradeRequest(path: string, headers: Record<string, string | null> = {}): string {
  const base: Record<string, string | null> = {
    Host: '127.0.0.1',
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    ...headers,
  };
  const lines = Object.entries(base)
    .filter((e): e is [string, string] => e[1] !== null)
    .map(([k, v]) => `${k}: ${v}`);
  return `GET ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}
