// Outgoing mail: SMTP through nodemailer when a server is configured, otherwise the outbox folder.
import { OutboxMailer } from './outbox.js';
import { SmtpMailer } from './smtp.js';

export interface MailMessage {
  to: string;
  subject: string;
  /** Plain-text body; links in it are meant to be clicked. */
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Where mail goes, for the startup log. */
  readonly destination: string;
}

export interface MailOptions {
  /** `smtp://user:pass@host:587` or `smtps://...:465`; without it every message goes to `outboxDir`. */
  smtpUrl?: string;
  /** The From address, or how to get it per message (settings may change it); default `Satchel <no-reply@localhost>`. */
  from?: string | (() => string | undefined);
  /** Where messages are written when there is no SMTP server. */
  outboxDir: string;
  /** Receives one line per message written to the outbox (default console.log). */
  log?: (line: string) => void;
}

export const DEFAULT_FROM = 'Satchel <no-reply@localhost>';

export function createMailer(options: MailOptions): Mailer {
  const given = options.from;
  const from = typeof given === 'function' ? () => given() || DEFAULT_FROM : () => given || DEFAULT_FROM;
  if (options.smtpUrl) return new SmtpMailer(options.smtpUrl, from);
  return new OutboxMailer(options.outboxDir, from, options.log ?? ((line) => console.log(line)));
}
