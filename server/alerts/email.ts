import { createTransport } from 'nodemailer';
import type { OutboxEntry } from '../../db/repositories/alerts.ts';
import type { AlertEmailConfig } from '../config.ts';
import type { Channel } from './delivery.ts';

/** The parts of one alert e-mail (all plain text). */
export interface AlertMail {
  subject: string;
  text: string;
  messageId: string;
  /** A clear answers its raise, so mail clients thread the two. */
  inReplyTo: string | undefined;
}

const iso = (d: Date) => d.toISOString();

/** A notice as an e-mail: "[chargeops] RAISED critical: charger CP-1 is Faulted (GroundFailure)" and its fields, times ISO UTC. */
export function alertMail({ entry, alert }: OutboxEntry, from: string): AlertMail {
  const what = entry.notice === 'raised' ? 'RAISED' : 'CLEARED';
  // A message is one line today; a newline would end the Subject header early.
  const headline = `${what} ${alert.severity}: ${alert.message.replace(/\s+/g, ' ')}`;
  const rows: [string, string][] = [
    ['Kind', alert.kind],
    ['Severity', alert.severity],
    ['Charger', alert.chargerId ?? '-'],
    ['Connector', alert.connectorId?.toString() ?? '-'],
    ['Transaction', alert.transactionId?.toString() ?? '-'],
    ['Message', alert.message],
    ['Raised', iso(alert.at)],
    ['Cleared', alert.clearedAt ? iso(alert.clearedAt) : '- (still open)'],
    ['Details', JSON.stringify(alert.details ?? {})],
  ];
  const text = [
    headline,
    '',
    ...rows.map(([k, v]) => `${`${k}:`.padEnd(13)}${v}`),
    '',
    `Alert ${alert.id}, notice ${entry.id}. Sent by chargeops; the dashboard's alert console has the rest.`,
    '',
  ].join('\n');
  const domain = /@([^\s@<>]+)>?$/.exec(from)?.[1] ?? 'chargeops';
  const id = (notice: string) => `<chargeops-alert-${alert.id}-${notice}@${domain}>`;
  return {
    subject: `[chargeops] ${headline}`,
    text,
    // One Message-ID per notice, the same on every attempt: a receiver that
    // took a message whose acknowledgement was lost can tell the retry apart.
    messageId: id(entry.notice),
    inReplyTo: entry.notice === 'cleared' ? id('raised') : undefined,
  };
}

/** Removes the SMTP password (as written and decoded) from a text that may quote the URL or the AUTH exchange. */
export function redactor(smtpUrl: string): (s: string) => string {
  const raw = new URL(smtpUrl).password;
  const secrets = [...new Set([raw, decodeURIComponent(raw)])].filter((s) => s.length > 0);
  return (s) => secrets.reduce((out, secret) => out.split(secret).join('***'), s);
}

/**
 * The SMTP_URL channel: each notice mailed to ALERT_EMAIL_TO; the server's
 * 250 settles it, anything else (4xx/5xx, refused, timed out) is tried again
 * after the back-off (server/alerts/delivery.ts). `close` ends the transport.
 */
export function emailChannel(config: AlertEmailConfig): Channel & { close(): void } {
  const transport = createTransport({
    url: config.smtpUrl,
    // Bounded so an attempt ends well within the lease below.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // Nodemailer's own logging would print the AUTH exchange.
    logger: false,
    debug: false,
  });
  const redact = redactor(config.smtpUrl);
  return {
    name: 'email',
    // A connection each: a handful at once is plenty for alert volumes.
    batch: 5,
    leaseMs: 120_000,
    async send(e) {
      const mail = alertMail(e, config.from);
      await transport.sendMail({
        from: config.from,
        to: config.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo, references: mail.inReplyTo } : {}),
        headers: { 'X-Chargeops-Alert-Id': String(e.alert.id), 'X-Chargeops-Notice-Id': String(e.entry.id) },
      });
    },
    describe: (err) => redact(String((err as Error).message ?? err)),
    close: () => transport.close(),
  };
}
