// What an import carried and what it could not: one report, printed and written to import-report.md.

export interface ImportReport {
  /** The PocketBase data directory read. */
  source: string;
  /** Collections written as files, with the records carried into each (views: none). */
  collections: { name: string; type: string; records: number }[];
  /** Files copied from storage/. */
  files: number;
  /** What was carried beside the records (token secrets, sign-in history...), one line each. */
  carried: string[];
  /** Everything left behind or changed on the way, one line each: never dropped silently. */
  notCarried: string[];
}

export function emptyReport(source: string): ImportReport {
  return { source, collections: [], files: 0, carried: [], notCarried: [] };
}

/** The report as Markdown (the CLI prints the same text it writes). */
export function renderReport(report: ImportReport, dryRun: boolean): string {
  const lines = [
    `# Import of ${report.source}${dryRun ? ' (dry run: nothing was written)' : ''}`,
    '',
    '## Collections',
    ...report.collections.map(
      (c) => `- ${c.name} (${c.type})${c.type === 'view' ? '' : `: ${c.records} record${c.records === 1 ? '' : 's'}`}`,
    ),
    '',
    `## Carried`,
    `- ${report.files} file${report.files === 1 ? '' : 's'} from storage/`,
    ...report.carried.map((line) => `- ${line}`),
    '',
    '## Not carried',
    ...(report.notCarried.length
      ? report.notCarried.map((line) => `- ${line}`)
      : ['- nothing: everything was carried']),
    '',
  ];
  return lines.join('\n');
}
