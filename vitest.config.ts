import { defineConfig } from 'vitest/config';

/**
 * On a host other than the default Linux one (WASOCK_TEST_HOST, test/helpers/hosts.ts), the
 * suite is the CPython-fixture replays: the other tests pin the Linux host itself (Node
 * interop, leaks counted in /proc, kernel-sized transfers).
 */
const REPLAYS = ['socket-api', 'sockopt-values', 'sockopt-args', 'sockopt-roundtrip', 'timeouts', 'makefile',
  'fcntl', 'readline-streams', 'struct', 'errno', 'truthiness', 'host-param'];
const host = process.env.WASOCK_TEST_HOST ?? 'linux';

export default defineConfig({
  test: {
    include: host === 'linux' ? ['test/**/*.test.ts'] : REPLAYS.map((f) => `test/${f}.test.ts`),
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
