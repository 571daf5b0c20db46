// Applies a client's body to a record's values: what may be set, casting, and the `field+` style modifiers.
import type { Collection } from '../../collections/model.js';
import type { Access } from '../access.js';
import type { CompiledCollection, CompiledField } from '../compiled.js';
import type { ModifierKind, Op } from '../../fields/types.js';
import type { RecordJson } from '../read/export.js';

export interface AppliedInput {
  /** The candidate record: the base values with the body applied. */
  values: RecordJson;
  /** Plain input for sealed fields (passwords), by field name; sealed before the write. */
  sealed: Map<string, unknown>;
  /** The body's `passwordConfirm` and `oldPassword`, for auth collections. */
  passwordConfirm: unknown;
  oldPassword: unknown;
  /** Protected auth fields (email, verified) the body tried to change without the right to: a 400 names them. */
  refused: string[];
}

/** Auth fields only a superuser changes directly; anyone else sending another value is told so. */
function isProtectedAuthField(compiled: CompiledCollection, f: CompiledField): boolean {
  return (
    compiled.collection.type === 'auth' &&
    Boolean(f.def.system) &&
    (f.def.name === 'email' || f.def.name === 'verified')
  );
}

/**
 * Keys a client never sets: the server owns them. `manager`: a superuser or a caller the manageRule admits.
 * Exported for the API reference, which documents the bodies from this same decision.
 */
export function isServerOwned(
  collection: Pick<Collection, 'type'>,
  f: Pick<CompiledField, 'def' | 'type'>,
  op: Op,
  access: Access,
  manager: boolean = access.superuser,
): boolean {
  if (f.type.autoValue) return true;
  if (f.def.name === 'id') return op === 'update';
  if (collection.type === 'auth' && f.def.system) {
    if (f.def.name === 'tokenKey') return true;
    if (f.def.name === 'verified') return !manager;
    // A changed e-mail goes through the e-mail change flow; managers may set it directly.
    if (f.def.name === 'email' && op === 'update') return !manager;
  }
  return Boolean(f.def.hidden) && !access.superuser && !f.type.sealed;
}

const MODIFIER = /^(\+)?([A-Za-z_][A-Za-z0-9_]*)([+-])?$/;
const isModifier = (key: string) => key.startsWith('+') || key.endsWith('+') || key.endsWith('-');

/** Plain keys first, then modifiers, so `tags` and `tags+` in one body compose predictably. */
function keysInOrder(body: Record<string, unknown>): string[] {
  const keys = Object.keys(body);
  if (keys.some(isModifier)) keys.sort((a, b) => Number(isModifier(a)) - Number(isModifier(b)));
  return keys;
}

/**
 * The body rules read as `@request.body`, as PocketBase builds it: a field's modifiers (`tags+`, `-tags`, `n-`)
 * resolved into its final value under its own name, plain values cast as the field casts them, and hidden fields
 * left out for anyone but a superuser (a password stays, as given). Keys that name no field pass as sent.
 */
export function ruleBody(
  compiled: CompiledCollection,
  body: Record<string, unknown>,
  applied: AppliedInput,
  access: Access,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keysInOrder(body)) {
    const m = MODIFIER.exec(key);
    const field = m ? compiled.byName.get(m[2]!) : undefined;
    if (!m || !field) {
      out[key] = body[key];
      continue;
    }
    const name = field.def.name;
    if (field.type.sealed) {
      if (key === name) out[name] = body[key];
    } else if (field.def.hidden && !access.superuser) {
      continue;
    } else if (key === name) {
      out[name] = field.type.cast(body[key], field.def);
    } else {
      out[name] = applied.values[name];
    }
  }
  return out;
}

/** Applies `body` on top of `base`. Unknown keys are ignored, as PocketBase does. */
export function applyInput(
  compiled: CompiledCollection,
  base: RecordJson,
  body: Record<string, unknown>,
  access: Access,
  op: Op,
  manager = access.superuser,
): AppliedInput {
  const values: RecordJson = { ...base };
  const sealed = new Map<string, unknown>();
  const refused: string[] = [];
  for (const key of keysInOrder(body)) {
    const m = MODIFIER.exec(key);
    if (!m) continue;
    const [, prepend, name, sign] = m;
    const field = compiled.byName.get(name!);
    if (!field) continue;
    if (isServerOwned(compiled.collection, field, op, access, manager)) {
      // PocketBase refuses (rather than ignores) a different value for these: the client learns it did not apply.
      if (isProtectedAuthField(compiled, field) && !prepend && !sign) {
        if (field.type.cast(body[key], field.def) !== base[field.def.name]) refused.push(field.def.name);
      }
      continue;
    }
    const raw = body[key];
    if (field.type.sealed) {
      if (!prepend && !sign && raw !== undefined && raw !== null && raw !== '') sealed.set(field.def.name, raw);
      continue;
    }
    if (!prepend && !sign) {
      values[field.def.name] = field.type.cast(raw, field.def);
    } else if (field.type.modify) {
      const kind: ModifierKind = prepend ? '+x' : sign === '+' ? 'x+' : 'x-';
      values[field.def.name] = field.type.modify(field.def, values[field.def.name], raw, kind);
    }
  }
  return { values, sealed, passwordConfirm: body.passwordConfirm, oldPassword: body.oldPassword, refused };
}
