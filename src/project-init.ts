// `satchel init [DIR]`: a new project a person can start at once: collections (users and an example), a
// commented pb_hooks file, .gitignore, package.json depending on satchel, and a short README.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's own files: `collections/` ships in it (see package.json "files"). */
const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

export class InitError extends Error {}

const EXAMPLE_COLLECTION = {
  name: 'notes',
  listRule: '',
  viewRule: '',
  createRule: '@request.auth.id != ""',
  updateRule: 'author = @request.auth.id',
  deleteRule: 'author = @request.auth.id',
  fields: [
    { id: 'f_text', name: 'text', type: 'text', required: true, max: 2000 },
    { id: 'f_author', name: 'author', type: 'relation', collectionId: 'users', maxSelect: 1 },
  ],
};

const HOOKS_EXAMPLE = `// Hooks and routes of your own: every *.ts or *.js file in pb_hooks/ exports a function that gets the app.
// Uncomment what you need; see Satchel's README ("Extending Satchel") for every hook.
import type { SatchelApp } from 'satchel';
// import { v } from 'satchel';

export default (app: SatchelApp) => {
  // A route of your own, and its entry in the API reference (/api/docs); \`v\` is valibot, from satchel:
  // app.hono.get('/api/hello', (c) => c.json({ hello: 'world' }));
  // app.describeRoute({
  //   method: 'get',
  //   path: '/api/hello',
  //   summary: 'Say hello',
  //   responses: { 200: { description: 'A greeting.', body: v.object({ hello: v.string() }) } },
  // });

  // Stamp each new note with its author, inside the write's transaction:
  // app.onRecordCreate('notes', async (e) => {
  //   if (e.access.auth) e.record.author = e.access.auth.id;
  //   await e.next();
  // });
  void app;
};
`;

function readme(name: string): string {
  return `# ${name}

A backend served by [Satchel](https://www.npmjs.com/package/satchel): a PocketBase-style API over the
collections in \`collections/\`.

\`\`\`sh
npm install
npm start            # http://127.0.0.1:8090, data in ./pb_data
\`\`\`

- \`collections/*.json\`: one file per collection (PocketBase's schema); edit, then restart.
- \`pb_hooks/\`: hooks and routes of your own (TypeScript or JavaScript).
- \`npx satchel superuser upsert EMAIL PASSWORD\`: a superuser account.
- http://127.0.0.1:8090/api/docs: the API reference of your collections (\`npx satchel typegen > satchel-types.ts\`
  for TypeScript types to use with the \`pocketbase\` SDK).
`;
}

/** A package name from a folder name: lower case, letters, digits, `-`, `.` and `_`. */
function packageName(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name || 'satchel-app';
}

function version(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Writes the project into `target` (created if missing; it must be empty). Returns the files written. */
export function initProject(target: string): string[] {
  const dir = resolve(target);
  if (existsSync(dir)) {
    const present = readdirSync(dir).filter((f) => f !== '.git');
    if (present.length) {
      throw new InitError(
        `${dir} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', ...' : ''}); choose a new folder: satchel init my-app`,
      );
    }
  }
  const files: [string, string][] = [
    ['collections/users.json', readFileSync(join(PACKAGE_ROOT, 'collections', 'users.json'), 'utf8')],
    ['collections/notes.json', `${JSON.stringify(EXAMPLE_COLLECTION, null, 2)}\n`],
    ['pb_hooks/main.ts', HOOKS_EXAMPLE],
    ['.gitignore', 'node_modules/\npb_data/\n'],
    [
      'package.json',
      `${JSON.stringify(
        {
          name: packageName(dir),
          private: true,
          type: 'module',
          scripts: { start: 'satchel serve', superuser: 'satchel superuser' },
          dependencies: { satchel: `^${version()}` },
        },
        null,
        2,
      )}\n`,
    ],
    ['README.md', readme(packageName(dir))],
  ];
  for (const [path, text] of files) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return files.map(([path]) => path);
}
