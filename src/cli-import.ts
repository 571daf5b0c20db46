// `satchel import-pocketbase PATH/TO/pb_data`: thin; the import itself is src/core/import/.
import { UsageError, type ParsedArgs } from './cli-args.js';
import { ImportError, importPocketBase } from './core/import/import-pocketbase.js';

export const IMPORT_HELP = `Usage: satchel import-pocketbase PATH/TO/pb_data [--dir=DIR] [--collections=DIR] [--dry-run]

Reads a PocketBase (0.23 or later) data directory and writes a Satchel project that serves the same API:
a collection file per collection in --collections (default ./collections), and in --dir (default ./pb_data)
every record with its id, the superusers, password hashes (bcrypt keeps working, upgraded to argon2id at the
next sign-in), the token secrets (tokens PocketBase issued stay valid) and a copy of storage/. Both folders must
be new or empty. What cannot be carried (pb_hooks, migrations, OAuth2 links, a field type or rule Satchel lacks)
is listed in one report, printed and written to import-report.md beside the collections folder.
--dry-run prints the report and writes nothing.`;

/** The flags import-pocketbase takes. */
const IMPORT_FLAGS = ['dir', 'collections', 'dry-run'];

export async function importCommand(
  args: ParsedArgs,
  dirs: { dataDir: string; collectionsDir: string },
  dryRun: boolean,
): Promise<void> {
  const stray = [...args.flags.keys()].find((name) => !IMPORT_FLAGS.includes(name));
  if (stray) throw new UsageError(`flag --${stray} does not apply to import-pocketbase (see --help)`);
  if (args.positionals.length !== 1) {
    throw new UsageError('satchel import-pocketbase takes one PATH: the PocketBase pb_data folder (see --help)');
  }
  try {
    const result = await importPocketBase({ source: args.positionals[0]!, ...dirs, dryRun });
    console.log(result.text);
    if (result.reportFile) {
      console.log(`Imported into ${dirs.collectionsDir} and ${dirs.dataDir}; this report is in ${result.reportFile}.`);
    }
  } catch (err) {
    if (err instanceof ImportError) throw new UsageError(`nothing was imported: ${err.message}`);
    throw err;
  }
}
