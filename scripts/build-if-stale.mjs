// Builds dist/ (tsc, then the bundled CLI) when it is missing or older than any file in src/, and dist/ui (Vite)
// when it is missing or older than any file in ui/ (npm start and npm test run this first).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const stamp = 'dist/cli.js';
const sources = Math.max(
  newestMtime('src'),
  statSync('tsconfig.json').mtimeMs,
  statSync('tsconfig.build.json').mtimeMs,
);
if (!existsSync(stamp) || statSync(stamp).mtimeMs < sources) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  // The command line is bundled (a faster start; rarely used commands in chunks of their own): scripts/bundle-cli.mjs.
  execFileSync(process.execPath, ['scripts/bundle-cli.mjs'], { stdio: 'inherit' });
}

// The dashboard: its own stamp, so a change in ui/ rebuilds only the UI (and a change in src/ only the server).
const uiStamp = 'dist/ui/index.html';
const uiSources = Math.max(newestMtime('ui'), statSync('package-lock.json').mtimeMs);
if (!existsSync(uiStamp) || statSync(uiStamp).mtimeMs < uiSources) {
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', 'ui', '--logLevel', 'warn'], { stdio: 'inherit' });
}
