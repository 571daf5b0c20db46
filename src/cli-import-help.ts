// What `satchel --help` says of import-pocketbase: apart from the command, which loads only when run.

export const IMPORT_HELP = `Usage: satchel import-pocketbase PATH/TO/pb_data [--dir=DIR] [--collections=DIR] [--dry-run]

Reads a PocketBase (0.23 or later) data directory and writes a Satchel project that serves the same API:
a collection file per collection in --collections (default ./collections), and in --dir (default ./pb_data)
every record with its id, the superusers, password hashes (bcrypt keeps working, upgraded to argon2id at the
next sign-in), the token secrets (tokens PocketBase issued stay valid) and a copy of storage/. Both folders must
be new or empty. What cannot be carried (pb_hooks, migrations, OAuth2 links, a field type or rule Satchel lacks)
is listed in one report, printed and written to import-report.md beside the collections folder.
--dry-run prints the report and writes nothing.`;
