// POST /api/batch through the official SDK (createBatch().send()): creates, upserts, updates and deletes in one
// transaction with the caller's rules, files included; the first failure rolls everything back and is named.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import PocketBase, { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { sdkApp } from '../helpers/sdk-app.js';
import type { TempDirs } from '../helpers/temp-app.js';

const notes = {
  name: 'notes',
  listRule: '',
  viewRule: '',
  // Guests may only create notes titled "guest ..."; everything else is for superusers.
  createRule: '@request.body.title ~ "guest%"',
  updateRule: null,
  deleteRule: null,
  fields: [
    { name: 'title', type: 'text', required: true, max: 50 },
    { name: 'attachment', type: 'file', maxSelect: 1 },
  ],
};

let app: SatchelApp;
let dirs: TempDirs;
let pb: PocketBase;
let guest: PocketBase;
let done: () => Promise<void>;

beforeAll(async () => {
  ({ app, dirs, pb, cleanup: done } = await sdkApp([notes], { rateLimit: false }));
  guest = new PocketBase(pb.baseURL).autoCancellation(false);
});

afterAll(() => done());

const titles = async () => (await pb.collection('notes').getFullList({ sort: 'title' })).map((r) => r.title as string);

/** Every file kept in local storage for the notes collection, as `recordId/name` (thumbnails aside). */
function storedFiles(): string[] {
  const root = join(dirs.dataDir, 'storage', app.records.catalog.find('notes')!.id);
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((id) =>
    readdirSync(join(root, id))
      .filter((name) => !name.startsWith('thumbs_'))
      .map((name) => `${id}/${name}`),
  );
}

/** The 400 of a failed batch. */
async function failure(send: Promise<unknown>): Promise<ClientResponseError> {
  const err = await send.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ClientResponseError);
  return err as ClientResponseError;
}

describe('batch', () => {
  it('is refused while the settings keep it off', async () => {
    const batch = pb.createBatch();
    batch.collection('notes').create({ title: 'x' });
    const err = await failure(batch.send());
    expect(err.status).toBe(403);
    expect(err.message).toBe('Batch requests are not allowed.');
    await pb.settings.update({ batch: { enabled: true, maxRequests: 5 } });
  });

  it('runs creates, upserts, updates and deletes in order and answers each', async () => {
    const kept = await pb.collection('notes').create({ title: 'kept' });
    const gone = await pb.collection('notes').create({ title: 'gone' });
    const batch = pb.createBatch();
    batch.collection('notes').create({ title: 'created' });
    batch.collection('notes').upsert({ id: 'upsertnew000001', title: 'upserted new' });
    batch.collection('notes').upsert({ id: kept.id, title: 'kept, upserted' });
    batch.collection('notes').update(kept.id, { title: 'kept, updated' });
    batch.collection('notes').delete(gone.id);
    const results = await batch.send();
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 204]);
    expect(results[0]!.body).toMatchObject({ title: 'created', collectionName: 'notes' });
    expect(results[1]!.body).toMatchObject({ id: 'upsertnew000001', title: 'upserted new' });
    expect(results[3]!.body).toMatchObject({ id: kept.id, title: 'kept, updated' });
    expect(await titles()).toEqual(['created', 'kept, updated', 'upserted new']);
  });

  it('a failing request rolls back the whole batch and is named with its response', async () => {
    const before = await titles();
    const batch = pb.createBatch();
    batch.collection('notes').create({ title: 'first of a failed batch' });
    batch.collection('notes').create({ title: 'x'.repeat(51) });
    batch.collection('notes').create({ title: 'never reached' });
    const err = await failure(batch.send());
    expect(err.status).toBe(400);
    expect(err.message).toBe('Batch transaction failed.');
    expect(err.response.data.requests['1']).toMatchObject({
      code: 'batch_request_failed',
      message: 'Batch request failed.',
      response: { status: 400, data: { title: { code: expect.any(String) } } },
    });
    expect(await titles()).toEqual(before);
  });

  it("runs with the caller's rules: a guest's batch cannot do what the guest cannot", async () => {
    const before = await titles();
    const batch = guest.createBatch();
    batch.collection('notes').create({ title: 'guest note' });
    // A token in a request's own headers is ignored: the batch's caller decides.
    batch
      .collection('notes')
      .create({ title: 'not a guest title' }, { headers: { Authorization: pb.authStore.token } });
    const err = await failure(batch.send());
    expect(err.response.data.requests['1'].response.status).toBe(400);
    expect(await titles()).toEqual(before);
    const ok = guest.createBatch();
    ok.collection('notes').create({ title: 'guest note' });
    expect((await ok.send())[0]!.status).toBe(200);
  });

  it('carries files, and refuses too many requests or other routes', async () => {
    const batch = pb.createBatch();
    batch.collection('notes').create({ title: 'with file', attachment: new File(['batch bytes'], 'b.txt') });
    const [result] = await batch.send();
    const record = result!.body as { id: string; collectionId: string; attachment: string };
    expect(record.attachment).toMatch(/^b_\w+\.txt$/);
    const served = await fetch(pb.files.getURL(record, record.attachment));
    expect(await served.text()).toBe('batch bytes');

    const many = pb.createBatch();
    for (let i = 0; i < 6; i++) many.collection('notes').create({ title: `n${i}` });
    const err = await failure(many.send());
    expect(err.status).toBe(400);
    expect(err.response.data.requests.message).toMatch(/at most 5/);

    const raw = await fetch(`${pb.baseURL}/api/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: pb.authStore.token },
      body: JSON.stringify({ requests: [{ method: 'GET', url: '/api/collections/notes/records' }] }),
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as any).data.requests['0'].response.message).toBe('Unknown batch request action.');
    expect(app.settings.get().batch.enabled).toBe(true);
  });

  it("runs each request's hooks, and answers each as its route would (?fields=, expand)", async () => {
    const hookId = app.onRecordCreateRequest(['notes'], (e) => {
      e.body.title = `${String(e.body.title)} (hooked)`;
      return e.next();
    });
    try {
      const batch = pb.createBatch();
      batch.collection('notes').create({ title: 'via batch' }, { fields: 'id,title' });
      const [result] = await batch.send();
      expect(Object.keys(result!.body as object).sort()).toEqual(['id', 'title']);
      expect((result!.body as { title: string }).title).toBe('via batch (hooked)');
      expect((await pb.collection('notes').getOne((result!.body as { id: string }).id)).title).toBe(
        'via batch (hooked)',
      );
    } finally {
      app.hooks.onRecordCreateRequest.unbind(hookId);
    }
  });

  it('sends files as multipart (@jsonPayload with requests.N.field parts) into creates and updates', async () => {
    const target = await pb.collection('notes').create({ title: 'to get a file' });
    const batch = pb.createBatch();
    batch.collection('notes').create({ title: 'blob upload', attachment: new Blob(['blob bytes']) });
    batch.collection('notes').update(target.id, { attachment: new File(['updated bytes'], 'u.txt') });
    const [created, updated] = await batch.send();
    const a = created!.body as { id: string; collectionId: string; attachment: string };
    const b = updated!.body as { id: string; collectionId: string; attachment: string };
    expect(a.attachment).not.toBe('');
    expect(b.attachment).toMatch(/^u_\w+\.txt$/);
    expect(await (await fetch(pb.files.getURL(a, a.attachment))).text()).toBe('blob bytes');
    expect(await (await fetch(pb.files.getURL(b, b.attachment))).text()).toBe('updated bytes');
    expect(storedFiles()).toEqual(expect.arrayContaining([`${a.id}/${a.attachment}`, `${b.id}/${b.attachment}`]));
  });

  it('a failed batch leaves no stored file behind, from a create or an update before the failure', async () => {
    const target = await pb
      .collection('notes')
      .create({ title: 'keeps its file', attachment: new File(['old'], 'o.txt') });
    const before = storedFiles().sort();
    const batch = pb.createBatch();
    batch.collection('notes').create({ title: 'rolled back', attachment: new File(['lost bytes'], 'lost.txt') });
    batch.collection('notes').update(target.id, { attachment: new File(['new'], 'n.txt') });
    batch.collection('notes').create({ title: 'x'.repeat(51) });
    const err = await failure(batch.send());
    expect(err.response.data.requests['2'].response.status).toBe(400);
    expect(storedFiles().sort()).toEqual(before);
    const kept = await pb.collection('notes').getOne(target.id);
    expect(await (await fetch(pb.files.getURL(kept, kept.attachment as string))).text()).toBe('old');
    expect((await pb.collection('notes').getFullList({ filter: 'title = "rolled back"' })).length).toBe(0);
  });
});
