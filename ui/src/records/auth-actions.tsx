// For an auth record in the form: mail it a verification or a password-reset link, or sign in as it (a
// non-refreshable token for trying the API as that user, shown to copy; the dashboard's own session is kept).
import { useState } from 'preact/hooks';
import type { CollectionModel, RecordModel } from 'pocketbase';
import { errorText, pb } from '../pb';

const IMPERSONATE_SECONDS = 3600;

export function AuthActions({ collection, record }: { collection: CollectionModel; record: RecordModel }) {
  const [status, setStatus] = useState({ kind: '', text: '' });
  const [token, setToken] = useState('');
  const email = String(record.email ?? '');

  async function act(what: string, run: () => Promise<unknown>) {
    setStatus({ kind: '', text: `${what}...` });
    try {
      await run();
      setStatus({ kind: 'ok', text: `${what}: done.` });
    } catch (err) {
      setStatus({ kind: 'error', text: `${what} failed: ${errorText(err)}` });
    }
  }

  return (
    <section class="auth-actions" aria-labelledby="auth-actions-heading">
      <h3 id="auth-actions-heading">Account</h3>
      <div class="actions">
        <button
          type="button"
          disabled={!email || Boolean(record.verified)}
          onClick={() =>
            void act('Verification mail sent to ' + email, () =>
              pb.collection(collection.name).requestVerification(email),
            )
          }
        >
          Send verification mail
        </button>
        <button
          type="button"
          disabled={!email}
          onClick={() =>
            void act('Password-reset mail sent to ' + email, () =>
              pb.collection(collection.name).requestPasswordReset(email),
            )
          }
        >
          Send password-reset mail
        </button>
        <button
          type="button"
          onClick={() =>
            void act(`Signed in as ${record.id} for an hour`, async () => {
              const client = await pb.collection(collection.name).impersonate(record.id, IMPERSONATE_SECONDS);
              setToken(client.authStore.token);
            })
          }
        >
          Sign in as this user
        </button>
      </div>
      <p class={status.kind} role="status">
        {status.text}
      </p>
      {token && (
        <div class="field">
          <label for="impersonate-token">Token (Authorization header, valid for an hour, not refreshable)</label>
          <input id="impersonate-token" readOnly value={token} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void navigator.clipboard?.writeText(token)}>
            Copy
          </button>
        </div>
      )}
    </section>
  );
}
