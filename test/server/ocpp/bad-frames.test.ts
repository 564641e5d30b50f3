import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { RPCClient } from '../../../server/ocpp/rpc.ts';
import { engineName } from '../../helpers/db.ts';
import {
  SECRET,
  bootedCharger,
  createOcppTestApp,
  rawExchange,
  registerCharger,
  type OcppTestApp,
} from '../../helpers/ocpp.ts';
import { scrape } from '../../helpers/metrics.ts';

/**
 * Frames a real charger might send by mistake, written raw past the client's
 * own validation. Each gets a CALLERROR with the OCPP 1.6J §4.2.3 code and
 * the connection stays up: a Heartbeat afterwards still works.
 */
describe(`OCPP bad frames on ${engineName}`, () => {
  let t: OcppTestApp;
  let cp: RPCClient;
  before(async () => {
    t = await createOcppTestApp();
    cp = await bootedCharger(t, 'CP-BAD');
  });
  after(() => t.close());

  async function stillUp() {
    const hb = (await cp.call('Heartbeat', {})) as { currentTime: string };
    assert.equal(hb.currentTime, t.clock.now().toISOString());
  }

  const cases: [string, string, string][] = [
    ['not JSON', '{"this is": not json', 'FormationViolation'],
    ['not an RPC array', '{"action":"Heartbeat"}', 'FormationViolation'],
    ['an unknown message type', '[7,"m1","Heartbeat",{}]', 'FormationViolation'],
    [
      'a wrong type',
      '[2,"m2","StatusNotification",{"connectorId":"one","errorCode":"NoError","status":"Available"}]',
      'TypeConstraintViolation',
    ],
    [
      'a missing field',
      '[2,"m3","StartTransaction",{"connectorId":1,"idTag":"X","timestamp":"2026-03-15T08:00:00Z"}]',
      'OccurenceConstraintViolation',
    ], // one r: OCPP-J 1.6 keeps the typo (errata v1.0 §5.1)
    [
      'a value outside its enumeration',
      '[2,"m4","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Sleeping"}]',
      'FormationViolation',
    ],
    ['an unknown field', '[2,"m5","Heartbeat",{"extra":1}]', 'PropertyConstraintViolation'],
    ['a string too long', `[2,"m6","Authorize",{"idTag":"${'X'.repeat(21)}"}]`, 'FormationViolation'],
    ['an unknown action', '[2,"m7","MakeCoffee",{}]', 'NotImplemented'],
    ['a Central System action', '[2,"m8","Reset",{"type":"Hard"}]', 'NotSupported'],
    [
      'an oversized frame',
      `[2,"m9","DataTransfer",{"vendorId":"x","data":"${'A'.repeat(70 * 1024)}"}]`,
      'FormationViolation',
    ],
  ];

  for (const [what, frame, code] of cases) {
    it(`${what} gets CALLERROR ${code} and the connection stays up`, async () => {
      const reply = await rawExchange(cp, frame);
      assert.equal(reply[0], 4, `a CALLERROR: ${JSON.stringify(reply).slice(0, 200)}`);
      assert.equal(reply[2], code);
      const id = /^\[2,"(m\d+)"/.exec(frame)?.[1]; // ocpp-rpc reads the id only after a known message type
      assert.equal(reply[1], id ?? '-1', 'answered to the message id when it could be read');
      await stillUp();
    });
  }

  it('a CALL without its payload, over a raw WebSocket, gets FormationViolation (OCPP-J 1.6 §4.2.3: not the PDU structure)', async () => {
    await registerCharger(t, 'CP-RAW');
    const ws = new WebSocket(`${t.endpoint}/CP-RAW`, ['ocpp1.6'], {
      headers: { authorization: `Basic ${Buffer.from(`CP-RAW:${SECRET}`).toString('base64')}` },
    });
    await once(ws, 'open');
    const next = async () => JSON.parse(String((await once(ws, 'message'))[0])) as unknown[];
    try {
      ws.send('[2,"x","Heartbeat"]');
      assert.deepEqual((await next()).slice(0, 3), [4, 'x', 'FormationViolation']);
      // A payload of the wrong type keeps its own code, and the socket still serves.
      ws.send('[2,"y","Heartbeat","x"]');
      assert.deepEqual((await next()).slice(0, 3), [4, 'y', 'TypeConstraintViolation']);
      ws.send('[2,"z","Heartbeat",{}]');
      assert.deepEqual((await next()).slice(0, 2), [3, 'z']);
    } finally {
      ws.close();
    }
  });

  it('the oversized DataTransfer was not stored', async () => {
    assert.equal((await t.app.repos.chargerEvents.list('CP-BAD', 'DataTransfer')).length, 0);
  });

  it('bad frames are counted; a flood of them cuts the peer off (close 1002)', async () => {
    assert.match(await scrape(t), /ocpp_bad_frames_total 3/);
    const closed = new Promise<{ code: number }>((resolve) => cp.once('close', resolve));
    for (let i = 0; i < 12; i++) cp.sendRaw('garbage');
    assert.equal((await closed).code, 1002);
  });
});
