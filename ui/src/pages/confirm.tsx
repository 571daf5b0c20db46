// #/auth/confirm-<action>/<token>: the pages e-mails link to. The token names its collection (collectionId in its
// payload), so the page needs no session and no collection in the URL.
import { pb } from '../pb';
import { SimpleForm, type SimpleField } from '../components/simple-form';

const ACTIONS = {
  'confirm-verification': {
    title: 'Verify your e-mail address',
    fields: [] as SimpleField[],
    done: 'Your e-mail address is verified.',
    run: (collection: string, token: string) => pb.collection(collection).confirmVerification(token),
  },
  'confirm-password-reset': {
    title: 'Choose a new password',
    fields: [
      { name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password' },
      { name: 'passwordConfirm', label: 'Confirm the new password', type: 'password', autocomplete: 'new-password' },
    ] as SimpleField[],
    done: 'Your password was changed.',
    run: (collection: string, token: string, v: Record<string, string>) =>
      pb.collection(collection).confirmPasswordReset(token, v.password ?? '', v.passwordConfirm ?? ''),
  },
  'confirm-email-change': {
    title: 'Confirm your new e-mail address',
    fields: [{ name: 'password', label: 'Your password', type: 'password' }] as SimpleField[],
    done: 'Your e-mail address was changed.',
    run: (collection: string, token: string, v: Record<string, string>) =>
      pb.collection(collection).confirmEmailChange(token, v.password ?? ''),
  },
};

export type ConfirmAction = keyof typeof ACTIONS;

export const isConfirmAction = (value: string | undefined): value is ConfirmAction =>
  value !== undefined && Object.hasOwn(ACTIONS, value);

/** The collection id a token was issued for; '' when it cannot be read (the server then answers with its error). */
function collectionOf(token: string): string {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return String((JSON.parse(json) as { collectionId?: unknown }).collectionId ?? '');
  } catch {
    return '';
  }
}

export function Confirm({ action, token }: { action: ConfirmAction; token: string }) {
  const page = ACTIONS[action];
  async function confirm(values: Record<string, string>) {
    await page.run(collectionOf(token) || '-', token, values);
    // The token is spent: keep it out of the address bar and the history.
    history.replaceState(null, '', location.pathname);
    return page.done;
  }
  return (
    <SimpleForm
      key={action}
      title={page.title}
      fields={page.fields}
      submitLabel={page.fields.length ? 'Save' : 'Confirm'}
      onSubmit={confirm}
    />
  );
}
