// The storage conformance suite: what the engine relies on a Store and its Dialect for, asked of a real database.
// Every engine (SQLite, PostgreSQL) runs these same tests: see sqlite.test.ts and postgres.test.ts for the plugs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openStore,
  StoreBusy,
  UniqueViolation,
  type ColumnSpec,
  type Store,
  type StoreEngine,
} from '../../src/core/db/index.js';

const COLUMN_KINDS: ColumnSpec[] = [
  { kind: 'text', empty: '' },
  { kind: 'number', empty: 0 },
  { kind: 'bool', empty: false },
  { kind: 'json', empty: null },
  { kind: 'json', empty: { lon: 0, lat: 0 } },
  { kind: 'list', empty: [] },
];

const tick = (ms = 10) => new Promise((resolve) => setTimeout(resolve, ms));

/** An engine on a fresh, empty database (called once per test; a data directory is given beside it). */
export type EngineFactory = () => Promise<StoreEngine>;

export function storeConformance(name: string, freshEngine: EngineFactory): void {
  describe(`store conformance: ${name}`, () => {
    let dir: string;
    let engine: StoreEngine;
    let store: Store;
    const q = (name: string) => store.dialect.quote(name);

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), `satchel-conformance-${name}-`));
      engine = await freshEngine();
      store = await openStore({ dataDir: dir }, { busyTimeoutMs: 300 }, engine);
      await store.exec(
        `CREATE TABLE ${q('items')} (${q('id')} ${store.dialect.columnType({ kind: 'text', empty: '', primaryKey: true })}, ` +
          `${q('name')} ${store.dialect.columnType({ kind: 'text', empty: '' })}, ` +
          `${q('n')} ${store.dialect.columnType({ kind: 'number', empty: 0 })}` +
          [...store.dialect.tableColumns].map((c) => `, ${c}`).join('') +
          ')',
      );
      await store.exec(`CREATE UNIQUE INDEX ${q('idx_items_name')} ON ${q('items')} (${q('name')})`);
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const insert = (db: Pick<Store, 'run'>, id: string, name: string, n = 0) =>
      db.run(`INSERT INTO ${q('items')} (${q('id')}, ${q('name')}, ${q('n')}) VALUES (?, ?, ?)`, [id, name, n]);
    const names = async (db: Pick<Store, 'all'> = store) =>
      (await db.all<{ name: string }>(`SELECT ${q('name')} AS name FROM ${q('items')} ORDER BY ${q('name')}`)).map(
        (r) => r.name,
      );

    describe('statements', () => {
      it('binds every value as a parameter and reads rows back', async () => {
        const tricky = `Robert'); DROP TABLE items; --`;
        expect(await insert(store, 'a', tricky, 3)).toEqual({ changes: 1 });
        expect(
          await store.one(`SELECT ${q('name')} AS name, ${q('n')} AS n FROM ${q('items')} WHERE ${q('id')} = ?`, ['a']),
        ).toEqual({
          name: tricky,
          n: 3,
        });
        expect(await store.one(`SELECT 1 AS x FROM ${q('items')} WHERE ${q('id')} = ?`, ['missing'])).toBeUndefined();
        expect(await store.run(`UPDATE ${q('items')} SET ${q('n')} = ${q('n')} + 1`)).toEqual({ changes: 1 });
      });

      it('answers a read it repeats after another connection changed the table, with the new shape', async () => {
        await insert(store, 'a', 'one', 1);
        const read = () => store.one(`SELECT * FROM ${q('items')} WHERE ${q('id')} = ?`, ['a']);
        for (let i = 0; i < 5; i++) expect(await read()).toMatchObject({ id: 'a', name: 'one' });
        const other = await openStore({ dataDir: dir }, {}, engine);
        try {
          await other.exec(
            `ALTER TABLE ${q('items')} ADD COLUMN ${q('extra')} ${other.dialect.columnType({ kind: 'text', empty: 'x' })}`,
          );
        } finally {
          await other.close();
        }
        for (let i = 0; i < 3; i++) expect(await read()).toMatchObject({ id: 'a', name: 'one', extra: 'x' });
      });

      it('reports a unique violation as UniqueViolation naming the column', async () => {
        await insert(store, 'a', 'same');
        const err = await insert(store, 'b', 'same').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(UniqueViolation);
        expect((err as UniqueViolation).columns).toEqual(['name']);
      });
    });

    describe('transactions', () => {
      it('commit together, or roll back together when the function throws', async () => {
        await store.transaction(async (tx) => {
          await insert(tx, 'a', 'one');
          await insert(tx, 'b', 'two');
        });
        await expect(
          store.transaction(async (tx) => {
            await insert(tx, 'c', 'three');
            throw new Error('no');
          }),
        ).rejects.toThrow('no');
        expect(await names()).toEqual(['one', 'two']);
      });

      it('may await; reads outside see only committed rows and are not blocked', async () => {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const running = store.transaction(async (tx) => {
          await insert(tx, 'a', 'pending');
          expect(await names(tx)).toEqual(['pending']);
          await gate;
        });
        await tick();
        expect(await names()).toEqual([]);
        release();
        await running;
        expect(await names()).toEqual(['pending']);
      });

      it('serialize writers (one writer at a time) or run them concurrently (Dialect.concurrentWrites)', async () => {
        if (store.dialect.concurrentWrites) {
          // Another row is written and committed while a transaction is open; the open one's rows stay unseen.
          let release!: () => void;
          const gate = new Promise<void>((resolve) => (release = resolve));
          const first = store.transaction(async (tx) => {
            await insert(tx, 'a', 'first');
            await gate;
          });
          try {
            await tick();
            await insert(store, 'b', 'second');
            expect(await names()).toEqual(['second']);
          } finally {
            release();
            await first;
          }
          expect(await names()).toEqual(['first', 'second']);
          return;
        }
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const order: string[] = [];
        const first = store.transaction(async (tx) => {
          await insert(tx, 'a', 'first');
          await gate;
          order.push('first committed');
        });
        await tick();
        const second = insert(store, 'b', 'second').then(() => order.push('second written'));
        await tick(30);
        expect(order).toEqual([]);
        release();
        await Promise.all([first, second]);
        expect(order).toEqual(['first committed', 'second written']);
      });

      it('keep each async flow in its own transaction while another transaction begins and ends', async () => {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const undone = store
          .transaction(async (tx) => {
            await insert(tx, 'b', 'undone');
            await gate;
            // Another transaction ended meanwhile (or waits, with one writer): this flow still joins its own.
            expect(store.current()).toBe(tx);
            await insert(store, 'c', 'joined, undone too');
            throw new Error('undo');
          })
          .catch((err: unknown) => err);
        await tick();
        const other = store.transaction((tx) => insert(tx, 'a', 'other'));
        await tick(30);
        release();
        await other;
        expect(await undone).toMatchObject({ message: 'undo' });
        expect(await names()).toEqual(['other']);
      });

      it('nest as savepoints: an inner failure undoes only the inner work', async () => {
        await store.transaction(async (tx) => {
          await insert(tx, 'a', 'outer');
          await expect(
            tx.transaction(async (inner) => {
              await insert(inner, 'b', 'inner');
              throw new Error('inner failed');
            }),
          ).rejects.toThrow('inner failed');
          await tx.transaction(async (inner) => insert(inner, 'c', 'kept'));
        });
        expect(await names()).toEqual(['kept', 'outer']);
      });

      it('all or nothing (a batch): nested work is undone with the whole, callbacks follow the whole, deeper savepoints stay', async () => {
        const done: string[] = [];
        await store
          .transaction(
            async (tx) => {
              await tx.transaction(async (first) => {
                await insert(first, 'a', 'first request');
                first.afterCommit(() => void done.push('never: the batch failed'));
                first.afterRollback(() => void done.push('first undone'));
              });
              await tx.transaction(async (second) => {
                // Deeper nesting (a hook's own transaction) still undoes only its own work when it fails.
                await second
                  .transaction(async (hook) => {
                    await insert(hook, 'b', 'hook work');
                    throw new Error('hook failed');
                  })
                  .catch(() => undefined);
                expect(await names(second)).toEqual(['first request']);
                await insert(second, 'c', 'second request');
                throw new Error('second request failed');
              });
            },
            { allOrNothing: true },
          )
          .catch((err: Error) => done.push(err.message));
        expect(await names()).toEqual([]);
        expect(done).toEqual(['first undone', 'second request failed']);

        await store.transaction(
          async (tx) => {
            await tx.transaction(async (first) => {
              await insert(first, 'a', 'one');
              first.afterCommit(() => void done.push('committed with the whole'));
            });
            await tx.transaction(async (second) => insert(second, 'b', 'two'));
            expect(done).not.toContain('committed with the whole');
          },
          { allOrNothing: true },
        );
        expect(await names()).toEqual(['one', 'two']);
        expect(done).toContain('committed with the whole');
      });

      it('join the transaction open in the same async flow instead of waiting for it', async () => {
        await store.transaction(async (tx) => {
          expect(store.current()).toBe(tx);
          await insert(store, 'a', 'through the store');
          await store.transaction(async (inner) => insert(inner, 'b', 'nested'));
          expect(await names(store)).toEqual(['nested', 'through the store']);
        });
        expect(store.current()).toBeUndefined();
        expect(await names()).toEqual(['nested', 'through the store']);
      });

      it('run after-commit work only once the outermost transaction committed, never after a rollback', async () => {
        const done: string[] = [];
        await store.transaction(async (tx) => {
          tx.afterCommit(() => void done.push('outer'));
          await tx.transaction(async (inner) => inner.afterCommit(() => void done.push('inner')));
          expect(done).toEqual([]);
        });
        expect(done).toEqual(['outer', 'inner']);
        await store
          .transaction(async (tx) => {
            tx.afterCommit(() => void done.push('never'));
            throw new Error('rolled back');
          })
          .catch(() => undefined);
        expect(done).toEqual(['outer', 'inner']);
      });

      it('run after-rollback work when the work is undone: its savepoint or any transaction around rolls back', async () => {
        const done: string[] = [];
        await store.transaction(async (tx) => {
          tx.afterRollback(() => void done.push('committed outer'));
          await tx
            .transaction(async (inner) => {
              inner.afterRollback(() => void done.push('savepoint'));
              throw new Error('savepoint rolled back');
            })
            .catch(() => undefined);
          expect(done).toEqual(['savepoint']);
          await tx.transaction(async (inner) =>
            inner.afterRollback(() => void done.push('never: released, committed')),
          );
        });
        expect(done).toEqual(['savepoint']);
        await store
          .transaction(async (tx) => {
            await tx.transaction(async (inner) => inner.afterRollback(() => void done.push('released, then outer')));
            tx.afterRollback(() => void done.push('outer'));
            throw new Error('rolled back');
          })
          .catch(() => undefined);
        expect(done).toEqual(['savepoint', 'released, then outer', 'outer']);
      });

      it('refuse statements on a transaction that has ended', async () => {
        let kept: Parameters<Parameters<Store['transaction']>[0]>[0] | undefined;
        await store.transaction(async (tx) => {
          kept = tx;
        });
        await expect(Promise.resolve().then(() => kept!.one('SELECT 1 AS x'))).rejects.toThrow(/ended/);
      });

      it('fail with StoreBusy when another connection keeps the write lock past the timeout', async () => {
        const other = await openStore({ dataDir: dir }, { busyTimeoutMs: 300 }, engine);
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const holding = other.transaction(async (tx) => {
          await insert(tx, 'x', 'held');
          await gate;
        });
        try {
          await tick(20);
          const started = Date.now();
          // Concurrent writers wait only for the rows another one holds: here the same new id.
          const id = store.dialect.concurrentWrites ? 'x' : 'y';
          const err = await insert(store, id, 'waiting').catch((e: unknown) => e);
          expect(err).toBeInstanceOf(StoreBusy);
          expect(Date.now() - started).toBeGreaterThanOrEqual(250);
        } finally {
          release();
          await holding;
          await other.close();
        }
        expect(await insert(store, 'y', 'after')).toEqual({ changes: 1 });
      });
    });

    describe('appender', () => {
      it('stores every queued row once flushed, in order, with datetimes formatted and NULLs kept', async () => {
        await store.exec(
          `CREATE TABLE ${q('appended')} (${q('id')} ${store.dialect.columnType({ kind: 'text', empty: '', primaryKey: true })}, ` +
            `${q('note')} ${store.dialect.columnType({ kind: 'text', empty: null })}, ` +
            `${q('created')} ${store.dialect.columnType({ kind: 'text', empty: '' })})`,
        );
        const appender = store.appender('appended', [
          { name: 'id' },
          { name: 'note' },
          { name: 'created', datetime: true },
        ]);
        const at = Date.UTC(2026, 10, 30, 12, 0, 0, 123);
        for (let i = 0; i < 1200; i++) appender.add([`r${String(i).padStart(5, '0')}`, i === 1 ? null : `n${i}`, at]);
        expect(await store.all(`SELECT ${q('id')} FROM ${q('appended')}`)).toEqual([]);
        await appender.close();
        const rows = await store.all<{ id: string; note: string | null; created: string }>(
          `SELECT ${q('id')} AS id, ${q('note')} AS note, ${q('created')} AS created FROM ${q('appended')} ORDER BY ${q('id')}`,
        );
        expect(rows).toHaveLength(1200);
        expect(rows.slice(0, 2)).toEqual([
          { id: 'r00000', note: 'n0', created: '2026-11-30 12:00:00.123Z' },
          { id: 'r00001', note: null, created: '2026-11-30 12:00:00.123Z' },
        ]);
      });
    });

    describe('dialect', () => {
      it('makes a column of every kind whose default is the empty value', async () => {
        const { dialect } = store;
        const columns = COLUMN_KINDS.map((spec, i) => `${q(`c${i}`)} ${dialect.columnType(spec)}`);
        await store.exec(
          `CREATE TABLE ${q('kinds')} (${q('id')} ${dialect.columnType({ kind: 'text', empty: '', primaryKey: true })}, ${columns.join(', ')})`,
        );
        await store.run(`INSERT INTO ${q('kinds')} (${q('id')}) VALUES (?)`, ['k']);
        const row = (await store.one<Record<string, unknown>>(`SELECT * FROM ${q('kinds')}`))!;
        expect(row.c0).toBe('');
        expect(Number(row.c1)).toBe(0);
        expect(Boolean(row.c2)).toBe(false);
        expect(row.c3).toBeNull();
        expect(JSON.parse(String(row.c4))).toEqual({ lon: 0, lat: 0 });
        expect(JSON.parse(String(row.c5))).toEqual([]);
      });

      it('lists the elements and length of a JSON array, and a member of a JSON object', async () => {
        const { dialect } = store;
        const each = await store.all<{ value: string }>(`SELECT value FROM ${dialect.jsonEach('?')}`, ['["a","b"]']);
        expect(each.map((r) => r.value)).toEqual(['a', 'b']);
        expect(await store.one(`SELECT ${dialect.jsonArrayLength('?')} AS n`, ['[1,2,3]'])).toEqual({ n: 3 });
        // A member is a number or text by engine (SQLite keeps JSON's type, PostgreSQL reads text): its value counts.
        const member = await store.one<{ lat: unknown }>(`SELECT ${dialect.jsonExtract('?', 'lat')} AS lat`, [
          '{"lon":1,"lat":2.5}',
        ]);
        expect(Number(member!.lat)).toBe(2.5);
      });

      it('compares ignoring ASCII case, and LIKE ignores it too', async () => {
        const { dialect } = store;
        await insert(store, 'a', 'Ann@Example.com');
        const found = await store.one(
          `SELECT ${q('id')} AS id FROM ${q('items')} WHERE ${dialect.caseInsensitive(q('name'))} = ?`,
          ['ann@example.COM'],
        );
        expect(found).toEqual({ id: 'a' });
        const liked = await store.one(
          `SELECT ${q('id')} AS id FROM ${q('items')} WHERE ${q('name')} ${dialect.like} ?`,
          ['%EXAMPLE%'],
        );
        expect(liked).toEqual({ id: 'a' });
      });

      it('has null-safe equality operators', async () => {
        const { dialect } = store;
        const row = await store.one(
          `SELECT (NULL ${dialect.nullSafeEqual} NULL) AS a, ('x' ${dialect.nullSafeNotEqual} NULL) AS b, ('x' ${dialect.nullSafeNotEqual} 'x') AS c`,
        );
        expect(Object.values(row!).map(Boolean)).toEqual([true, true, false]);
      });

      it('tells a value from an empty one, and converts between kinds', async () => {
        const { dialect } = store;
        // The expressions may name their operand more than once: it is a column of a one-row subquery, a value
        // bound as a column of the kind it stands for.
        const text: ColumnSpec = { kind: 'text', empty: '' };
        const list: ColumnSpec = { kind: 'list', empty: [] };
        const number: ColumnSpec = { kind: 'number', empty: 0 };
        const holds = async (value: unknown) => {
          const param = dialect.param(typeof value === 'number' ? number : typeof value === 'string' ? text : list);
          const sql = `SELECT (${dialect.holdsValue('t.v')}) AS v FROM (SELECT ${param} AS v) AS t`;
          return Boolean((await store.one<{ v: unknown }>(sql, [value]))!.v);
        };
        expect([await holds('x'), await holds(''), await holds('[]'), await holds(0), await holds(null)]).toEqual([
          true,
          false,
          false,
          false,
          false,
        ]);
        const convert = async (value: unknown, from: ColumnSpec, to: ColumnSpec) =>
          (await store.one<{ v: unknown }>(
            `SELECT ${dialect.convert('t.v', from, to)} AS v FROM (SELECT ${dialect.param(from)} AS v) AS t`,
            [value],
          ))!.v;
        expect(await convert('a', text, list)).toBe('["a"]');
        expect(await convert('', text, list)).toBe('[]');
        expect(await convert('["a","b"]', list, text)).toBe('b');
        expect(await convert('42', text, number)).toBe(42);
        expect(await convert('x', text, number)).toBe(0);
      });

      it('orders by insertion and at random, and lists the indexes of a table', async () => {
        const { dialect } = store;
        for (const [id, name] of [
          ['z', 'first'],
          ['a', 'second'],
          ['m', 'third'],
        ])
          await insert(store, id!, name!);
        const ordered = await store.all<{ name: string }>(
          `SELECT ${q('name')} AS name FROM ${q('items')} ORDER BY ${dialect.rowOrder(q('items'))}`,
        );
        expect(ordered.map((r) => r.name)).toEqual(['first', 'second', 'third']);
        expect(await store.all(`SELECT ${q('id')} FROM ${q('items')} ORDER BY ${dialect.randomOrder}`)).toHaveLength(3);
        const indexes = dialect.indexesOf('items');
        expect((await store.all<{ name: string }>(indexes.sql, indexes.params)).map((r) => r.name)).toEqual([
          'idx_items_name',
        ]);
      });

      it('formats datetimes with strftime', async () => {
        const sql = `SELECT ${store.dialect.strftime(["'%Y'", '?'])} AS y`;
        expect(await store.one(sql, ['2025-01-03 12:23:01.865Z'])).toEqual({ y: '2025' });
      });
    });
  });
}
