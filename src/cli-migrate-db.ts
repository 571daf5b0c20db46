// `satchel migrate-db --from=... --to=...`: thin; the migration itself is src/core/migrate-db/.
import { flagValue, UsageError, type FlagSpec, type ParsedArgs } from './cli-args.js';
import { MigrateError, migrateDatabase } from './core/migrate-db/migrate-db.js';

export const MIGRATE_HELP = `Usage: satchel migrate-db --from=DATABASE --to=DATABASE [--collections=DIR] [--force] [--with-logs]

Copies a project's data from one database to another, e.g. from SQLite to PostgreSQL and back:
  satchel migrate-db --from=pb_data/data.db --to=postgres://user:pass@host:5432/name
  satchel migrate-db --from=postgres://user:pass@host:5432/name --to=pb_data/data.db
A DATABASE is a postgres:// URL, or an SQLite data.db (or the data directory holding it). The target gets its
tables from the collection files (--collections, default ./collections), which must match the source; then every
record, the superusers, the settings and token secrets, sequences and sign-in state are copied in one
transaction, and each table is verified by row counts and checksums before it commits: on a failure or a
mismatch the target keeps nothing, and the command exits non-zero. The source may be in use. Uploaded files
are not in the database and stay where they are.
  --force      copy into a target that holds data, replacing it
  --with-logs  copy the request and app logs too`;

export const MIGRATE_FLAGS: FlagSpec[] = [
  { name: 'from', env: 'SATCHEL_MIGRATE_FROM', value: 'DATABASE', help: 'migrate-db: the database to copy from' },
  { name: 'to', env: 'SATCHEL_MIGRATE_TO', value: 'DATABASE', help: 'migrate-db: the database to copy to' },
  {
    name: 'force',
    env: 'SATCHEL_MIGRATE_FORCE',
    value: 'on|off',
    help: 'migrate-db: replace the data of a target that is not empty',
  },
  {
    name: 'with-logs',
    env: 'SATCHEL_MIGRATE_WITH_LOGS',
    value: 'on|off',
    help: 'migrate-db: copy the request logs too',
  },
];

/** The flags migrate-db takes. */
const ALLOWED = ['collections', ...MIGRATE_FLAGS.map((f) => f.name)];

const flag = (name: string) => MIGRATE_FLAGS.find((f) => f.name === name)!;

export async function migrateCommand(
  args: ParsedArgs,
  collectionsDir: string,
  switchValue: (args: ParsedArgs, spec: FlagSpec) => boolean | undefined,
): Promise<void> {
  const stray = [...args.flags.keys()].find((name) => !ALLOWED.includes(name));
  if (stray) throw new UsageError(`flag --${stray} does not apply to migrate-db (see satchel migrate-db --help)`);
  if (args.positionals.length) throw new UsageError('satchel migrate-db takes --from and --to, no words (see --help)');
  const from = flagValue(args, flag('from'), process.env);
  const to = flagValue(args, flag('to'), process.env);
  if (!from || !to) throw new UsageError('satchel migrate-db needs --from=DATABASE and --to=DATABASE (see --help)');
  let result;
  try {
    result = await migrateDatabase({
      from,
      to,
      collectionsDir,
      force: switchValue(args, flag('force')) ?? false,
      withLogs: switchValue(args, flag('with-logs')) ?? false,
    });
  } catch (err) {
    if (err instanceof MigrateError) throw new UsageError(err.message);
    throw err;
  }
  console.log(`From ${result.source}\nto   ${result.target}\n\n${result.text}`);
  if (!result.ok) {
    throw new UsageError('the copy does not match its source: it was rolled back, the target is as it was before');
  }
  console.log(`\nMigrated. Start Satchel on the target with the same collections folder.`);
}
