// Outgoing mail: SMTP through nodemailer when a server is configured, otherwise the outbox folder.
import type { SmtpSettings } from '../settings/schema.js';
import { OutboxMailer } from './outbox.js';
import { SmtpMailer, smtpTransportOptions } from './smtp.js';

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
  /** `smtp://user:pass@host:587` or `smtps://...:465`; wins over `smtp`. */
  smtpUrl?: string;
  /** The SMTP server the settings name, read per message (a superuser may change it); off: the outbox. */
  smtp?: () => SmtpSettings;
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
  const outbox = new OutboxMailer(options.outboxDir, from, options.log ?? ((line) => console.log(line)));
  const settings = options.smtp;
  return settings ? new SettingsMailer(settings, from, outbox) : outbox;
}

/** Sends through the SMTP server the settings name while it is enabled, otherwise to the outbox. */
class SettingsMailer implements Mailer {
  private current: { key: string; mailer: SmtpMailer } | undefined;

  constructor(
    private readonly smtp: () => SmtpSettings,
    private readonly from: () => string,
    private readonly outbox: Mailer,
  ) {}

  get destination(): string {
    const smtp = this.smtp();
    return smtp.enabled ? `SMTP ${smtp.host}:${smtp.port} (from the settings)` : this.outbox.destination;
  }

  send(message: MailMessage): Promise<void> {
    const smtp = this.smtp();
    if (!smtp.enabled) return this.outbox.send(message);
    // One transport per configuration: a change in the settings takes effect with the next message.
    const key = JSON.stringify(smtp);
    if (this.current?.key !== key)
      this.current = { key, mailer: new SmtpMailer(smtpTransportOptions(smtp), this.from) };
    return this.current.mailer.send(message);
  }
}
