// Mail through an SMTP server (nodemailer), configured by one URL.
import { createTransport, type Transporter } from 'nodemailer';
import type { Mailer, MailMessage } from './mailer.js';

export class SmtpMailer implements Mailer {
  readonly destination: string;
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = createTransport(url);
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    // Never print credentials.
    this.destination = parsed ? `SMTP ${parsed.protocol}//${parsed.host}` : 'SMTP';
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text });
  }
}
