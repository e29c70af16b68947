// The fixture replays take their host as a parameter (WASOCK_TEST_HOST, helpers/hosts.ts):
// a case that needs a capability the host lacks is skipped, naming it; a NotAvailableError
// for a capability the host claims fails the case. Pinned here in one process with a Linux
// host that lacks af_unix and socketpair, and with the full Linux host.
import { afterEach, describe, expect, it } from 'vitest';
import { useHost, LinuxHost, NotAvailableError } from '../src/index.js';
import type { Capability, Host } from '../host/types.js';
import { loadFixture, runCase, type Case } from './helpers/replay.js';
import { onHost } from './helpers/hosts.js';

const cases = loadFixture('sockopt-values.json').cases as Case[];
const unixCase = cases.find((c) => c.sock.family === 'unix')!;
const inetCase = cases.find((c) => c.sock.family === 'inet' && c.sock.state === 'connected')!;

/** Runs a case as replayIt would; returns the skip reason, or null when it ran to the end. */
function outcome(c: Case): string | null {
  let skipped: string | null = null;
  const ctx = { skip: ((note?: string) => { skipped = note ?? ''; throw new Error('skipped'); }) as never };
  try {
    onHost(ctx, () => runCase(c));
  } catch (e) {
    if (skipped === null) throw e;
  }
  return skipped;
}

describe('replays on a host that lacks capabilities', () => {
  let restore: Host | null = null;
  afterEach(() => { if (restore) useHost(restore); restore = null; });

  it('skips exactly the cases that need what the host lacks, and runs the others', () => {
    const linux = [...new LinuxHost().capabilities];
    restore = useHost(new LinuxHost(linux.filter((c) => c !== 'af_unix' && c !== 'socketpair'), 'linux-without-unix'));
    expect(outcome(unixCase)).toBe("host linux-without-unix lacks 'af_unix'");
    expect(outcome(inetCase)).toBeNull();
  });

  it('fails a case whose NotAvailableError names a capability the host claims', () => {
    // The full Linux host claims af_unix: such an error is a bug, not a skip.
    restore = useHost(new LinuxHost());
    expect(() => outcome({ ...inetCase, steps: [] } as Case)).not.toThrow();
    const ctx = { skip: (() => { throw new Error('must not skip'); }) as never };
    expect(() => onHost(ctx, () => { throw new NotAvailableError('bind is not available', 'af_unix' as Capability, 'linux'); }))
      .toThrow("host linux claims 'af_unix' but raised NotAvailableError");
  });
});
