// Copies the API reference renderer (Scalar's standalone bundle) into dist/docs/, so GET /api/docs serves it from
// Satchel itself: an installed Satchel needs neither the package (a devDependency) nor any outside host.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let root;
try {
  // The package exports no package.json: its entry is dist/index.js.
  root = dirname(dirname(require.resolve('@scalar/api-reference')));
} catch {
  console.warn('@scalar/api-reference is not installed: /api/docs will serve its plain page');
  process.exit(0);
}
const bundle = join(root, 'dist', 'browser', 'standalone.js');
if (!existsSync(bundle)) {
  console.warn(`${bundle} is missing: /api/docs will serve its plain page`);
  process.exit(0);
}
mkdirSync('dist/docs', { recursive: true });
copyFileSync(bundle, 'dist/docs/scalar.js');
