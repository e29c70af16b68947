// The host the CPython-fixture replays run on: WASOCK_TEST_HOST names it (`linux` when unset;
// test/setup/host.ts installs it before any test file runs). Every replayed case either agrees
// with CPython on that host, or is skipped because the host's capability set lacks what the
// case needs: the core raises NotAvailableError naming the capability, and replayIt() turns
// that into a skip. A NotAvailableError for a capability the host claims fails the case: a
// host may not skip what it says it can do.
import { it, type TestContext } from 'vitest';
import { NotAvailableError } from '../../src/index.js';
import { hostCore } from '../../src/core.js';

export const TEST_HOST = process.env.WASOCK_TEST_HOST ?? 'linux';

/** The NotAvailableError in `e` (itself, or its cause), or null. */
function unavailable(e: unknown): NotAvailableError | null {
  for (let x = e; x instanceof Error; x = (x as Error & { cause?: unknown }).cause) {
    if (x instanceof NotAvailableError) return x;
  }
  return null;
}

/**
 * Runs one replayed case: a NotAvailableError for a capability the current host lacks skips
 * it (with the capability in the reason); for one it claims, the case fails.
 */
export function onHost(ctx: Pick<TestContext, 'skip'>, run: () => void | Promise<void>): void | Promise<void> {
  const judge = (e: unknown): void => {
    const na = unavailable(e);
    if (na === null) throw e;
    const host = hostCore().host;   // the host sockets run on (moved onto at the first socket)
    if (host.capabilities.has(na.capability as never)) {
      throw new Error(`host ${host.name} claims '${na.capability}' but raised NotAvailableError: ${na.message}`, { cause: e });
    }
    ctx.skip(`host ${host.name} lacks '${na.capability}'`);
  };
  try {
    const r = run();
    if (r instanceof Promise) return r.catch(judge);
  } catch (e) {
    judge(e);
  }
}

/**
 * Cases a host answers differently from Linux by design, each with its reason (and
 * docs/decisions.md's entry); the host's own answer is pinned by a test of its own
 * (test/emulated.test.ts). Such a case is skipped with the reason shown.
 */
export const DIVERGES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  emulated: {
    'bind/unix-stream/path-missing-dir': "the emulated network has no directories: every path's directory exists (docs/decisions.md)",
  },
};

/** it() for one replayed case on the host under test. */
export function replayIt(name: string, run: () => void | Promise<void>, timeout?: number): void {
  const why = DIVERGES[TEST_HOST]?.[name];
  if (why !== undefined) { it(name, (ctx) => ctx.skip(`diverges on ${TEST_HOST} by design: ${why}`)); return; }
  it(name, (ctx) => onHost(ctx, run), timeout);
}

/**
 * What a replay does with an error where CPython returned a value: a NotAvailableError goes
 * up as itself (replayIt decides), anything else is the difference it is.
 */
export function rethrowUnavailable(error: unknown): void {
  if (unavailable(error) !== null) throw error;
}
