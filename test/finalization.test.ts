// A socket dropped while open is closed by the garbage collector's finalizer, as CPython's
// finaliser does; a socket closed first leaves nothing for the finalizer to do, and a
// finalizer that runs late never touches the slot's next owner (generation check).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as w from '../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
const tick = () => new Promise((r) => setTimeout(r, 10));

async function collect(): Promise<void> {
  for (let i = 0; i < 10; i++) { gc!(); await tick(); }
}

describe.runIf(gc)('finalization', () => {
  it('an open socket that becomes garbage has its fd closed', async () => {
    let s: w.socket | null = new w.socket();
    const fd = s.fileno();
    await tick();                                  // the batched registration runs
    expect(existsSync(`/proc/self/fd/${fd}`)).toBe(true);
    s = null;                                      // now garbage, still open
    await collect();
    expect(existsSync(`/proc/self/fd/${fd}`)).toBe(false);
  });

  it("a late finalizer leaves the slot's next owner alone", async () => {
    let a: w.socket | null = new w.socket();
    await tick();                                  // a is registered with the finalizer
    a.close();                                     // its slot is free again...
    const b = new w.socket();                      // ...and most likely b's now
    const fd = b.fileno();
    a = null;
    await collect();                               // a's finalizer runs
    expect(b.fileno()).toBe(fd);
    expect(b.getsockopt(w.SOL_SOCKET, w.SO_TYPE)).toBe(w.SOCK_STREAM);
    b.close();
  });
});

it('finalization tests run (the test process exposes gc)', () => {
  expect(typeof gc).toBe('function');
});
