// Builds a Satchel app over temporary directories with the given collection files, for tests.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type AppOptions, type SatchelApp } from '../../src/app.js';

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
  const app = await createApp({ ...options, dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir });
  return {
    app,
    dirs,
    cleanup: async () => {
      await app.close();
      dirs.remove();
    },
  };
}
