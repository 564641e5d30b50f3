import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as ws from 'ws';

/** ws's own Sec-WebSocket-Protocol parser (RFC 6455 §4.1 token list); @types/ws does not declare it. */
const subprotocol = (ws as unknown as { subprotocol: { parse(header: string): Set<string> } }).subprotocol;

/** RFC 6455 §4.1: the key is 16 random bytes, base64: 22 characters and '=='. */
const KEY = /^[+/0-9A-Za-z]{22}==$/;

export interface HandshakeFault {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

/**
 * The checks ws makes in handleUpgrade (RFC 6455 §4.2.1), made before any
 * endpoint runs: ocpp-rpc makes them only after its auth callback, so a
 * malformed handshake would otherwise cost a database read and a scrypt, and
 * a bad subprotocol list would surface from it as a 500 instead of a 400.
 */
export function handshakeFault(req: IncomingMessage): HandshakeFault | undefined {
  if (req.method !== 'GET') return { status: 405, message: 'WebSocket handshakes use GET' };
  if (req.headers.upgrade?.toLowerCase() !== 'websocket') return { status: 400, message: 'Invalid Upgrade header' };
  const key = req.headers['sec-websocket-key'];
  if (key === undefined || !KEY.test(key))
    return { status: 400, message: 'Missing or invalid Sec-WebSocket-Key header' };
  const version = req.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') {
    return {
      status: 400,
      message: 'Missing or invalid Sec-WebSocket-Version header',
      headers: { 'Sec-WebSocket-Version': '13, 8' },
    };
  }
  const protocols = req.headers['sec-websocket-protocol'];
  if (protocols !== undefined) {
    try {
      subprotocol.parse(protocols);
    } catch {
      return { status: 400, message: 'Invalid Sec-WebSocket-Protocol header' };
    }
  }
  return undefined;
}

/** The subprotocols a (checked) handshake offers. */
export function offeredProtocols(req: IncomingMessage): Set<string> {
  const header = req.headers['sec-websocket-protocol'];
  return header === undefined ? new Set() : subprotocol.parse(header);
}

/**
 * Answers a handshake with an HTTP error on the raw socket and closes it.
 * Never throws: the client may already have gone, and the socket may be
 * destroyed or half-closed by the time a refusal is decided.
 */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  message = STATUS_CODES[status] ?? 'Error',
  headers: Record<string, string> = {},
): void {
  try {
    if (socket.destroyed) return;
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const lines = Object.entries({
      Connection: 'close',
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(message)),
      ...headers,
    });
    const head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${lines.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
    // The HTTP server's sockets allow half-open: end() alone would leave a silent client holding it.
    socket.end(head + message, () => socket.destroy());
  } catch {
    socket.destroy();
  }
}
