// A file field in a table cell: a small thumbnail for each image (100x100, the size every file field serves),
// the name for other files.
import type { CollectionField, RecordModel } from 'pocketbase';
import { pb } from '../pb';

const IMAGE = /\.(png|jpe?g|gif|webp)$/i;

export function FileCell({ record, field }: { record: RecordModel; field: CollectionField }) {
  const value = record[field.name] as string | string[] | undefined;
  const names = (Array.isArray(value) ? value : value ? [value] : []).filter(Boolean);
  return (
    <span class="file-cell">
      {names.map((name) =>
        // A protected file needs a file token in its URL: its name is shown instead of a thumbnail.
        IMAGE.test(name) && !field.protected ? (
          <img key={name} src={pb.files.getURL(record, name, { thumb: '100x100' })} alt={name} width={32} height={32} />
        ) : (
          <span key={name}>{name}</span>
        ),
      )}
    </span>
  );
}
