import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config.ts';

describe('config', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 8000);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.dataDir, './data');
    assert.equal(c.databaseUrl, undefined);
    assert.deepEqual(
      {
        ...c.db,
        handler: c.ocppHandlerTimeoutMs,
        request: c.requestTimeoutMs,
        shutdown: c.shutdownTimeoutMs,
        metricsPort: c.metricsPort,
        metricsHost: c.metricsHost,
      },
      {
        connectMs: 5000,
        queryMs: 10000,
        statementMs: 8000,
        idleInTransactionMs: 15000,
        idleMs: 30000,
        keepAliveDelayMs: 10000,
        handler: 15000,
        request: 15000,
        shutdown: 10000,
        metricsPort: undefined,
        metricsHost: '127.0.0.1',
      },
    );
    assert.equal(c.ocppMaxClockSkewSeconds, 300);
    assert.equal(loadConfig({ OCPP_MAX_CLOCK_SKEW_SECONDS: '60' }).ocppMaxClockSkewSeconds, 60);
    assert.deepEqual(c.trustProxy, []);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.1, fd00::/8' }).trustProxy, ['10.0.0.1', 'fd00::/8']);
    assert.equal(c.loadLeaderTtlMs, 5000);
    assert.equal(loadConfig({ LOAD_LEADER_TTL_MS: '3000' }).loadLeaderTtlMs, 3000);
    assert.equal(c.databasePoolSize, 10);
    assert.equal(loadConfig({ DATABASE_POOL_SIZE: '20' }).databasePoolSize, 20);
  });

  for (const [name, value, words] of [
    ['PORT', 'eighty', 'PORT must be an integer'],
    ['PORT', '70000', 'PORT must be between'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must start with postgres:'],
    ['REDIS_URL', 'not a url', 'REDIS_URL must be a URL'],
    ['SITE_TZ', 'Mars/Olympus', 'SITE_TZ must be an IANA time zone'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of'],
    ['OCPP_AUTO_REGISTER', 'maybe', 'OCPP_AUTO_REGISTER must be true or false'],
    ['DB_QUERY_TIMEOUT_MS', 'soon', 'DB_QUERY_TIMEOUT_MS must be an integer'],
    ['DB_STATEMENT_TIMEOUT_MS', '10000', 'DB_STATEMENT_TIMEOUT_MS must be below DB_QUERY_TIMEOUT_MS'],
    ['OCPP_HANDLER_TIMEOUT_MS', '0', 'OCPP_HANDLER_TIMEOUT_MS must be between'],
    ['REQUEST_TIMEOUT_MS', '-1', 'REQUEST_TIMEOUT_MS must be between'],
    ['SHUTDOWN_TIMEOUT_MS', '1e4', 'SHUTDOWN_TIMEOUT_MS must be an integer'],
    ['METRICS_PORT', '99999', 'METRICS_PORT must be between'],
    ['ALLOWED_ORIGINS', '*', 'ALLOWED_ORIGINS must list origins'],
    ['ALLOWED_ORIGINS', 'ops.example.com', 'ALLOWED_ORIGINS must list origins'],
    ['ALLOWED_ORIGINS', 'https://ops.example.com/', 'ALLOWED_ORIGINS must list origins'],
    ['ALLOWED_ORIGINS', 'https://ops.example.com/dashboard', 'ALLOWED_ORIGINS must list origins'],
    ['ALLOWED_ORIGINS', 'ftp://ops.example.com', 'ALLOWED_ORIGINS must list origins'],
    ['ALLOWED_ORIGINS', 'https://ok.example.com,null', 'ALLOWED_ORIGINS must list origins'],
    ['OCPP_MAX_CLOCK_SKEW_SECONDS', 'five', 'OCPP_MAX_CLOCK_SKEW_SECONDS must be an integer'],
    ['OCPP_MAX_CLOCK_SKEW_SECONDS', '0', 'OCPP_MAX_CLOCK_SKEW_SECONDS must be between 1 and 86400'],
    ['OCPP_MAX_CLOCK_SKEW_SECONDS', '90000', 'OCPP_MAX_CLOCK_SKEW_SECONDS must be between 1 and 86400'],
    ['TRUST_PROXY', 'proxy.local', 'TRUST_PROXY must be IP addresses or CIDR ranges'],
    ['TRUST_PROXY', '10.0.0.0/33', 'TRUST_PROXY must be IP addresses or CIDR ranges'],
    ['LOAD_LEADER_TTL_MS', '100', 'LOAD_LEADER_TTL_MS must be between 300 and 120000'],
    ['DATABASE_POOL_SIZE', '1', 'DATABASE_POOL_SIZE must be between 2 and 500'],
  ] as const) {
    it(`names ${name} when it is ${value}`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.equal(err.variable, name);
          assert.match(err.message, new RegExp(`^Invalid configuration: ${words}`));
          assert.ok(!err.message.includes('\n'), 'one line');
          return true;
        },
      );
    });
  }

  it('ALLOWED_ORIGINS is a list of origins as browsers send them (default port dropped, lower case)', () => {
    assert.deepEqual(loadConfig({}).allowedOrigins, []);
    assert.deepEqual(
      loadConfig({ ALLOWED_ORIGINS: 'HTTPS://Ops.Example.com:443, http://10.0.0.5:8000' }).allowedOrigins,
      ['https://ops.example.com', 'http://10.0.0.5:8000'],
    );
  });

  describe('alert e-mail (SMTP_URL, ALERT_EMAIL_TO, ALERT_EMAIL_FROM)', () => {
    const smtpUrl = 'smtp://ops:p%40ss-SECRET@mail.example.com:587';
    const fails = (env: Record<string, string>, variable: string, words: RegExp) =>
      assert.throws(
        () => loadConfig(env),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.equal(err.variable, variable);
          assert.match(err.message, words);
          assert.ok(!err.message.includes('SECRET'), 'the password is not quoted');
          return true;
        },
      );

    it('is off unless set; set, it has the recipients and a From on this host', () => {
      assert.equal(loadConfig({}).alertEmail, undefined);
      const c = loadConfig({ SMTP_URL: smtpUrl, ALERT_EMAIL_TO: 'ops@example.com, oncall@example.com' }).alertEmail;
      assert.deepEqual(c?.to, ['ops@example.com', 'oncall@example.com']);
      assert.match(c?.from ?? '', /^chargeops@\S+$/);
      const named = loadConfig({ SMTP_URL: smtpUrl, ALERT_EMAIL_TO: 'a@b.c', ALERT_EMAIL_FROM: 'Site 7 <alerts@b.c>' });
      assert.equal(named.alertEmail?.from, 'Site 7 <alerts@b.c>');
    });

    it('a malformed SMTP_URL or a missing half stops start-up, naming the variable', () => {
      const to = { ALERT_EMAIL_TO: 'ops@example.com' };
      fails({ ...to, SMTP_URL: 'mail.example.com:587' }, 'SMTP_URL', /SMTP_URL must (be a URL|start with)/);
      fails({ ...to, SMTP_URL: 'https://ops:SECRET@mail.example.com' }, 'SMTP_URL', /must start with smtp: or smtps:/);
      fails({ ...to, SMTP_URL: 'smtp://ops:SECRET%zz@mail.example.com' }, 'SMTP_URL', /malformed %-escape/);
      fails({ ...to, SMTP_URL: 'smtp://ops:SECRET@:587' }, 'SMTP_URL', /SMTP_URL must/);
      fails({ SMTP_URL: smtpUrl }, 'ALERT_EMAIL_TO', /must list the recipients/);
      fails({ SMTP_URL: smtpUrl, ALERT_EMAIL_TO: 'ops at example.com' }, 'ALERT_EMAIL_TO', /must be e-mail addresses/);
      fails({ SMTP_URL: smtpUrl, ...to, ALERT_EMAIL_FROM: 'chargeops' }, 'ALERT_EMAIL_FROM', /must be an address/);
      fails(to, 'SMTP_URL', /must be set when ALERT_EMAIL_TO is/);
    });
  });
});
