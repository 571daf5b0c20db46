#!/usr/bin/env node
// The command line: `satchel serve` and its flags. Thin: parses argv, calls createApp, handles signals.
import { resolve } from 'node:path';
import { createApp, DEFAULT_HOST, DEFAULT_PORT } from './app.js';
import { flagValue, parseArgs, parseHttpAddress, UsageError, type FlagSpec } from './cli-args.js';
import { DefinitionError } from './core/errors.js';

const FLAGS: FlagSpec[] = [
  { name: 'http', env: 'SATCHEL_HTTP', value: 'HOST:PORT', help: `address to listen on (default ${DEFAULT_HOST}:${DEFAULT_PORT})` },
  { name: 'dir', env: 'SATCHEL_DIR', value: 'DIR', help: 'data directory, holds data.db (default ./pb_data)' },
  { name: 'collections', env: 'SATCHEL_COLLECTIONS', value: 'DIR', help: 'collection definition files (default ./collections)' },
];

const MAIN_HELP = `Satchel: a backend in one process and one SQLite file.

Usage: satchel <command> [flags]

Commands:
  serve     start the HTTP server`;

function serveHelp(): string {
  const rows = FLAGS.map((f) => `  --${f.name}=${f.value}`.padEnd(30) + `${f.help}\n${''.padEnd(30)}env: ${f.env}`);
  return `Usage: satchel serve [flags]

Starts the HTTP API. Collections are read from the definitions directory and the database is
brought to match them before the first request is served.

Flags:
${rows.join('\n')}
  -h, --help                  show this help`;
}

async function serveCommand(flags: ReturnType<typeof parseArgs>): Promise<void> {
  const spec = (name: string) => FLAGS.find((f) => f.name === name)!;
  const http = flagValue(flags, spec('http'), process.env);
  const { host, port } = http ? parseHttpAddress(http) : { host: DEFAULT_HOST, port: DEFAULT_PORT };
  const dataDir = resolve(flagValue(flags, spec('dir'), process.env) ?? 'pb_data');
  const collectionsDir = resolve(flagValue(flags, spec('collections'), process.env) ?? 'collections');

  const app = createApp({ dataDir, collectionsDir });
  const { sync } = app.engine;
  for (const name of sync.created) console.log(`created collection "${name}"`);
  for (const name of sync.changed) console.log(`updated collection "${name}" to match its definition`);
  for (const name of sync.detached) {
    console.warn(`warning: collection "${name}" is in data.db but has no definition file; its table is kept and not served`);
  }
  let server;
  try {
    server = await app.listen({ host, port });
  } catch (err) {
    app.close();
    throw err;
  }
  console.log(`Server started at ${server.url}\n├─ REST API: ${server.url}/api/\n└─ Data:     ${dataDir}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing in-flight requests...`);
    void server.close().then(() => {
      app.close();
      console.log('stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** A one-line description of why the server cannot start. */
function describeFailure(err: unknown): string {
  if (err instanceof UsageError) return err.message;
  if (err instanceof DefinitionError) return `invalid collection definition: ${err.message}`;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EADDRINUSE') return `the address is already in use (${e.message.replace(/^.*EADDRINUSE:?\s*/, '')})`;
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return `permission denied: ${e.path ?? e.message}`;
  if (e?.code === 'ENOTDIR' || e?.code === 'EEXIST') return `not a usable directory: ${e.path ?? e.message}`;
  if (e?.code === 'SQLITE_CANTOPEN' || e?.code === 'SQLITE_NOTADB') return `cannot open the database: ${e.message}`;
  return (e as Error)?.message ?? String(err);
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, FLAGS);
  if (args.command === undefined || args.command === 'help') {
    console.log(`${MAIN_HELP}\n\n${serveHelp()}`);
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
