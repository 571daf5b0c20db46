// Files on records over a real loopback server: multipart uploads checked and named, served back with the HTTP a
// browser expects, removed with the record or the write that dropped them, protected files behind a file token,
// and the official SDK doing all of it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import PocketBase from 'pocketbase';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer, SatchelApp } from '../../src/app.js';
import { ApiError } from '../../src/core/errors.js';
import { memberCollection, signIn, signUp } from '../helpers/auth.js';
import { tempApp, type TempDirs } from '../helpers/temp-app.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const USERS = JSON.parse(readFileSync(new URL('../../collections/users.json', import.meta.url), 'utf8'));

let app: SatchelApp;
let dirs: TempDirs;
let server: RunningServer;
let cleanup: () => Promise<void>;
let url: string;
let ann: { token: string; record: { id: string } };
let bob: { token: string; record: { id: string } };

const OWNER_RULE = 'owner = @request.auth.id';

beforeAll(async () => {
  ({ app, dirs, cleanup } = await tempApp(
    [
      memberCollection('members'),
      USERS,
      {
        name: 'docs',
        listRule: '',
        viewRule: OWNER_RULE,
        createRule: '',
        updateRule: '',
        deleteRule: '',
        fields: [
          { name: 'title', type: 'text' },
          {
            name: 'attachments',
            type: 'file',
            maxSelect: 3,
            maxSize: 4096,
            mimeTypes: ['image/png', 'text/plain'],
          },
          {
            name: 'cover',
            type: 'file',
            maxSelect: 1,
            mimeTypes: ['image/png'],
            thumbs: ['50x20', '0x10', '10x0', '30x30f', '40x40t'],
          },
          { name: 'secret', type: 'file', maxSelect: 1, protected: true },
          { name: 'owner', type: 'relation', collectionId: 'members', maxSelect: 1 },
        ],
      },
    ],
    { rateLimit: false, bodyLimit: 256 * 1024 },
  ));
  server = await app.listen({ port: 0 });
  url = server.url;
  for (const name of ['ann', 'bob']) {
    await signUp(app, 'members', { username: name, email: `${name}@example.com`, password: 'password123' });
  }
  ann = await signIn(app, 'members', 'ann', 'password123');
  bob = await signIn(app, 'members', 'bob', 'password123');
});

afterAll(async () => {
  await server.close();
  await cleanup();
});

const storageDir = () => join(dirs.dataDir, 'storage');
const docsId = () => app.records.collection('docs').id;
/** Every file stored for the docs collection, as `recordId/name`. */
function storedDocs(): string[] {
  const root = join(storageDir(), docsId());
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((id) => readdirSync(join(root, id)).map((name) => `${id}/${name}`));
}

function form(fields: Record<string, string | [Buffer, string] | [Buffer, string][]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') data.append(key, value);
    else
      for (const [bytes, name] of (Array.isArray(value[0]) ? value : [value]) as [Buffer, string][])
        data.append(key, new Blob([bytes]), name);
  }
  return data;
}

async function send(method: string, path: string, body?: FormData, token?: string) {
  const res = await fetch(`${url}${path}`, { method, body, headers: token ? { authorization: token } : {} });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('uploads', () => {
  it('a multipart create stores each file under a clean, unique name and answers the names', async () => {
    const res = await send(
      'POST',
      '/api/collections/docs/records',
      form({
        title: 'two files',
        attachments: [
          [PNG, 'My Photo (1).PNG'],
          [Buffer.from('hello'), 'notes.txt'],
        ],
      }),
    );
    expect(res.status).toBe(200);
    const [photo, notes] = res.body.attachments;
    expect(photo).toMatch(/^my_photo_1_[a-z0-9]{10}\.png$/);
    expect(notes).toMatch(/^notes_[a-z0-9]{10}\.txt$/);
    expect(readFileSync(join(storageDir(), docsId(), res.body.id, photo))).toEqual(PNG);
    expect(readFileSync(join(storageDir(), docsId(), res.body.id, notes), 'utf8')).toBe('hello');
  });

  it('a bad upload is a 400 naming its field, and nothing is stored', async () => {
    const before = storedDocs();
    const cases: [Record<string, string | [Buffer, string] | [Buffer, string][]>, string, string][] = [
      [{ attachments: [Buffer.alloc(5000, 1), 'big.txt'] }, 'attachments', 'validation_file_size_limit'],
      // Named .png and sent as one, but its content is text: the type is told by content.
      [{ cover: [Buffer.from('not really a png'), 'fake.png'] }, 'cover', 'validation_invalid_mime_type'],
      [{ attachments: [Buffer.alloc(0), 'empty.txt'] }, 'attachments', 'validation_invalid_file'],
      [
        {
          attachments: [
            [PNG, 'a.png'],
            [PNG, 'b.png'],
            [PNG, 'c.png'],
            [PNG, 'd.png'],
          ],
        },
        'attachments',
        'validation_too_many_values',
      ],
    ];
    for (const [fields, field, code] of cases) {
      const res = await send('POST', '/api/collections/docs/records', form({ title: 'bad', ...fields }));
      expect(res.status, code).toBe(400);
      expect(res.body.data[field].code).toBe(code);
    }
    expect(storedDocs()).toEqual(before);
  });

  it('a body over the server limit is a 413, read no further', async () => {
    const res = await send(
      'POST',
      '/api/collections/docs/records',
      form({ cover: [Buffer.alloc(300 * 1024), 'x.png'] }),
    );
    expect(res.status).toBe(413);
  });

  it('a client that goes away mid-upload leaves the server serving and nothing stored', async () => {
    const { request } = await import('node:http');
    const before = storedDocs();
    const boundary = 'xyzBOUNDARY';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="cover"; filename="a.png"\r\n\r\n`;
    await new Promise<void>((resolve) => {
      const req = request(`${url}/api/collections/docs/records`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': 100_000 },
      });
      req.on('error', () => resolve());
      req.write(head);
      req.write(PNG);
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    expect(storedDocs()).toEqual(before);
  });

  it('a client that goes away while its upload is being written: the write completes with its file', async () => {
    const id = app.onRecordCreateRequest('docs', async (e) => {
      if (e.body.title === 'slow') await new Promise((r) => setTimeout(r, 200));
      await e.next();
    });
    try {
      const controller = new AbortController();
      const sent = fetch(`${url}/api/collections/docs/records`, {
        method: 'POST',
        body: form({ title: 'slow', cover: [PNG, 'slow.png'] }),
        signal: controller.signal,
      }).catch(() => undefined);
      setTimeout(() => controller.abort(), 80);
      await sent;
      await new Promise((r) => setTimeout(r, 400));
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
      const list = await (
        await fetch(`${url}/api/collections/docs/records?filter=${encodeURIComponent('title="slow"')}`)
      ).json();
      const record = (list as { items: { id: string; cover: string }[] }).items[0]!;
      expect(readFileSync(join(storageDir(), docsId(), record.id, record.cover))).toEqual(PNG);
    } finally {
      app.hooks.onRecordCreateRequest.unbind(id);
    }
  });

  it('a file name the client made up is not attached to the record', async () => {
    const res = await send('POST', '/api/collections/docs/records', form({ title: 't', cover: 'someone_else.png' }));
    expect(res.status).toBe(200);
    expect(res.body.cover).toBe('');
  });

  it('a write that rolls back leaves no file behind', async () => {
    const id = app.onRecordCreate('docs', async (e) => {
      await e.next();
      if (e.record.title === 'roll back') throw ApiError.badRequest('refused after the insert');
    });
    try {
      const before = storedDocs();
      const res = await send(
        'POST',
        '/api/collections/docs/records',
        form({ title: 'roll back', cover: [PNG, 'c.png'] }),
      );
      expect(res.status).toBe(400);
      expect(storedDocs()).toEqual(before);
    } finally {
      app.hooks.onRecordCreate.unbind(id);
    }
  });

  it('update: field+ appends, field- removes (the file goes after the commit), empty clears', async () => {
    const created = await send('POST', '/api/collections/docs/records', form({ attachments: [PNG, 'one.png'] }));
    const id = created.body.id;
    const [one] = created.body.attachments;
    const added = await send(
      'PATCH',
      `/api/collections/docs/records/${id}`,
      form({ 'attachments+': [PNG, 'two.png'] }),
    );
    expect(added.status).toBe(200);
    const two = added.body.attachments[1];
    expect(added.body.attachments).toEqual([one, two]);
    const removed = await send('PATCH', `/api/collections/docs/records/${id}`, form({ 'attachments-': one }));
    expect(removed.body.attachments).toEqual([two]);
    expect(existsSync(join(storageDir(), docsId(), id, one))).toBe(false);
    expect((await fetch(`${url}/api/files/docs/${id}/${one}`)).status).toBe(404);
    const cleared = await send('PATCH', `/api/collections/docs/records/${id}`, form({ attachments: '' }));
    expect(cleared.body.attachments).toEqual([]);
    expect(existsSync(join(storageDir(), docsId(), id, two))).toBe(false);
  });

  it('deleting a record removes its files', async () => {
    const created = await send('POST', '/api/collections/docs/records', form({ cover: [PNG, 'c.png'] }));
    const folder = join(storageDir(), docsId(), created.body.id);
    expect(existsSync(folder)).toBe(true);
    expect((await send('DELETE', `/api/collections/docs/records/${created.body.id}`)).status).toBe(204);
    for (let i = 0; i < 50 && existsSync(folder); i++) await new Promise((r) => setTimeout(r, 10));
    expect(existsSync(folder)).toBe(false);
  });
});

describe('serving', () => {
  let id: string;
  let png: string;
  let text: string;

  beforeAll(async () => {
    const res = await send(
      'POST',
      '/api/collections/docs/records',
      form({
        attachments: [
          [PNG, 'p.png'],
          [Buffer.from('0123456789'), 't.txt'],
        ],
      }),
    );
    id = res.body.id;
    [png, text] = res.body.attachments;
  });

  it('answers the bytes with their type (by content), length, validators and a sandboxing policy', async () => {
    const res = await fetch(`${url}/api/files/docs/${id}/${png}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-length')).toBe(String(PNG.length));
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="${png}"`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
    const etag = res.headers.get('etag')!;
    expect(res.headers.get('last-modified')).toBeTruthy();
    expect((await fetch(`${url}/api/files/docs/${id}/${png}`, { headers: { 'if-none-match': etag } })).status).toBe(
      304,
    );
    const download = await fetch(`${url}/api/files/docs/${id}/${png}?download=1`);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${png}"`);
  });

  it('ranges: 206 with the bytes asked for, 416 past the end', async () => {
    const part = await fetch(`${url}/api/files/docs/${id}/${text}`, { headers: { range: 'bytes=2-5' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 2-5/10');
    expect(await part.text()).toBe('2345');
    const tail = await fetch(`${url}/api/files/docs/${id}/${text}`, { headers: { range: 'bytes=-3' } });
    expect(await tail.text()).toBe('789');
    const past = await fetch(`${url}/api/files/docs/${id}/${text}`, { headers: { range: 'bytes=20-' } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */10');
  });

  it('anything that is not a stored file of that record is a 404', async () => {
    const other = await send('POST', '/api/collections/docs/records', form({ cover: [PNG, 'o.png'] }));
    for (const path of [
      `/api/files/docs/${id}/..%2F..%2Fdata.db`,
      `/api/files/docs/${id}/${encodeURIComponent('../../data.db')}`,
      `/api/files/docs/${id}/${other.body.cover}`,
      `/api/files/docs/nope/${png}`,
      `/api/files/nope/${id}/${png}`,
    ]) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('SQLite');
    }
  });
});

describe('thumbnails', () => {
  it('are made once per allowed size, of the type of the image; other sizes serve the original', async () => {
    const image = await sharp({ create: { width: 100, height: 40, channels: 3, background: '#3366ff' } })
      .png()
      .toBuffer();
    const created = await send('POST', '/api/collections/docs/records', form({ cover: [image, 'wide.png'] }));
    const path = `/api/files/docs/${created.body.id}/${created.body.cover}`;
    const size = async (thumb: string) => {
      const res = await fetch(`${url}${path}?thumb=${thumb}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      return `${meta.width}x${meta.height}`;
    };
    expect(await size('50x20')).toBe('50x20');
    expect(await size('40x40t')).toBe('40x40');
    expect(await size('0x10')).toBe('25x10');
    expect(await size('10x0')).toBe('10x4');
    expect(await size('30x30f')).toBe('30x12');
    expect(await size('100x100')).toBe('100x100');
    expect(await size('77x77')).toBe('100x40');
    const folder = join(storageDir(), docsId(), created.body.id, `thumbs_${created.body.cover}`);
    expect(readdirSync(folder).sort()).toEqual(
      ['0x10', '100x100', '10x0', '30x30f', '40x40t', '50x20'].map((s) => `${s}_${created.body.cover}`).sort(),
    );
    // Replacing the image removes its thumbnails with it.
    await send('PATCH', `/api/collections/docs/records/${created.body.id}`, form({ cover: [image, 'next.png'] }));
    expect(existsSync(folder)).toBe(false);
  });
});

describe('protected files', () => {
  it('need a file token of a caller the view rule lets see the record', async () => {
    const created = await send(
      'POST',
      '/api/collections/docs/records',
      (() => {
        const data = form({ secret: [PNG, 's.png'] });
        data.append('owner', ann.record.id);
        return data;
      })(),
    );
    expect(created.status).toBe(200);
    const path = `/api/files/docs/${created.body.id}/${created.body.secret}`;
    expect((await fetch(`${url}${path}`)).status).toBe(404);
    expect((await send('POST', '/api/files/token')).status).toBe(401);
    const annToken = (await send('POST', '/api/files/token', undefined, ann.token)).body.token;
    const bobToken = (await send('POST', '/api/files/token', undefined, bob.token)).body.token;
    const ok = await fetch(`${url}${path}?token=${annToken}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toContain('private');
    expect((await fetch(`${url}${path}?token=${bobToken}`)).status).toBe(404);
    expect((await fetch(`${url}${path}?token=${annToken.slice(0, -2)}xx`)).status).toBe(404);
  });
});

describe('the official SDK', () => {
  it('creates with FormData, appends and removes, reads through getURL, and a protected file through getToken', async () => {
    const pb = new PocketBase(url);
    await pb.collection('members').authWithPassword('ann', 'password123');
    const data = new FormData();
    data.append('attachments', new Blob([PNG]), 'sdk.png');
    data.append('secret', new Blob([PNG]), 'secret.png');
    data.append('owner', ann.record.id);
    const record = await pb.collection('docs').create(data);
    expect(record.attachments).toHaveLength(1);
    const updated = await pb.collection('docs').update(record.id, {
      'attachments+': new File([Buffer.from('text')], 'more.txt'),
    });
    expect(updated.attachments).toHaveLength(2);
    const trimmed = await pb.collection('docs').update(record.id, { 'attachments-': [record.attachments[0]] });
    expect(trimmed.attachments).toEqual([updated.attachments[1]]);
    const res = await fetch(pb.files.getURL(trimmed, trimmed.attachments[0]));
    expect(await res.text()).toBe('text');
    const token = await pb.files.getToken();
    const secret = await fetch(pb.files.getURL(trimmed, trimmed.secret, { token }));
    expect(secret.status).toBe(200);
    expect(Buffer.from(await secret.arrayBuffer())).toEqual(PNG);
  });

  it('the users collection’s avatar works out of the box', async () => {
    const pb = new PocketBase(url);
    const user = await pb.collection('users').create({
      email: 'avatar@example.com',
      password: 'password123',
      passwordConfirm: 'password123',
      avatar: new File([PNG], 'me.png'),
    });
    expect(user.avatar).toMatch(/^me_[a-z0-9]{10}\.png$/);
    const res = await fetch(pb.files.getURL(user, user.avatar));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
  });
});
