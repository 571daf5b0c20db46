// Mail through an SMTP server (nodemailer), configured by one URL.
import type { Transporter } from 'nodemailer';
import type { Mailer, MailMessage } from './mailer.js';

export class SmtpMailer implements Mailer {
  readonly destination: string;
  // nodemailer is loaded on the first message: most servers never send one, and it costs memory at start.
  private transport: Promise<Transporter> | undefined;

  constructor(
    private readonly url: string,
    private readonly from: () => string,
  ) {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    // Never print credentials.
    this.destination = parsed ? `SMTP ${parsed.protocol}//${parsed.host}` : 'SMTP';
  }

  async send(message: MailMessage): Promise<void> {
    this.transport ??= import('nodemailer').then((nodemailer) => nodemailer.createTransport(this.url));
    await (
      await this.transport
    ).sendMail({ from: this.from(), to: message.to, subject: message.subject, text: message.text });
  }
}
