import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { Database } from '../../../db/client.ts';
import { ManualClock } from '../../../server/clock.ts';
import { redactor } from '../../../server/alerts/email.ts';
import type { AlertEmailConfig } from '../../../server/config.ts';
import { createTestDatabase, engineName } from '../../helpers/db.ts';
import {
  BOOT,
  bootedCharger,
  chargePoint,
  createOcppTestApp,
  registerCharger,
  type OcppTestApp,
} from '../../helpers/ocpp.ts';

/** A character that needs %-escaping, so the test sees both the written and the decoded password. */
const PASSWORD = 's3cret/pass';

interface Mail {
  rcptTo: string[];
  mailFrom: string;
  headers: Map<string, string>;
  text: string;
}

/** Headers unfolded (RFC 5322 §2.2.3) and the quoted-printable body decoded: what a mail client shows. */
function parse(raw: string): Omit<Mail, 'rcptTo' | 'mailFrom'> {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n([ \t])/g, '$1').split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  let text = rest.join('\r\n\r\n');
  if (/quoted-printable/i.test(headers.get('content-transfer-encoding') ?? ''))
    text = text
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return { headers, text: text.replace(/\r\n/g, '\n') };
}

/** A real SMTP server on a loopback port with AUTH; it answers 451 to the next `tempFailures` messages. */
async function smtp(): Promise<{ server: SMTPServer; port: number; mails: Mail[]; tempFailures: { n: number } }> {
  const mails: Mail[] = [];
  const tempFailures = { n: 0 };
  const server = new SMTPServer({
    // Plain text on loopback: the test is about delivery, not TLS.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'ops' && auth.password === PASSWORD) cb(null, { user: 'ops' });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => (raw += c));
      stream.on('end', () => {
        if (tempFailures.n > 0) {
          tempFailures.n--;
          cb(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
          return;
        }
        mails.push({
          ...parse(raw),
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.server.address() as AddressInfo).port, mails, tempFailures };
}

/** A webhook receiver that is down in the way that matters: it answers 503 to every POST. */
async function failingHook(): Promise<{ server: Server; url: string; posts: { n: number } }> {
  const posts = { n: 0 };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      posts.n++;
      res.statusCode = 503;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, posts };
}

describe(`SMTP_URL alert e-mail, on ${engineName}`, () => {
  let database: Database;
  let mailServer: Awaited<ReturnType<typeof smtp>>;
  let hook: Awaited<ReturnType<typeof failingHook>>;
  let t: OcppTestApp;
  let clock: ManualClock;
  let email: AlertEmailConfig;
  const logs: string[] = [];
  before(async () => {
    database = await createTestDatabase();
    mailServer = await smtp();
    hook = await failingHook();
    clock = new ManualClock('2026-03-15T08:00:00Z');
    email = {
      smtpUrl: `smtp://ops:${encodeURIComponent(PASSWORD)}@127.0.0.1:${mailServer.port}`,
      to: ['ops@example.com', 'oncall@example.com'],
      from: 'chargeops@site.example',
    };
    t = await createOcppTestApp({
      database,
      clock,
      config: { alertEmail: email, alertWebhookUrl: hook.url },
      logger: { level: 'trace', stream: { write: (line: string) => void logs.push(line) } },
    });
  });
  after(async () => {
    await t.close();
    await new Promise<void>((resolve) => mailServer.server.close(() => resolve()));
    await new Promise<void>((resolve) => hook.server.close(() => resolve()));
    await database.close();
  });

  it('mails a raise, again after the back-off when the server answers 451, while the webhook fails on its own', async () => {
    mailServer.tempFailures.n = 1;
    const cp = await bootedCharger(t, 'CP-M');
    await cp.call('StatusNotification', { connectorId: 0, status: 'Faulted', errorCode: 'GroundFailure' });
    await t.app.alerts.flush();
    assert.equal(mailServer.mails.length, 0, 'the first attempt was refused');
    const [pending] = await t.app.repos.alerts.undelivered(clock.now(), 'email');
    assert.equal(pending!.emailAttempts, 1);
    assert.match(pending!.emailLastError ?? '', /451/);
    assert.equal(hook.posts.n, 1);

    clock.advance(1_000);
    await t.app.alerts.flush();
    assert.equal(mailServer.mails.length, 1, 'retried after 1 s');
    const [mail] = mailServer.mails;
    assert.equal(mail!.headers.get('subject'), '[chargeops] RAISED critical: Charger CP-M is Faulted (GroundFailure)');
    assert.deepEqual(mail!.rcptTo, ['ops@example.com', 'oncall@example.com']);
    assert.equal(mail!.mailFrom, 'chargeops@site.example');
    assert.match(mail!.text, /^Kind: +charger\.faulted$/m);
    assert.match(mail!.text, /^Charger: +CP-M$/m);
    assert.match(mail!.text, /^Raised: +2026-03-15T08:00:00\.000Z$/m);
    assert.match(mail!.text, /^Cleared: +- \(still open\)$/m);
    assert.deepEqual(await t.app.repos.alerts.undelivered(clock.now(), 'email'), []);
    // The webhook is still failing and retried on its own back-off; the e-mail is not repeated.
    assert.equal(hook.posts.n, 2);
    assert.equal((await t.app.repos.alerts.undelivered(clock.now(), 'webhook')).length, 1);
    clock.advance(2_000);
    await t.app.alerts.flush();
    assert.equal(hook.posts.n, 3);
    assert.equal(mailServer.mails.length, 1, 'an e-mail is not repeated for the webhook');

    clock.advance(60_000);
    await cp.call('StatusNotification', { connectorId: 0, status: 'Available', errorCode: 'NoError' });
    await t.app.alerts.flush();
    assert.equal(mailServer.mails.length, 2, 'the clear is mailed at once, ahead of the webhook backlog');
    const cleared = mailServer.mails[1]!;
    assert.equal(
      cleared.headers.get('subject'),
      '[chargeops] CLEARED critical: Charger CP-M is Faulted (GroundFailure)',
    );
    assert.match(cleared.text, /^Cleared: +2026-03-15T08:01:03\.000Z$/m);
    assert.equal(cleared.headers.get('in-reply-to'), mail!.headers.get('message-id'), 'threaded under its raise');
  });

  it('a webhook that takes every notice does not repeat while the SMTP server is down', async () => {
    // The next processes share the database and its users.
    await registerCharger(t, 'CP-N');
    await registerCharger(t, 'CP-O');
    await t.close();
    const okHook = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        okPosts++;
        res.statusCode = 204;
        res.end();
      });
    });
    let okPosts = 0;
    await new Promise<void>((resolve) => okHook.listen(0, '127.0.0.1', resolve));
    const down = await smtp();
    const downPort = down.port;
    await new Promise<void>((resolve) => down.server.close(() => resolve()));
    t = await createOcppTestApp({
      database,
      clock,
      config: {
        alertEmail: { ...email, smtpUrl: `smtp://ops:${encodeURIComponent(PASSWORD)}@127.0.0.1:${downPort}` },
        alertWebhookUrl: `http://127.0.0.1:${(okHook.address() as AddressInfo).port}/hook`,
      },
      logger: { level: 'trace', stream: { write: (line: string) => void logs.push(line) } },
    });
    // The first test's raise and clear reach this webhook once each; nothing new is mailed.
    const sentBefore = mailServer.mails.length;
    const cp = chargePoint(t, 'CP-N');
    await cp.connect();
    await cp.call('BootNotification', BOOT);
    await cp.call('StatusNotification', { connectorId: 1, status: 'Faulted', errorCode: 'GroundFailure' });
    clock.advance(10_000);
    await t.app.alerts.flush();
    const postsAfterFirst = okPosts;
    assert.ok(postsAfterFirst >= 1);
    const [pending] = (await t.app.repos.alerts.undelivered(clock.now(), 'email')).slice(-1);
    assert.match(pending!.emailLastError ?? '', /ECONNREFUSED/);
    clock.advance(2_000);
    await t.app.alerts.flush();
    clock.advance(4_000);
    await t.app.alerts.flush();
    assert.equal(okPosts, postsAfterFirst, 'the webhook is not repeated for the e-mail');
    const [retried] = (await t.app.repos.alerts.undelivered(clock.now(), 'email')).slice(-1);
    assert.ok(retried!.emailAttempts >= 2, 'e-mail retried on its own');
    assert.equal(mailServer.mails.length, sentBefore);
    await t.close();
    await new Promise<void>((resolve) => okHook.close(() => resolve()));
  });

  it('a notice raised while e-mail is not set is not mailed later', async () => {
    t = await createOcppTestApp({ database, clock });
    const cp = chargePoint(t, 'CP-O');
    await cp.connect();
    await cp.call('BootNotification', BOOT);
    await cp.call('StatusNotification', { connectorId: 1, status: 'Faulted', errorCode: 'GroundFailure' });
    await t.app.alerts.flush();
    const unsent = await t.app.repos.alerts.undelivered(clock.now(), 'email');
    assert.ok(unsent.length > 0, 'the CP-N raise still waits for the SMTP server');
    const chargers = await Promise.all(unsent.map(async (e) => (await t.app.repos.alerts.get(e.alertId))?.chargerId));
    assert.deepEqual(chargers, ['CP-N'], 'only the raise from while e-mail was set waits for it');
    await t.close();

    t = await createOcppTestApp({ database, clock, config: { alertEmail: email } });
    const before = mailServer.mails.length;
    clock.advance(300_000);
    await t.app.alerts.flush();
    const sent = mailServer.mails.slice(before).map((m) => m.headers.get('subject'));
    assert.deepEqual(sent, ['[chargeops] RAISED critical: Connector 1 of charger CP-N is Faulted (GroundFailure)']);
  });

  it('never logs the SMTP password, written or decoded', () => {
    assert.ok(
      logs.some((l) => l.includes('alert email delivery failed')),
      'the failures were logged',
    );
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD)])
      assert.ok(!logs.some((l) => l.includes(secret)), `no log line holds ${secret}`);
    // And an error that did quote it (a URL, an AUTH line) is stored and logged without it.
    const redact = redactor(email.smtpUrl);
    assert.equal(
      redact(`failed: ${email.smtpUrl} AUTH ops ${PASSWORD}`),
      `failed: ${email.smtpUrl.replace(encodeURIComponent(PASSWORD), '***')} AUTH ops ***`,
    );
  });
});
