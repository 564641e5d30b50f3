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
    assert.deepEqual(c.trustProxy, []);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.1, fd00::/8' }).trustProxy, ['10.0.0.1', 'fd00::/8']);
  });

  for (const [name, value, words] of [
    ['PORT', 'eighty', 'PORT must be an integer'],
    ['PORT', '70000', 'PORT must be between'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must start with postgres:'],
    ['REDIS_URL', 'not a url', 'REDIS_URL must be a URL'],
    ['SITE_TZ', 'Mars/Olympus', 'SITE_TZ must be an IANA time zone'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of'],
    ['OCPP_AUTO_REGISTER', 'maybe', 'OCPP_AUTO_REGISTER must be true or false'],
    ['TRUST_PROXY', 'proxy.local', 'TRUST_PROXY must be IP addresses or CIDR ranges'],
    ['TRUST_PROXY', '10.0.0.0/33', 'TRUST_PROXY must be IP addresses or CIDR ranges'],
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
