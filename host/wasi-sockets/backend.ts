// What the wasi:sockets provider needs from the network it serves besides wasock's module
// API: readiness of several sockets at once, a monotonic clock and a way to let time pass.
// Two backings: the Linux host (libc poll over the kernel fds, the process's monotonic clock,
// a real sleep) and the emulated network (its kernel's poll, waiting in virtual time; its
// virtual clock; letting time pass fires its timers). Everything else goes through the
// module API, so the core's capability and policy checks apply to the guest's calls.
import type { Network } from '../../src/network.js';
import { libc } from '../linux/libc.js';
import { LinuxHost } from '../linux/index.js';
import { WasiTrap, emulatedBackend, type Backend } from './backend-emulated.js';

// The host-free half (constants, the interface, the trap, the emulated backing) lives in
// backend-emulated.ts so a browser build can load it; importers of this file see it all here.
export { POLLIN, POLLOUT, POLLERR, POLLHUP, POLLNVAL, WasiTrap, EmulatedBackend, emulatedBackend, type Backend } from './backend-emulated.js';

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

/** The backend serving `net`: the emulated network's own when it is one, else the Linux host's. */
export function backendFor(net: Network): Backend {
  const emu = emulatedBackend(net);
  if (emu !== null) return emu;
  if (!(net.host instanceof LinuxHost)) {
    throw new TypeError(`wasock/wasi-sockets: a network on the Linux host or the emulated network is needed (this one is on ${net.host.name})`);
  }
  return new LinuxBackend(net);
}
