// Quoting of SQL identifiers: the only way a name reaches SQL text.

/** Quotes an identifier for SQLite by doubling any `"` inside it. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
