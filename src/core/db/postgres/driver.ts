// The pg driver, loaded on first use: a server on SQLite (the default) never loads it, which its start would
// otherwise pay for (a CommonJS package of several modules, read before the first request is answered).
import { createRequire } from 'node:module';
import type pg from 'pg';

const require = createRequire(import.meta.url);
let driver: typeof pg | undefined;

export function pgDriver(): typeof pg {
  return (driver ??= require('pg') as typeof pg);
}
