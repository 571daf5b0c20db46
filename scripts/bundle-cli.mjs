// Bundles the command line (dist/cli.js) into one file after tsc has built dist/: a start that loads one module
// instead of a hundred answers its first request about 100 ms sooner. Packages stay external (node_modules);
// the library entry (dist/index.js, what `import 'satchel'` loads) stays tsc's output with its types.
import { chmodSync } from 'node:fs';
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
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
