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
    assert.equal(c.ocppMaxClockSkewSeconds, 300);
    assert.equal(loadConfig({ OCPP_MAX_CLOCK_SKEW_SECONDS: '60' }).ocppMaxClockSkewSeconds, 60);
  });

  for (const [name, value, words] of [
    ['PORT', 'eighty', 'PORT must be an integer'],
    ['PORT', '70000', 'PORT must be between'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must start with postgres:'],
    ['REDIS_URL', 'not a url', 'REDIS_URL must be a URL'],
    ['SITE_TZ', 'Mars/Olympus', 'SITE_TZ must be an IANA time zone'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of'],
    ['OCPP_AUTO_REGISTER', 'maybe', 'OCPP_AUTO_REGISTER must be true or false'],
    ['OCPP_MAX_CLOCK_SKEW_SECONDS', 'five', 'OCPP_MAX_CLOCK_SKEW_SECONDS must be an integer'],
    ['OCPP_MAX_CLOCK_SKEW_SECONDS', '0', 'OCPP_MAX_CLOCK_SKEW_SECONDS must be between 1 and 86400'],
    ['OCPP_MAX_CLOCK_SKEW_SECONDS', '90000', 'OCPP_MAX_CLOCK_SKEW_SECONDS must be between 1 and 86400'],
  ] as const) {
    it(`names ${name} when it is ${value}`, () => {
      assert.throws(() => loadConfig({ [name]: value }), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.variable, name);
        assert.match(err.message, new RegExp(`^Invalid configuration: ${words}`));
        assert.ok(!err.message.includes('\n'), 'one line');
        return true;
      });
    });
  }
});
