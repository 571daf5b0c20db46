// Development mail: each message becomes an .eml file in <dataDir>/outbox/ and a log line, so links can be clicked.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomString } from '../ids.js';
import type { Mailer, MailMessage } from './mailer.js';

export class OutboxMailer implements Mailer {
  readonly destination: string;

  constructor(
    private readonly dir: string,
    private readonly from: () => string,
    private readonly log: (line: string) => void,
  ) {
    this.destination = `the outbox folder ${dir} (no SMTP server is set)`;
  }

  async send(message: MailMessage): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const now = new Date();
    const file = join(this.dir, `${now.toISOString().replace(/[:.]/g, '-')}-${randomString(6)}.eml`);
    const eml = [
      `From: ${this.from()}`,
      `To: ${message.to}`,
      `Subject: ${message.subject}`,
      `Date: ${now.toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      message.text,
    ].join('\r\n');
    // Written aside, then renamed: whoever watches the folder never sees half a message.
    await writeFile(`${file}.tmp`, eml, { flag: 'wx' });
    await rename(`${file}.tmp`, file);
    this.log(`[satchel] mail to ${message.to} "${message.subject}" written to ${file}`);
  }
}
