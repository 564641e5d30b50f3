import { isIP } from 'node:net';

/**
 * Configuration from environment variables, validated once at start.
 * A bad value stops start-up with one line naming the variable (SPEC §2).
 */
export interface Config {
  /** HTTP and OCPP port (SPEC §2). */
  port: number;
  /** Listen address; loopback by default so a fresh install is not exposed. */
  host: string;
  /** PGlite data directory when DATABASE_URL is unset. */
  dataDir: string;
  /** postgres://… switches from embedded PGlite to PostgreSQL. */
  databaseUrl: string | undefined;
  /** redis://… enables scale-out (command routing, event fan-out). */
  redisUrl: string | undefined;
  /** IANA zone that cuts days, months and years for the seed API. */
  siteTz: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Browser session lifetime. */
  sessionTtlHours: number;
  /** Mark cookies Secure (set when served behind HTTPS). */
  cookieSecure: boolean;
  /** Let unknown charge points connect and wait Pending for approval (SPEC §5). */
  ocppAutoRegister: boolean;
  /** Heartbeat interval handed out in BootNotification.conf, seconds. */
  ocppHeartbeatInterval: number;
  /** A charger is offline after this many missed heartbeat intervals. */
  ocppOfflineAfterIntervals: number;
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
  /**
   * Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For names the
   * client. Empty: the socket's address is the client's. Behind a proxy this
   * must be set, or every client shares the proxy's address in the guessing
   * throttle's per-address cap (auth/failure-throttle.ts).
   */
  trustProxy: string[];
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

/** Comma-separated IP addresses or CIDR ranges (`10.0.0.0/8`, `fd00::/8`). */
function proxies(env: Env, name: string): string[] {
  const entries = (env[name] ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const max = family === 6 ? 128 : 32;
    const badPrefix = prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max);
    if (!family || badPrefix || extra !== undefined) throw new ConfigError(name, `must be IP addresses or CIDR ranges, comma-separated (got "${entry}")`);
  }
  return entries;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env): Config {
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  const host = env.HOST || '127.0.0.1';
  return {
    port: int(env, 'PORT', 8000, 0, 65535),
    host,
    dataDir: env.DATA_DIR || './data',
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    siteTz: timeZone(env, 'SITE_TZ'),
    logLevel,
    sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 90),
    cookieSecure: bool(env, 'COOKIE_SECURE', false),
    ocppAutoRegister: bool(env, 'OCPP_AUTO_REGISTER', false),
    ocppHeartbeatInterval: int(env, 'OCPP_HEARTBEAT_INTERVAL', 300, 1, 86400),
    ocppOfflineAfterIntervals: int(env, 'OCPP_OFFLINE_AFTER_INTERVALS', 3, 1, 100),
    ocppCommandTimeoutMs: int(env, 'OCPP_COMMAND_TIMEOUT_MS', 30000, 100, 600000),
    // Safe only while this process is the registry's one writer: REDIS_URL means several processes.
    batteryLookupCache: bool(env, 'BATTERY_LOOKUP_CACHE', !env.REDIS_URL),
    ocppPingIntervalMs: int(env, 'OCPP_PING_INTERVAL_MS', 30000, 100, 600000),
    ocppDataTransferVendors: (env.OCPP_DATA_TRANSFER_VENDORS ?? '').split(',').map((v) => v.trim()).filter(Boolean),
    livePingMs: int(env, 'LIVE_PING_MS', 30000, 10, 600000),
    liveMaxBufferBytes: int(env, 'LIVE_MAX_BUFFER_BYTES', 1024 * 1024, 1024, 256 * 1024 * 1024),
    trustProxy: proxies(env, 'TRUST_PROXY'),
  };
}

/** A config for tests and tools: defaults, then overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ SITE_TZ: 'Asia/Shanghai', LOG_LEVEL: 'silent' }), ...overrides };
}
