#!/usr/bin/env node
// The command line: `satchel serve`, `superuser`, `backup`, `restore`, `init`, `openapi`, `typegen`. Thin: parses argv, calls createApp, handles signals.
import { mkdirSync, watch } from 'node:fs';
import { resolve } from 'node:path';
import {
  createApp,
  DEFAULT_HOST,
  DEFAULT_PORT,
  type AppOptions,
  type ListenOptions,
  type RunningServer,
  type SatchelApp,
} from './app.js';
import { flagValue, parseArgs, parseHttpAddress, UsageError, type FlagSpec, type ParsedArgs } from './cli-args.js';
import { ArchiveError, stageOfflineRestore } from './core/backups/index.js';
import { storeEngineFor, StoreUnavailable } from './core/db/index.js';
import { withoutPassword } from './core/db/locate.js';
import { ApiError, DefinitionError } from './core/errors.js';
import { parseS3Url } from './core/files/s3-url.js';
import type { ErrorFormat } from './core/settings/settings.js';
import { HookLoadError } from './load-hooks.js';
import { IMPORT_HELP } from './cli-import-help.js';
import { MIGRATE_FLAGS, MIGRATE_HELP } from './cli-migrate-db-help.js';
import { initProject, InitError } from './project-init.js';

const FLAGS: FlagSpec[] = [
  {
    name: 'http',
    env: 'SATCHEL_HTTP',
    value: 'HOST:PORT',
    help: `address to listen on (default ${DEFAULT_HOST}:${DEFAULT_PORT})`,
  },
  {
    name: 'dir',
    env: 'SATCHEL_DIR',
    value: 'DIR',
    help: 'data directory: files, outbox, and data.db when on SQLite (default ./pb_data)',
  },
  {
    name: 'db',
    env: 'SATCHEL_DB',
    value: 'URL',
    help: 'the database: sqlite (default, DIR/data.db) or postgres://user:pass@host:5432/name',
  },
  {
    name: 'collections',
    env: 'SATCHEL_COLLECTIONS',
    value: 'DIR',
    help: 'collection definition files (default ./collections)',
  },
  {
    name: 'app-url',
    env: 'SATCHEL_APP_URL',
    value: 'URL',
    help: 'public URL that e-mail links point at (default: the served address)',
  },
  {
    name: 'smtp-url',
    env: 'SATCHEL_SMTP_URL',
    value: 'URL',
    help: 'SMTP server, e.g. smtps://user:pass@host:465 (default: mail goes to DIR/outbox/)',
  },
  {
    name: 'mail-from',
    env: 'SATCHEL_MAIL_FROM',
    value: 'ADDRESS',
    help: 'sender of the e-mails (default "Satchel <no-reply@localhost>")',
  },
  {
    name: 'put-user',
    env: 'SATCHEL_PUT_USER',
    value: 'on|off',
    help: 'PUT /user sign-up, until a superuser changes it in /api/settings (default on)',
  },
  {
    name: 'watch',
    env: 'SATCHEL_WATCH',
    value: 'on|off',
    help: 'reload the collection files when they change on disk, without a restart (default off)',
  },
  {
    name: 'allow-data-loss',
    env: 'SATCHEL_ALLOW_DATA_LOSS',
    value: 'on|off',
    help: 'let this start drop fields removed from the files even when they hold values (default off)',
  },
  {
    name: 'hooks',
    env: 'SATCHEL_HOOKS',
    value: 'DIR',
    help: 'extension files (*.ts, *.js) loaded at start (default ./pb_hooks)',
  },
  {
    name: 'errors',
    env: 'SATCHEL_ERRORS',
    value: 'pocketbase|problem+json',
    help: 'error body format, until a superuser changes it in /api/settings (default pocketbase)',
  },
  {
    name: 'rate-limit',
    env: 'SATCHEL_RATE_LIMIT',
    value: 'on|off',
    help: 'per-IP limits on sign-in, sign-up and creates (default on)',
  },
  {
    name: 'origins',
    env: 'SATCHEL_ORIGINS',
    value: 'LIST',
    help: 'comma-separated browser origins allowed to call the API (CORS; default * = any)',
  },
  {
    name: 's3',
    env: 'SATCHEL_S3',
    value: 'URL',
    help: 'keep uploaded files in S3-compatible storage: s3://KEY:SECRET@host/bucket?region=R (default: pb_data/storage)',
  },
];

/** Flags of one command only, kept out of the serve help. */
const DRY_RUN: FlagSpec = {
  name: 'dry-run',
  env: 'SATCHEL_DRY_RUN',
  value: 'on|off',
  help: 'import-pocketbase: print the report, write nothing',
};

/** The flags `satchel superuser`, `backup` and `restore` take. */
const SUPERUSER_FLAGS = ['dir', 'db', 'collections'];

/** `satchel openapi --audience=superuser`: the whole document instead of the public one. */
const AUDIENCE_FLAG: FlagSpec = {
  name: 'audience',
  env: 'SATCHEL_AUDIENCE',
  value: 'public|superuser',
  help: 'which document: what anyone may call (default) or everything a superuser may',
};

/** The flags `satchel openapi` and `typegen` take. */
const REFERENCE_FLAGS = ['dir', 'db', 'collections', 'hooks', 'audience'];

const MAIN_HELP = `Satchel: a backend in one process and one SQLite file.

Usage: satchel <command> [flags]

Commands:
  init               create a new project (collections, pb_hooks, package.json) in a new folder
  serve              start the HTTP server
  superuser          create, update or delete a superuser account
  backup             write a backup archive of a stopped server's data
  restore            replace a stopped server's data with a backup
  openapi            print the OpenAPI 3.1 document of the API (what GET /api/openapi.json answers)
  typegen            print TypeScript types of the collections, for the JS SDK
  import-pocketbase  make a Satchel project from a PocketBase pb_data folder (a report says what was left)
  migrate-db         copy a project's data to another database (SQLite <-> PostgreSQL), verified`;

const SUPERUSER_HELP = `Usage: satchel superuser upsert EMAIL PASSWORD [--dir=DIR] [--collections=DIR]
       satchel superuser delete EMAIL [--dir=DIR] [--collections=DIR]

upsert creates the superuser, or sets its password when the e-mail exists; delete removes it.
Superusers pass every API rule; they sign in with
POST /api/collections/_superusers/auth-with-password.`;

const INIT_HELP = `Usage: satchel init [DIR]

Creates a new project in DIR (default: the current folder, which must be empty): collections/ (users and an
example), pb_hooks/ with a commented example, .gitignore, package.json depending on satchel, a README.
Then: cd DIR && npm install && npm start`;

function initCommand(args: ParsedArgs): void {
  if (args.flags.size) throw new UsageError(`satchel init takes no flags (see satchel init --help)`);
  if (args.positionals.length > 1) throw new UsageError('satchel init takes one folder: satchel init my-app');
  const target = args.positionals[0] ?? '.';
  let written: string[];
  try {
    written = initProject(target);
  } catch (err) {
    if (err instanceof InitError) throw new UsageError(err.message);
    throw err;
  }
  const dir = resolve(target);
  console.log(`Created a Satchel project in ${dir}:\n${written.map((f) => `  ${f}`).join('\n')}`);
  const cd = target === '.' ? '' : `cd ${target} && `;
  console.log(`\nNext: ${cd}npm install && npm start`);
}

/** A switch flag's value: on/off (also true/false, 1/0, yes/no). */
function switchValue(args: ParsedArgs, spec: FlagSpec): boolean | undefined {
  const value = flagValue(args, spec, process.env)?.toLowerCase();
  if (value === undefined) return undefined;
  if (['on', 'true', '1', 'yes'].includes(value)) return true;
  if (['off', 'false', '0', 'no'].includes(value)) return false;
  throw new UsageError(`--${spec.name} must be on or off (got "${value}")`);
}

function serveHelp(): string {
  // The help column starts two spaces past the longest flag, so no flag runs into its text.
  const width = Math.max(...FLAGS.map((f) => `  --${f.name}=${f.value}`.length)) + 2;
  const rows = FLAGS.map(
    (f) => `  --${f.name}=${f.value}`.padEnd(width) + `${f.help}\n${''.padEnd(width)}env: ${f.env}`,
  );
  return `Usage: satchel serve [flags]

Starts the HTTP API. Collections are read from the definitions directory and the database is
brought to match them before the first request is served.

Flags:
${rows.join('\n')}
${'  -h, --help'.padEnd(width)}show this help`;
}

const spec = (name: string) => FLAGS.find((f) => f.name === name)!;

function errorFormatValue(args: ParsedArgs): ErrorFormat | undefined {
  const value = flagValue(args, spec('errors'), process.env);
  if (value === undefined || value === 'pocketbase' || value === 'problem+json') return value;
  throw new UsageError(`--errors must be pocketbase or problem+json (got "${value}")`);
}

/** The data and collections directories and the database every command opens. */
function directories(flags: ParsedArgs): { dataDir: string; collectionsDir: string; db: string | undefined } {
  return {
    dataDir: resolve(flagValue(flags, spec('dir'), process.env) ?? 'pb_data'),
    collectionsDir: resolve(flagValue(flags, spec('collections'), process.env) ?? 'collections'),
    db: dbValue(flagValue(flags, spec('db'), process.env)),
  };
}

/** `--db`: checked here so that a mistyped URL is a usage error, not a failed start. */
function dbValue(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    storeEngineFor(text);
  } catch (err) {
    throw new UsageError(`--db: ${(err as Error).message}`);
  }
  return text;
}

function s3Value(text: string | undefined) {
  if (text === undefined || text === '') return undefined;
  try {
    return parseS3Url(text);
  } catch (err) {
    throw new UsageError(`--s3: ${(err as Error).message}`);
  }
}

/** `--origins=https://a.example,https://b.example`: each an origin (scheme://host[:port]) or `*`. */
function originsValue(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const origins = text
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (origin === '*') continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin) {
      throw new UsageError(`--origins: "${origin}" is not an origin like https://app.example.com (no path, no slash)`);
    }
  }
  return origins;
}

/** A started app and its server. */
interface Serving {
  app: SatchelApp;
  server: RunningServer;
}

/** Creates the app, loads the hooks, prints what the start did and listens; used again by a restart in-process. */
async function startServing(options: AppOptions, hooksDir: string, address: ListenOptions): Promise<Serving> {
  const app = await createApp(options);
  try {
    for (const file of await app.loadHooks(hooksDir)) console.log(`loaded hooks from ${file}`);
  } catch (err) {
    await app.close();
    throw err;
  }
  const { sync } = app.engine;
  for (const name of sync.created) console.log(`created collection "${name}"`);
  for (const name of sync.changed) console.log(`updated collection "${name}" to match its definition`);
  for (const name of sync.detached) {
    console.warn(
      `warning: collection "${name}" is in the database but has no definition file; its table is kept and not served`,
    );
  }
  try {
    return { app, server: await app.listen(address) };
  } catch (err) {
    await app.close();
    throw err;
  }
}

async function serveCommand(flags: ParsedArgs): Promise<void> {
  if (flags.positionals.length) throw new UsageError(`unexpected argument "${flags.positionals[0]}" (see --help)`);
  for (const only of [DRY_RUN, ...MIGRATE_FLAGS]) {
    if (flags.flags.has(only.name)) throw new UsageError(`flag --${only.name} does not apply to serve (see --help)`);
  }
  const http = flagValue(flags, spec('http'), process.env);
  const { host, port } = http ? parseHttpAddress(http) : { host: DEFAULT_HOST, port: DEFAULT_PORT };
  const { dataDir, collectionsDir, db } = directories(flags);
  const rateLimit = switchValue(flags, spec('rate-limit'));
  const hooksDir = resolve(flagValue(flags, spec('hooks'), process.env) ?? 'pb_hooks');

  let stopping = false;
  let restarting: Promise<void> | undefined;
  const options: AppOptions = {
    dataDir,
    collectionsDir,
    db,
    allowDataLoss: switchValue(flags, spec('allow-data-loss')),
    appUrl: flagValue(flags, spec('app-url'), process.env),
    mail: {
      smtpUrl: flagValue(flags, spec('smtp-url'), process.env),
      from: flagValue(flags, spec('mail-from'), process.env),
    },
    putUser: switchValue(flags, spec('put-user')),
    rateLimit: rateLimit === false ? false : undefined,
    errors: errorFormatValue(flags),
    origins: originsValue(flagValue(flags, spec('origins'), process.env)),
    s3: s3Value(flagValue(flags, spec('s3'), process.env)),
    // A staged backup restore: this process closes the app and opens it again, which applies the restore.
    onRestartRequest: () => {
      if (stopping || restarting) return;
      restarting = restartServing().finally(() => (restarting = undefined));
    },
  };
  let current = await startServing(options, hooksDir, { host, port });
  const restartServing = async () => {
    console.log('restarting to apply the restored backup...');
    await current.server.close();
    await current.app.close();
    try {
      current = await startServing(options, hooksDir, { host, port });
    } catch (err) {
      // The restored data did not open (and was put back aside): serve the data that ran before.
      console.error(`satchel: the restore failed: ${describeFailure(err)}`);
      current = await startServing(options, hooksDir, { host, port });
    }
    console.log(`Server restarted at ${current.server.url}`);
  };
  // Signals are handled from the moment the server answers: a stop that comes during the rest of the start
  // (the installer link below) still finishes in-flight requests and closes the database.
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing in-flight requests...`);
    void Promise.resolve(restarting)
      .then(() => current.server.close())
      .then(() => current.app.close())
      .then(() => {
        console.log('stopped');
        process.exit(0);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const { app, server } = current;
  // (A stop that began meanwhile closes the database under this lookup: then there is nothing to print.)
  const installerLink = await app.installerLink().catch((err: unknown) => {
    if (stopping) return undefined;
    throw err;
  });
  if (stopping) return;
  // The link is looked up before "Server started" is printed: whoever waits for that line can rely on the
  // whole start-up text being there.
  const database = options.db ? `├─ Database: ${withoutPassword(options.db)}\n` : '';
  console.log(`Server started at ${server.url}\n├─ REST API: ${server.url}/api/\n${database}└─ Data:     ${dataDir}`);
  console.log(`Mail goes to ${app.engine.mailer.destination}.`);
  if (switchValue(flags, spec('watch'))) {
    const allowDataLoss = switchValue(flags, spec('allow-data-loss')) ?? false;
    watchCollections(collectionsDir, () => current.app.engine.schema.reloadFromDisk({ allowDataLoss }));
    console.log(`Watching ${collectionsDir} for changes.`);
  }
  if (installerLink) {
    console.log(
      `\n(!) There is no superuser yet. Open this link within 30 minutes to create the first one:\n${installerLink}\n` +
        '(or run: satchel superuser upsert EMAIL PASSWORD)\n',
    );
  }
}

/** `--watch`: reloads the collections a moment after their files change; a bad edit is reported, not served. */
function watchCollections(dir: string, reload: () => Promise<boolean>): void {
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    reload().then(
      (changed) => {
        if (changed) console.log(`reloaded the collections from ${dir}`);
      },
      (err: unknown) => console.error(`satchel: the collections were not reloaded: ${describeFailure(err)}`),
    );
  };
  mkdirSync(dir, { recursive: true });
  watch(dir, () => {
    // Editors write a file in several steps: one reload once they are done.
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  }).unref();
}

async function superuserCommand(args: ParsedArgs): Promise<void> {
  const stray = [...args.flags.keys()].find((name) => !SUPERUSER_FLAGS.includes(name));
  if (stray) throw new UsageError(`flag --${stray} does not apply to superuser (see satchel superuser --help)`);
  const [action, email, password, ...rest] = args.positionals;
  const wanted = action === 'upsert' ? 2 : action === 'delete' ? 1 : -1;
  if (wanted < 0)
    throw new UsageError(`superuser takes "upsert EMAIL PASSWORD" or "delete EMAIL" (see satchel superuser --help)`);
  const given = [email, password, ...rest].filter((x) => x !== undefined).length;
  if (given !== wanted) {
    throw new UsageError(
      `superuser ${action} takes ${action === 'upsert' ? 'EMAIL PASSWORD' : 'EMAIL'} (see satchel superuser --help)`,
    );
  }
  const app = await createApp({ ...directories(args), rateLimit: false });
  try {
    if (action === 'delete') {
      await app.auth.deleteSuperuser(email!);
      console.log(`Superuser ${email} deleted.`);
    } else {
      const { created } = await app.auth.upsertSuperuser(email!, password!);
      console.log(`Superuser ${email} ${created ? 'created' : 'updated'}.`);
    }
  } finally {
    await app.close();
  }
}

const BACKUP_HELP = `Usage: satchel backup [NAME] [--dir=DIR] [--collections=DIR]
       satchel restore KEY|PATH [--dir=DIR] [--collections=DIR]

backup writes DIR/backups/NAME (default pb_backup_<app>_<time>.zip): the database and DIR/storage/.
restore replaces the data of DIR with a backup: KEY names one in DIR/backups/, PATH any archive file.
The archive is checked first (a zip holding a sound Satchel data.db); a bad one changes nothing. Run both on
a stopped server; a running one backs up and restores through /api/backups.`;

async function backupCommand(args: ParsedArgs): Promise<void> {
  const stray = [...args.flags.keys()].find((name) => !SUPERUSER_FLAGS.includes(name));
  if (stray) throw new UsageError(`flag --${stray} does not apply to ${args.command} (see satchel backup --help)`);
  if (args.positionals.length > 1) throw new UsageError(`satchel backup takes one NAME (see satchel backup --help)`);
  const app = await createApp({ ...directories(args), rateLimit: false });
  try {
    const key = await app.engine.backups.create(args.positionals[0]);
    console.log(`Backup ${key} written to ${resolve(directories(args).dataDir, 'backups')}.`);
  } finally {
    await app.close();
  }
}

async function restoreCommand(args: ParsedArgs): Promise<void> {
  const stray = [...args.flags.keys()].find((name) => !SUPERUSER_FLAGS.includes(name));
  if (stray) throw new UsageError(`flag --${stray} does not apply to restore (see satchel restore --help)`);
  if (args.positionals.length !== 1) throw new UsageError('satchel restore takes one KEY or PATH (see --help)');
  const dirs = directories(args);
  if (!storeEngineFor(dirs.db).files) {
    throw new UsageError("restore replaces a data directory's database file; this database is not kept in one");
  }
  let archive: string;
  try {
    archive = await stageOfflineRestore(dirs.dataDir, args.positionals[0]!);
  } catch (err) {
    if (err instanceof ArchiveError) throw new UsageError(`nothing was restored: ${err.message}`);
    throw err;
  }
  // Opening the data directory applies the staged restore (and puts the old data back if it does not open).
  const app = await createApp({ ...dirs, rateLimit: false });
  await app.close();
  console.log(`Restored ${archive} into ${dirs.dataDir}.`);
}

const REFERENCE_HELP = `Usage: satchel openapi [--audience=public|superuser] [--dir=DIR] [--collections=DIR] [--hooks=DIR]
       satchel typegen [--audience=public|superuser] [--dir=DIR] [--collections=DIR]

openapi prints the OpenAPI 3.1 document of the API to stdout (satchel openapi > openapi.json): every collection's
records and auth routes, the system routes, and the routes pb_hooks files describe (app.describeRoute). The public
document (the default) leaves out what only superusers may use; --audience=superuser prints the whole one.
typegen prints TypeScript types of each collection's record, create and update bodies and expand
(satchel typegen > satchel-types.ts), for the SDK: pb.collection<PostsRecord>('posts').`;

/** `satchel openapi` and `satchel typegen`: the reference of the collections and hooks, without serving. */
async function referenceCommand(args: ParsedArgs): Promise<void> {
  const stray = [...args.flags.keys()].find((name) => !REFERENCE_FLAGS.includes(name));
  if (stray) throw new UsageError(`flag --${stray} does not apply to ${args.command} (see --help)`);
  if (args.positionals.length) throw new UsageError(`satchel ${args.command} takes no words (see --help)`);
  const audience = flagValue(args, AUDIENCE_FLAG, process.env) ?? 'public';
  if (audience !== 'public' && audience !== 'superuser') {
    throw new UsageError(`--audience must be public or superuser (got "${audience}")`);
  }
  const app = await createApp({ ...directories(args), rateLimit: false });
  try {
    if (args.command === 'typegen') {
      // Loaded here: the OpenAPI modules are not part of a server's start.
      const { typegen } = await import('./core/openapi/typegen.js');
      process.stdout.write(typegen(app.engine.collections.all(), audience));
      return;
    }
    const hooks = FLAGS.find((f) => f.name === 'hooks')!;
    await app.loadHooks(resolve(flagValue(args, hooks, process.env) ?? 'pb_hooks'));
    process.stdout.write(`${JSON.stringify(await app.engine.openapi.document(audience), null, 2)}\n`);
  } finally {
    await app.close();
  }
}

/** A one-line description of why the command failed. */
function describeFailure(err: unknown): string {
  if (err instanceof UsageError) return err.message;
  if (err instanceof ApiError) {
    const fields = Object.entries(err.data).map(([name, e]) => `${name}: ${String(e.message ?? 'invalid')}`);
    return fields.length ? `invalid input: ${fields.join(' ')}` : err.message;
  }
  if (err instanceof DefinitionError) return `invalid collection definition: ${err.message}`;
  if (err instanceof HookLoadError) return `invalid hooks file: ${err.message}`;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EADDRINUSE') return `the address is already in use (${e.message.replace(/^.*EADDRINUSE:?\s*/, '')})`;
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return `permission denied: ${e.path ?? e.message}`;
  if (e?.code === 'ENOTDIR' || e?.code === 'EEXIST') return `not a usable directory: ${e.path ?? e.message}`;
  if (e?.code === 'SQLITE_CANTOPEN' || e?.code === 'SQLITE_NOTADB') return `cannot open the database: ${e.message}`;
  if (err instanceof StoreUnavailable) return `cannot open the database: ${err.message}`;
  return (e as Error)?.message ?? String(err);
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, [...FLAGS, AUDIENCE_FLAG, DRY_RUN, ...MIGRATE_FLAGS]);
  if (args.command === undefined || args.command === 'help') {
    console.log(
      `${MAIN_HELP}\n\n${serveHelp()}\n\n${SUPERUSER_HELP}\n\n${BACKUP_HELP}\n\n${REFERENCE_HELP}\n\n${INIT_HELP}\n\n${IMPORT_HELP}\n\n${MIGRATE_HELP}`,
    );
    return;
  }
  if (args.command === 'import-pocketbase') {
    if (args.help) return console.log(IMPORT_HELP);
    // Loaded only when run (so are migrate-db and typegen): a server's start never reads them.
    const { importCommand } = await import('./cli-import.js');
    return importCommand(args, directories(args), switchValue(args, DRY_RUN) ?? false);
  }
  if (args.command === 'migrate-db') {
    if (args.help) return console.log(MIGRATE_HELP);
    const { migrateCommand } = await import('./cli-migrate-db.js');
    return migrateCommand(args, directories(args).collectionsDir, switchValue);
  }
  if (args.command === 'superuser') {
    if (args.help) console.log(SUPERUSER_HELP);
    else await superuserCommand(args);
    return;
  }
  if (args.command === 'backup' || args.command === 'restore') {
    if (args.help) console.log(BACKUP_HELP);
    else await (args.command === 'backup' ? backupCommand(args) : restoreCommand(args));
    return;
  }
  if (args.command === 'openapi' || args.command === 'typegen') {
    if (args.help) console.log(REFERENCE_HELP);
    else await referenceCommand(args);
    return;
  }
  if (args.command === 'init') {
    if (args.help) console.log(INIT_HELP);
    else initCommand(args);
    return;
  }
  if (args.command !== 'serve') throw new UsageError(`unknown command "${args.command}" (see --help)`);
  if (args.help) {
    console.log(serveHelp());
    return;
  }
  await serveCommand(args);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`satchel: ${describeFailure(err)}`);
  process.exit(1);
});
