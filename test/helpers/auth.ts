// Helpers for auth tests: sign-up and sign-in over HTTP, and reading the mail the outbox receives.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SatchelApp } from '../../src/app.js';
import { send } from './scenario.js';

/** An auth collection everyone may use, with a username identity, for tests that need a plain one. */
export function memberCollection(name = 'members', extra: Record<string, unknown> = {}) {
  return {
    name,
    type: 'auth',
    listRule: '',
    viewRule: '',
    createRule: '',
    updateRule: '',
    deleteRule: '',
    fields: [{ name: 'username', type: 'text', min: 3, max: 150 }],
    indexes: [`CREATE UNIQUE INDEX idx_${name}_username ON ${name} (username COLLATE NOCASE) WHERE username != ''`],
    passwordAuth: { enabled: true, identityFields: ['email', 'username'] },
    ...extra,
  };
}

/** Creates an auth record through the records API (as a guest unless `token` is given) and returns it. */
export async function signUp(
  app: SatchelApp,
  collection: string,
  fields: Record<string, unknown>,
  token?: string,
): Promise<any> {
  const res = await send(app, {
    method: 'POST',
    url: `/api/collections/${collection}/records`,
    headers: token ? { authorization: token } : {},
    body: { passwordConfirm: fields.password, ...fields },
  });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`sign-up failed (${res.status}): ${JSON.stringify(json)}`);
  return json;
}

/** Signs in with a password; returns `{token, record}` or throws with the response. */
export async function signIn(app: SatchelApp, collection: string, identity: string, password: string): Promise<any> {
  const res = await send(app, {
    method: 'POST',
    url: `/api/collections/${collection}/auth-with-password`,
    body: { identity, password },
  });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`sign-in failed (${res.status}): ${JSON.stringify(json)}`);
  return json;
}

export interface Mail {
  file: string;
  to: string;
  subject: string;
  text: string;
}

/** Every message in `<dataDir>/outbox/`, oldest first. */
export function outbox(dataDir: string): Mail[] {
  const dir = join(dataDir, 'outbox');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => {
      const raw = readFileSync(join(dir, name), 'utf8');
      const [head = '', ...body] = raw.split('\r\n\r\n');
      const header = (key: string) => new RegExp(`^${key}: (.*)$`, 'm').exec(head)?.[1] ?? '';
      return { file: name, to: header('To'), subject: header('Subject'), text: body.join('\r\n\r\n') };
    });
}

/** Waits (at most 5 s) for the outbox to hold more than `seen` messages and returns the newest. */
export async function nextMail(dataDir: string, seen: number): Promise<Mail> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const mails = outbox(dataDir);
    if (mails.length > seen) return mails[mails.length - 1]!;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no new mail in ${dataDir}/outbox after 5 s`);
}

/** The token of the link in a mail, e.g. action `confirm-verification`. */
export function linkToken(mail: Mail, action: string): string {
  const m = new RegExp(`/_/#/auth/${action}/([\\w.-]+)`).exec(mail.text);
  if (!m) throw new Error(`no ${action} link in:\n${mail.text}`);
  return m[1]!;
}

/** Creates (or updates) a superuser and returns a token for it, issued directly (no sign-in, so no rate limit). */
export async function superuserToken(app: SatchelApp, email = 'root@example.com'): Promise<string> {
  const { record } = await app.auth.upsertSuperuser(email, 'password123');
  const superusers = app.auth.authCollection('_superusers');
  return app.auth.issueToken(superusers, (await app.records.storedById(superusers, String(record.id)))!, 'auth');
}
