// What backups need from SQLite: a consistent copy of a live database and a check of a database file. Both run in
// a worker thread on their own connection, so a large database never stalls the event loop and writes go on
// (WAL: the copy reads one snapshot while the writer keeps committing).
import { Worker } from 'node:worker_threads';
import { DRIVER_PATH } from './driver.js';
import type { DatabaseFiles, DatabaseInspection } from '../index.js';

/** The worker's whole program: plain CommonJS, evaluated, so it needs no file of its own in dist/. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
try {
  if (workerData.op === 'snapshot') {
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(workerData.target);
    parentPort.postMessage({});
  } else {
    const problems = db.prepare('PRAGMA integrity_check(10)').pluck().all().filter((r) => r !== 'ok');
    const tables = {};
    for (const name of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all()) {
      tables[name] = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(name);
    }
    parentPort.postMessage(problems.length ? { problem: problems.join('; ') } : { tables });
  }
} finally {
  db.close();
}
`;

function runWorker(data: Record<string, string>): Promise<{ problem?: string; tables?: Record<string, string[]> }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...data, driver: DRIVER_PATH } });
    let answered = false;
    worker.once('message', (message: { problem?: string; tables?: Record<string, string[]> }) => {
      answered = true;
      resolve(message);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the database worker stopped (exit code ${code})`));
    });
  });
}

/** SQLite's files: `data.db` with its WAL companions, copied with VACUUM INTO, checked with integrity_check. */
export const sqliteFiles: DatabaseFiles = {
  main: 'data.db',
  companions: ['data.db-wal', 'data.db-shm', 'data.db-journal'],
  snapshot: async (file, target) => {
    await runWorker({ op: 'snapshot', file, target });
  },
  inspect: async (file): Promise<DatabaseInspection> => {
    try {
      const answer = await runWorker({ op: 'inspect', file });
      return answer.problem ? { problem: `integrity check failed: ${answer.problem}` } : { tables: answer.tables! };
    } catch (err) {
      // Not a database at all (SQLITE_NOTADB), or unreadable: a finding, not a crash.
      return { problem: `not a readable SQLite database (${(err as Error).message})` };
    }
  },
};
