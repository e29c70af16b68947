// What the wasi:sockets provider needs from the network it serves besides wasock's module
// API: readiness of several sockets at once, a monotonic clock and a way to let time pass.
// Two backings: the Linux host (libc poll over the kernel fds, the process's monotonic clock,
// a real sleep) and the emulated network (its kernel's poll, waiting in virtual time; its
// virtual clock; letting time pass fires its timers). Everything else goes through the
// module API, so the core's capability and policy checks apply to the guest's calls.
import type { Network } from '../../src/network.js';
import type { EmuExports } from '../emulated/index.js';
import type { Core } from '../../src/core.js';
import { libc } from '../linux/libc.js';
import { LinuxHost } from '../linux/index.js';

export const POLLIN = 1, POLLOUT = 4, POLLERR = 8, POLLHUP = 16, POLLNVAL = 32;
const EDEADLK = 35;

export interface Backend {
  readonly net: Network;
  readonly kind: 'linux' | 'emulated';
  /** Monotonic time in nanoseconds (the emulated network's virtual time there). */
  now(): bigint;
  /**
   * poll(2) over fds[0..n) with events[i]; revents[i] filled in. timeoutMs < 0 waits without
   * limit. Returns how many are ready (0 on timeout).
   */
  poll(fds: Int32Array, events: Int32Array, revents: Int32Array, n: number, timeoutMs: number): number;
  /** Lets `ns` nanoseconds pass (a sleep; on the emulated network, the clock advances). */
  sleep(ns: bigint): void;
}

/** A trap: an error the component model turns into a trap, never into an error-code. */
export class WasiTrap extends Error {
  constructor(message: string) { super(`wasock/wasi-sockets: ${message}`); this.name = 'WasiTrap'; }
}

class LinuxBackend implements Backend {
  readonly kind = 'linux' as const;
  private pfd = new Uint8Array(8 * 16);
  private pfd32 = new Int32Array(this.pfd.buffer);
  private pfd16 = new Int16Array(this.pfd.buffer);
  private sleeper = new Int32Array(new SharedArrayBuffer(4));
  constructor(readonly net: Network) {}
  now(): bigint { return process.hrtime.bigint(); }
  poll(fds: Int32Array, events: Int32Array, revents: Int32Array, n: number, timeoutMs: number): number {
    if (this.pfd.length < 8 * n) {
      this.pfd = new Uint8Array(8 * n * 2);
      this.pfd32 = new Int32Array(this.pfd.buffer);
      this.pfd16 = new Int16Array(this.pfd.buffer);
    }
    const p32 = this.pfd32, p16 = this.pfd16;
    for (let i = 0; i < n; i++) { p32[2 * i] = fds[i]; p16[4 * i + 2] = events[i]; p16[4 * i + 3] = 0; }
    const lc = libc();
    for (;;) {
      const r = lc.pollJs(this.pfd, n, timeoutMs) as number;
      if (r < 0) {
        const e = lc.errno();
        if (e === 4) continue;   // EINTR: poll again (the timeout restarts; good enough for a wait)
        throw new WasiTrap(`poll failed with errno ${e}`);
      }
      for (let i = 0; i < n; i++) revents[i] = p16[4 * i + 3];
      return r;
    }
  }
  sleep(ns: bigint): void {
    if (ns <= 0n) return;
    Atomics.wait(this.sleeper, 0, 0, Number(ns) / 1e6);
  }
}

class EmulatedBackend implements Backend {
  readonly kind = 'emulated' as const;
  constructor(readonly net: Network, private readonly core: () => Core) {}
  now(): bigint { return BigInt((this.core().x as unknown as EmuExports).emu_now()); }
  poll(fds: Int32Array, events: Int32Array, revents: Int32Array, n: number, timeoutMs: number): number {
    // The kernel's poll of several fds (emu_poll): the pollfds go in the core's staging area
    // (nothing else runs meanwhile); a wait runs the network's timers in order until one is
    // ready or the deadline passes, in virtual time.
    const c = this.core();
    const at = c.area(8 * n);
    let v = new DataView(c.memory.buffer);
    for (let i = 0; i < n; i++) {
      v.setInt32(at + 8 * i, fds[i], true);
      v.setInt16(at + 8 * i + 4, events[i], true);
      v.setInt16(at + 8 * i + 6, 0, true);
    }
    const r = (c.x as unknown as EmuExports).emu_poll(at, n, timeoutMs);
    if (r === -EDEADLK) throw new WasiTrap('this wait could only last forever: no other party in the emulated network can make these sockets ready');
    if (r < 0) throw new WasiTrap(`poll failed with errno ${-r}`);
    v = new DataView(c.memory.buffer);
    for (let i = 0; i < n; i++) revents[i] = v.getUint16(at + 8 * i + 6, true);
    return r;
  }
  sleep(ns: bigint): void { if (ns > 0n) (this.core().x as unknown as EmuExports).emu_advance(Number(ns)); }
}

/** The backend serving `net`: the emulated network's own when it is one, else the Linux host's. */
export function backendFor(net: Network): Backend {
  const n = net as Network & { clock?: unknown; faults?: unknown };
  if (n.clock !== undefined && n.faults !== undefined) {
    const cls = net.socket as unknown as { _core(): Core };
    return new EmulatedBackend(net, () => cls._core());
  }
  if (!(net.host instanceof LinuxHost)) {
    throw new TypeError(`wasock/wasi-sockets: a network on the Linux host or the emulated network is needed (this one is on ${net.host.name})`);
  }
  return new LinuxBackend(net);
}
