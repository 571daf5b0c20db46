// The verification of a migration, table by table: row counts and checksums on both sides.

export interface TableVerification {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
}

export function matches(t: TableVerification): boolean {
  return t.sourceRows === t.targetRows && t.sourceChecksum === t.targetChecksum;
}

/** Checksums are shown by their first digits: enough to tell two apart at a glance. */
const SHOWN_DIGITS = 16;

/** The verification as an aligned text table, one line per table, then a line saying whether all match. */
export function renderVerification(tables: readonly TableVerification[]): string {
  const header = ['table', 'source rows', 'target rows', 'source checksum', 'target checksum', ''];
  const rows = tables.map((t) => [
    t.table,
    String(t.sourceRows),
    String(t.targetRows),
    t.sourceChecksum.slice(0, SHOWN_DIGITS),
    t.targetChecksum.slice(0, SHOWN_DIGITS),
    matches(t) ? 'ok' : 'MISMATCH',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // Counts are right-aligned, names and checksums left-aligned.
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const bad = tables.filter((t) => !matches(t)).length;
  const total = tables.reduce((n, t) => n + t.sourceRows, 0);
  const summary = bad
    ? `${bad} of ${tables.length} tables do not match`
    : `all ${tables.length} tables match (${total} rows)`;
  return [line(header), ...rows.map(line), summary].join('\n');
}
