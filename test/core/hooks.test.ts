// Record hooks: before/after the built-in write, inside its transaction, after commit, and around the request.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/core/errors.js';
import { openEngine, type Engine } from '../../src/core/engine.js';
import { GUEST } from '../../src/core/records/index.js';
import { OPEN_RULES, tempDirs, type TempDirs } from '../helpers/temp-app.js';

let engine: Engine;
let dirs: TempDirs;

beforeEach(async () => {
  dirs = tempDirs();
  dirs.writeCollection({
    name: 'posts',
    ...OPEN_RULES,
    fields: [
      { name: 'title', type: 'text', max: 10 },
      { name: 'slug', type: 'text' },
    ],
  });
  dirs.writeCollection({ name: 'audit', ...OPEN_RULES, fields: [{ name: 'what', type: 'text' }] });
  engine = await openEngine({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir });
});
afterEach(async () => {
  await engine.close();
  dirs.remove();
});

const count = async (collection: string) => (await engine.records.list(collection, {}, GUEST)).totalItems;

describe('record hooks', () => {
  it('a model hook can change the record before it is stored, and sees it stored after next()', async () => {
    const seen: unknown[] = [];
    engine.records.hooks.onRecordCreate.bind(
      async (e) => {
        e.record.slug = String(e.record.title).toLowerCase();
        await e.next();
        // Inside the transaction: the store reads through it, so the row written by next() is there.
        seen.push(await engine.store.one('SELECT slug FROM posts WHERE id = ?', [e.record.id]));
      },
      { tags: ['posts'] },
    );
    const rec = await engine.records.create('posts', { title: 'Hello' }, GUEST);
    expect(rec.slug).toBe('hello');
    expect(seen).toEqual([{ slug: 'hello' }]);
  });

  it('values a hook sets are validated again', async () => {
    engine.records.hooks.onRecordCreate.bind((e) => {
      e.record.title = 'far too long a title';
      e.next();
    });
    await expect(engine.records.create('posts', { title: 'ok' }, GUEST)).rejects.toMatchObject({
      status: 400,
      data: { title: { code: 'validation_max_text_constraint' } },
    });
    expect(await count('posts')).toBe(0);
  });

  it('a hook that throws rolls back every write of the transaction, its own included', async () => {
    engine.records.hooks.onRecordCreate.bind(
      async (e) => {
        await engine.store.run("INSERT INTO audit (id, what) VALUES ('audit0000000001', 'x')");
        await e.next();
        throw ApiError.badRequest('Failed to create record.', { title: { code: 'taken', message: 'No.' } });
      },
      { tags: ['posts'] },
    );
    await expect(engine.records.create('posts', { title: 'x' }, GUEST)).rejects.toMatchObject({ status: 400 });
    expect(await count('posts')).toBe(0);
    expect(await count('audit')).toBe(0);
  });

  it('tags limit a handler to its collections', async () => {
    const calls: string[] = [];
    engine.records.hooks.onRecordCreate.bind(
      (e) => {
        calls.push(e.collection.name);
        e.next();
      },
      { tags: ['audit'] },
    );
    await engine.records.create('posts', { title: 'p' }, GUEST);
    await engine.records.create('audit', { what: 'a' }, GUEST);
    expect(calls).toEqual(['audit']);
  });

  it('a handler may await inside the transaction; a handler that calls next() without awaiting it works too', async () => {
    engine.records.hooks.onRecordCreate.bind(async (e) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      e.record.slug = 'waited';
      e.next();
    });
    const rec = await engine.records.create('posts', { title: 'p' }, GUEST);
    expect(rec.slug).toBe('waited');
    expect((await engine.records.view('posts', rec.id as string, GUEST)).slug).toBe('waited');
  });

  it('other writers wait for a transaction that awaits; reads see only what was committed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    engine.records.hooks.onRecordCreate.bind(
      async (e) => {
        await e.next();
        entered();
        await gate;
      },
      { tags: ['posts'] },
    );
    const slow = engine.records.create('posts', { title: 'slow' }, GUEST);
    await inside;
    // The slow create's row is written but not committed: a read does not see it, and is not blocked.
    expect(await count('posts')).toBe(0);
    let otherDone = false;
    const other = engine.records.create('audit', { what: 'queued' }, GUEST).then(() => (otherDone = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(otherDone).toBe(false);
    release();
    await Promise.all([slow, other]);
    expect(await count('posts')).toBe(1);
    expect(await count('audit')).toBe(1);
  });

  it('after-success hooks run after commit; their errors do not undo the write', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const order: string[] = [];
    engine.records.hooks.onRecordUpdate.bind(async (e) => {
      order.push('update');
      await e.next();
    });
    engine.records.hooks.onRecordAfterUpdateSuccess.bind(async (e) => {
      order.push(`after:${e.record.title}`);
      throw new Error('webhook down');
    });
    const rec = await engine.records.create('posts', { title: 'a' }, GUEST);
    const updated = await engine.records.update('posts', rec.id as string, { title: 'b' }, GUEST);
    expect(updated.title).toBe('b');
    expect(order).toEqual(['update', 'after:b']);
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  it('request hooks can change the body, answer by themselves, or stop a delete', async () => {
    engine.records.hooks.onRecordCreateRequest.bind(async (e) => {
      e.body.title = `[${String(e.body.title)}]`;
      await e.next();
      e.result = { ...e.result, extra: true };
    });
    const rec = await engine.records.create('posts', { title: 'x' }, GUEST);
    expect(rec).toMatchObject({ title: '[x]', extra: true });

    engine.records.hooks.onRecordDeleteRequest.bind(() => {
      throw ApiError.forbidden('Posts are forever.');
    });
    await expect(engine.records.delete('posts', rec.id as string, GUEST)).rejects.toMatchObject({ status: 403 });
    expect(await count('posts')).toBe(1);
  });

  it('unbind removes a handler', async () => {
    const id = engine.records.hooks.onRecordCreate.bind(() => {
      throw new Error('should not run');
    });
    engine.records.hooks.onRecordCreate.unbind(id);
    await expect(engine.records.create('posts', { title: 'p' }, GUEST)).resolves.toMatchObject({ title: 'p' });
  });
});

describe('sequences', () => {
  it('count up per name inside the write transaction: a rolled-back create gives its number back', async () => {
    engine.records.hooks.onRecordCreate.bind(
      async (e) => {
        e.record.slug = String(await engine.sequences.next('posts'));
        await e.next();
        if (e.record.title === 'fail') throw new Error('refused after the number was taken');
      },
      { tags: ['posts'] },
    );
    const first = await engine.records.create('posts', { title: 'a' }, GUEST);
    await expect(engine.records.create('posts', { title: 'fail' }, GUEST)).rejects.toThrow('refused');
    const second = await engine.records.create('posts', { title: 'b' }, GUEST);
    expect([first.slug, second.slug]).toEqual(['1', '2']);
    await engine.records.delete('posts', second.id as string, GUEST);
    expect((await engine.records.create('posts', { title: 'c' }, GUEST)).slug).toBe('3');
    expect(await engine.sequences.current('posts')).toBe(3);
    expect(await engine.sequences.current('other')).toBe(0);
  });
});
