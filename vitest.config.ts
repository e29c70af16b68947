import { defineConfig } from 'vitest/config';

/**
 * On a host other than the default Linux one (WASOCK_TEST_HOST, test/helpers/hosts.ts), the
 * suite is the CPython-fixture replays: the other tests pin the Linux host itself (Node
 * interop, leaks counted in /proc, kernel-sized transfers).
 */
const REPLAYS = ['socket-api', 'sockopt-values', 'sockopt-args', 'sockopt-roundtrip', 'timeouts', 'makefile',
  'fcntl', 'readline-streams', 'struct', 'errno', 'truthiness', 'host-param', 'msg', 'names'];
const host = process.env.WASOCK_TEST_HOST ?? 'linux';
/**
 * Replays a host cannot run yet, each with its reason (issue 12 stays open for them):
 * preview2-shim parks the thread in Atomics.wait on every call, so a call that never returns
 * hangs the worker rather than failing a case.
 */
const NOT_YET: Readonly<Record<string, Readonly<Record<string, string>>>> = {
};
const replays = REPLAYS.filter((f) => {
  const why = NOT_YET[host]?.[f];
  if (why !== undefined) console.log(`test/${f}.test.ts not run on ${host}: ${why}`);
  return why === undefined;
});

export default defineConfig({
  test: {
    include: host === 'linux' ? ['test/**/*.test.ts'] : replays.map((f) => `test/${f}.test.ts`),
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
