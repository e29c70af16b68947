import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Rebuilds the core and dist/ when their sources are newer (test/setup/build.ts).
    globalSetup: ['test/setup/build.ts'],
    // The host the fixture replays run on: WASOCK_TEST_HOST (test/helpers/hosts.ts).
    setupFiles: ['test/setup/host.ts'],
    // Tests open real kernel sockets; files run in separate forks so fd counts stay per file.
    pool: 'forks',
    // The finalization tests drive the garbage collector.
    execArgv: ['--expose-gc'],
    testTimeout: 30_000,
  },
});
