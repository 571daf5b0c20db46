// The `fields` query parameter: projects a JSON response to the listed keys (`*`, dot paths, `:excerpt`).
import { ApiError } from '../../errors.js';

interface PickNode {
  children: Map<string, PickNode>;
  excerpt?: { max: number; ellipsis: boolean };
}

const EXCERPT = /^(.+):excerpt\((\d+)(?:,\s*(true|false|1|0|t|f))?\)$/;
const MAX_FIELDS_LENGTH = 4096;

function parse(fields: string): PickNode {
  if (fields.length > MAX_FIELDS_LENGTH) throw ApiError.badRequest('Invalid fields: the list is too long.');
  const root: PickNode = { children: new Map() };
  // Commas inside `:excerpt(200,true)` are not separators.
  for (const raw of fields.split(/,(?![^(]*\))/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const m = EXCERPT.exec(entry);
    const path = (m ? m[1]! : entry).split('.');
    let node = root;
    for (const key of path) {
      if (!key) throw ApiError.badRequest(`Invalid fields entry ${JSON.stringify(entry.slice(0, 64))}.`);
      let child = node.children.get(key);
      if (!child) node.children.set(key, (child = { children: new Map() }));
      node = child;
    }
    if (m) node.excerpt = { max: Number(m[2]), ellipsis: ['true', '1', 't'].includes(m[3] ?? '') };
  }
  return root;
}

/** Plain text of at most `max` characters from an HTML or text value. */
export function excerpt(value: unknown, max: number, ellipsis: boolean): unknown {
  if (typeof value !== 'string') return value;
  const text = value
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...text];
  if (chars.length <= max) return text;
  return chars.slice(0, max).join('').trimEnd() + (ellipsis ? '...' : '');
}

function apply(value: unknown, node: PickNode): unknown {
  if (node.excerpt) return excerpt(value, node.excerpt.max, node.excerpt.ellipsis);
  if (node.children.size === 0) return value;
  if (Array.isArray(value)) return value.map((item) => apply(item, node));
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const star = node.children.get('*');
  for (const key of Object.keys(source)) {
    const child = node.children.get(key) ?? star;
    if (child) out[key] = apply(source[key], child);
  }
  return out;
}

function isListEnvelope(data: unknown): data is { items: unknown[] } {
  return (
    typeof data === 'object' && data !== null && Array.isArray((data as { items?: unknown }).items) && 'perPage' in data
  );
}

/** Applies a `fields` parameter; a list envelope keeps its keys and projects each item. */
export function pickFields(data: unknown, fields: string | undefined): unknown {
  if (!fields?.trim()) return data;
  const tree = parse(fields);
  if (isListEnvelope(data)) return { ...data, items: data.items.map((item) => apply(item, tree)) };
  return apply(data, tree);
}
