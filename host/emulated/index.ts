// The emulated network's JavaScript side: a host compiled into its own core (host.ts and
// kernel/ are AssemblyScript built into build/core-emulated.wasm), so this class only hands
// the core module over, gives the kernel its capability set, seed and machines, and turns the
// kernel's EDEADLK (a call that could only wait forever) into an error that says why.
import type { Capability, CompiledHost, HostImports } from '../types.js';
import { CAPABILITIES, capBits } from '../types.js';
import { OSError } from '../../src/exceptions.js';

/** Every capability but the Windows ioctls (the "windows" profile adds them) and js_buffers (a compiled-in host cannot see JavaScript buffers). */
// ancillary: the emulated kernel carries SCM_RIGHTS between its own sockets, none of the kernel's other control messages.
export const EMULATED_CAPS: readonly Capability[] = CAPABILITIES.filter((c) => c !== 'ioctl.windows' && c !== 'js_buffers' && c !== 'ancillary');

export interface MachineSpec {
  /** Its addresses (IPv4 or IPv6 text); every machine also has its own loopback. */
  addresses: string[];
}

export interface EmulatedHostOptions {
  /** The seed of ephemeral ports and fault draws (default 0). */
  seed?: number | bigint;
  /** The capability set (default EMULATED_CAPS, plus ioctl.windows in the "windows" profile). */
  capabilities?: Iterable<Capability>;
  /** "linux" (default) or "windows": socket.ioctl's controls too. */
  profile?: 'linux' | 'windows';
  /** The name in NotAvailableError messages (default "emulated"). */
  name?: string;
  /** Addresses of the machine sockets are made on by default ("local"), besides its loopback. */
  addresses?: string[];
  /** More machines, by name. */
  machines?: Record<string, MachineSpec>;
  /** RLIMIT_NOFILE of the emulated process: how many fds it may hold (default 1024, a fresh Linux process's soft limit). */
  fdLimit?: number;
  /** The process id SO_PEERCRED reports for each machine's sockets (default 1000 + machine index). */
  pid?: number;
  /**
   * Whether the emulated process holds CAP_NET_ADMIN and CAP_NET_RAW and runs as uid 0 (default
   * false: privileged socket options answer EPERM/EACCES as for an unprivileged Linux process).
   */
  privileged?: boolean;
  /**
   * The network's hosts table besides localhost: names and their addresses, as /etc/hosts lines
   * ({ 'db.example': ['10.0.0.5'] }). Each machine's name resolves to its addresses too.
   */
  hosts?: Record<string, string[]>;
}

/** Winsock's errors for the errnos the windows profile's socket.ioctl returns: [WSA code, FormatMessage text]. */
const WSA_ERRORS: Record<number, [number, string]> = {
  22: [10022, 'An invalid argument was supplied'],
  95: [10045, 'The attempted operation is not supported for the type of object referenced'],
  9: [10038, 'An operation was attempted on something that is not a socket'],
};

/** What an EDEADLK wait was for (kernel/wait.ts W_*). */
const WAITS = [
  'no other party in the emulated network can send to this socket',
  'no other party in the emulated network can read from this connection to make room',
  'no other party in the emulated network can connect to this listener',
  'no other party in the emulated network can complete this connection',
  'no other party in the emulated network can read from the receiving socket to make room',
  'no other party in the emulated network can accept from this listener to make room',
];

export class EmulatedHost implements CompiledHost {
  readonly name: string;
  readonly capabilities: ReadonlySet<Capability>;
  readonly profile: 'linux' | 'windows';
  /** Machine names -> kernel indexes ("local" is 0). */
  readonly machines = new Map<string, number>([['local', 0]]);
  private readonly seed: bigint;

  constructor(private readonly module: () => WebAssembly.Module, readonly options: EmulatedHostOptions = {}) {
    this.profile = options.profile ?? 'linux';
    this.name = options.name ?? (this.profile === 'windows' ? 'emulated (windows)' : 'emulated');
    const caps = options.capabilities ?? (this.profile === 'windows' ? [...EMULATED_CAPS, 'ioctl.windows' as Capability] : EMULATED_CAPS);
    this.capabilities = new Set(caps);
    if (this.capabilities.has('js_buffers')) throw new TypeError('wasock: the emulated network cannot take js_buffers (it is compiled into its core)');
    this.seed = BigInt.asUintN(64, BigInt(options.seed ?? 0));
    let i = 1;
    // The kernel's link tables hold 64 machines (host/emulated/wasm/kernel/net.ts MAX_MACHINES).
    if (Object.keys(options.machines ?? {}).length > 63) throw new TypeError('wasock: an emulated network has at most 64 machines (local and 63 more)');
    for (const name of Object.keys(options.machines ?? {})) {
      if (name === 'local') throw new TypeError("wasock: 'local' is the default machine's name; give its addresses as `addresses`");
      this.machines.set(name, i++);
    }
  }

  imports(): HostImports { throw new TypeError('wasock: the emulated network is compiled into its core'); }

  coreModule(): WebAssembly.Module { return this.module(); }

  setup(x: Record<string, unknown>): void {
    const e = x as unknown as EmuExports;
    e.emu_set_caps(capBits(this.capabilities));
    e.emu_set_privileged(this.options.privileged ? 1 : 0);
    e.emu_seed(Number(this.seed >> 32n), Number(this.seed & 0xffffffffn));
    if (this.options.fdLimit !== undefined) e.emu_set_fd_limit(this.options.fdLimit);
    const pid = this.options.pid ?? 1000;
    for (const a of this.options.addresses ?? []) this.addAddress(e, 0, a);
    for (const [name, spec] of Object.entries(this.options.machines ?? {})) {
      const m = e.emu_add_machine(pid + this.machines.get(name)!);
      for (const a of spec.addresses) this.addAddress(e, m, a);
    }
    for (const [name, addresses] of Object.entries(this.options.hosts ?? {})) {
      for (const a of addresses) this.addHost(e, name, a);
    }
    for (const [name, spec] of Object.entries(this.options.machines ?? {})) {
      for (const a of spec.addresses) this.addHost(e, name, a);
    }
  }

  /** A hosts-table line "<address> <name>" (host/emulated/wasm/names.ts). */
  private addHost(e: EmuExports, name: string, text: string): void {
    const bytes = new TextEncoder().encode(name);
    if (bytes.length === 0 || bytes.length > 255 || /[\s\0#]/.test(name)) throw new TypeError(`wasock: ${JSON.stringify(name)} is not a host name for the hosts table`);
    this.encodeAddress(e, text);
    const str = e.core_layout(5) + 512, addr = e.core_layout(3);
    new Uint8Array(e.memory.buffer).set(bytes, str);
    e.emu_add_host(str, bytes.length, addr);
  }

  private encodeAddress(e: EmuExports, text: string): void {
    const family = text.includes(':') ? 10 : 2;
    const str = e.core_layout(5);
    const bytes = new TextEncoder().encode(text);
    new Uint8Array(e.memory.buffer).set(bytes, str);
    if (e.addr_encode(family, bytes.length, 0, 0, 0) < 0) throw new TypeError(`wasock: '${text}' is not an IPv4 or IPv6 address`);
  }

  private addAddress(e: EmuExports, m: number, text: string): void {
    const family = text.includes(':') ? 10 : 2;
    const str = e.core_layout(5), addr = e.core_layout(3);
    const bytes = new TextEncoder().encode(text);
    new Uint8Array(e.memory.buffer).set(bytes, str);
    const r = e.addr_encode(family, bytes.length, 0, 0, 0);
    if (r < 0) throw new TypeError(`wasock: '${text}' is not an IPv4 or IPv6 address`);
    e.emu_add_address(m, addr);
  }

  /** The pid SO_PEERCRED reports for sockets made on the default machine ("local"). */
  get peerPid(): number { return 1000; }

  /** The index of machine `name`. */
  machine(name: string): number {
    const m = this.machines.get(name);
    if (m === undefined) throw new TypeError(`wasock: the emulated network has no machine '${name}' (machines: ${[...this.machines.keys()].join(', ')})`);
    return m;
  }

  explain(errno: number, fn: string, x: Record<string, unknown>): Error | null {
    if (fn === 'ioctl' && this.profile === 'windows') {
      // socket.ioctl is WSAIoctl: CPython on Windows raises OSError(errno, strerror, None,
      // winerror), shown as [WinError N]; errno is what winerror_to_errno() maps it to.
      const w = WSA_ERRORS[errno];
      if (w !== undefined) {
        const e = new OSError(errno, w[1]);
        e.message = `[WinError ${w[0]}] ${w[1]}`;
        (e as OSError & { winerror?: number }).winerror = w[0];
        return e;
      }
    }
    if (errno !== 35) return null;
    const why = WAITS[(x as unknown as EmuExports).emu_why_op()] ?? 'nothing in the emulated network can make it ready';
    // OSError(EDEADLK): Python's class for it is OSError itself; the text says which call and why.
    return new OSError(35, `Resource deadlock avoided: ${fn}() would wait forever: ${why} (set a timeout, or let the other side act first)`);
  }
}

/** The emulated core's own exports (assembly/emulated.ts) besides the core's. */
export interface EmuExports {
  memory: WebAssembly.Memory;
  core_layout(which: number): number;
  addr_encode(family: number, n: number, port: number, flowinfo: number, scope: number): number;
  emu_set_caps(bits: number): void;
  emu_set_privileged(on: number): void;
  emu_seed(hi: number, lo: number): void;
  emu_add_machine(pid: number): number;
  emu_use_machine(m: number): void;
  emu_add_address(m: number, sa: number): void;
  emu_fault(kind: number, a: number, b: number, atNs: number): void;
  emu_latency(a: number, b: number, ns: number, jitterNs: number): void;
  emu_bandwidth(m: number, bytesPerSec: number): void;
  emu_udp_faults(loss: number, dup: number, reorder: number): void;
  emu_reset(fd: number): number;
  emu_now(): number;
  emu_advance(ns: number): void;
  emu_why_op(): number;
  emu_open_fds(): number;
  emu_set_fd_limit(n: number): void;
  emu_host_calls(): number;
  /** poll(2) of the `n` pollfds at `fds` (core memory), waiting in virtual time (wasi-p1's poll_oneoff, the wasi:sockets provider's pollables). */
  emu_poll(fds: number, n: number, ms: number): number;
  /** A hosts-table line: the name at p (n bytes), the address in the sockaddr at sa. */
  emu_add_host(p: number, n: number, sa: number): void;
}
