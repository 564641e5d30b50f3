import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretKey, REDACTED, redactPayload } from '../../../server/ocpp/message-log/redact.ts';

/** What the message log and the command audit keep of a payload (docs/OPERATIONS.md "OCPP message log"). */
describe('message log redaction', () => {
  it('names secrets by key, whatever the case and separators', () => {
    for (const k of ['AuthorizationKey', 'authorization_key', 'BasicAuthPassword', 'api-key', 'PrivateKey', 'x.secret'])
      assert.ok(isSecretKey(k), k);
    for (const k of ['HeartbeatInterval', 'idTag', 'AuthorizeRemoteTxRequests', 'LocalAuthListEnabled'])
      assert.ok(!isSecretKey(k), k);
  });

  it('redacts configuration values, nested properties and DataTransfer data, and leaves the rest as it was', () => {
    assert.deepEqual(redactPayload('ChangeConfiguration', { key: 'AuthorizationKey', value: 'k' }), {
      key: 'AuthorizationKey',
      value: REDACTED,
    });
    assert.deepEqual(redactPayload('ChangeConfiguration', { key: 'HeartbeatInterval', value: '60' }), {
      key: 'HeartbeatInterval',
      value: '60',
    });
    assert.deepEqual(redactPayload('DataTransfer', { vendorId: 'v', messageId: 'SetPassword', data: 'hunter2' }), {
      vendorId: 'v',
      messageId: 'SetPassword',
      data: REDACTED,
    });
    assert.deepEqual(redactPayload('DataTransfer', { vendorId: 'v', data: 'plain text' }), {
      vendorId: 'v',
      data: 'plain text',
    });
    assert.deepEqual(redactPayload('Anything', { a: [{ apiKey: 'x', b: 1 }] }), { a: [{ apiKey: REDACTED, b: 1 }] });
    assert.deepEqual(redactPayload('Heartbeat', {}), {});
    assert.equal(redactPayload('X', null), null);
  });
});
