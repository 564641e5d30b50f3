import WebSocket from 'ws';

/**
 * One OCPP WebSocket handshake with a raw `ws` client from a chosen loopback
 * address (Linux answers on all of 127.0.0.0/8, so 127.0.0.2 is "another
 * address"). Resolves with the HTTP status: 101 when the upgrade was
 * accepted (the socket is then closed cleanly), otherwise the refusal code.
 * `secret` null sends no Authorization header.
 */
export async function handshake(
  endpoint: string,
  id: string,
  secret: string | null,
  from = '127.0.0.1',
  extraHeaders: Record<string, string> = {},
): Promise<number> {
  return (await handshakeAnswer(endpoint, id, secret, from, extraHeaders)).status;
}

/** The same, with the refusal's body (ocpp-rpc puts its message there; the status line is the standard text). */
export function handshakeAnswer(
  endpoint: string,
  id: string,
  secret: string | null,
  from = '127.0.0.1',
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      ...extraHeaders,
      ...(secret === null ? {} : { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` }),
    };
    const ws = new WebSocket(`${endpoint}/${encodeURIComponent(id)}`, ['ocpp1.6'], { headers, localAddress: from });
    ws.once('open', () => {
      ws.once('close', () => resolve({ status: 101, body: '' }));
      ws.close(1000);
    });
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.once('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    ws.once('error', (err) => reject(err));
  });
}
