// What a PocketBase project holds that Satchel cannot carry: hooks, migrations, OAuth2 links, pending codes, settings.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ForeignDatabase } from '../db/index.js';

/** Files under `dir`, relative, at most `limit` of them (a report line, not a listing of a huge folder). */
function filesIn(dir: string, limit = 200): string[] {
  const found: string[] = [];
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      if (found.length >= limit) return;
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else found.push(rel);
    }
  };
  if (existsSync(dir)) walk('');
  return found;
}

const count = (db: ForeignDatabase, table: string) =>
  db.tables().includes(table) ? (db.all<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}"`)[0]?.n ?? 0) : 0;

/** One line per thing left behind, for the report. */
export function uncarriedExtras(sourceDir: string, db: ForeignDatabase): string[] {
  const notes: string[] = [];
  const project = dirname(sourceDir);
  const hooks = filesIn(join(project, 'pb_hooks'));
  if (hooks.length) {
    notes.push(
      `pb_hooks (${hooks.join(', ')}): PocketBase's JS hooks do not run in Satchel; rewrite them as Satchel hooks (see the README)`,
    );
  }
  const migrations = filesIn(join(project, 'pb_migrations'));
  if (migrations.length) {
    notes.push(
      `pb_migrations (${migrations.length} files): not run; the collection files hold the schema the migrations built`,
    );
  }
  notes.push(
    'Go code (hooks, routes or plugins compiled into a custom PocketBase binary) is not in pb_data and cannot be carried',
  );
  const external = count(db, '_externalAuths');
  if (external) {
    notes.push(
      `${external} OAuth2 account links (_externalAuths): not carried; once the providers are set again, a user signing in with one is linked again by the verified e-mail the provider gives`,
    );
  }
  const otps = count(db, '_otps');
  if (otps) notes.push(`${otps} pending one-time passwords (_otps): they expire within minutes; ask for a new one`);
  const settings = db.tables().includes('_params')
    ? db.all<{ value: unknown }>(`SELECT value FROM "_params" WHERE id = 'settings'`)[0]
    : undefined;
  if (settings) {
    notes.push(
      "PocketBase's settings (application name and URL, SMTP, S3, backups, rate limits): set them again in the dashboard",
    );
    if (s3Bucket(settings.value)) {
      notes.push(
        `PocketBase kept its files in the S3 bucket "${s3Bucket(settings.value)}", not in storage/: point Satchel's s3 setting (or --s3) at it`,
      );
    }
  }
  return notes;
}

/** The bucket of PocketBase's file storage when it was S3 (settings stored as plain JSON; encrypted ones are not read). */
function s3Bucket(value: unknown): string | undefined {
  try {
    const s3 = (JSON.parse(String(value)) as { s3?: { enabled?: unknown; bucket?: unknown } } | null)?.s3;
    return s3?.enabled === true ? String(s3.bucket ?? '') : undefined;
  } catch {
    return undefined;
  }
}
