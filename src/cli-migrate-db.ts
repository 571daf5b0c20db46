// `satchel migrate-db --from=... --to=...`: thin; the migration itself is src/core/migrate-db/.
import { flagValue, UsageError, type FlagSpec, type ParsedArgs } from './cli-args.js';
import { MIGRATE_FLAGS } from './cli-migrate-db-help.js';
import { MigrateError, migrateDatabase } from './core/migrate-db/migrate-db.js';

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
