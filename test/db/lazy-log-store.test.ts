// The log store opens on first use: a server that answered nothing has no auxiliary.db, its first log line opens
// it, and a store that cannot open never makes closing fail.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LazyStore, openStore, sqliteEngine } from '../../src/core/db/index.js';
import { OPEN_RULES, tempApp, tempDirs } from '../helpers/temp-app.js';

describe('the lazily opened log store', () => {
  it('is not opened by a start, and is by the first request’s log line', async () => {
    const { app, dirs, cleanup } = await tempApp([{ name: 'notes', ...OPEN_RULES, fields: [] }]);
    try {
      expect(existsSync(join(dirs.dataDir, 'data.db'))).toBe(true);
      expect(existsSync(join(dirs.dataDir, 'auxiliary.db'))).toBe(false);
      expect((await app.hono.request('/api/collections/notes/records')).status).toBe(200);
      await app.engine.logs.flush();
      expect(existsSync(join(dirs.dataDir, 'auxiliary.db'))).toBe(true);
      const { items } = await app.engine.logs.list({ filter: 'data.url ~ "/notes/records"' });
      expect(items).toHaveLength(1);
    } finally {
      await cleanup();
    }
  });

  it('closes cleanly when it could not open, and says its waiting lines are lost', async () => {
    const dirs = tempDirs();
    const store = new LazyStore(sqliteEngine.dialect, () =>
      openStore({ dataDir: join(dirs.root, 'gone', 'pb_data', 'nested') }, {}, sqliteEngine, 'auxiliary'),
    );
    rmSync(dirs.root, { recursive: true, force: true });
    const appender = store.appender('_logs', [{ name: 'id' }]);
    appender.add(['one']);
    await expect(appender.close()).resolves.toBeUndefined();
    await expect(store.close()).resolves.toBeUndefined();
    await expect(store.all('SELECT 1')).rejects.toThrow();
  });
});
