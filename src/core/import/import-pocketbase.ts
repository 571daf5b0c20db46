// `satchel import-pocketbase`: a PocketBase (>= 0.23) data directory into a Satchel project, with one report of
// what did not fit. A dry run does the whole import in a scratch folder, so its report is the real one.
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { openForeignSqlite, type ForeignDatabase } from '../db/index.js';
import { convertCollection, type ConvertedCollection, type PocketBaseCollectionRow } from './convert-collection.js';
import { openTarget } from './open-target.js';
import { emptyReport, renderReport, type ImportReport } from './report.js';
import { uncarriedExtras } from './source-extras.js';
import { writeRecords } from './write-records.js';

/** A problem the user must fix before anything is imported (a wrong path, a target that is not empty). */
export class ImportError extends Error {}

export interface ImportOptions {
  /** PocketBase's data directory (holds data.db and storage/). */
  source: string;
  /** Satchel's data directory to create. */
  dataDir: string;
  /** Satchel's collections directory to create. */
  collectionsDir: string;
  /** Where import-report.md goes (default: the folder around the collections directory). */
  reportDir?: string;
  dryRun?: boolean;
}

export interface ImportResult {
  report: ImportReport;
  /** The report as Markdown. */
  text: string;
  /** The report file written (none in a dry run). */
  reportFile?: string;
}

/** PocketBase's own collections that Satchel keeps as tables of its own (or cannot serve). */
const PB_AUTH_TABLES = new Set(['_externalAuths', '_mfas', '_otps', '_authOrigins']);

function refuseNonEmpty(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new ImportError(`${dir} is not a folder`);
  if (readdirSync(dir).length) {
    throw new ImportError(`${dir} is not empty: import into a new folder (--dir and --collections choose where)`);
  }
}

function openSource(source: string): ForeignDatabase {
  const file = join(source, 'data.db');
  if (!existsSync(file))
    throw new ImportError(`${source} has no data.db: give the path of PocketBase's pb_data folder`);
  let db: ForeignDatabase;
  try {
    db = openForeignSqlite(file);
  } catch (err) {
    throw new ImportError(`${file} cannot be read as an SQLite database (${(err as Error).message})`);
  }
  const columns = db.tables().includes('_collections')
    ? db.all<{ name: string }>(`SELECT name FROM pragma_table_info('_collections')`).map((c) => c.name)
    : [];
  if (!columns.includes('fields') || !columns.includes('options')) {
    db.close();
    throw new ImportError(
      `${file} is not a PocketBase 0.23+ database (no _collections.fields); upgrade it with PocketBase first`,
    );
  }
  return db;
}

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

export async function importPocketBase(options: ImportOptions): Promise<ImportResult> {
  const source = resolve(options.source);
  const target = { dataDir: resolve(options.dataDir), collectionsDir: resolve(options.collectionsDir) };
  if (target.dataDir === source) throw new ImportError(`the target --dir is the PocketBase folder itself (${source})`);
  refuseNonEmpty(target.dataDir);
  refuseNonEmpty(target.collectionsDir);
  const db = openSource(source);
  const report = emptyReport(source);
  const scratch = options.dryRun ? mkdtempSync(join(tmpdir(), 'satchel-import-')) : undefined;
  const dirs = scratch ? { dataDir: join(scratch, 'pb_data'), collectionsDir: join(scratch, 'collections') } : target;
  try {
    const rows = db.all<PocketBaseCollectionRow>('SELECT * FROM "_collections" ORDER BY "created", "name"');
    const carried: ConvertedCollection[] = rows
      .filter((row) => !PB_AUTH_TABLES.has(row.name))
      .map((row) => convertCollection(row, report.notCarried));
    const engine = await openTarget(dirs, carried, report.notCarried);
    try {
      const outcome = await writeRecords(engine, db, carried, report.notCarried);
      report.collections = carried.map((c) => ({
        name: c.name,
        type: c.type,
        records: outcome.records.get(c.name) ?? 0,
      }));
      report.carried.push(...outcome.carried);
    } finally {
      await engine.close();
    }
    const storage = join(source, 'storage');
    report.files = countFiles(storage);
    if (!scratch && existsSync(storage)) cpSync(storage, join(dirs.dataDir, 'storage'), { recursive: true });
    report.notCarried.push(...uncarriedExtras(source, db));
  } catch (err) {
    // A failed import leaves no half project behind: the target folders were empty (or absent) when it began.
    if (!scratch)
      for (const dir of [target.dataDir, target.collectionsDir]) rmSync(dir, { recursive: true, force: true });
    throw err;
  } finally {
    db.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  const text = renderReport(report, options.dryRun === true);
  if (options.dryRun) return { report, text };
  const reportFile = join(options.reportDir ?? dirname(target.collectionsDir), 'import-report.md');
  writeFileSync(reportFile, text);
  return { report, text, reportFile };
}
