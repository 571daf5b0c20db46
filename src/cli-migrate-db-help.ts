// What `satchel --help` says of migrate-db, and its flags: apart from the command, which loads only when run.
import type { FlagSpec } from './cli-args.js';

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
