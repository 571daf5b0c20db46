// The better-sqlite3 the benchmark's own code uses: the same major Satchel picks on this Node.js
// (src/core/db/sqlite/driver.ts: 13 on Node 22 and later, 12 on Node 20), so the baselines and Satchel run the
// same SQLite driver and neither side is measured on the other's build.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const major = Number(process.versions.node.split('.')[0]);

/** better-sqlite3's Database constructor. */
const Database = major >= 22 ? require('better-sqlite3-13') : require('better-sqlite3');
export default Database;
