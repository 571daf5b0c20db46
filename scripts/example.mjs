// Starts one of the examples/: `npm run example -- 003 [more serve flags]`. Builds dist/ when it is stale, then runs
// `node dist/cli.js serve` over the example's collections, pb_hooks and pb_data with the flags of its serve.json.
// `npm run example -- 004 superuser upsert EMAIL PASSWORD` runs `satchel superuser` on the same data and collections.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const examplesDir = join(root, 'examples');
const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(examplesDir, entry.name, 'collections')))
  .map((entry) => entry.name)
  .sort();

const [wanted, ...extra] = process.argv.slice(2);
const usage =
  'usage: npm run example -- <example> [serve flags]\n' +
  '       npm run example -- <example> superuser upsert EMAIL PASSWORD | delete EMAIL\n' +
  `examples: ${examples.join(', ')}`;
if (!wanted || wanted === '-h' || wanted === '--help') {
  console.log(usage);
  process.exit(wanted ? 0 : 1);
}
// "003", "003-kebab-users" or "kebab" all name examples/003-kebab-users.
const matches = examples.filter((name) => name === wanted || name.startsWith(`${wanted}-`) || name.includes(wanted));
const exact = matches.find((name) => name === wanted || name.startsWith(`${wanted}-`));
const name = exact ?? (matches.length === 1 ? matches[0] : undefined);
if (!name) {
  console.error(`example "${wanted}" ${matches.length ? 'is ambiguous' : 'not found'}\n${usage}`);
  process.exit(1);
}

const dir = join(examplesDir, name);
const cli = join(root, 'dist', 'cli.js');

const buildIfStale = () =>
  execFileSync(process.execPath, [join(root, 'scripts', 'build-if-stale.mjs')], { cwd: root, stdio: 'inherit' });

if (extra[0] === 'superuser') {
  buildIfStale();
  const given = (flag) => extra.some((arg) => arg === `--${flag}` || arg.startsWith(`--${flag}=`));
  const args = [...extra];
  if (!given('dir')) args.push(`--dir=${join(dir, 'pb_data')}`);
  // Always with collections: the command brings data.db to match the collections it is given.
  if (!given('collections')) args.push(`--collections=${join(dir, 'collections')}`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

const serveFile = join(dir, 'serve.json');
const defaults = existsSync(serveFile) ? (JSON.parse(readFileSync(serveFile, 'utf8')).flags ?? {}) : {};
const flags = new Map(
  Object.entries({
    collections: join(dir, 'collections'),
    hooks: join(dir, 'pb_hooks'),
    dir: join(dir, 'pb_data'),
    ...defaults,
  }),
);
// A flag given on the command line replaces the example's own (e.g. --http=127.0.0.1:9000, --dir=/tmp/x).
const passed = [];
for (let i = 0; i < extra.length; i++) {
  const m = /^--([^=]+)(?:=(.*))?$/.exec(extra[i]);
  if (!m) {
    passed.push(extra[i]);
  } else if (m[2] !== undefined) {
    flags.set(m[1], m[2]);
  } else if (i + 1 < extra.length && !extra[i + 1].startsWith('--')) {
    flags.set(m[1], extra[++i]);
  } else {
    passed.push(extra[i]);
  }
}

buildIfStale();

const args = ['serve', ...[...flags].map(([flag, value]) => `--${flag}=${value}`), ...passed];
console.log(`examples/${name}: node dist/cli.js ${args.join(' ')}`);
const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
// Ctrl+C reaches the server through the terminal's process group; a signal sent to this process alone is passed on.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
