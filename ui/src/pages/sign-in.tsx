// Shown in place of any dashboard page without a valid superuser session; the address is kept, so a
// successful sign-in renders the page that was asked for.
import { pb, sessionEnded } from '../pb';
import { SimpleForm } from '../components/simple-form';

export function SignIn() {
  async function signIn(values: Record<string, string>) {
    await pb.collection('_superusers').authWithPassword(values.email ?? '', values.password ?? '');
    return undefined;
  }
  return (
    <SimpleForm
      title="Sign in"
      submitLabel="Sign in"
      intro={sessionEnded ? 'Your session has ended. Sign in again to go on where you were.' : undefined}
      fields={[
        { name: 'email', label: 'E-mail', type: 'email', autocomplete: 'username' },
        { name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' },
      ]}
      onSubmit={signIn}
    />
  );
}
