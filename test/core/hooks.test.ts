// Record hooks: before/after the built-in write, inside its transaction, after commit, and around the request.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/core/errors.js';
import { openEngine, type Engine } from '../../src/core/engine.js';
import { GUEST } from '../../src/core/records/access.js';
import { OPEN_RULES, tempDirs, type TempDirs } from '../helpers/temp-app.js';

let engine: Engine;
let dirs: TempDirs;

beforeEach(() => {
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
  engine = openEngine({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir });
});
afterEach(() => {
  engine.close();
  dirs.remove();
});

const count = (collection: string) => engine.records.list(collection, {}, GUEST).totalItems;

describe('record hooks', () => {
  it('a model hook can change the record before it is stored, and sees it stored after next()', async () => {
    const seen: unknown[] = [];
    engine.records.hooks.onRecordCreate.bind(
      (e) => {
        e.record.slug = String(e.record.title).toLowerCase();
        e.next();
        seen.push(engine.db.raw.prepare('SELECT slug FROM posts WHERE id = ?').get(e.record.id));
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
    expect(count('posts')).toBe(0);
  });

  it('a hook that throws rolls back every write of the transaction, its own included', async () => {
    engine.records.hooks.onRecordCreate.bind(
      (e) => {
        engine.db.raw.prepare("INSERT INTO audit (id, what) VALUES ('audit0000000001', 'x')").run();
        e.next();
        throw ApiError.badRequest('Failed to create record.', { title: { code: 'taken', message: 'No.' } });
      },
      { tags: ['posts'] },
    );
    await expect(engine.records.create('posts', { title: 'x' }, GUEST)).rejects.toMatchObject({ status: 400 });
    expect(count('posts')).toBe(0);
    expect(count('audit')).toBe(0);
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

  it('an async handler inside the transaction is refused', async () => {
    engine.records.hooks.onRecordCreate.bind(async (e) => e.next());
    await expect(engine.records.create('posts', { title: 'p' }, GUEST)).rejects.toThrow(/synchronous/);
    expect(count('posts')).toBe(0);
  });

  it('after-success hooks run after commit; their errors do not undo the write', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const order: string[] = [];
    engine.records.hooks.onRecordUpdate.bind((e) => {
      order.push('update');
      e.next();
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
    expect(count('posts')).toBe(1);
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
      (e) => {
        e.record.slug = String(engine.sequences.next('posts'));
        e.next();
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
    expect(engine.sequences.current('posts')).toBe(3);
    expect(engine.sequences.current('other')).toBe(0);
  });
});
