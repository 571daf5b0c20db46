// #/backups: the backups in pb_data/backups (or S3): list, create, download, restore, delete.
import { useEffect, useState } from 'preact/hooks';
import { errorText, pb } from '../pb';

type BackupFileInfo = Awaited<ReturnType<typeof pb.backups.getFullList>>[number];

const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1048576
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1048576).toFixed(1)} MB`;

export function BackupsPage() {
  const [backups, setBackups] = useState<BackupFileInfo[] | undefined>();
  const [status, setStatus] = useState<{ kind: string; text: string }>({ kind: '', text: '' });
  const [asking, setAsking] = useState<{ key: string; action: 'restore' | 'delete' } | undefined>();
  const [busy, setBusy] = useState(false);

  const load = () =>
    pb.backups
      .getFullList()
      .then((list) => setBackups(list.sort((a, b) => b.modified.localeCompare(a.modified))))
      .catch((err: unknown) => setStatus({ kind: 'error', text: errorText(err) }));
  useEffect(() => void load(), []);

  async function run(text: string, work: () => Promise<unknown>) {
    setBusy(true);
    setStatus({ kind: '', text: `${text}...` });
    try {
      await work();
      setStatus({ kind: 'ok', text: `${text}: done.` });
      await load();
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
      setAsking(undefined);
    }
  }

  /**
   * A restore restarts the server on the backup's data: wait until it answers again, then load the page anew
   * (everything on it, the session included, may have changed).
   */
  async function restore(key: string) {
    await pb.backups.restore(key);
    setStatus({ kind: '', text: `Restored ${key}. The server is restarting with its data...` });
    for (let tries = 0; tries < 120; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (
        await pb.health.check().then(
          () => true,
          () => false,
        )
      )
        break;
    }
    location.reload();
  }

  async function download(key: string) {
    // Downloads need a short-lived file token in the URL (a link cannot carry the Authorization header).
    // A link with `download` saves the file and leaves the page as it is (a navigation would replace it).
    const token = await pb.files.getToken();
    const link = document.createElement('a');
    link.href = pb.backups.getDownloadURL(token, key);
    link.download = key;
    link.click();
  }

  return (
    <main class="content narrow-content">
      <div class="toolbar">
        <h1>Backups</h1>
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() => void run('Creating a backup', () => pb.backups.create(''))}
        >
          Create backup
        </button>
      </div>
      <p class={status.kind} role="status">
        {status.text}
      </p>
      {backups && backups.length === 0 && <p class="empty">No backups yet.</p>}
      {backups && backups.length > 0 && (
        <table class="records">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Size</th>
              <th scope="col">Modified</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => (
              <tr key={b.key}>
                <td>{b.key}</td>
                <td>{size(b.size)}</td>
                <td>{b.modified}</td>
                <td class="row-actions">
                  {asking && asking.key === b.key ? (
                    <span role="alertdialog" aria-label={`Confirm ${asking.action}`}>
                      {asking.action === 'restore'
                        ? 'Replace all current data with this backup? '
                        : 'Delete this backup for good? '}
                      <button
                        type="button"
                        class="danger"
                        disabled={busy}
                        onClick={() =>
                          void (asking.action === 'restore'
                            ? run(`Restoring ${b.key}`, () => restore(b.key))
                            : run(`Deleting ${b.key}`, () => pb.backups.delete(b.key)))
                        }
                      >
                        Yes, {asking.action}
                      </button>{' '}
                      <button type="button" onClick={() => setAsking(undefined)}>
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <>
                      <button
                        type="button"
                        onClick={() =>
                          void download(b.key).catch((err: unknown) =>
                            setStatus({ kind: 'error', text: errorText(err) }),
                          )
                        }
                      >
                        Download
                      </button>{' '}
                      <button type="button" onClick={() => setAsking({ key: b.key, action: 'restore' })}>
                        Restore
                      </button>{' '}
                      <button type="button" class="danger" onClick={() => setAsking({ key: b.key, action: 'delete' })}>
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
