// GET /api/openapi.json: an OpenAPI 3.1 document of the live schema that a validator accepts, whose examples the
// running server answers with the documented statuses, and that follows the rules and schema changes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkApp, type SdkApp } from '../helpers/sdk-app.js';
import { openApiProblems, runExamples } from '../helpers/openapi-examples.js';

const ROOT = join(import.meta.dirname, '..', '..');
const shipped = (name: string) => JSON.parse(readFileSync(join(ROOT, 'collections', `${name}.json`), 'utf8'));

/** Every rule locked: superusers only. */
const LOCKED = { name: 'secrets', fields: [{ name: 'value', type: 'text' }] };
/** One field of each type, with options that show in the schema. */
const TYPED = {
  name: 'typed',
  listRule: '',
  viewRule: '',
  createRule: '',
  updateRule: '',
  deleteRule: null,
  fields: [
    { name: 'title', type: 'text', required: true, min: 2, max: 20, pattern: '^[A-Za-z ]+$' },
    { name: 'count', type: 'number', onlyInt: true, min: 1, max: 100 },
    { name: 'ratio', type: 'number' },
    { name: 'flag', type: 'bool' },
    { name: 'site', type: 'url' },
    { name: 'contact', type: 'email' },
    { name: 'when', type: 'date' },
    { name: 'status', type: 'select', values: ['draft', 'live'], required: true },
    { name: 'labels', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
    { name: 'meta', type: 'json' },
    { name: 'body', type: 'editor' },
    { name: 'place', type: 'geoPoint' },
    { name: 'owner', type: 'relation', collectionId: 'users', maxSelect: 1 },
    { name: 'secretNote', type: 'text', hidden: true },
  ],
};

/** A view: listed and viewed, never written. */
const VIEW = {
  name: 'title_counts',
  type: 'view',
  listRule: '',
  viewRule: '',
  viewQuery: 'SELECT p.id, p.title, p.views * 2 AS doubled FROM posts p',
};

let t: SdkApp;

async function documentAs(token?: string): Promise<any> {
  const res = await fetch(`${t.server.url}/api/openapi.json`, { headers: token ? { authorization: token } : {} });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return res.json();
}

beforeAll(async () => {
  t = await sdkApp([shipped('users'), shipped('posts'), LOCKED, TYPED, VIEW]);
});
afterAll(() => t?.cleanup());

describe('the document', () => {
  it('is valid OpenAPI 3.1, for guests and for superusers', async () => {
    const [guest, superuser] = [await documentAs(), await documentAs(t.pb.authStore.token)];
    expect(guest.openapi).toBe('3.1.0');
    expect(await openApiProblems(guest)).toEqual([]);
    expect(await openApiProblems(superuser)).toEqual([]);
  });

  it('describes the record routes of each collection with field schemas from their definitions', async () => {
    const doc = await documentAs();
    const list = doc.paths['/api/collections/posts/records'].get;
    expect(list.parameters.map((p: any) => p.name)).toEqual([
      'page',
      'perPage',
      'sort',
      'filter',
      'expand',
      'fields',
      'skipTotal',
    ]);
    expect(list.parameters.find((p: any) => p.name === 'filter').description).toMatch(/&&.*\?=/);
    expect(Object.keys(doc.paths['/api/collections/posts/records/{id}']).sort()).toEqual(['delete', 'get', 'patch']);
    const typed = doc.components.schemas.TypedRecord.properties;
    expect(typed.title).toMatchObject({ type: 'string', minLength: 2, maxLength: 20, pattern: '^[A-Za-z ]+$' });
    expect(typed.count).toMatchObject({ type: 'integer', anyOf: [{ const: 0 }, { minimum: 1 }] });
    expect(typed.status).toMatchObject({ type: 'string', enum: ['draft', 'live'] });
    expect(typed.labels).toMatchObject({ type: 'array', items: { enum: ['a', 'b', 'c'] }, maxItems: 3 });
    expect(typed.place.properties.lat).toMatchObject({ minimum: -90, maximum: 90 });
    expect(typed.created).toMatchObject({ type: 'string', readOnly: true });
    expect(doc.components.schemas.TypedCreate.required).toEqual(['title', 'status']);
    expect(doc.components.schemas.TypedUpdate.properties['count+']).toMatchObject({ type: 'number' });
    expect(doc.components.schemas.TypedExpand.properties.owner).toEqual({ $ref: '#/components/schemas/UsersRecord' });
    // The users' auth fields: never the password hash or token key; the password only in bodies.
    expect(doc.components.schemas.UsersRecord.properties).not.toHaveProperty('password');
    expect(doc.components.schemas.UsersRecord.properties).not.toHaveProperty('tokenKey');
    expect(doc.components.schemas.UsersCreate.required).toEqual(['password', 'email', 'passwordConfirm']);
    expect(doc.components.securitySchemes.token).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
  });

  it("gives every operation a curl and a JS SDK sample at the server's address", async () => {
    const doc = await documentAs(t.pb.authStore.token);
    for (const [path, methods] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(methods)) {
        expect(
          op['x-codeSamples'].map((s: any) => s.label),
          `${method} ${path}`,
        ).toEqual(['curl', 'JS SDK']);
        expect(op['x-codeSamples'][0].source).toContain(`curl -X ${method.toUpperCase()} '${t.server.url}`);
        expect(op['x-codeSamples'][1].source).toContain(`new PocketBase('${t.server.url}')`);
      }
    }
    const create = doc.paths['/api/collections/posts/records'].post['x-codeSamples'][1].source;
    expect(create).toContain(
      `await pb.collection('posts').create({"title":"Example title","views":42,"tags":["news"]});`,
    );
  });

  it("follows the rules: locked collections and operations only in the superusers' document", async () => {
    const guest = await documentAs();
    const superuser = await documentAs(t.pb.authStore.token);
    expect(guest.paths).not.toHaveProperty('/api/collections/secrets/records');
    expect(guest.components.schemas).not.toHaveProperty('SecretsRecord');
    expect(guest.paths).not.toHaveProperty('/api/collections/_superusers/auth-with-password');
    expect(guest.paths['/api/collections/typed/records/{id}']).not.toHaveProperty('delete');
    // Hidden fields: not in what guests are told.
    expect(guest.components.schemas.TypedRecord.properties).not.toHaveProperty('secretNote');
    expect(superuser.paths).toHaveProperty('/api/collections/secrets/records');
    expect(superuser.paths['/api/collections/typed/records/{id}']).toHaveProperty('delete');
    expect(superuser.components.schemas.TypedRecord.properties).toHaveProperty('secretNote');
    expect(superuser.paths).toHaveProperty('/api/collections/_superusers/auth-with-password');
    expect(guest.paths).not.toHaveProperty('/api/settings');
    expect(superuser.paths['/api/settings'].patch.security).toEqual([{ token: [] }]);
  });

  it('changes as soon as a collection changes through the collections API', async () => {
    const posts = await t.pb.collections.getOne('posts');
    await t.pb.collections.update('posts', { fields: [...posts.fields, { name: 'score', type: 'number', max: 5 }] });
    await t.pb.collections.create({ name: 'notes', listRule: '', fields: [{ name: 'text', type: 'text' }] });
    const doc = await documentAs();
    expect(doc.components.schemas.PostsRecord.properties.score).toMatchObject({ type: 'number' });
    expect(doc.paths['/api/collections/notes/records'].get).toBeDefined();
    // notes has only a list rule: no create, view, update or delete for guests.
    expect(doc.paths['/api/collections/notes/records'].post).toBeUndefined();
    await t.pb.collections.delete('notes');
    expect((await documentAs()).paths).not.toHaveProperty('/api/collections/notes/records');
  });

  it('lists and views a view collection, and has no write routes for it', async () => {
    const doc = await documentAs();
    expect(Object.keys(doc.paths['/api/collections/title_counts/records'])).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/collections/title_counts/records/{id}'])).toEqual(['get']);
    expect(doc.components.schemas.TitleCountsRecord.properties.title).toMatchObject({ type: 'string' });
  });

  it('has POST /api/batch only while batches are on', async () => {
    expect((await documentAs()).paths).not.toHaveProperty('/api/batch');
    await t.pb.settings.update({ batch: { enabled: true } });
    try {
      expect((await documentAs()).paths['/api/batch'].post.responses).toHaveProperty('200');
    } finally {
      await t.pb.settings.update({ batch: { enabled: false } });
    }
  });

  it('has PUT /user while the setting serves it', async () => {
    expect((await documentAs()).paths['/user'].put.requestBody.content['application/json'].schema.required).toEqual([
      'username',
      'password',
      'passwordConfirm',
      'email',
    ]);
    await t.pb.settings.update({ putUser: { enabled: false } });
    try {
      expect((await documentAs()).paths).not.toHaveProperty('/user');
    } finally {
      await t.pb.settings.update({ putUser: { enabled: true } });
    }
  });

  it('writes error responses in the format the settings choose', async () => {
    let doc = await documentAs();
    const created = doc.paths['/api/collections/posts/records'].post.responses['400'].content;
    expect(created['application/json'].example).toEqual({
      status: 400,
      message: 'Failed to create record.',
      data: { title: { code: 'validation_required', message: 'Cannot be blank.' } },
    });
    await t.pb.settings.update({ errors: 'problem+json' });
    try {
      doc = await documentAs();
      const problem = doc.paths['/api/collections/posts/records'].post.responses['400'].content;
      expect(problem['application/problem+json'].example).toMatchObject({
        status: 400,
        detail: 'Failed to create record.',
        errors: { title: { code: 'validation_required' } },
      });
      // The example is what the server answers.
      const res = await fetch(`${t.server.url}/api/collections/posts/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toEqual(problem['application/problem+json'].example);
    } finally {
      await t.pb.settings.update({ errors: 'pocketbase' });
    }
  });
});

describe('the examples', () => {
  it('are answered by the running server with the documented status and shape', async () => {
    const doc = await documentAs(t.pb.authStore.token);
    const run = await runExamples(doc, t.server.url, t.pb.authStore.token);
    expect(run.failures).toEqual([]);
    // The run reached the record routes and the sign-in (a run that sent nothing would prove nothing).
    expect(run.sent).toContain('POST /api/collections/posts/records created -> 200');
    expect(run.sent).toContain('POST /api/collections/posts/records invalid -> 400');
    expect(run.sent).toContain('PATCH /api/collections/users/records/{id} updated -> 200');
    expect(run.sent).toContain('POST /api/collections/users/auth-with-password signedIn -> 200');
    expect(run.sent).toContain('DELETE /api/collections/typed/records/{id} no body -> 204');
    expect(run.sent).toContain('PUT /user signedUp -> 200');
    // The superusers' routes, in their document only.
    expect(run.sent).toContain('GET /api/collections no body -> 200');
    expect(run.sent).toContain('GET /api/settings no body -> 200');
    expect(run.sent).toContain('GET /api/backups no body -> 200');
    expect(run.sent).toContain('PUT /user missingFields -> 400');
    expect(run.sent.length).toBeGreaterThan(20);
  });

  it('hold with problem+json errors too (each error answer documented under application/problem+json)', async () => {
    // The users an earlier run signed up (PUT /user's are not deleted by the examples): a clean slate.
    for (const user of await t.pb.collection('users').getFullList()) await t.pb.collection('users').delete(user.id);
    await t.pb.settings.update({ errors: 'problem+json' });
    try {
      const doc = await documentAs(t.pb.authStore.token);
      const run = await runExamples(doc, t.server.url, t.pb.authStore.token);
      expect(run.failures).toEqual([]);
      expect(run.sent).toContain('POST /api/collections/posts/records invalid -> 400');
      expect(run.sent).toContain('PUT /user missingFields -> 400');
    } finally {
      await t.pb.settings.update({ errors: 'pocketbase' });
    }
  });
});
