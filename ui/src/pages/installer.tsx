// #/pbinstall/<token>: the first-run link. Creates the first superuser with the one-time installer token
// (POST /api/installer, the route that accepts that token), then signs in with the same credentials.
import { pb } from '../pb';
import { setNotice } from '../notice';
import { navigate } from '../router';
import { SimpleForm } from '../components/simple-form';

export function Installer({ token }: { token: string }) {
  async function install(values: Record<string, string>) {
    await pb.send('/api/installer', { method: 'POST', headers: { Authorization: token }, body: values });
    await pb.collection('_superusers').authWithPassword(values.email ?? '', values.password ?? '');
    setNotice('The superuser was created. You are signed in.');
    // The token is single-use: keep it out of the history.
    navigate('#/collections', true);
    return undefined;
  }
  return (
    <SimpleForm
      title="Create the first superuser"
      submitLabel="Save"
      fields={[
        { name: 'email', label: 'E-mail', type: 'email', autocomplete: 'username' },
        { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password' },
        { name: 'passwordConfirm', label: 'Confirm password', type: 'password', autocomplete: 'new-password' },
      ]}
      onSubmit={install}
    />
  );
}
