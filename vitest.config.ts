import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Server tests spawn processes and hash passwords; two cores are shared by all of it.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One PostgreSQL cluster for the run, when PostgreSQL is installed (tests create their own databases in it).
    globalSetup: ['test/setup/postgres.ts'],
    // Memory checks force a collection first, so what they see is what is still reachable.
    execArgv: ['--expose-gc'],
  },
});
