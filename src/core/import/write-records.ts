// Carries PocketBase's rows into the engine's tables as they are: ids, created/updated, password hashes, tokenKeys.
// Rows go straight to the store (not through the write pipeline): they were valid in PocketBase, and the pipeline
// would stamp new dates and hash the stored hashes again.
import { keyStamp } from '../auth/auth-origins.js';
import type { Collection } from '../collections/model.js';
import type { ForeignDatabase } from '../db/index.js';
import type { Engine } from '../engine.js';
import { toRow } from '../records/index.js';
import { Params } from '../settings/params.js';
import type { ConvertedCollection } from './convert-collection.js';

/** The account PocketBase makes for its installer link; it means nothing to Satchel. */
const PB_INSTALLER_EMAIL = '__pbinstaller@example.com';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface WriteOutcome {
  /** Records carried, by collection name. */
  records: Map<string, number>;
  carried: string[];
}

/** Inserts every row of the carried collections, the token secrets, the MFA and sign-in origin rows. */
export async function writeRecords(
  engine: Engine,
  source: ForeignDatabase,
  carried: ConvertedCollection[],
  notes: string[],
): Promise<WriteOutcome> {
  const tables = new Set(source.tables());
  const records = new Map<string, number>();
  const carriedLines: string[] = [];
  const tokenKeys = new Map<string, string>();
  const served = new Map<string, Collection>();
  await engine.store.transaction(async (tx) => {
    for (const c of carried) {
      const collection = engine.collections.find(c.name);
      if (!collection || collection.type === 'view' || !tables.has(c.name)) continue;
      served.set(collection.id, collection);
      const compiled = engine.records.catalog.compiled(collection);
      let count = 0;
      for (const row of source.iterate<Record<string, unknown>>(`SELECT * FROM ${quote(c.name)}`)) {
        if (c.name === '_superusers' && row.email === PB_INSTALLER_EMAIL) continue;
        // The stored form read as Satchel reads its own columns (the layouts are PocketBase's), then written back.
        const values = Object.fromEntries(
          compiled.fields.map((f) => [f.def.name, f.type.fromDb(row[f.def.name], f.def)]),
        );
        try {
          await tx.transaction((t) => t.run(compiled.insertSql, toRow(compiled, values)));
          count++;
          if (collection.type === 'auth') tokenKeys.set(`${collection.id}/${String(row.id)}`, String(row.tokenKey));
        } catch (err) {
          notes.push(`${c.name} record ${String(row.id)}: not carried (${(err as Error).message})`);
        }
      }
      records.set(c.name, count);
      if (c.droppedFields.size && count > 0) {
        notes.push(`${c.name}: the values of ${[...c.droppedFields].join(', ')} in ${count} records were not carried`);
      }
    }
    if (tables.has('_mfas')) {
      let n = 0;
      for (const row of source.all('SELECT * FROM "_mfas"')) {
        if (!served.has(String(row.collectionRef))) continue;
        await tx.run(
          'INSERT INTO "_mfas" ("id", "collectionRef", "recordRef", "method", "created") VALUES (?, ?, ?, ?, ?)',
          [row.id, row.collectionRef, row.recordRef, row.method, row.created ?? ''],
        );
        n++;
      }
      if (n) carriedLines.push(`${n} multi-factor sign-ins in progress (_mfas)`);
    }
    if (tables.has('_authOrigins')) {
      let n = 0;
      for (const row of source.all('SELECT * FROM "_authOrigins"')) {
        const tokenKey = tokenKeys.get(`${String(row.collectionRef)}/${String(row.recordRef)}`);
        if (tokenKey === undefined) continue;
        await tx.run(
          'INSERT INTO "_authOrigins" ("id", "collectionRef", "recordRef", "fingerprint", "keyStamp", "created", "updated") VALUES (?, ?, ?, ?, ?, ?, ?)',
          [
            row.id,
            row.collectionRef,
            row.recordRef,
            row.fingerprint,
            keyStamp({ tokenKey }),
            row.created ?? '',
            row.updated ?? '',
          ],
        );
        n++;
      }
      if (n) carriedLines.push(`${n} known sign-in origins (_authOrigins), so new-device alerts go on as before`);
    }
  });
  // The secrets go where Satchel keeps the ones it generates (the token config reads them there by collection id).
  const params = new Params(engine.store);
  for (const c of carried) {
    const collection = engine.collections.find(c.name);
    const types = Object.keys(c.secrets);
    if (!collection || !types.length) continue;
    for (const type of types) await params.set(`tokenSecret:${collection.id}:${type}`, c.secrets[type]);
    carriedLines.push(`${c.name}: token secrets (${types.join(', ')}), so tokens PocketBase issued stay valid`);
  }
  return { records, carried: carriedLines };
}
