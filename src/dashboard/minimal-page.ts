// The page served at /_/ when the dashboard (ui/, built into dist/ui) is missing: the first-superuser installer and
// the e-mail confirmations, for a library user who never built the UI.
// One static HTML document; it reads its action and token from the URL hash and calls the API.

export const MINIMAL_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Satchel</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 26rem; margin: 4rem auto; padding: 0 1rem; color: #222; }
  label { display: block; margin: .75rem 0 .25rem; }
  input { width: 100%; padding: .5rem; box-sizing: border-box; font: inherit; }
  button { margin-top: 1rem; padding: .5rem 1rem; font: inherit; }
  .error { color: #b00020; } .ok { color: #0a7a2f; }
</style>
</head>
<body>
<h1>Satchel</h1>
<main id="app"><p>Satchel is running. The admin dashboard is not built yet.</p></main>
<script type="module">
const app = document.getElementById('app');
const [, action, token] = location.hash.match(/^#\\/(pbinstall|auth\\/confirm-[a-z-]+)\\/([\\w.-]+)$/) || [];
const collectionOf = (jwt) => {
  try { return JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).collectionId; } catch { return ''; }
};
const confirmUrl = (step) => '/api/collections/' + encodeURIComponent(collectionOf(token)) + '/' + step;
const pages = {
  'pbinstall': {
    title: 'Create the first superuser',
    fields: [['email', 'E-mail', 'email'], ['password', 'Password', 'password'], ['passwordConfirm', 'Confirm password', 'password']],
    url: () => '/api/installer', headers: { Authorization: token }, body: {},
    done: 'The superuser was created. Sign in with it through the API or an SDK.',
  },
  'auth/confirm-verification': {
    title: 'Verify your e-mail address', fields: [],
    url: () => confirmUrl('confirm-verification'), body: { token }, done: 'Your e-mail address is verified.',
  },
  'auth/confirm-password-reset': {
    title: 'Choose a new password',
    fields: [['password', 'New password', 'password'], ['passwordConfirm', 'Confirm the new password', 'password']],
    url: () => confirmUrl('confirm-password-reset'), body: { token }, done: 'Your password was changed.',
  },
  'auth/confirm-email-change': {
    title: 'Confirm your new e-mail address', fields: [['password', 'Your password', 'password']],
    url: () => confirmUrl('confirm-email-change'), body: { token }, done: 'Your e-mail address was changed.',
  },
};
const page = pages[action];
const el = (tag, props = {}, ...children) => {
  const element = Object.assign(document.createElement(tag), props);
  element.append(...children);
  return element;
};
if (page) {
  const status = el('p');
  const form = el('form', {}, ...page.fields.flatMap(([name, label, type]) => [
    el('label', { htmlFor: name, textContent: label }), el('input', { id: name, name, type, required: true }),
  ]), el('button', { type: 'submit', textContent: page.fields.length ? 'Save' : 'Confirm' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.className = ''; status.textContent = 'Working...';
    const body = { ...page.body, ...Object.fromEntries(new FormData(form)) };
    try {
      const res = await fetch(page.url(), {
        method: 'POST', headers: { 'Content-Type': 'application/json', ...page.headers }, body: JSON.stringify(body),
      });
      if (res.ok) {
        form.remove(); history.replaceState(null, '', location.pathname);
        status.className = 'ok'; status.textContent = page.done;
        return;
      }
      const error = await res.json().catch(() => ({}));
      const details = Object.entries(error.data || {}).map(([field, e]) => field + ': ' + (e.message || JSON.stringify(e)));
      status.className = 'error'; status.textContent = [error.message || 'Request failed (' + res.status + ').', ...details].join(' ');
    } catch (err) {
      status.className = 'error'; status.textContent = 'The server could not be reached.';
    }
  });
  app.replaceChildren(el('h2', { textContent: page.title }), form, status);
}
</script>
</body>
</html>
`;
