// Readiness of several sockets at once, with a wait, for wasock/pyodide's select and poll
// (src/pyodide/fd.ts): poll(2) on the Linux host (its pollMany), the emulated kernel's poll in
// virtual time on the emulated network (emu_poll: a wait no party can end is EDEADLK at once).
// Reached through the network's host, so this file loads nothing Node-only: in a page only
// the emulated network exists and only its poller is ever made.
import type { Network } from '../network.js';
import type { Core } from '../core.js';
import type { EmuExports } from '../../host/emulated/index.js';
import { fromErrno, osErrorWith } from '../errors.js';
import { NotAvailableError } from '../exceptions.js';

const EINTR = 4, EDEADLK = 35;

export interface Poller {
  /**
   * poll(2) over fds[0..n) with events[i]; revents[i] filled in. timeoutMs < 0 waits without
   * limit. Returns how many are ready (0 on timeout); failures are OSErrors.
   */
  poll(fds: Int32Array, events: Int32Array, revents: Int32Array, n: number, timeoutMs: number): number;
}

interface LinuxLike { pollMany(pfd: Uint8Array, n: number, timeoutMs: number): number }

class KernelPoller implements Poller {
  private pfd = new Uint8Array(8 * 16);
  private v = new DataView(this.pfd.buffer);
  constructor(private readonly host: LinuxLike) {}
  poll(fds: Int32Array, events: Int32Array, revents: Int32Array, n: number, timeoutMs: number): number {
    if (this.pfd.length < 8 * n) { this.pfd = new Uint8Array(16 * n); this.v = new DataView(this.pfd.buffer); }
    const v = this.v;
    for (let i = 0; i < n; i++) {
      v.setInt32(8 * i, fds[i], true); v.setInt16(8 * i + 4, events[i], true); v.setInt16(8 * i + 6, 0, true);
    }
    // EINTR: a signal Node handles; the wait starts over (select/poll are retried by CPython
    // too, PEP 475, with the timeout recomputed; here the whole timeout again: at most longer).
    let r: number;
    do { r = this.host.pollMany(this.pfd, n, timeoutMs); } while (r === -EINTR);
    if (r < 0) throw fromErrno(-r);
    for (let i = 0; i < n; i++) revents[i] = v.getUint16(8 * i + 6, true);
    return r;
  }
}

class EmulatedPoller implements Poller {
  constructor(private readonly core: () => Core) {}
  poll(fds: Int32Array, events: Int32Array, revents: Int32Array, n: number, timeoutMs: number): number {
    // The emulated kernel's poll of several fds: the pollfds go in the core's staging area
    // (nothing else runs meanwhile); a wait runs the network's timers in virtual time.
    const c = this.core();
    const at = c.area(8 * n);
    let v = new DataView(c.memory.buffer);
    for (let i = 0; i < n; i++) {
      v.setInt32(at + 8 * i, fds[i], true); v.setInt16(at + 8 * i + 4, events[i], true); v.setInt16(at + 8 * i + 6, 0, true);
    }
    const r = (c.x as unknown as EmuExports).emu_poll(at, n, timeoutMs);
    if (r === -EDEADLK) {
      throw osErrorWith(EDEADLK, 'this wait could only last forever: no other party in the emulated network can make these sockets ready');
    }
    if (r < 0) throw fromErrno(-r);
    v = new DataView(c.memory.buffer);
    for (let i = 0; i < n; i++) revents[i] = v.getUint16(at + 8 * i + 6, true);
    return r;
  }
}

/** The poller of `net`'s sockets. */
export function pollerFor(net: Network): Poller {
  const n = net as Network & { clock?: unknown; faults?: unknown };
  if (n.clock !== undefined && n.faults !== undefined) {
    const cls = net.socket as unknown as { _core(): Core };
    return new EmulatedPoller(() => cls._core());
  }
  const host = net.host as unknown as Partial<LinuxLike>;
  if (typeof host.pollMany === 'function') return new KernelPoller(host as LinuxLike);
  throw new NotAvailableError(`select and poll from Pyodide are not available on ${net.host.name}: they need the Linux host or the emulated network`, 'poll', net.host.name);
}
