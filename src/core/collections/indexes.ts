// Parsing of the `CREATE INDEX` strings in collection files, so only index statements reach SQLite.

export interface ParsedIndex {
  name: string;
  unique: boolean;
  table: string;
  sql: string;
}

const INDEX_SQL =
  /^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?[`"[]?([A-Za-z_][A-Za-z0-9_]*)[`"\]]?\s+ON\s+[`"[]?([A-Za-z_][A-Za-z0-9_]*)[`"\]]?\s*\(([^;]+)\)\s*(?:WHERE\s+([^;]+))?;?\s*$/is;

/** Parses one index statement; undefined when it is not a single CREATE INDEX. */
export function parseIndex(sql: string): ParsedIndex | undefined {
  const m = INDEX_SQL.exec(sql);
  if (!m) return undefined;
  return { name: m[2]!, unique: Boolean(m[1]), table: m[3]!, sql: sql.trim().replace(/;\s*$/, '') };
}
