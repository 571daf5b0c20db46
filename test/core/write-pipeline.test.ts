// The one write path: every record a write touches (cascades, detaches, the auth flows, a hook's own writes)
// fires the model events inside the transaction and the after-commit (or after-error) events once it ends.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { ApiError } from '../../src/core/errors.js';
import { GUEST, SUPERUSER, type RecordModelEvent } from '../../src/core/records/index.js';
import { memberCollection, signUp } from '../helpers/auth.js';
import { runScenario } from '../helpers/scenario.js';
import { OPEN_RULES, tempApp } from '../helpers/temp-app.js';

let app: SatchelApp;
let cleanup: () => Promise<void>;

/** Every event of every record hook, as `hook collection id [cause]`. */
let seen: string[];

function record(hook: string) {
  return (e: RecordModelEvent) => {
    seen.push(`${hook} ${e.collection.name} ${String(e.record.id)}${e.cause ? ` ${e.cause}` : ''}`);
    return e.next();
  };
}

beforeEach(async () => {
  ({ app, cleanup } = await tempApp(
    [
      { name: 'posts', ...OPEN_RULES, fields: [{ name: 'title', type: 'text' }] },
      {
        name: 'comments',
        ...OPEN_RULES,
        fields: [
          { name: 'text', type: 'text' },
          { name: 'post', type: 'relation', collectionId: 'posts', cascadeDelete: true, maxSelect: 1 },
        ],
      },
      { name: 'tags', ...OPEN_RULES, fields: [{ name: 'name', type: 'text' }] },
      {
        name: 'articles',
        ...OPEN_RULES,
        fields: [
          { name: 'title', type: 'text' },
          { name: 'tags', type: 'relation', collectionId: 'tags', maxSelect: 5 },
          { name: 'lead', type: 'relation', collectionId: 'tags', maxSelect: 1, required: false },
        ],
      },
      {
        name: 'pins',
        ...OPEN_RULES,
        fields: [{ name: 'tag', type: 'relation', collectionId: 'tags', maxSelect: 1, required: true }],
      },
      memberCollection('members'),
    ],
    { rateLimit: false },
  ));
  seen = [];
  for (const hook of [
    'onRecordCreate',
    'onRecordUpdate',
    'onRecordDelete',
    'onRecordAfterCreateSuccess',
    'onRecordAfterUpdateSuccess',
    'onRecordAfterDeleteSuccess',
    'onRecordAfterCreateError',
    'onRecordAfterUpdateError',
    'onRecordAfterDeleteError',
  ] as const) {
    app.hooks[hook].bind(record(hook) as never);
  }
});
afterEach(() => cleanup());

const create = (collection: string, body: Record<string, unknown>) => app.records.create(collection, body, SUPERUSER);

describe('cascaded deletes', () => {
  it('deleting 1 post with 3 comments fires 4 delete events inside the transaction and 4 after it', async () => {
    const post = await create('posts', { title: 'p' });
    const comments = [];
    for (const n of [1, 2, 3]) comments.push(await create('comments', { text: `c${n}`, post: post.id }));
    seen = [];
    await app.records.delete('posts', String(post.id), GUEST);
    const ids = comments.map((c) => c.id);
    // The post's event wraps its comments': they are deleted inside its next().
    expect(seen.filter((s) => s.startsWith('onRecordDelete '))).toEqual([
      `onRecordDelete posts ${post.id}`,
      ...ids.map((id) => `onRecordDelete comments ${id} cascade`),
    ]);
    expect(seen.filter((s) => s.startsWith('onRecordAfterDeleteSuccess '))).toHaveLength(4);
    // The after-commit events come after every model event: the transaction had ended.
    const lastModel = seen.findLastIndex((s) => s.startsWith('onRecordDelete '));
    const firstAfter = seen.findIndex((s) => s.startsWith('onRecordAfterDeleteSuccess '));
    expect(firstAfter).toBeGreaterThan(lastModel);
    expect((await app.records.list('comments', {}, SUPERUSER)).totalItems).toBe(0);
  });

  it('a hook refusing one cascaded record rolls the whole delete back and fires the error events', async () => {
    const post = await create('posts', { title: 'p' });
    const kept = await create('comments', { text: 'keep me', post: post.id });
    app.hooks.onRecordDelete.bind(
      (e) => {
        if (e.record.text === 'keep me') throw ApiError.badRequest('This comment stays.');
        return e.next();
      },
      { tags: ['comments'] },
    );
    seen = [];
    await expect(app.records.delete('posts', String(post.id), SUPERUSER)).rejects.toMatchObject({ status: 400 });
    expect(await app.records.view('posts', String(post.id), SUPERUSER)).toMatchObject({ id: post.id });
    expect(await app.records.view('comments', String(kept.id), SUPERUSER)).toMatchObject({ id: kept.id });
    expect(seen.filter((s) => s.startsWith('onRecordAfterDeleteSuccess'))).toEqual([]);
    expect(seen.filter((s) => s.startsWith('onRecordAfterDeleteError'))).toContain(
      `onRecordAfterDeleteError comments ${kept.id} cascade`,
    );
  });
});

describe('detaches', () => {
  it('deleting a tag updates every article that points at it, through the update events', async () => {
    const [a, b] = [await create('tags', { name: 'a' }), await create('tags', { name: 'b' })];
    const multi = await create('articles', { title: 'multi', tags: [a.id, b.id] });
    const single = await create('articles', { title: 'single', lead: a.id });
    await new Promise((resolve) => setTimeout(resolve, 5));
    seen = [];
    await app.records.delete('tags', String(a.id), SUPERUSER);
    expect(seen.filter((s) => s.startsWith('onRecordUpdate ')).sort()).toEqual(
      [`onRecordUpdate articles ${multi.id} detach`, `onRecordUpdate articles ${single.id} detach`].sort(),
    );
    expect(seen.filter((s) => s.startsWith('onRecordAfterUpdateSuccess ')).sort()).toEqual(
      [
        `onRecordAfterUpdateSuccess articles ${multi.id} detach`,
        `onRecordAfterUpdateSuccess articles ${single.id} detach`,
      ].sort(),
    );
    const after = await app.records.view('articles', String(multi.id), SUPERUSER);
    expect(after.tags).toEqual([b.id]);
    expect(String(after.updated) > String(multi.updated)).toBe(true);
    expect((await app.records.view('articles', String(single.id), SUPERUSER)).lead).toBe('');
  });

  it('a required reference refuses the delete, and nothing changes', async () => {
    const tag = await create('tags', { name: 'pinned' });
    const pin = await create('pins', { tag: tag.id });
    const article = await create('articles', { title: 't', tags: [tag.id] });
    await expect(app.records.delete('tags', String(tag.id), SUPERUSER)).rejects.toMatchObject({ status: 400 });
    expect((await app.records.view('pins', String(pin.id), SUPERUSER)).tag).toBe(tag.id);
    expect((await app.records.view('articles', String(article.id), SUPERUSER)).tags).toEqual([tag.id]);
  });
});

describe('auth flows and nested writes', () => {
  it('confirming a verification, a password reset and an e-mail change each fire the update events', async () => {
    const member = await signUp(app, 'members', { email: 'ann@example.com', password: 'ann-password' });
    const members = app.records.collection('members');
    const stored = async () => (await app.records.storedById(members, String(member.id)))!;
    seen = [];
    const verification = await app.auth.issueToken(members, await stored(), 'verification', {
      email: 'ann@example.com',
    });
    await runScenario(app, {
      name: 'verify',
      method: 'POST',
      url: '/api/collections/members/confirm-verification',
      body: { token: verification },
      status: 204,
    });
    const reset = await app.auth.issueToken(members, await stored(), 'passwordReset', { email: 'ann@example.com' });
    await runScenario(app, {
      name: 'reset',
      method: 'POST',
      url: '/api/collections/members/confirm-password-reset',
      body: { token: reset, password: 'new-password-1', passwordConfirm: 'new-password-1' },
      status: 204,
    });
    const change = await app.auth.issueToken(members, await stored(), 'emailChange', {
      email: 'ann@example.com',
      newEmail: 'ann.new@example.com',
    });
    await runScenario(app, {
      name: 'change',
      method: 'POST',
      url: '/api/collections/members/confirm-email-change',
      body: { token: change, password: 'new-password-1' },
      status: 204,
    });
    expect(seen.filter((s) => s.startsWith('onRecordUpdate '))).toEqual([
      `onRecordUpdate members ${member.id} verification`,
      `onRecordUpdate members ${member.id} passwordReset`,
      `onRecordUpdate members ${member.id} emailChange`,
    ]);
    expect(seen.filter((s) => s.startsWith('onRecordAfterUpdateSuccess '))).toHaveLength(3);
    expect(await stored()).toMatchObject({ email: 'ann.new@example.com', verified: true });
  });

  it("a hook's own write joins the transaction: it commits with the record and rolls back with it", async () => {
    app.hooks.onRecordCreate.bind(
      async (e) => {
        await e.next();
        await app.records.create('tags', { name: `for ${String(e.record.title)}` }, SUPERUSER);
        if (e.record.title === 'fail') throw ApiError.badRequest('Refused after the tag was written.');
      },
      { tags: ['posts'] },
    );
    await create('posts', { title: 'ok' });
    await expect(create('posts', { title: 'fail' })).rejects.toMatchObject({ status: 400 });
    const names = (await app.records.list('tags', {}, SUPERUSER)).items.map((t) => t.name);
    expect(names).toEqual(['for ok']);
    // The nested create's after-success event waited for the outer commit, and the failed one never came.
    expect(seen.filter((s) => s.startsWith('onRecordAfterCreateSuccess tags'))).toHaveLength(1);
  });

  it('a write without model hooks (one statement, no transaction) still fires the after-commit events', async () => {
    const quiet = await tempApp([{ name: 'notes', ...OPEN_RULES, fields: [{ name: 'text', type: 'text' }] }]);
    try {
      const after = vi.fn((e: { next(): Promise<void> }) => e.next());
      quiet.app.onRecordAfterCreateSuccess('notes', after);
      await quiet.app.records.create('notes', { text: 'x' }, GUEST);
      expect(after).toHaveBeenCalledTimes(1);
    } finally {
      await quiet.cleanup();
    }
  });
});
