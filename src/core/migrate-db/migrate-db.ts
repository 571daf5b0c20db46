// `satchel migrate-db`: a project's data copied from one database to another (SQLite <-> PostgreSQL, or any two
// engines), through the Store interface only. The target gets its tables from the collection files by the normal
// engine boot; then every table's rows go over in one transaction that is verified (row counts and checksums)
// before it commits: on a failure or a mismatch the target keeps none of the copied rows.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectionsFromFiles, readCollectionFiles } from '../collections/load.js';
import type { Collection } from '../collections/model.js';
import { withSystemCollections } from '../collections/system-collections.js';
import { openStore, type Dialect, type Queries, type Store } from '../db/index.js';
import { DatabaseNameError, locateDatabase, type LocatedDatabase } from '../db/locate.js';
import { openEngine } from '../engine.js';
import { checksumTable, copyTable, type CopySide } from './copy-table.js';
import { MigrateError } from './errors.js';
import { matches, renderVerification, type TableVerification } from './report.js';
import { refuseSchemaMismatch, storedCollections } from './source-schema.js';
import { collectionTable, copiedCollections, LOG_TABLE, SYSTEM_TABLES, type TablePlan } from './tables.js';

export { MigrateError } from './errors.js';

export interface MigrateOptions {
  /** The database copied from: a `postgres://` URL, an SQLite `data.db` or the data directory holding it. */
  from: string;
  /** The database copied to, named the same ways. */
  to: string;
  /** The project's collection files: the target's tables are made from them. */
  collectionsDir: string;
  /** Copy into a target that already holds rows, replacing them. */
  force?: boolean;
  /** Copy the request and app logs too (the auxiliary store). */
  withLogs?: boolean;
}

export interface MigrateResult {
  source: string;
  target: string;
  tables: TableVerification[];
  /** True when every table matched and the copy was committed; false: the target was rolled back. */
  ok: boolean;
  /** The verification table as text. */
  text: string;
}

function locate(name: string, flag: string): LocatedDatabase {
  try {
    return locateDatabase(name);
  } catch (err) {
    if (err instanceof DatabaseNameError) throw new MigrateError(`--${flag}: ${err.message}`);
    throw err;
  }
}

/** A mismatch found inside the copy's transaction: thrown to roll it back, caught to report it. */
class VerificationFailed extends Error {
  constructor(readonly tables: TableVerification[]) {
    super('the copy does not match its source');
  }
}

async function count(side: CopySide, table: string): Promise<number> {
  const row = await side.db.one<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${side.dialect.quote(table)}`);
  return Number(row?.n ?? 0);
}

/**
 * Copies and verifies `plans` in one transaction of `target`; rolls back (throwing) on a failure or a mismatch.
 * The source is read in one snapshot where its store offers one, so rows written meanwhile are neither half seen
 * nor counted without being copied.
 */
async function copyAll(source: Store, target: Store, plans: TablePlan[]): Promise<TableVerification[]> {
  if (source.readSnapshot) return source.readSnapshot((reads) => copyFrom(reads, source.dialect, target, plans));
  return copyFrom(source, source.dialect, target, plans);
}

async function copyFrom(source: Queries, dialect: Dialect, target: Store, plans: TablePlan[]) {
  const from: CopySide = { db: source, dialect };
  return target.transaction(async (tx) => {
    const to = { db: tx, dialect: target.dialect };
    const tables: TableVerification[] = [];
    for (const plan of plans) {
      const read = await copyTable(from, to, plan);
      const written = await checksumTable(to, plan);
      const sourceRows = await count(from, plan.name);
      tables.push({
        table: plan.name,
        sourceRows,
        targetRows: await count(to, plan.name),
        // Rows read that the count does not see (or the reverse) make the source side disagree with itself.
        sourceChecksum: read.rows === sourceRows ? read.digest : `${read.digest} (${read.rows} read)`,
        targetChecksum: written.digest,
      });
    }
    if (!tables.every(matches)) throw new VerificationFailed(tables);
    return tables;
  });
}

/** The tables of `db` that hold at least one row, among `names` (a table that does not exist holds none). */
async function tablesWithRows(db: Store, names: Iterable<string>): Promise<string[]> {
  const found: string[] = [];
  for (const name of new Set(names)) {
    try {
      if (await db.one(`SELECT 1 AS "one" FROM ${db.dialect.quote(name)} LIMIT 1`)) found.push(name);
    } catch {
      // No such table: nothing in it.
    }
  }
  return found;
}

/** Refuses a target that holds data (unless forced): a copy into it would replace that data. */
async function refuseNonEmptyTarget(target: LocatedDatabase, dataDir: string, files: Collection[], force: boolean) {
  if (force || (target.file && !existsSync(target.file))) return;
  const db = await target.engine.open({ dataDir }, {});
  await reachable(db, `--to: ${target.label}`);
  try {
    const known = await storedCollections(db, target.label).catch(() => []);
    const names = [...files, ...known].filter((c) => c.type !== 'view').map((c) => c.name);
    const full = await tablesWithRows(db, [...names, ...SYSTEM_TABLES.map((t) => t.name)]);
    if (full.length) {
      throw new MigrateError(
        `${target.label} is not empty (rows in ${full.join(', ')}): migrate into a new database, or add --force to replace its data`,
      );
    }
  } finally {
    await db.close();
  }
}

/** Opens a consistent copy of the source: a snapshot for an engine of files (writes to it go on meanwhile). */
async function openSource(source: LocatedDatabase, scratch: string): Promise<Store> {
  const files = source.engine.files;
  if (source.file && files) {
    if (!existsSync(source.file)) throw new MigrateError(`--from: there is no database at ${source.file}`);
    try {
      await files.snapshot(source.file, join(scratch, files.main));
    } catch (err) {
      throw new MigrateError(`--from: ${source.file} cannot be read as a database (${(err as Error).message})`);
    }
    return source.engine.open({ dataDir: scratch }, {});
  }
  const store = await source.engine.open({ dataDir: source.location.dataDir ?? scratch }, {});
  await reachable(store, `--from: ${source.label}`);
  return store;
}

/** Fails with a clear message when the database cannot be reached at all (a wrong URL, password or host). */
async function reachable(store: Store, what: string): Promise<void> {
  try {
    await store.one('SELECT 1 AS "one"');
  } catch (err) {
    await store.close();
    throw new MigrateError(`${what} cannot be reached (${(err as Error).message})`);
  }
}

/** The logs, from the source's auxiliary store to the target's, in their own transaction (after the data). */
async function copyLogs(source: LocatedDatabase, target: LocatedDatabase, dirs: { source: string; target: string }) {
  const from = await openStore({ dataDir: dirs.source }, {}, source.engine, 'auxiliary');
  try {
    const to = await openStore({ dataDir: dirs.target }, {}, target.engine, 'auxiliary');
    try {
      return await copyAll(from, to, [LOG_TABLE]);
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}

export async function migrateDatabase(options: MigrateOptions): Promise<MigrateResult> {
  const source = locate(options.from, 'from');
  const target = locate(options.to, 'to');
  if (source.label === target.label) throw new MigrateError(`--from and --to are the same database (${source.label})`);
  const files = withSystemCollections(
    options.collectionsDir,
    readCollectionFiles(options.collectionsDir),
    collectionsFromFiles,
  );
  const scratch = mkdtempSync(join(tmpdir(), 'satchel-migrate-'));
  // An engine that keeps no files still gets a data directory (mail outbox, storage): a scratch one.
  const targetDir = target.location.dataDir ?? join(scratch, 'target');
  const sourceDir = source.location.dataDir ?? join(scratch, 'source');
  const done = (tables: TableVerification[], ok: boolean): MigrateResult => ({
    source: source.label,
    target: target.label,
    tables,
    ok,
    text: renderVerification(tables),
  });
  let db: Store | undefined;
  try {
    db = await openSource(source, scratch);
    refuseSchemaMismatch(await storedCollections(db, source.label), files, options.collectionsDir);
    await refuseNonEmptyTarget(target, targetDir, files, options.force === true);
    // The normal boot: the target's tables and indexes made from the collection files, as `serve` would.
    const engine = await openEngine({
      dataDir: targetDir,
      collectionsDir: options.collectionsDir,
      storeEngine: target.engine,
      allowDataLoss: options.force === true,
    });
    let tables: TableVerification[];
    try {
      const plans = [
        ...copiedCollections(engine.collections.all()).map((c) => collectionTable(engine.records.catalog.compiled(c))),
        ...SYSTEM_TABLES,
      ];
      tables = await copyAll(db, engine.store, plans);
    } catch (err) {
      if (err instanceof VerificationFailed) return done(err.tables, false);
      throw new MigrateError(
        `the copy stopped and was rolled back (the target is as it was before): ${(err as Error).message}`,
      );
    } finally {
      await engine.close();
    }
    if (options.withLogs) {
      try {
        tables.push(...(await copyLogs(source, target, { source: sourceDir, target: targetDir })));
      } catch (err) {
        // The data is committed by now: say so, and that only the logs were rolled back.
        const why = err instanceof VerificationFailed ? renderVerification(err.tables) : (err as Error).message;
        throw new MigrateError(
          `the data was copied and verified:\n${renderVerification(tables)}\nbut the logs were not (none of them kept):\n${why}`,
        );
      }
    }
    return done(tables, true);
  } finally {
    await db?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
