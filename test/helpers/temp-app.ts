// Builds a Satchel app over temporary directories with the given collection files, for tests.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type AppOptions, type SatchelApp } from '../../src/app.js';
import { freshDatabase } from './postgres.js';

/**
 * `SATCHEL_TEST_DB=postgres` runs the apps of tempApp on a fresh PostgreSQL database each (the run's cluster), to
 * try a suite on PostgreSQL: `SATCHEL_TEST_DB=postgres npx vitest run test/api/records.test.ts`.
 */
const TEST_DB = process.env.SATCHEL_TEST_DB;

/** The database a test app opens: the one asked for, else SQLite or a fresh PostgreSQL database (TEST_DB). */
export async function testDatabase(db?: string): Promise<string | undefined> {
  if (db !== undefined || TEST_DB === undefined || TEST_DB === '' || TEST_DB === 'sqlite') return db;
  if (TEST_DB === 'postgres') return freshDatabase();
  throw new Error(`SATCHEL_TEST_DB must be sqlite or postgres (got "${TEST_DB}")`);
}

export interface TempDirs {
  root: string;
  dataDir: string;
  collectionsDir: string;
  /** Writes (or replaces) collections/<name>.json. */
  writeCollection(definition: { name: string } & Record<string, unknown>): void;
  remove(): void;
}

export function tempDirs(): TempDirs {
  const root = mkdtempSync(join(tmpdir(), 'satchel-test-'));
  const dataDir = join(root, 'pb_data');
  const collectionsDir = join(root, 'collections');
  mkdirSync(collectionsDir);
  return {
    root,
    dataDir,
    collectionsDir,
    writeCollection: (definition) =>
      writeFileSync(join(collectionsDir, `${definition.name}.json`), JSON.stringify(definition, null, 2)),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Rules open to everyone, for collections under test. */
export const OPEN_RULES = { listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '' };

export async function tempApp(
  collections: ({ name: string } & Record<string, unknown>)[],
  options: Omit<AppOptions, 'dataDir' | 'collectionsDir'> = {},
): Promise<{ app: SatchelApp; dirs: TempDirs; cleanup(): Promise<void> }> {
  const dirs = tempDirs();
  for (const c of collections) dirs.writeCollection(c);
  const db = await testDatabase(options.db);
  const app = await createApp({ ...options, db, dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir });
  return {
    app,
    dirs,
    cleanup: async () => {
      await app.close();
      dirs.remove();
    },
  };
}
