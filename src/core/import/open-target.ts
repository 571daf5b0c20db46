// Writes the converted collection files and opens Satchel's engine on them; what the engine refuses (a rule it
// cannot compile, a view query, a field pointing at a collection left out) is taken out, reported, and tried again.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_NAMES } from '../collections/model.js';
import { openEngine, type Engine } from '../engine.js';
import { DefinitionError } from '../errors.js';
import type { ConvertedCollection } from './convert-collection.js';

const AUTH_RULES = ['authRule', 'manageRule'];

function fileOf(collectionsDir: string, c: ConvertedCollection): string {
  return join(collectionsDir, `${c.name}.json`);
}

function write(collectionsDir: string, c: ConvertedCollection): void {
  writeFileSync(fileOf(collectionsDir, c), `${JSON.stringify(c.json, null, 2)}\n`);
}

/** The collection an engine error is about: its file, or `collection "name"` in the error's origin. */
function culprit(err: DefinitionError, collectionsDir: string, carried: ConvertedCollection[]) {
  return carried.find((c) => err.file === fileOf(collectionsDir, c) || err.file.includes(`"${c.name}"`));
}

/** Takes out of `c` what the error names (a rule, a field, else the whole collection); false when nothing could be. */
function takeOut(c: ConvertedCollection, err: DefinitionError, notes: string[], carried: ConvertedCollection[]): void {
  const rule = /^(\w+):/.exec(err.detail)?.[1];
  const field = /^field "([^"]+)"/.exec(err.detail)?.[1];
  if (rule && ([...RULE_NAMES, ...AUTH_RULES] as string[]).includes(rule) && c.json[rule] != null) {
    notes.push(`${c.name}.${rule}: Satchel refuses this rule (${err.detail}); it was set to null (superusers only)`);
    c.json[rule] = null;
  } else if (rule === 'mfaRule' && typeof c.json.mfa === 'object' && c.json.mfa !== null) {
    notes.push(`${c.name}.mfa.rule: Satchel refuses this rule (${err.detail}); it was cleared`);
    c.json.mfa = { ...(c.json.mfa as object), rule: '' };
  } else if (field && Array.isArray(c.json.fields) && c.json.fields.some((f) => f.name === field)) {
    notes.push(`${c.name}.${field}: ${err.detail}; the field and its values were left out`);
    c.json.fields = (c.json.fields as { name: string }[]).filter((f) => f.name !== field);
    c.droppedFields.add(field);
  } else {
    notes.push(`${c.name}: Satchel refuses this collection (${err.detail}); it and its records were left out`);
    carried.splice(carried.indexOf(c), 1);
  }
}

/**
 * Writes the files of `carried` and opens the engine on them. `carried` loses what was taken out; each removal is
 * one line in `notes`. Throws what is not a definition problem (a database that cannot be created).
 */
export async function openTarget(
  dirs: { dataDir: string; collectionsDir: string },
  carried: ConvertedCollection[],
  notes: string[],
): Promise<Engine> {
  mkdirSync(dirs.collectionsDir, { recursive: true });
  for (const c of carried) write(dirs.collectionsDir, c);
  // Each round removes a rule, a field or a collection: bounded by how many there are.
  const rounds = carried.reduce((n, c) => n + 8 + (Array.isArray(c.json.fields) ? c.json.fields.length : 0), 1);
  for (let round = 0; round < rounds; round++) {
    try {
      return await openEngine({ ...dirs, allowDataLoss: true });
    } catch (err) {
      if (!(err instanceof DefinitionError)) throw err;
      const c = culprit(err, dirs.collectionsDir, carried);
      if (!c) throw err;
      takeOut(c, err, notes, carried);
      if (carried.includes(c)) write(dirs.collectionsDir, c);
      else rmSync(fileOf(dirs.collectionsDir, c), { force: true });
    }
  }
  throw new Error('the collections could not be brought to a state Satchel accepts');
}
