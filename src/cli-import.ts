// `satchel import-pocketbase PATH/TO/pb_data`: thin; the import itself is src/core/import/.
import { UsageError, type ParsedArgs } from './cli-args.js';
import { ImportError, importPocketBase } from './core/import/import-pocketbase.js';

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
