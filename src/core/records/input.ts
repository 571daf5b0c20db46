// Applies a client's body to a record's values: what may be set, casting, and the `field+` style modifiers.
import { ApiError } from '../errors.js';
import type { Access } from './access.js';
import type { CompiledCollection, CompiledField } from './compiled.js';
import type { RecordJson } from './serialize.js';

export interface AppliedInput {
  /** The candidate record: the base values with the body applied. */
  values: RecordJson;
  /** Plain-text passwords given for password fields, by field name. */
  passwords: Map<string, string>;
  /** The body's `passwordConfirm` and `oldPassword`, for auth collections. */
  passwordConfirm: unknown;
  oldPassword: unknown;
}

type Op = 'create' | 'update';

/** Keys a client never sets: the server owns them. */
function isServerOwned(f: CompiledField, op: Op, access: Access): boolean {
  if (f.def.type === 'autodate' || f.def.name === 'tokenKey') return true;
  if (f.def.name === 'id') return op === 'update';
  if (f.def.name === 'verified') return !access.superuser;
  // A changed e-mail goes through the e-mail change flow; superusers may set it directly.
  if (f.def.name === 'email' && f.def.system && op === 'update') return !access.superuser;
  return Boolean(f.def.hidden) && !access.superuser && f.def.type !== 'password';
}

const MODIFIER = /^(\+)?([A-Za-z_][A-Za-z0-9_]*)([+-])?$/;

/** Applies `body` on top of `base`. Unknown keys are ignored, as PocketBase does. */
export function applyInput(
  compiled: CompiledCollection,
  base: RecordJson,
  body: Record<string, unknown>,
  access: Access,
  op: Op,
): AppliedInput {
  const values: RecordJson = { ...base };
  const passwords = new Map<string, string>();
  // Plain keys first, then modifiers, so `tags` and `tags+` in one body compose predictably.
  const isModifier = (key: string) => /^\+|[+-]$/.test(key);
  const keys = Object.keys(body).sort((a, b) => Number(isModifier(a)) - Number(isModifier(b)));
  for (const key of keys) {
    const m = MODIFIER.exec(key);
    if (!m) continue;
    const [, prepend, name, sign] = m;
    const field = compiled.byName.get(name!);
    if (!field || isServerOwned(field, op, access)) continue;
    const raw = body[key];
    if (field.def.type === 'password') {
      if (!prepend && !sign && raw !== undefined && raw !== null && raw !== '')
        passwords.set(field.def.name, String(raw));
      continue;
    }
    if (!prepend && !sign) {
      values[field.def.name] = field.type.cast(raw, field.def);
    } else {
      values[field.def.name] = applyModifier(
        field,
        values[field.def.name],
        raw,
        prepend ? '+x' : sign === '+' ? 'x+' : 'x-',
      );
    }
  }
  return { values, passwords, passwordConfirm: body.passwordConfirm, oldPassword: body.oldPassword };
}

function applyModifier(field: CompiledField, current: unknown, raw: unknown, kind: '+x' | 'x+' | 'x-'): unknown {
  const { def, type } = field;
  if (def.type === 'number') {
    if (kind === '+x') return current;
    const delta = type.cast(raw, def);
    if (typeof delta !== 'number' || typeof current !== 'number') {
      throw ApiError.badRequest('Failed to apply the field modifier.', {
        [def.name]: { code: 'validation_not_a_number', message: 'Must be a number.' },
      });
    }
    return kind === 'x+' ? current + delta : current - delta;
  }
  if (!type.isMultiple) return current;
  const items = type.cast(raw, { ...def, maxSelect: 2 }) as unknown;
  if (!Array.isArray(items)) return items;
  const list = type.isMultiple(def) ? (current as string[]) : current === '' ? [] : [current as string];
  let next: string[];
  if (kind === 'x-') next = list.filter((item) => !items.includes(item));
  else if (kind === 'x+') next = [...list, ...items.filter((item: string) => !list.includes(item))];
  else next = [...items.filter((item: string) => !list.includes(item)), ...list];
  return type.isMultiple(def) ? next : (next[next.length - 1] ?? '');
}
