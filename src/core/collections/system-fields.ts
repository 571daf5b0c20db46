// The fields every collection has (id, created, updated) and those auth collections add.
import type { FieldDefinition } from '../fields/index.js';
import type { CollectionType } from './model.js';

const idField: FieldDefinition = {
  id: 'text3208210256',
  name: 'id',
  type: 'text',
  system: true,
  required: true,
  primaryKey: true,
  min: 15,
  max: 15,
  pattern: '^[a-z0-9]+$',
  autogeneratePattern: '[a-z0-9]{15}',
  hidden: false,
  presentable: false,
};

const createdField: FieldDefinition = {
  id: 'autodate2990389176',
  name: 'created',
  type: 'autodate',
  system: true,
  onCreate: true,
  onUpdate: false,
  hidden: false,
  presentable: false,
};

const updatedField: FieldDefinition = {
  id: 'autodate3332085495',
  name: 'updated',
  type: 'autodate',
  system: true,
  onCreate: true,
  onUpdate: true,
  hidden: false,
  presentable: false,
};

const authFields: FieldDefinition[] = [
  { id: 'password901924565', name: 'password', type: 'password', system: true, hidden: true, required: true, min: 8 },
  {
    id: 'text2504183744',
    name: 'tokenKey',
    type: 'text',
    system: true,
    hidden: true,
    required: true,
    min: 30,
    max: 60,
    autogeneratePattern: '[a-zA-Z0-9]{50}',
  },
  { id: 'email3885137012', name: 'email', type: 'email', system: true, required: true },
  { id: 'bool1547992806', name: 'emailVisibility', type: 'bool', system: true },
  { id: 'bool256245529', name: 'verified', type: 'bool', system: true },
];

/**
 * Completes a field list with the system fields the collection type needs. A system field the file
 * already lists keeps its place and its options (a file may tighten them), but not its type.
 */
export function withSystemFields(type: CollectionType, fields: FieldDefinition[]): FieldDefinition[] {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const merge = (system: FieldDefinition): FieldDefinition => {
    const given = byName.get(system.name);
    return given ? { ...system, ...given, id: given.id ?? system.id, type: system.type, system: true } : system;
  };
  const leading = [idField, ...(type === 'auth' ? authFields : [])];
  const trailing = [createdField, updatedField];
  const systemNames = new Set([...leading, ...trailing].map((f) => f.name));
  return [...leading.map(merge), ...fields.filter((f) => !systemNames.has(f.name)), ...trailing.map(merge)];
}

/** Names a field may not take: they are keys of the record JSON or of the request body. */
export const RESERVED_FIELD_NAMES = new Set([
  'collectionid',
  'collectionname',
  'expand',
  'passwordconfirm',
  'oldpassword',
]);
