// Mail through an SMTP server (nodemailer), configured by one URL or by the settings' `smtp` group.
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { SmtpSettings } from '../settings/schema.js';
import type { Mailer, MailMessage } from './mailer.js';

/** nodemailer's options for the settings' SMTP server. */
export function smtpTransportOptions(smtp: SmtpSettings): SMTPTransport.Options {
  return {
    host: smtp.host,
    port: smtp.port,
    // tls: implicit TLS from the first byte; otherwise STARTTLS when the server offers it.
    secure: smtp.tls,
    ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password } } : {}),
    ...(smtp.authMethod ? { authMethod: smtp.authMethod } : {}),
    ...(smtp.localName ? { name: smtp.localName } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
  };
}

export class SmtpMailer implements Mailer {
  readonly destination: string;
  // nodemailer is loaded on the first message: most servers never send one, and it costs memory at start.
  private transport: Promise<Transporter> | undefined;

  constructor(
    private readonly url: string | SMTPTransport.Options,
    private readonly from: () => string,
  ) {
    // Never print credentials.
    if (typeof url !== 'string') this.destination = `SMTP ${url.host}:${url.port}`;
    else this.destination = URL.canParse(url) ? `SMTP ${new URL(url).protocol}//${new URL(url).host}` : 'SMTP';
  }

  async send(message: MailMessage): Promise<void> {
    this.transport ??= import('nodemailer').then((nodemailer) => nodemailer.createTransport(this.url));
    await (
      await this.transport
    ).sendMail({ from: this.from(), to: message.to, subject: message.subject, text: message.text });
  }
}
