// A deleted record's files go once its delete has committed, whichever write deleted it (a cascade included).
import type { RecordChange, RecordService } from '../records/index.js';

export class FileCleanup {
  constructor(private readonly records: RecordService) {
    records.writer.listen({ committed: (changes) => this.committed(changes) });
  }

  private committed(changes: RecordChange[]): void {
    for (const change of changes) {
      if (change.action !== 'delete') continue;
      const compiled = this.records.catalog.compiled(change.collection);
      if (!compiled.fields.some((f) => f.type.uploads)) continue;
      const folder = `${change.collection.id}/${String(change.record.id)}`;
      this.records.files.deletePrefix(folder).catch((err: unknown) => {
        console.error(`[satchel] could not remove the files of ${folder}:`, err);
      });
    }
  }
}
