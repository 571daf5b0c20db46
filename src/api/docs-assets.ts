// Where the API reference's renderer (Scalar's standalone bundle) is on disk: dist/docs/scalar.js, copied there by
// the build (scripts/copy-docs-assets.mjs); in a checkout that never built, the devDependency itself.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundle's path, or undefined when there is none (the page then says so and links the document). */
export function findDocsBundle(): string | undefined {
  // dist/cli.js is one bundled file (dist/docs beside it); dist/api/docs-assets.js is tsc's output; src/api runs
  // from a checkout (the repository's dist/docs).
  for (const relative of ['./docs/scalar.js', '../docs/scalar.js', '../../dist/docs/scalar.js']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  try {
    const entry = createRequire(import.meta.url).resolve('@scalar/api-reference');
    const path = join(dirname(dirname(entry)), 'dist', 'browser', 'standalone.js');
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}
