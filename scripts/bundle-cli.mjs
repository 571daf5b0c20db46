// Bundles the command line (dist/cli.js) after tsc has built dist/: a start that loads one module
// instead of a hundred answers its first request about 100 ms sooner. Packages stay external (node_modules);
// the library entry (dist/index.js, what `import 'satchel'` loads) stays tsc's output with its types.
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunks are named by their content: the last build's are removed first.
rmSync('dist/cli-chunks', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  // Split: what a start does not need (the PocketBase importer, migrate-db, the PostgreSQL engine) is loaded by
  // dynamic import from chunks of its own, so a server on SQLite neither reads nor compiles it.
  outdir: 'dist',
  entryNames: '[name]',
  chunkNames: 'cli-chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  // The CLI's own shebang is kept by esbuild from the entry file.
});
// Executable, as the `bin` of an installed package is (and as `./dist/cli.js` can be run from a checkout).
chmodSync('dist/cli.js', 0o755);
