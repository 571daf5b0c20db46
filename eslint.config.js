// Lint: typescript-eslint's recommended rules plus the layering of DESIGN.md (cli -> app -> api -> core).
import tseslint from 'typescript-eslint';

const noHttpInCore = {
  paths: [{ name: 'hono', message: 'core never imports HTTP: keep it usable without a server.' }],
  patterns: [
    { group: ['hono/*', '@hono/*'], message: 'core never imports HTTP: keep it usable without a server.' },
    { group: ['**/api/*', '**/api', '**/app.js', '**/cli.js', '**/cli-args.js'], message: 'core is the bottom layer.' },
  ],
};

// The storage boundary: only src/core/db/ knows the database engine and its driver.
const noDriverAboveDb = {
  paths: [
    { name: 'better-sqlite3', message: 'only src/core/db/sqlite talks to the driver; use the Store interface.' },
    { name: 'better-sqlite3-13', message: 'only src/core/db/sqlite talks to the driver; use the Store interface.' },
  ],
  patterns: [
    ...noHttpInCore.patterns,
    {
      group: ['**/db/sqlite/*'],
      message: 'use the Store and Dialect interfaces (src/core/db/index.js), not an engine.',
    },
  ],
};

// Auth (and anything else in core) uses the record engine through its façade, not the files behind it.
const recordsThroughFacade = {
  ...noDriverAboveDb,
  patterns: [
    ...noDriverAboveDb.patterns,
    {
      group: ['**/records/*', '!**/records/index.js', '**/records/*/**'],
      message: 'use the record engine through src/core/records/index.js.',
    },
  ],
};

const noDatabaseInApi = {
  paths: [{ name: 'better-sqlite3', message: 'api talks to core services, never to SQLite.' }],
  patterns: [
    { group: ['**/core/db/*'], message: 'api talks to core services, never to the database layer.' },
    { group: ['**/app.js', '**/cli.js', '**/cli-args.js'], message: 'api sits below app and cli.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/.tmp/**', 'pb_data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // A forgotten await on an engine call would drop its error: type-aware check on the sources.
  {
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': 'error' },
  },
  // Tests read arbitrary response JSON.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['src/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', noDriverAboveDb] } },
  { files: ['src/core/db/**/*.ts'], rules: { 'no-restricted-imports': ['error', noHttpInCore] } },
  { files: ['src/core/auth/**/*.ts'], rules: { 'no-restricted-imports': ['error', recordsThroughFacade] } },
  // Plugins are extensions that ship with Satchel: they sit beside app.ts and use what any extension gets.
  {
    files: ['src/plugins/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'better-sqlite3', message: 'plugins use the Store interface.' }],
          patterns: [
            { group: ['**/core/db/**', '**/app.js', '**/cli.js'], message: 'plugins use the public surface.' },
            {
              group: ['**/core/records/*', '!**/core/records/index.js', '**/core/records/*/**'],
              message: 'use the record engine through src/core/records/index.js.',
            },
          ],
        },
      ],
    },
  },
  { files: ['src/api/**/*.ts'], rules: { 'no-restricted-imports': ['error', noDatabaseInApi] } },
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  // The dashboard is a client of the public API like any script: no import of the server's code, and no
  // dropped promise (a failed call must reach the page, not vanish).
  {
    files: ['ui/**/*.ts', 'ui/**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../src/**', '../../../src/**', 'satchel'],
              message: 'the dashboard speaks only the public API, through the pocketbase SDK.',
            },
          ],
        },
      ],
    },
  },
);
