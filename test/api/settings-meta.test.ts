// The settings' `meta` (PocketBase's shape): the public address e-mail links point at and who mail comes from,
// changed at runtime by a superuser; the command-line flags still win.
import { afterEach, describe, expect, it } from 'vitest';
import { SUPERUSER } from '../../src/core/records/index.js';
import { memberCollection, nextMail, signUp, superuserToken } from '../helpers/auth.js';
import { send } from '../helpers/scenario.js';
import { tempApp } from '../helpers/temp-app.js';

let done: (() => Promise<void>) | undefined;
afterEach(async () => {
  await done?.();
  done = undefined;
});

describe('settings: meta', () => {
  it('appURL and the sender change the links and the From of the next e-mails', async () => {
    const t = await tempApp([memberCollection('members')], { rateLimit: false });
    done = t.cleanup;
    const token = await superuserToken(t.app);
    const patched = await send(t.app, {
      method: 'PATCH',
      url: '/api/settings',
      headers: { authorization: token },
      body: { meta: { appURL: 'https://app.example.com', senderName: 'My App', senderAddress: 'hello@example.com' } },
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as any).meta).toMatchObject({
      appName: 'Satchel',
      appURL: 'https://app.example.com',
    });
    await signUp(t.app, 'members', { username: 'ann', email: 'ann@example.com', password: 'password123' });
    const res = await send(t.app, {
      method: 'POST',
      url: '/api/collections/members/request-verification',
      body: { email: 'ann@example.com' },
    });
    expect(res.status).toBe(204);
    // Mail leaves after the answer: wait for it.
    const mail = await nextMail(t.dirs.dataDir, 0);
    expect(mail.text).toContain('https://app.example.com/');
    const raw = (await import('node:fs')).readFileSync(`${t.dirs.dataDir}/outbox/${mail.file}`, 'utf8');
    expect(raw).toContain('From: My App <hello@example.com>');
  });

  it('the appUrl option (the --app-url flag) wins over the setting', async () => {
    const t = await tempApp([memberCollection('members')], { rateLimit: false, appUrl: 'https://flag.example.com' });
    done = t.cleanup;
    await t.app.settings.update({ meta: { appURL: 'https://setting.example.com' } });
    expect(t.app.appUrl()).toBe('https://flag.example.com');
    await t.app.records.create(
      'members',
      { username: 'bob', email: 'bob@example.com', password: 'password123', passwordConfirm: 'password123' },
      SUPERUSER,
    );
    await send(t.app, {
      method: 'POST',
      url: '/api/collections/members/request-verification',
      body: { email: 'bob@example.com' },
    });
    expect((await nextMail(t.dirs.dataDir, 0)).text).toContain('https://flag.example.com/');
  });

  it('a bad value is a 400 naming its path, and nothing changes', async () => {
    const t = await tempApp([memberCollection('members')]);
    done = t.cleanup;
    const token = await superuserToken(t.app);
    const res = await send(t.app, {
      method: 'PATCH',
      url: '/api/settings',
      headers: { authorization: token },
      body: { meta: { appURL: 'javascript:alert(1)', senderAddress: 'not an address' } },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.data.meta.appURL.code).toBe('validation_invalid_value');
    expect(body.data.meta.senderAddress.code).toBe('validation_invalid_value');
    expect(t.app.settings.get().meta.appURL).toBe('');
  });
});
