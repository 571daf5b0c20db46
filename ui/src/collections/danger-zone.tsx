// What loses data, each behind a confirmation that names what will be lost: empty the collection (truncate), delete
// it (the server's preview lists what goes); and duplicate it into a new collection.
import { useState } from 'preact/hooks';
import type { CollectionModel } from 'pocketbase';
import { setNotice } from '../notice';
import { errorText, pb } from '../pb';
import type { SchemaPreview } from './collection-editor';

interface Props {
  collection: CollectionModel;
  /** After a truncate (the name) or a delete (null). */
  onDone: (name: string | null) => void;
  onDuplicate: () => void;
}

type Asking = { kind: 'truncate'; records: number } | { kind: 'delete'; steps: string[] } | undefined;

export function DangerZone({ collection, onDone, onDuplicate }: Props) {
  const [asking, setAsking] = useState<Asking>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const path = `/api/collections/${encodeURIComponent(collection.name)}`;

  async function ask(kind: 'truncate' | 'delete') {
    setError('');
    try {
      if (kind === 'truncate') {
        const { totalItems } = await pb.collection(collection.name).getList(1, 1, { fields: 'id' });
        setAsking({ kind, records: totalItems });
      } else {
        const preview = await pb.send<SchemaPreview>(`${path}?preview=true`, { method: 'DELETE' });
        setAsking({
          kind,
          steps: [...preview.plan.map((s) => s.text), ...preview.files.map((f) => `Deletes ${f.path}.`)],
        });
      }
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function confirm() {
    if (!asking) return;
    setBusy(true);
    try {
      if (asking.kind === 'truncate') {
        await pb.collections.truncate(collection.name);
        setNotice(`Deleted every record of ${collection.name}.`);
        onDone(collection.name);
      } else {
        await pb.collections.delete(collection.name);
        setNotice(`Deleted collection ${collection.name}.`);
        onDone(null);
      }
      setAsking(undefined);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="danger-zone" aria-labelledby="danger-heading">
      <h2 id="danger-heading">Other actions</h2>
      <div class="actions">
        <button type="button" onClick={onDuplicate}>
          Duplicate
        </button>
        {collection.type !== 'view' && (
          <button type="button" class="danger" onClick={() => void ask('truncate')}>
            Empty the collection
          </button>
        )}
        <button type="button" class="danger" onClick={() => void ask('delete')}>
          Delete the collection
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {asking && (
        <div class="confirm" role="alertdialog" aria-labelledby="danger-question">
          {asking.kind === 'truncate' ? (
            <p id="danger-question">
              Delete all {asking.records} records of {collection.name}? Their values and files are lost; the collection
              stays.
            </p>
          ) : (
            <>
              <p id="danger-question">Delete the collection {collection.name}? This is what goes:</p>
              <ul>
                {asking.steps.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ul>
            </>
          )}
          <button type="button" class="danger" disabled={busy} onClick={() => void confirm()}>
            {asking.kind === 'truncate' ? 'Yes, empty it' : 'Yes, delete the collection'}
          </button>{' '}
          <button type="button" disabled={busy} onClick={() => setAsking(undefined)}>
            Cancel
          </button>
        </div>
      )}
    </section>
  );
}
