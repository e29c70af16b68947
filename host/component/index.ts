// Supplies the component's `wasock:core/host` imports (wit/core.wit) at run time from a
// wasock host: the Linux host (koffi -> libc) or the emulated network, or any HostImports an
// embedder writes. In JavaScript (jco's bindings) the interface is an object of camelCase
// functions: records are plain objects, list<u8> a Uint8Array, option none `undefined`, u64
// a bigint.
//
// A wasock host's imports take pointers into a memory (the raw core's, in wasock's own Node
// path). A component's host cannot see the component's memory, so each host here gets a
// memory of its own: the adapter copies list arguments in, calls the import with pointers
// there, and copies results out. The Linux host is bound to a WebAssembly.Memory made for it
// (koffi hands its storage to libc); the emulated network is a module of its own
// (build/emulated-host.wasm: its kernel without a core) whose memory its functions use.
import type { Capability, Host, HostImports } from '../types.js';
import { capBits, isCompiledHost } from '../types.js';
import { EMULATED_CAPS, type EmulatedHostOptions } from '../emulated/index.js';

/** `wasock:core/host` as jco's bindings call it. */
export interface ComponentHostImports {
  name(): string;
  capabilities(): string[];
  socket(family: number, type: number, proto: number): number;
  socketpair(family: number, type: number, proto: number): { status: number; fd0: number; fd1: number };
  close(fd: number): number;
  dup(fd: number): number;
  bind(fd: number, address: Uint8Array): number;
  connect(fd: number, address: Uint8Array): number;
  listen(fd: number, backlog: number): number;
  accept(fd: number, flags: number): { status: number; address: Uint8Array };
  getsockopt(fd: number, level: number, optname: number, optlen: number): { status: number; data: Uint8Array };
  setsockopt(fd: number, level: number, optname: number, value: Uint8Array | undefined, optlen: number): number;
  getsockname(fd: number): { status: number; data: Uint8Array };
  getpeername(fd: number): { status: number; data: Uint8Array };
  recv(fd: number, len: number, flags: number): { status: number; data: Uint8Array };
  send(fd: number, data: Uint8Array, flags: number): number;
  recvfrom(fd: number, len: number, flags: number): { status: number; data: Uint8Array; address: Uint8Array };
  sendto(fd: number, data: Uint8Array, flags: number, address: Uint8Array): number;
  shutdown(fd: number, how: number): number;
  setNonblocking(fd: number, on: boolean): number;
  poll(fd: number, events: number, timeoutMs: number): number;
  nowNs(): bigint;
  abort(message: string, file: string, line: number, column: number): void;
}

/** A host's imports and the memory their pointers index. */
export interface HostMemory {
  readonly imports: HostImports;
  /** The memory's bytes now (a view renewed when the memory grew). */
  bytes(): Uint8Array;
  /** The address of `len` bytes free for one call (never 0: 0 is NULL to a host). */
  area(len: number): number;
}

const EMPTY = new Uint8Array(0);
/** sockaddr_storage: the most a sockaddr takes. */
const SOCKADDR = 128;

/**
 * The component's host interface over `hm`. `name` and `capabilities` are what the component
 * asks once: the capability set is the embedder's choice (a narrower set is a sandbox).
 */
export function adapt(name: string, capabilities: Iterable<Capability>, hm: HostMemory): ComponentHostImports {
  const caps = [...capabilities];
  const dv = (): DataView => { const b = hm.bytes(); return new DataView(b.buffer, b.byteOffset, b.byteLength); };
  /** Copies `data` into the host's memory at `at`. */
  const put = (at: number, data: Uint8Array): void => { hm.bytes().set(data, at); };
  /** A copy of `len` bytes at `at` (the component copies it again into its own memory). */
  const take = (at: number, len: number): Uint8Array => (len > 0 ? hm.bytes().slice(at, at + len) : EMPTY);
  /** A sockaddr the host wrote at `at + 4`, its length at `at`. */
  const sockaddr = (at: number): Uint8Array => take(at + 4, Math.min(dv().getUint32(at, true), SOCKADDR));
  const withAddr = (fd: number, address: Uint8Array, f: (fd: number, a: number, len: number) => number): number => {
    const a = hm.area(address.length);
    put(a, address);
    return f(fd, a, address.length);
  };
  const name_ = (fd: number, f: (fd: number, a: number, lp: number) => number) => {
    const a = hm.area(4 + SOCKADDR);
    dv().setUint32(a, SOCKADDR, true);
    const status = f(fd, a + 4, a);
    return { status, data: status >= 0 ? sockaddr(a) : EMPTY };
  };
  return {
    name: () => name,
    capabilities: () => caps,
    socket: (f, t, p) => hm.imports.socket(f, t, p),
    socketpair: (f, t, p) => {
      const a = hm.area(8);
      const status = hm.imports.socketpair(f, t, p, a);
      if (status < 0) return { status, fd0: -1, fd1: -1 };
      const d = dv();
      return { status, fd0: d.getInt32(a, true), fd1: d.getInt32(a + 4, true) };
    },
    close: (fd) => hm.imports.close(fd),
    dup: (fd) => hm.imports.dup(fd),
    bind: (fd, address) => withAddr(fd, address, (f, a, n) => hm.imports.bind(f, a, n)),
    connect: (fd, address) => withAddr(fd, address, (f, a, n) => hm.imports.connect(f, a, n)),
    listen: (fd, backlog) => hm.imports.listen(fd, backlog),
    accept: (fd, flags) => {
      const a = hm.area(4 + SOCKADDR);
      dv().setUint32(a, SOCKADDR, true);
      const status = hm.imports.accept(fd, a + 4, a, flags);
      return { status, address: status >= 0 ? sockaddr(a) : EMPTY };
    },
    getsockopt: (fd, level, optname, optlen) => {
      // The hot path: one area, no closure; the value's bytes are zeroed as the core zeroes its own.
      const a = hm.area(4 + optlen), b = hm.bytes();
      b.fill(0, a, a + 4 + optlen);
      b[a] = optlen & 0xff; b[a + 1] = (optlen >>> 8) & 0xff; b[a + 2] = (optlen >>> 16) & 0xff; b[a + 3] = optlen >>> 24;
      const status = hm.imports.getsockopt(fd, level, optname, a + 4, a);
      if (status < 0) return { status, data: EMPTY };
      const c = hm.bytes();
      const n = (c[a] | (c[a + 1] << 8) | (c[a + 2] << 16) | (c[a + 3] << 24)) >>> 0;
      return { status, data: c.slice(a + 4, a + 4 + Math.min(n, optlen)) };
    },
    setsockopt: (fd, level, optname, value, optlen) => {
      if (value === undefined || value === null) return hm.imports.setsockopt(fd, level, optname, 0, optlen);
      const a = hm.area(value.length);
      put(a, value);
      return hm.imports.setsockopt(fd, level, optname, a, value.length);
    },
    getsockname: (fd) => name_(fd, (f, a, lp) => hm.imports.getsockname(f, a, lp)),
    getpeername: (fd) => name_(fd, (f, a, lp) => hm.imports.getpeername(f, a, lp)),
    recv: (fd, len, flags) => {
      const a = hm.area(len);
      const status = hm.imports.recv(fd, a, len, flags);
      return { status, data: status >= 0 ? take(a, Math.min(status, len)) : EMPTY };
    },
    send: (fd, data, flags) => {
      const a = hm.area(data.length);
      put(a, data);
      return hm.imports.send(fd, a, data.length, flags);
    },
    recvfrom: (fd, len, flags) => {
      const a = hm.area(4 + SOCKADDR + len);
      dv().setUint32(a, SOCKADDR, true);
      const status = hm.imports.recvfrom(fd, a + 4 + SOCKADDR, len, flags, a + 4, a);
      if (status < 0) return { status, data: EMPTY, address: EMPTY };
      return { status, data: take(a + 4 + SOCKADDR, Math.min(status, len)), address: sockaddr(a) };
    },
    sendto: (fd, data, flags, address) => {
      const a = hm.area(address.length + data.length);
      put(a, address);
      put(a + address.length, data);
      return hm.imports.sendto(fd, a + address.length, data.length, flags, a, address.length);
    },
    shutdown: (fd, how) => hm.imports.shutdown(fd, how),
    setNonblocking: (fd, on) => hm.imports.set_nonblocking(fd, on ? 1 : 0),
    poll: (fd, events, timeoutMs) => hm.imports.poll(fd, events, timeoutMs),
    nowNs: () => BigInt.asUintN(64, hm.imports.now_ns()),
    abort: (message, file, line, column) => {
      throw new Error(`wasock component: internal error: ${message} at ${file}:${line}:${column}`);
    },
  };
}

/**
 * A JavaScript host (the Linux host, or an embedder's own) bound to a memory of its own: the
 * first 16 bytes stay unused (0 is NULL), and a call that needs more room than the memory
 * has binds the host to a larger one (a host may keep the memory's address, as koffi does,
 * so the memory is replaced rather than grown).
 */
export function ownMemory(host: Host): HostMemory {
  if (isCompiledHost(host)) throw new TypeError(`wasock: ${host.name} is compiled into a core of its own; use emulatedComponentHost()`);
  let memory = new WebAssembly.Memory({ initial: 2 });
  let imports = host.imports(memory);
  let u8 = new Uint8Array(memory.buffer);
  const self: HostMemory = {
    get imports() { return imports; },
    bytes: () => u8,
    area: (len) => {
      if (16 + len > u8.length) {
        memory = new WebAssembly.Memory({ initial: Math.ceil((16 + len) / 65536) });
        imports = host.imports(memory);
        u8 = new Uint8Array(memory.buffer);
      }
      return 16;
    },
  };
  return self;
}

/** The component's host interface over a JavaScript host (wasock's Linux host, or an embedder's). */
export function componentHost(host: Host, capabilities: Iterable<Capability> = host.capabilities): ComponentHostImports {
  // adapt() reads hm.imports at each call: the host is rebound when its memory is replaced.
  return adapt(host.name, capabilities, ownMemory(host));
}

/** build/emulated-host.wasm's exports: the host ABI's functions, its memory, the network's controls. */
interface EmulatedHostExports extends HostImports {
  memory: WebAssembly.Memory;
  scratch(len: number): number;
  emu_set_caps(bits: number): void;
  emu_set_privileged(on: number): void;
  emu_seed(hi: number, lo: number): void;
  emu_set_fd_limit(n: number): void;
  emu_open_fds(): number;
}

/**
 * build/emulated-host.wasm, found from this file in the sources (host/component) or in dist/
 * (dist/host/component). node:fs is asked for only here, at run time (Node >= 20.16), so the
 * module loads where there is none: a browser passes the module itself (`module`).
 */
function emulatedHostBytes(): Uint8Array {
  const fs = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.('node:fs') as typeof import('node:fs') | undefined;
  if (fs === undefined) throw new TypeError('wasock: without node:fs, pass the emulated host module (build/emulated-host.wasm) as `module`');
  for (const rel of ['../../build/emulated-host.wasm', '../../../build/emulated-host.wasm']) {
    try { return fs.readFileSync(new URL(rel, import.meta.url)); } catch { /* try the next */ }
  }
  throw new Error('wasock: build/emulated-host.wasm is missing (npm run build:core)');
}

let emulatedModule: WebAssembly.Module | null = null;

export interface EmulatedComponentHostOptions extends Pick<EmulatedHostOptions, 'seed' | 'capabilities' | 'name' | 'fdLimit' | 'privileged'> {
  /** build/emulated-host.wasm, compiled (default: read from the package with node:fs). */
  module?: WebAssembly.Module;
}

export interface EmulatedComponentHost {
  readonly imports: ComponentHostImports;
  /** Fds the network's process holds open (a test's leak check). */
  openFds(): number;
}

/**
 * The emulated network as the component's host: a fresh network (the kernel module
 * instantiated once per call), the options' seed, fd limit and privileges, and the
 * capability set (EMULATED_CAPS by default).
 */
export function emulatedComponentHost(options: EmulatedComponentHostOptions = {}): EmulatedComponentHost {
  const module = options.module ?? (emulatedModule ??= new WebAssembly.Module(emulatedHostBytes() as Uint8Array<ArrayBuffer>));
  const instance = new WebAssembly.Instance(module, {
    host: { abort: () => { throw new Error('wasock: the emulated network aborted (an internal error)'); } },
  });
  const x = instance.exports as unknown as EmulatedHostExports;
  const caps = [...(options.capabilities ?? EMULATED_CAPS)];
  x.emu_set_caps(capBits(caps));
  x.emu_set_privileged(options.privileged ? 1 : 0);
  const seed = BigInt.asUintN(64, BigInt(options.seed ?? 0));
  x.emu_seed(Number(seed >> 32n), Number(seed & 0xffffffffn));
  if (options.fdLimit !== undefined) x.emu_set_fd_limit(options.fdLimit);
  let u8 = new Uint8Array(x.memory.buffer);
  const hm: HostMemory = {
    imports: x,
    // The kernel allocates in this memory, so it may grow during any call: the view follows.
    bytes: () => (u8.length === 0 ? (u8 = new Uint8Array(x.memory.buffer)) : u8),
    area: (len) => { const a = x.scratch(len); if (u8.length === 0) u8 = new Uint8Array(x.memory.buffer); return a; },
  };
  return { imports: adapt(options.name ?? 'emulated', caps, hm), openFds: () => x.emu_open_fds() };
}
