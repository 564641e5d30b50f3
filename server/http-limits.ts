import type { HttpLimits } from './config.ts';

/**
 * Defaults for slow clients and connection bounds, sized for one process
 * serving a 10,000-charger site (each charger holds one long-lived OCPP
 * WebSocket) plus its dashboards. Which limit meets which traffic:
 *
 * - Header, request and idle timeouts bound plain HTTP only: Node's checks
 *   stop at the upgrade, and ws clears the idle timeout once a WebSocket is
 *   open, so a charger's quiet socket is never cut by them (dead chargers are
 *   found by the OCPP ping instead).
 * - The handshake timeout and the two pending caps bound the window between
 *   the upgrade request and its answer, where ocpp-rpc's auth callback runs
 *   scrypt (~50 ms of a libuv thread per cold secret).
 * - The connection cap counts every TCP connection, open WebSockets included.
 */
export const HTTP_LIMIT_DEFAULTS: HttpLimits = {
  // Honest clients send their headers in one packet; 10 s is generous even over a poor mobile link.
  headersTimeoutMs: 10_000,
  // The largest body is 1 MiB (bodyLimit, a battery import): 60 s allows ~17 KiB/s, far below any real link.
  requestTimeoutMs: 60_000,
  // Above the 60 s idle timeout of common reverse proxies, so the proxy closes first and never
  // sends on a connection we are closing (Fastify's own default for the same reason).
  keepAliveTimeoutMs: 72_000,
  // A request waits silently for a charger's answer up to OCPP_COMMAND_TIMEOUT_MS (30 s by
  // default); config.ts keeps this at least 30 s above that.
  idleTimeoutMs: 120_000,
  // ocpp-rpc's clients give up on a handshake after 10-30 s; answering before that lets them retry sooner.
  handshakeTimeoutMs: 20_000,
  // 10,000 chargers + dashboards, with room for a reconnect storm in which a charger's new
  // socket arrives before its dead old one is replaced or pinged out: twice the fleet.
  maxConnections: 20_000,
  // A site's chargers often share one NAT address (or every charger comes through one reverse
  // proxy), so this must not cap a site: it caps handshakes *in progress*, not connections.
  // 64 in flight is more than scrypt's four libuv threads can work on, so a NAT'ed site that
  // reconnects at once gets in as fast as without the cap (the refused retry on their own
  // back-off), while one hostile address cannot fill the global bound below.
  maxPendingHandshakesPerAddress: 64,
  // After a restart every charger reconnects at once. One with a stored fast secret check
  // (auth/fast-secret-check.ts) is through in microseconds; one without (never connected since
  // the upgrade that added them) pays scrypt (~20 per second on two cores), and
  // auth/scrypt-gate.ts refuses those beyond a 5 s expected wait. Beyond this bound a 503 with
  // Retry-After tells chargers to come back instead of timing out in a queue.
  maxPendingOcppHandshakes: 256,
  // A reconnect storm's connections wait in the kernel's accept queue while the event loop
  // works. Node's default of 511 is half a second of 10,000 chargers reconnecting within 10 s;
  // beyond it the kernel drops their SYNs (or, with syncookies, resets them) and each charger
  // waits out its SYN retransmits (1 s, 3 s, 7 s, ...) or its own timeout. Linux caps the
  // value at net.core.somaxconn (4096 by default since 5.4).
  listenBacklog: 4096,
};

/**
 * The Fastify (and through `http`, Node http.Server) options that apply the
 * timeouts. Node looks for expired headers and requests only every
 * `connectionsCheckingInterval` (30 s by default), so it is set to a quarter
 * of the shorter timeout: a half-sent request is closed within 1.25× its bound.
 */
export function httpServerOptions(limits: HttpLimits) {
  const check = Math.min(
    30_000,
    Math.max(10, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)),
  );
  return {
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: check },
  };
}
