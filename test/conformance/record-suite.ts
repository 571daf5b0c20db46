// The record engine's behaviour on a given store engine: what a second database must do to serve Satchel's API.
// Runs the engine (no HTTP) over the engine under test: CRUD, filters, rules, expand, cascades, schema changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreEngine } from '../../src/core/db/index.js';
import { openEngine, type Engine } from '../../src/core/engine.js';
import { accessOf, GUEST, SUPERUSER, type Access, type RequestInfo } from '../../src/core/records/index.js';
import { OPEN_RULES, tempDirs, type TempDirs } from '../helpers/temp-app.js';

const withExpand = (expand: string): RequestInfo => ({
  method: 'GET',
  context: 'default',
  query: { expand },
  headers: {},
  body: {},
});

export function recordConformance(name: string, freshEngine: () => Promise<StoreEngine>): void {
  describe(`record engine conformance: ${name}`, () => {
    let storeEngine: StoreEngine;
    let dirs: TempDirs;
    let engine: Engine;
    let ann: Access;
    let bob: Access;

    const open = async () => {
      await engine?.close();
      engine = await openEngine({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir, storeEngine });
      return engine;
    };

    beforeAll(async () => {
      storeEngine = await freshEngine();
      dirs = tempDirs();
      dirs.writeCollection({
        name: 'people',
        type: 'auth',
        ...OPEN_RULES,
        listRule: 'id = @request.auth.id',
        fields: [{ name: 'name', type: 'text' }],
      });
      dirs.writeCollection({
        name: 'tags',
        ...OPEN_RULES,
        fields: [{ name: 'label', type: 'text', required: true }],
        indexes: ['CREATE UNIQUE INDEX idx_tags_label ON tags (label)'],
      });
      dirs.writeCollection({
        name: 'notes',
        ...OPEN_RULES,
        listRule: 'public = true || owner = @request.auth.id',
        viewRule: 'public = true || owner = @request.auth.id',
        updateRule: 'owner = @request.auth.id',
        deleteRule: 'owner = @request.auth.id',
        fields: [
          { name: 'title', type: 'text', required: true, max: 100 },
          { name: 'views', type: 'number' },
          { name: 'public', type: 'bool' },
          { name: 'owner', type: 'relation', collectionId: 'people', maxSelect: 1 },
          { name: 'tags', type: 'relation', collectionId: 'tags', maxSelect: 10 },
          { name: 'meta', type: 'json' },
          { name: 'kind', type: 'select', values: ['a', 'b', 'c'], maxSelect: 2 },
        ],
      });
      dirs.writeCollection({
        name: 'replies',
        ...OPEN_RULES,
        fields: [
          { name: 'text', type: 'text' },
          { name: 'note', type: 'relation', collectionId: 'notes', maxSelect: 1, cascadeDelete: true },
        ],
      });
      await open();
      const person = async (email: string, name: string) => {
        const made = await engine.records.create(
          'people',
          { email, name, password: 'password-123', passwordConfirm: 'password-123' },
          GUEST,
        );
        return accessOf(
          engine.records.collection('people'),
          (await engine.records.storedById(engine.records.collection('people'), String(made.id)))!,
        );
      };
      ann = await person('ann@example.com', 'Ann');
      bob = await person('bob@example.com', 'Bob');
    });
    afterAll(async () => {
      await engine.close();
      dirs.remove();
    });

    it('creates, views, updates and deletes, applying every field type', async () => {
      const tag = await engine.records.create('tags', { label: 'red' }, GUEST);
      const note = await engine.records.create(
        'notes',
        {
          title: 'first',
          views: '3',
          public: 'true',
          owner: ann.auth!.id,
          tags: [tag.id],
          meta: { a: [1] },
          kind: ['a', 'b'],
        },
        ann,
      );
      expect(note).toMatchObject({
        title: 'first',
        views: 3,
        public: true,
        tags: [tag.id],
        meta: { a: [1] },
        kind: ['a', 'b'],
      });
      expect(await engine.records.view('notes', String(note.id), GUEST)).toEqual(note);
      const updated = await engine.records.update('notes', String(note.id), { 'views+': 2, 'kind-': 'a' }, ann);
      expect(updated).toMatchObject({ views: 5, kind: ['b'] });
      await expect(engine.records.update('notes', String(note.id), { title: 'x' }, bob)).rejects.toMatchObject({
        status: 404,
      });
      await engine.records.delete('notes', String(note.id), ann);
      await expect(engine.records.view('notes', String(note.id), SUPERUSER)).rejects.toMatchObject({ status: 404 });
    });

    it('refuses invalid values, missing references and taken unique values with field errors', async () => {
      await expect(engine.records.create('notes', { title: '' }, GUEST)).rejects.toMatchObject({
        status: 400,
        data: { title: { code: 'validation_required' } },
      });
      await expect(
        engine.records.create('notes', { title: 't', tags: ['nope00000000000'] }, GUEST),
      ).rejects.toMatchObject({
        status: 400,
        data: { tags: { code: 'validation_missing_rel_records' } },
      });
      await engine.records.create('tags', { label: 'unique' }, GUEST);
      await expect(engine.records.create('tags', { label: 'unique' }, GUEST)).rejects.toMatchObject({
        status: 400,
        data: { label: { code: 'validation_not_unique' } },
      });
    });

    it('lists with rules, filters (any-of, through relations, JSON), sort and paging', async () => {
      const green = await engine.records.create('tags', { label: 'green' }, GUEST);
      const make = (title: string, views: number, isPublic: boolean, owner: Access, tags: string[] = []) =>
        engine.records.create('notes', { title, views, public: isPublic, owner: owner.auth!.id, tags }, owner);
      await make('alpha', 10, true, ann, [String(green.id)]);
      await make('beta', 20, false, ann);
      await make('gamma', 30, true, bob);
      await make('delta', 40, false, bob);
      const titles = async (access: Access, filter?: string, sort = 'title', extra = {}) =>
        (await engine.records.list('notes', { filter, sort, ...extra }, access)).items.map((n) => n.title);
      expect(await titles(GUEST)).toEqual(['alpha', 'gamma']);
      expect(await titles(ann)).toEqual(['alpha', 'beta', 'gamma']);
      expect(await titles(SUPERUSER, 'views >= 20 && title ~ "ta"')).toEqual(['beta', 'delta']);
      expect(await titles(SUPERUSER, 'tags.label ?= "green"')).toEqual(['alpha']);
      expect(await titles(SUPERUSER, 'owner.name = "Bob"', '-views')).toEqual(['delta', 'gamma']);
      expect(await titles(SUPERUSER, 'tags:length = 0 && views > 15', '-views')).toEqual(['delta', 'gamma', 'beta']);
      const page = await engine.records.list('notes', { sort: 'views', page: 2, perPage: 2 }, SUPERUSER);
      expect(page).toMatchObject({ page: 2, perPage: 2, totalItems: 4, totalPages: 2 });
      expect(page.items.map((n) => n.title)).toEqual(['gamma', 'delta']);
      // Another auth record's list rule hides it; e-mails stay private.
      const people = await engine.records.list('people', {}, ann);
      expect(people.items.map((p) => p.name)).toEqual(['Ann']);
      await expect(titles(bob, 'owner.email ~ "ann"')).resolves.toEqual([]);
    });

    it('expands relations and back-relations through the view rules', async () => {
      const note = await engine.records.create(
        'notes',
        { title: 'with replies', public: true, owner: ann.auth!.id },
        ann,
      );
      await engine.records.create('replies', { text: 'r1', note: note.id }, GUEST);
      const viewed = await engine.records.view('notes', String(note.id), GUEST, withExpand('owner,replies_via_note'));
      expect((viewed.expand as any).replies_via_note.map((r: any) => r.text)).toEqual(['r1']);
      expect((viewed.expand as any).owner.name).toBe('Ann');
    });

    it('cascades deletes and keeps sequences, in one transaction', async () => {
      const note = await engine.records.create('notes', { title: 'doomed', owner: ann.auth!.id }, ann);
      const reply = await engine.records.create('replies', { text: 'gone too', note: note.id }, GUEST);
      await engine.records.delete('notes', String(note.id), ann);
      await expect(engine.records.view('replies', String(reply.id), SUPERUSER)).rejects.toMatchObject({ status: 404 });
      expect([await engine.sequences.next('n'), await engine.sequences.next('n')]).toEqual([1, 2]);
    });

    it('changes the schema at start: a renamed field keeps its data, a retyped one is converted', async () => {
      dirs.writeCollection({
        name: 'counters',
        ...OPEN_RULES,
        fields: [
          { id: 'f1', name: 'label', type: 'text' },
          { id: 'f2', name: 'amount', type: 'text' },
        ],
      });
      await open();
      const made = await engine.records.create('counters', { label: 'kept', amount: '42' }, GUEST);
      dirs.writeCollection({
        name: 'counters',
        ...OPEN_RULES,
        fields: [
          { id: 'f1', name: 'title', type: 'text' },
          { id: 'f2', name: 'amount', type: 'number' },
        ],
      });
      await open();
      expect(await engine.records.view('counters', String(made.id), GUEST)).toMatchObject({
        title: 'kept',
        amount: 42,
      });
    });
  });
}
