// wasock/emulated: the emulated network as an entry. network() returns the module API on a
// deterministic, Linux-shaped network compiled into its own core: no system call, time that
// is the network's, ephemeral ports and fault draws from the seed. Several machines may share
// one network (`machines`, net.machine(name)); faults are injected through net.faults.
import { EmulatedHost, EMULATED_CAPS, type EmulatedHostOptions, type EmuExports, type MachineSpec } from '../host/emulated/index.js';
import { decodeBase64, ownCore, type Core } from './core.js';
import { networkOn, type Network, type NetworkOptions } from './network.js';
import { fromErrno } from './errors.js';
import { CORE_EMULATED_WASM_BASE64 } from './core-emulated-wasm.generated.js';
import type { socket } from './socket.js';

export { EmulatedHost, EMULATED_CAPS };
export type { EmulatedHostOptions, MachineSpec, Network };

let emulatedModule: WebAssembly.Module | null = null;
/** build/core-emulated.wasm, embedded (decoded and compiled once per process). */
export function emulatedCoreModule(): WebAssembly.Module {
  return emulatedModule ??= new WebAssembly.Module(decodeBase64(CORE_EMULATED_WASM_BASE64));
}

export interface EmulatedNetworkOptions extends EmulatedHostOptions, NetworkOptions {}

/** When a fault takes effect: now, or at a virtual time in seconds. */
export interface When { at?: number }

export interface Faults {
  /** Cuts the link between machines a and b (both directions, or a -> b only with oneWay); `until` repairs it then. */
  partition(a: string, b: string, options?: When & { oneWay?: boolean; until?: number }): void;
  /** Restores the link (both directions, or a -> b only with oneWay). */
  repair(a: string, b: string, options?: When & { oneWay?: boolean }): void;
  /** Latency (seconds) with a seeded jitter of up to `jitter` seconds, both directions. */
  latency(a: string, b: string, seconds: number, jitter?: number): void;
  /** The most bytes per second machine m sends (0: no limit). */
  bandwidth(machine: string, bytesPerSecond: number): void;
  /** UDP between machines: the probability of each datagram being lost, duplicated or reordered. */
  udp(rates: { loss?: number; duplicate?: number; reorder?: number }): void;
  /** Resets the connection of `sock` (both ends: ConnectionResetError), as an injected RST. */
  reset(sock: socket): void;
  /** The machine crashes: its connections reset at their peers, its ports freed, its sockets dead. */
  crash(machine: string, options?: When): void;
  /** A crashed machine answers again (its old sockets stay dead). */
  restart(machine: string, options?: When): void;
}

export interface Clock {
  /** The network's virtual time, in seconds since it was made. */
  now(): number;
  /** Lets `seconds` of virtual time pass: timers due by then fire (retries, keep-alive, faults). */
  advance(seconds: number): void;
}

export interface EmulatedNetwork extends Network {
  host: EmulatedHost;
  /**
   * os.unlink() for the network's AF_UNIX paths: a path stays after its socket closes, as a
   * socket file does on Linux, until it is unlinked. FileNotFoundError when there is none.
   */
  unlink(path: string | Uint8Array): void;
  /** The module API making sockets on machine `name` of the same network ("local" is this one). */
  machine(name: string): EmulatedNetwork;
  faults: Faults;
  clock: Clock;
}

const F_CUT = 1, F_REPAIR = 2, F_CRASH = 3, F_RESTART = 4;
const NS = 1e9;

/** The module API on an emulated network of its own: `const net = network({ seed: 1 }); new net.socket()`. */
export function network(options: EmulatedNetworkOptions = {}): EmulatedNetwork {
  const host = new EmulatedHost(emulatedCoreModule, options);
  const own = ownCore(host, options.maxPages, options.policy ? options.policy._install() : null);
  const emu = (): EmuExports => own().x as unknown as EmuExports;
  const at = (w?: When): number => (w?.at === undefined ? 0 : w.at * NS);
  const faults: Faults = {
    partition(a, b, o = {}) {
      const ma = host.machine(a), mb = host.machine(b);
      emu().emu_fault(F_CUT, ma, mb, at(o));
      if (!o.oneWay) emu().emu_fault(F_CUT, mb, ma, at(o));
      if (o.until !== undefined) this.repair(a, b, { at: o.until, oneWay: o.oneWay });
    },
    repair(a, b, o = {}) {
      const ma = host.machine(a), mb = host.machine(b);
      emu().emu_fault(F_REPAIR, ma, mb, at(o));
      if (!o.oneWay) emu().emu_fault(F_REPAIR, mb, ma, at(o));
    },
    latency(a, b, seconds, jitter = 0) {
      const ma = host.machine(a), mb = host.machine(b);
      emu().emu_latency(ma, mb, seconds * NS, jitter * NS);
      emu().emu_latency(mb, ma, seconds * NS, jitter * NS);
    },
    bandwidth(m, bps) { emu().emu_bandwidth(host.machine(m), bps); },
    udp(r) { emu().emu_udp_faults(r.loss ?? 0, r.duplicate ?? 0, r.reorder ?? 0); },
    reset(sock) {
      const r = emu().emu_reset(sock.fileno());
      if (r < 0) throw new TypeError('wasock: faults.reset() needs an open socket of this network');
    },
    crash(m, o) { emu().emu_fault(F_CRASH, host.machine(m), 0, at(o)); },
    restart(m, o) { emu().emu_fault(F_RESTART, host.machine(m), 0, at(o)); },
  };
  const clock: Clock = {
    now: () => emu().emu_now() / NS,
    advance: (s) => emu().emu_advance(s * NS),
  };
  const unlink = (path: string | Uint8Array): void => {
    const c = own();
    const name = typeof path === 'string' ? new TextEncoder().encode(path) : path;
    if (name.length === 0 || name.length > 107) throw fromErrno(name.length === 0 ? 2 : 36);
    const u8 = c.u8;
    u8[c.ADDR] = 1; u8[c.ADDR + 1] = 0;
    u8.set(name, c.ADDR + 2);
    u8[c.ADDR + 2 + name.length] = 0;
    const r = (c.x as unknown as EmuExports & { emu_unlink(sa: number, len: number): number }).emu_unlink(c.ADDR, name.length + 3);
    if (r < 0) throw fromErrno(-r);
  };
  const views = new Map<number, EmulatedNetwork>();
  const view = (m: number): EmulatedNetwork => {
    let v = views.get(m);
    if (v !== undefined) return v;
    // Every view sets its machine before the core makes a socket: one core, several machines.
    const on = (): Core => { const c = own(); (c.x as unknown as EmuExports).emu_use_machine(m); return c; };
    v = Object.assign(networkOn(on, host), {
      host, faults, clock, unlink,
      machine: (name: string) => view(host.machine(name)),
    }) as EmulatedNetwork;
    views.set(m, v);
    return v;
  };
  return view(0);
}
