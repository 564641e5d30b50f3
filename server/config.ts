import { DEFAULT_PG_TIMEOUTS, type PgTimeouts } from '../db/timeouts.ts';
import { HTTP_LIMIT_DEFAULTS } from './http-limits.ts';
import { isIP } from 'node:net';
import { hostname } from 'node:os';

/**
 * Configuration from environment variables, validated once at start.
 * A bad value stops start-up with one line naming the variable (docs/PRODUCT.md §2).
 */
export interface Config {
  /** HTTP and OCPP port (docs/PRODUCT.md §2). */
  port: number;
  /** Listen address; loopback by default so a fresh install is not exposed. */
  host: string;
  /** PGlite data directory when DATABASE_URL is unset. */
  dataDir: string;
  /** postgres://… switches from embedded PGlite to PostgreSQL. */
  databaseUrl: string | undefined;
  /**
   * PostgreSQL connections this process holds at most. Group commit takes up
   * to nine of them (server/ocpp/live-writes.ts, meter-writes.ts); the rest
   * serve StartTransaction, StopTransaction, Authorize, the load controller
   * and the API.
   */
  databasePoolSize: number;
  /** redis://… enables scale-out (command routing, event fan-out). */
  redisUrl: string | undefined;
  /**
   * With REDIS_URL: the lease that makes one process the site's load allocator
   * (server/load/leadership.ts), ms. Renewed every third of it, so a dead
   * leader is replaced within about 4/3 of it; shorter takes over sooner but
   * steps a leader down on shorter pauses (Redis's or its own, two thirds of it).
   */
  loadLeaderTtlMs: number;
  /** IANA zone that cuts days, months and years for the seed API. */
  siteTz: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Browser session lifetime. */
  sessionTtlHours: number;
  /** Mark cookies Secure (set when served behind HTTPS). */
  cookieSecure: boolean;
  /**
   * Origins (scheme://host[:port]) besides the request's own whose pages may
   * send cookie-authenticated writes and open /api/live: the public address
   * when a proxy rewrites Host or ends TLS (server/auth/same-origin.ts).
   */
  allowedOrigins: string[];
  /** Let unknown charge points connect and wait Pending for approval (docs/PRODUCT.md §5). */
  ocppAutoRegister: boolean;
  /** Heartbeat interval handed out in BootNotification.conf, seconds. */
  ocppHeartbeatInterval: number;
  /** A charger is offline after this many missed heartbeat intervals. */
  ocppOfflineAfterIntervals: number;
  /**
   * How often offline detection sweeps (server/ocpp/offline.ts), ms; 0: never by timer.
   * Tests set 0 and sweep themselves: a timer on real time over an injected clock would
   * mark a test's chargers offline whenever the machine is slow enough for it to fire.
   */
  ocppOfflineSweepMs: number;
  /** Where each alert raise and clear is POSTed as JSON (server/alerts/webhook.ts); unset: nowhere. */
  alertWebhookUrl: string | undefined;
  /** Where each alert raise and clear is e-mailed (server/alerts/email.ts); unset: nowhere. */
  alertEmail: AlertEmailConfig | undefined;
  /** How long a REST command waits for the charger's answer before 504. */
  ocppCommandTimeoutMs: number;
  /**
   * Cache battery look-ups in process, invalidated by this process's writes
   * (server/battery/lookup-cache.ts). Safe only with one process per database:
   * on by default with PGlite, off with DATABASE_URL unless set.
   */
  batteryLookupCache: boolean;
  /** WebSocket ping period; a charger that misses a pong by the next ping is dropped as dead. */
  ocppPingIntervalMs: number;
  /** DataTransfer vendorIds this system understands; others get UnknownVendorId (OCPP 1.6 §4.3). */
  ocppDataTransferVendors: string[];
  /** Live push (GET /api/live): ping interval; a client that leaves two pings unanswered is dropped. */
  livePingMs: number;
  /** Live push: a client whose unsent backlog passes this many bytes is too slow and is dropped. */
  liveMaxBufferBytes: number;
  /** PostgreSQL connection limits (db/client.ts PgTimeouts); unused with PGlite. */
  db: PgTimeouts;
  /** An OCPP handler past this answers CALLERROR InternalError and frees the charger's queue (ocpp/dispatch.ts). */
  ocppHandlerTimeoutMs: number;
  /** A REST request not answered by then gets 503 REQUEST_TIMEOUT with Retry-After (plugins/deadline.ts). */
  requestTimeoutMs: number;
  /** SIGTERM/SIGINT: the process exits by then whatever is still stuck (main.ts). */
  shutdownTimeoutMs: number;
  /** A second listener serving only /metrics without a token; undefined: none. */
  metricsPort: number | undefined;
  metricsHost: string;
  /** Slow clients and connection bounds (server/http-limits.ts explains each default). */
  limits: HttpLimits;
  /**
   * How far into the future a charger's timestamp may lie before it is
   * implausible and the receive time is used instead (the charger's own value
   * is kept beside it). Also the slack of the energy plausibility check.
   */
  ocppMaxClockSkewSeconds: number;
  /**
   * Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For names the
   * client. Empty: the socket's address is the client's. Behind a proxy this
   * must be set, or every client shares the proxy's address in the guessing
   * throttle's per-address cap (auth/failure-throttle.ts).
   */
  trustProxy: string[];
  /**
   * Whether this deployment may steer chargers at all (server/load/, docs/LOAD.md).
   * blncurrentdistribution is the operator's switch; false keeps every
   * charging profile unsent whatever it says (a site steered by a building
   * energy manager, or commissioning), and GET /api/load shows every session unmanaged.
   */
  loadControl: boolean;
  /** A TxProfile's duration (the lease), seconds; renewed at half-life; also the TxDefaultProfile's 0 A hold (docs/LOAD.md). */
  loadLeaseSeconds: number;
  /** How long the load controller waits for a charger to answer a profile before counting it at its maxCurrent. */
  loadCommandTimeoutMs: number;
  /** The OCPP message log (server/ocpp/message-log/, docs/OPERATIONS.md "OCPP message log"). */
  messageLog: MessageLogConfig;
}

export interface AlertEmailConfig {
  /** SMTP_URL: smtp://[user:pass@]host[:port] (STARTTLS when offered) or smtps:// (TLS); holds the password: never log it. */
  smtpUrl: string;
  /** ALERT_EMAIL_TO: the recipients. */
  to: string[];
  /** ALERT_EMAIL_FROM: `addr` or `Name <addr>`; default chargeops@<hostname>. */
  from: string;
}

export interface MessageLogConfig {
  /** MESSAGE_LOG: every frame of every charger logged (default on). */
  enabled: boolean;
  /** Rows older than this many days are pruned. */
  retentionDays: number;
  /** A charger's rows beyond its newest this many are pruned. */
  maxRowsPerCharger: number;
  /** Frames waiting to be written beyond this are dropped and counted (chargeops_message_log_dropped_total). */
  queueMaxRows: number;
  /** The same bound in characters, so a run of 1 MB frames cannot fill memory. */
  queueMaxChars: number;
  /** How long the first frame of a batch waits for others before the insert. */
  flushMs: number;
}

export interface HttpLimits {
  /** A request's headers must have arrived within this (Node http headersTimeout). */
  headersTimeoutMs: number;
  /** The whole request, body included, must have arrived within this (Node http requestTimeout). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection between requests is closed after this. */
  keepAliveTimeoutMs: number;
  /** An HTTP connection with no traffic either way is closed after this (not an open WebSocket). */
  idleTimeoutMs: number;
  /** A WebSocket handshake not accepted or refused within this is answered 503 and closed. */
  handshakeTimeoutMs: number;
  /** Open TCP connections (WebSockets included); beyond it new ones are dropped at accept. */
  maxConnections: number;
  /** WebSocket handshakes in progress from one remote address; beyond it 429 with Retry-After. */
  maxPendingHandshakesPerAddress: number;
  /** OCPP handshakes in progress in this process; beyond it 503 with Retry-After. */
  maxPendingOcppHandshakes: number;
  /** Connections the kernel holds for the process to accept (listen backlog; Linux caps it at net.core.somaxconn). */
  listenBacklog: number;
}

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
  }
}

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer (got "${raw}")`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max} (got ${n})`);
  return n;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return def;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false (got "${env[name]}")`);
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL (${protocols.join(' or ')})`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(name, `must start with ${protocols.join(' or ')}`);
  return raw;
}

function timeZone(env: Env, name: string): string {
  const raw = env[name];
  const zone = raw === undefined || raw === '' ? Intl.DateTimeFormat().resolvedOptions().timeZone : raw;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new ConfigError(name, `must be an IANA time zone such as Asia/Shanghai (got "${raw}")`);
  }
  return zone;
}

/** A comma-separated list of web origins, each exactly scheme://host[:port], normalised as browsers send them. */
function origins(env: Env, name: string): string[] {
  const out: string[] = [];
  for (const item of (env[name] ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(item);
    } catch {
      parsed = undefined;
    }
    const bare =
      parsed &&
      (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
      !parsed.username &&
      !parsed.password &&
      parsed.pathname === '/' &&
      !parsed.search &&
      !parsed.hash &&
      !item.endsWith('/');
    if (!parsed || !bare)
      throw new ConfigError(
        name,
        `must list origins like https://ops.example.com or http://10.0.0.5:8000, comma-separated, without path or trailing slash (got "${item}")`,
      );
    out.push(parsed.origin);
  }
  return out;
}

/** Comma-separated IP addresses or CIDR ranges (`10.0.0.0/8`, `fd00::/8`). */
function proxies(env: Env, name: string): string[] {
  const entries = (env[name] ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const max = family === 6 ? 128 : 32;
    const badPrefix = prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max);
    if (!family || badPrefix || extra !== undefined)
      throw new ConfigError(name, `must be IP addresses or CIDR ranges, comma-separated (got "${entry}")`);
  }
  return entries;
}

const EMAIL = /^[^\s@<>,"]+@[^\s@<>,"]+$/;

/**
 * SMTP_URL with ALERT_EMAIL_TO (either alone is a mistake, not a wish for no
 * e-mail) and ALERT_EMAIL_FROM. Messages never quote SMTP_URL: it holds the password.
 */
function alertEmail(env: Env): AlertEmailConfig | undefined {
  const smtpUrl = url(env, 'SMTP_URL', ['smtp:', 'smtps:']);
  const to = (env.ALERT_EMAIL_TO ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (!smtpUrl) {
    if (to.length > 0) throw new ConfigError('SMTP_URL', 'must be set when ALERT_EMAIL_TO is');
    return undefined;
  }
  const parsed = new URL(smtpUrl);
  if (!parsed.hostname) throw new ConfigError('SMTP_URL', 'must name a host: smtp://user:pass@host:587 or smtps://…');
  try {
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
  } catch {
    throw new ConfigError('SMTP_URL', 'has a malformed %-escape in its user or password');
  }
  if (to.length === 0)
    throw new ConfigError('ALERT_EMAIL_TO', 'must list the recipients, comma-separated, when SMTP_URL is set');
  for (const addr of to)
    if (!EMAIL.test(addr))
      throw new ConfigError('ALERT_EMAIL_TO', `must be e-mail addresses, comma-separated (got "${addr}")`);
  const from = env.ALERT_EMAIL_FROM?.trim() || `chargeops@${hostname()}`;
  const fromAddr = /^[^<>]*<([^<>]+)>$/.exec(from)?.[1] ?? from;
  if (!EMAIL.test(fromAddr))
    throw new ConfigError('ALERT_EMAIL_FROM', `must be an address or Name <address> (got "${from}")`);
  return { smtpUrl, to, from };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env): Config {
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  const host = env.HOST || '127.0.0.1';
  const d = DEFAULT_PG_TIMEOUTS;
  const db: PgTimeouts = {
    connectMs: int(env, 'DB_CONNECT_TIMEOUT_MS', d.connectMs, 100, 600_000),
    queryMs: int(env, 'DB_QUERY_TIMEOUT_MS', d.queryMs, 100, 3_600_000),
    statementMs: int(env, 'DB_STATEMENT_TIMEOUT_MS', d.statementMs, 100, 3_600_000),
    idleInTransactionMs: int(env, 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', d.idleInTransactionMs, 100, 3_600_000),
    idleMs: int(env, 'DB_IDLE_TIMEOUT_MS', d.idleMs, 100, 3_600_000),
    keepAliveDelayMs: int(env, 'DB_KEEPALIVE_DELAY_MS', d.keepAliveDelayMs, 1_000, 3_600_000),
  };
  // The server cancels a slow statement and answers (the connection stays
  // usable); the client-side deadline is for when no answer can come at all.
  if (db.statementMs >= db.queryMs) {
    throw new ConfigError('DB_STATEMENT_TIMEOUT_MS', `must be below DB_QUERY_TIMEOUT_MS (${db.queryMs})`);
  }
  const metricsPort = env.METRICS_PORT ? int(env, 'METRICS_PORT', 0, 0, 65535) : undefined;
  const ocppCommandTimeoutMs = int(env, 'OCPP_COMMAND_TIMEOUT_MS', 30000, 100, 600000);
  return {
    port: int(env, 'PORT', 8000, 0, 65535),
    host,
    dataDir: env.DATA_DIR || './data',
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 2, 500),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    // 5 s: the "takeover within seconds" (at most ~6.7 s after a crash),
    // while a renewal every 1.7 s is nothing for Redis.
    loadLeaderTtlMs: int(env, 'LOAD_LEADER_TTL_MS', 5_000, 300, 120_000),
    siteTz: timeZone(env, 'SITE_TZ'),
    logLevel,
    sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 90),
    cookieSecure: bool(env, 'COOKIE_SECURE', false),
    allowedOrigins: origins(env, 'ALLOWED_ORIGINS'),
    ocppAutoRegister: bool(env, 'OCPP_AUTO_REGISTER', false),
    ocppHeartbeatInterval: int(env, 'OCPP_HEARTBEAT_INTERVAL', 300, 1, 86400),
    ocppOfflineAfterIntervals: int(env, 'OCPP_OFFLINE_AFTER_INTERVALS', 3, 1, 100),
    ocppOfflineSweepMs: int(env, 'OCPP_OFFLINE_SWEEP_MS', 30_000, 0, 3_600_000),
    alertWebhookUrl: url(env, 'ALERT_WEBHOOK_URL', ['http:', 'https:']),
    alertEmail: alertEmail(env),
    ocppCommandTimeoutMs,
    // Safe only while this process is the registry's one writer: REDIS_URL means several processes.
    batteryLookupCache: bool(env, 'BATTERY_LOOKUP_CACHE', !env.REDIS_URL),
    ocppPingIntervalMs: int(env, 'OCPP_PING_INTERVAL_MS', 30000, 100, 600000),
    ocppDataTransferVendors: (env.OCPP_DATA_TRANSFER_VENDORS ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
    livePingMs: int(env, 'LIVE_PING_MS', 30000, 10, 600000),
    liveMaxBufferBytes: int(env, 'LIVE_MAX_BUFFER_BYTES', 1024 * 1024, 1024, 256 * 1024 * 1024),
    db,
    ocppHandlerTimeoutMs: int(env, 'OCPP_HANDLER_TIMEOUT_MS', 15_000, 50, 600_000),
    requestTimeoutMs: int(env, 'REQUEST_TIMEOUT_MS', 15_000, 50, 600_000),
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 500, 600_000),
    metricsPort,
    metricsHost: env.METRICS_HOST || '127.0.0.1',
    limits: loadLimits(env, ocppCommandTimeoutMs),
    // 5 minutes: a quartz clock off NTP drifts about 2 s a day, so a charger that has not
    // synchronised for months is still within it, and a stamp a few minutes ahead
    // moves a session by no more than that; at most a day, beyond which nothing is checked.
    ocppMaxClockSkewSeconds: int(env, 'OCPP_MAX_CLOCK_SKEW_SECONDS', 300, 1, 86400),
    trustProxy: proxies(env, 'TRUST_PROXY'),
    loadControl: bool(env, 'LOAD_CONTROL', true),
    // 10 minutes: long enough that renewals every 5 minutes cost little, short
    // enough that a stopped chargeops leaves chargers at the safe default soon.
    loadLeaseSeconds: int(env, 'LOAD_LEASE_SECONDS', 600, 10, 86400),
    loadCommandTimeoutMs: int(env, 'LOAD_COMMAND_TIMEOUT_MS', 10_000, 100, 600_000),
    messageLog: {
      enabled: bool(env, 'MESSAGE_LOG', true),
      retentionDays: int(env, 'MESSAGE_LOG_RETENTION_DAYS', 7, 1, 3650),
      // 200,000: a charger sending a meter value a minute with heartbeats logs about 4,000 frames a day.
      maxRowsPerCharger: int(env, 'MESSAGE_LOG_MAX_ROWS_PER_CHARGER', 200_000, 100, 100_000_000),
      queueMaxRows: int(env, 'MESSAGE_LOG_QUEUE_MAX_ROWS', 20_000, 100, 10_000_000),
      queueMaxChars: int(env, 'MESSAGE_LOG_QUEUE_MAX_CHARS', 32 * 1024 * 1024, 1024 * 1024, 4 * 1024 * 1024 * 1024),
      flushMs: int(env, 'MESSAGE_LOG_FLUSH_MS', 250, 1, 10_000),
    },
  };
}

function loadLimits(env: Env, ocppCommandTimeoutMs: number): HttpLimits {
  const d = HTTP_LIMIT_DEFAULTS;
  const limits: HttpLimits = {
    headersTimeoutMs: int(env, 'HTTP_HEADERS_TIMEOUT_MS', d.headersTimeoutMs, 100, 600_000),
    requestTimeoutMs: int(env, 'HTTP_REQUEST_TIMEOUT_MS', d.requestTimeoutMs, 100, 3_600_000),
    keepAliveTimeoutMs: int(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', d.keepAliveTimeoutMs, 100, 600_000),
    idleTimeoutMs: int(
      env,
      'HTTP_IDLE_TIMEOUT_MS',
      Math.max(d.idleTimeoutMs, ocppCommandTimeoutMs + 30_000),
      100,
      3_600_000,
    ),
    handshakeTimeoutMs: int(env, 'WS_HANDSHAKE_TIMEOUT_MS', d.handshakeTimeoutMs, 100, 600_000),
    maxConnections: int(env, 'HTTP_MAX_CONNECTIONS', d.maxConnections, 1, 1_000_000),
    maxPendingHandshakesPerAddress: int(
      env,
      'WS_MAX_PENDING_PER_ADDRESS',
      d.maxPendingHandshakesPerAddress,
      1,
      100_000,
    ),
    maxPendingOcppHandshakes: int(env, 'OCPP_MAX_PENDING_HANDSHAKES', d.maxPendingOcppHandshakes, 1, 100_000),
    listenBacklog: int(env, 'HTTP_LISTEN_BACKLOG', d.listenBacklog, 1, 65_535),
  };
  // Node refuses a headers timeout longer than the request timeout it is part of.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError(
      'HTTP_HEADERS_TIMEOUT_MS',
      `must not exceed HTTP_REQUEST_TIMEOUT_MS (${limits.headersTimeoutMs} > ${limits.requestTimeoutMs})`,
    );
  }
  // A REST command waits silently for the charger's answer: the idle timeout must not cut it off first.
  if (limits.idleTimeoutMs <= ocppCommandTimeoutMs) {
    throw new ConfigError(
      'HTTP_IDLE_TIMEOUT_MS',
      `must exceed OCPP_COMMAND_TIMEOUT_MS (${limits.idleTimeoutMs} <= ${ocppCommandTimeoutMs})`,
    );
  }
  return limits;
}

/** A config for tests and tools: defaults, then overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // Deadlines are latency targets for production; on a shared test machine a
  // burst of concurrent requests may take longer without anything being stuck,
  // so tests get far ones unless they test the deadlines themselves.
  // Load control is off unless a test turns it on (test/server/load/): other
  // tests' chargers would otherwise receive charging profiles they do not expect.
  const env = {
    SITE_TZ: 'Asia/Shanghai',
    LOG_LEVEL: 'silent',
    REQUEST_TIMEOUT_MS: '120000',
    OCPP_HANDLER_TIMEOUT_MS: '120000',
    LOAD_CONTROL: 'false',
    OCPP_OFFLINE_SWEEP_MS: '0',
  };
  return { ...loadConfig(env), ...overrides };
}
