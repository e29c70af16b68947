// The host-free half of the wasi:sockets provider's backend (host/wasi-sockets/backend.ts): the
// Backend interface, the trap, and the emulated network's backing (its kernel's poll, virtual
// time). Nothing here loads Node or koffi, so a browser build can wait on the emulated network
// (wasock/pyodide's select and poll in a page); the Linux backing stays in backend.ts.
import type { Network } from '../../src/network.js';
import type { EmuExports } from '../emulated/index.js';
import type { Core } from '../../src/core.js';

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

export class EmulatedBackend implements Backend {
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

/** The emulated network's backend when `net` is one (it has a clock and faults), else null. */
export function emulatedBackend(net: Network): Backend | null {
  const n = net as Network & { clock?: unknown; faults?: unknown };
  if (n.clock === undefined || n.faults === undefined) return null;
  const cls = net.socket as unknown as { _core(): Core };
  return new EmulatedBackend(net, () => cls._core());
}
