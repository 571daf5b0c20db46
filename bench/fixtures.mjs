// Owns the benchmark's scratch space: one run directory under bench/.tmp/ (gitignored) holding the collection
// definitions (articles, posts), each server's data, and the cold-start data dirs; removed again when the run ends.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT_DIR = dirname(BENCH_DIR);
export const TMP_DIR = join(BENCH_DIR, '.tmp');

/**
 * The headline collection: four user fields with the checks a real form has (lengths, an e-mail, required) and an
 * index on `created`. Satchel reads this file; bench/baseline-server.mjs hard-codes the same table, index and checks.
 */
export const ARTICLES_COLLECTION = {
  name: 'articles',
  listRule: '',
  viewRule: '',
  createRule: '',
  updateRule: '',
  deleteRule: '',
  fields: [
    { name: 'title', type: 'text', required: true, min: 1, max: 200 },
    { name: 'body', type: 'text', max: 5000 },
    { name: 'email', type: 'email' },
    { name: 'status', type: 'text', required: true },
  ],
  indexes: ['CREATE INDEX idx_articles_created ON articles (created)'],
};

/** The older, smaller collection: one text and one number field, no index (kept as a secondary set). */
export const POSTS_COLLECTION = {
  name: 'posts',
  listRule: '',
  viewRule: '',
  createRule: '',
  updateRule: '',
  deleteRule: '',
  fields: [
    { name: 'title', type: 'text', required: true, max: 200 },
    { name: 'views', type: 'number' },
  ],
};

/** Every collection the benchmark writes into its collections dir. */
export const COLLECTIONS = [ARTICLES_COLLECTION, POSTS_COLLECTION];

/** Creates bench/.tmp/run-<time>-<pid>/ with collections/{articles,posts}.json and empty data dirs. */
export function makeWorkDir() {
  const dir = join(TMP_DIR, `run-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  const collectionsDir = join(dir, 'collections');
  const satchelDataDir = join(dir, 'satchel-data');
  const baselineDataDir = join(dir, 'baseline-data');
  for (const d of [collectionsDir, satchelDataDir, baselineDataDir]) mkdirSync(d, { recursive: true });
  for (const c of COLLECTIONS) {
    writeFileSync(join(collectionsDir, `${c.name}.json`), JSON.stringify(c, null, 2) + '\n');
  }
  return {
    dir,
    collectionsDir,
    satchelDataDir,
    baselineDb: join(baselineDataDir, 'baseline.db'),
    /** A fresh, empty data dir for one cold-start run. */
    coldDataDir(label) {
      const d = join(dir, `cold-${label}`);
      mkdirSync(d, { recursive: true });
      return d;
    },
  };
}

/** Deletes a run directory (only ever one under bench/.tmp/). */
export function removeWorkDir(work) {
  if (!work?.dir || dirname(work.dir) !== TMP_DIR) return;
  rmSync(work.dir, { recursive: true, force: true, maxRetries: 3 });
}
