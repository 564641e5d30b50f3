import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { httpServerOptions } from '../../server/http-limits.ts';

describe('HTTP limits configuration', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(loadConfig({}).limits, {
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 72_000,
      idleTimeoutMs: 120_000,
      handshakeTimeoutMs: 20_000,
      maxConnections: 20_000,
      maxPendingHandshakesPerAddress: 64,
      maxPendingOcppHandshakes: 256,
      listenBacklog: 4096,
    });
  });

  it('reads every variable', () => {
    const l = loadConfig({
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_REQUEST_TIMEOUT_MS: '2000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '3000',
      HTTP_IDLE_TIMEOUT_MS: '40000',
      WS_HANDSHAKE_TIMEOUT_MS: '5000',
      HTTP_MAX_CONNECTIONS: '6',
      WS_MAX_PENDING_PER_ADDRESS: '7',
      OCPP_MAX_PENDING_HANDSHAKES: '8',
      OCPP_COMMAND_TIMEOUT_MS: '9000',
      HTTP_LISTEN_BACKLOG: '10',
    }).limits;
    assert.deepEqual(l, {
      headersTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      keepAliveTimeoutMs: 3000,
      idleTimeoutMs: 40_000,
      handshakeTimeoutMs: 5000,
      maxConnections: 6,
      maxPendingHandshakesPerAddress: 7,
      maxPendingOcppHandshakes: 8,
      listenBacklog: 10,
    });
  });

  it('keeps the default idle timeout above a long command timeout', () => {
    assert.equal(loadConfig({ OCPP_COMMAND_TIMEOUT_MS: '300000' }).limits.idleTimeoutMs, 330_000);
  });

  for (const [env, variable, words] of [
    [{ HTTP_MAX_CONNECTIONS: '0' }, 'HTTP_MAX_CONNECTIONS', 'must be between'],
    [{ WS_MAX_PENDING_PER_ADDRESS: 'lots' }, 'WS_MAX_PENDING_PER_ADDRESS', 'must be an integer'],
    [{ HTTP_HEADERS_TIMEOUT_MS: '70000' }, 'HTTP_HEADERS_TIMEOUT_MS', 'must not exceed HTTP_REQUEST_TIMEOUT_MS'],
    [{ HTTP_IDLE_TIMEOUT_MS: '30000' }, 'HTTP_IDLE_TIMEOUT_MS', 'must exceed OCPP_COMMAND_TIMEOUT_MS'],
  ] as const) {
    it(`names ${variable} for ${JSON.stringify(env)}`, () => {
      assert.throws(
        () => loadConfig(env),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.equal(err.variable, variable);
          assert.match(err.message, new RegExp(`^Invalid configuration: ${variable} ${words}`));
          return true;
        },
      );
    });
  }

  it('checks for expired requests often enough to close them within 1.25x their bound', () => {
    const o = httpServerOptions(loadConfig({}).limits);
    assert.equal(o.http.connectionsCheckingInterval, 2500);
    assert.equal(o.requestTimeout, 60_000);
    assert.equal(o.http.headersTimeout, 10_000);
  });
});
