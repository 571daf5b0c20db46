// Lint: typescript-eslint's recommended rules plus the layering of DESIGN.md (cli -> app -> api -> core).
import tseslint from 'typescript-eslint';

const noHttpInCore = {
  paths: [{ name: 'hono', message: 'core never imports HTTP: keep it usable without a server.' }],
  patterns: [
    { group: ['hono/*', '@hono/*'], message: 'core never imports HTTP: keep it usable without a server.' },
    { group: ['**/api/*', '**/api', '**/app.js', '**/cli.js', '**/cli-args.js'], message: 'core is the bottom layer.' },
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
  { files: ['src/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', noHttpInCore] } },
  { files: ['src/api/**/*.ts'], rules: { 'no-restricted-imports': ['error', noDatabaseInApi] } },
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
