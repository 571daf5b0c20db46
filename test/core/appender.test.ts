// The store's appender (request logs): a few rows are written on the event loop, a big batch by a writer thread,
// and both keep every row, in order of arrival, with datetimes formatted and NULLs kept.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { openStore, withoutNul, type Store } from '../../src/core/db/index.js';
import { tempDirs, type TempDirs } from '../helpers/temp-app.js';

let dirs: TempDirs | undefined;
let store: Store | undefined;

afterEach(async () => {
  await store?.close();
  dirs?.remove();
  store = undefined;
});

/** The auxiliary store (request logs) of a new data directory. */
async function openAuxiliaryStore(): Promise<Store> {
  dirs = tempDirs();
  mkdirSync(dirs.dataDir, { recursive: true });
  return openStore({ dataDir: dirs.dataDir }, {}, undefined, 'auxiliary');
}

it('small and big batches alike are stored whole', async () => {
  store = await openAuxiliaryStore();
  const appender = store.appender('_logs', [
    { name: 'id' },
    { name: 'level' },
    { name: 'message' },
    { name: 'data' },
    { name: 'created', datetime: true },
  ]);
  const at = Date.UTC(2026, 10, 30, 12, 0, 0, 123);
  // Rows in two seconds (the writer formats each second once); free text with a NUL replaced, as queued text must be.
  const row = (i: number) => [
    `row${String(i).padStart(12, '0')}`,
    i % 9,
    withoutNul(`line ${i}\u0000x`),
    '{}',
    at + (i % 2) * 1000 + (i % 7),
  ];
  // A quiet moment: 3 rows.
  for (let i = 0; i < 3; i++) appender.add(row(i));
  await appender.flush();
  // A busy one: 2,500 rows, more than a batch.
  for (let i = 3; i < 2503; i++) appender.add(row(i));
  await appender.flush();
  const rows = await store.all<{ id: string; level: number; message: string; created: string }>(
    'SELECT id, level, message, created FROM _logs ORDER BY id',
  );
  expect(rows).toHaveLength(2503);
  expect(rows[0]).toEqual({
    id: 'row000000000000',
    level: 0,
    message: 'line 0\ufffdx',
    created: '2026-11-30 12:00:00.123Z',
  });
  expect(rows[1]!.created).toBe('2026-11-30 12:00:01.124Z');
  expect(rows[2502]!.level).toBe(2502 % 9);
  expect(rows[2502]!.created).toBe(new Date(at + (2502 % 7)).toISOString().replace('T', ' '));
  await appender.close();
});

/** The nice value in a /proc stat file (its 19th field, the 17th after the command's closing parenthesis). */
const niceIn = (statFile: string): number => Number(readFileSync(statFile, 'utf8').split(') ').pop()!.split(' ')[16]);

/** The nice value of each thread of this process. */
const threadNices = (): number[] => readdirSync('/proc/self/task').map((tid) => niceIn(`/proc/self/task/${tid}/stat`));

it.skipIf(process.platform !== 'linux')(
  'the writer thread runs below the priority of the threads that answer requests',
  async () => {
    store = await openAuxiliaryStore();
    const appender = store.appender('_logs', [
      { name: 'id' },
      { name: 'message' },
      { name: 'created', datetime: true },
    ]);
    const before = threadNices().filter((nice) => nice === 10).length;
    // A batch bigger than the event loop writes itself starts the writer thread.
    for (let i = 0; i < 500; i++) appender.add([`n${String(i).padStart(14, '0')}`, 'x', Date.now()]);
    await appender.flush();
    expect(threadNices().filter((nice) => nice === 10).length).toBe(before + 1);
    // The event loop's own thread keeps its priority.
    expect(niceIn('/proc/self/stat')).toBe(0);
    expect(await store.one('SELECT COUNT(*) AS n FROM _logs')).toEqual({ n: 500 });
    await appender.close();
  },
);
