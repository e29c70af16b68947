// What every host gives the core: a name, a capability set, and the import object that
// implements the host ABI (assembly/bindings/host.ts). Hosts never decide anything the
// core decides; they perform operating-system calls and report -errno.

// Capability names, in the core's bit order: declared in scripts/contract.py, generated for
// both the core (assembly/generated/contract.ts) and here.
import { CAPABILITIES, type Capability } from '../src/generated/contract.js';
export { CAPABILITIES, type Capability };

export function capBits(caps: Iterable<Capability>): number {
  let bits = 0;
  for (const c of caps) {
    const i = CAPABILITIES.indexOf(c);
    if (i < 0) throw new Error(`unknown capability ${c}`);
    bits |= 1 << i;
  }
  return bits;
}

/**
 * Every import of assembly/bindings/host.ts, with its signature: the typed ABI a JavaScript
 * host implements (`satisfies HostImports`). Pointers (`ptr`, `addr`, `lenptr`, `out`) are
 * offsets into the core's memory, 0 meaning NULL; results are >= 0 or -errno. The optional
 * members belong to a capability (`win_ioctl`: ioctl.windows; the `*_js` ones: js_buffers):
 * a host lacking it leaves them out and src/core.ts fills in stubs the core never calls.
 * test/abi.test.ts checks HOST_IMPORT_ARITY against bindings/host.ts, so neither can drift.
 * (`abort` is also imported by the core, but src/core.ts supplies it, not the host.)
 */
export interface HostImports {
  caps(): number;
  socket(family: number, type: number, proto: number): number;
  socketpair(family: number, type: number, proto: number, out: number): number;
  close(fd: number): number;
  dup(fd: number): number;
  bind(fd: number, addr: number, len: number): number;
  connect(fd: number, addr: number, len: number): number;
  listen(fd: number, backlog: number): number;
  accept(fd: number, addr: number, lenptr: number, flags: number): number;
  getsockopt(fd: number, level: number, opt: number, val: number, lenptr: number): number;
  setsockopt(fd: number, level: number, opt: number, val: number, len: number): number;
  getsockname(fd: number, addr: number, lenptr: number): number;
  getpeername(fd: number, addr: number, lenptr: number): number;
  recv(fd: number, buf: number, len: number, flags: number): number;
  send(fd: number, buf: number, len: number, flags: number): number;
  recvfrom(fd: number, buf: number, len: number, flags: number, addr: number, lenptr: number): number;
  sendto(fd: number, buf: number, len: number, flags: number, addr: number, alen: number): number;
  shutdown(fd: number, how: number): number;
  fcntl(fd: number, cmd: number, arg: number): number;
  fcntl_ptr(fd: number, cmd: number, ptr: number): number;
  ioctl(fd: number, request: number, ptr: number): number;
  ioctl_int(fd: number, request: number, arg: number): number;
  win_ioctl?(fd: number, code: number, ptr: number, len: number): number;
  set_nonblocking(fd: number, on: number): number;
  poll(fd: number, events: number, timeoutMs: number): number;
  now_ns(): bigint;
  // js_buffers: `id` names a buffer lent with JsBufferHost.lend(), `off` is u32 bits.
  recv_js?(fd: number, id: number, off: number, len: number, flags: number): number;
  send_js?(fd: number, id: number, off: number, len: number, flags: number): number;
  recvfrom_js?(fd: number, id: number, off: number, len: number, flags: number, addr: number, lenptr: number): number;
  sendto_js?(fd: number, id: number, off: number, len: number, flags: number, addr: number, alen: number): number;
  getsockopt_js?(fd: number, level: number, opt: number, id: number, off: number, lenptr: number): number;
  ioctl_js?(fd: number, request: number, id: number): number;
  // name_lookup: the name service (assembly/bindings/host.ts says what each writes to `out`).
  name_addrinfo?(name: number, len: number, family: number, flags: number, out: number, cap: number): number;
  name_hostent?(byAddr: number, key: number, len: number, family: number, out: number, cap: number): number;
  name_servbyname?(name: number, len: number, proto: number, plen: number): number;
  name_servbyport?(port: number, proto: number, plen: number, out: number, cap: number): number;
  name_protobyname?(name: number, len: number): number;
  name_interfaces?(out: number, cap: number): number;
  // sendmsg: `msg` is the core's message header (scripts/contract.py MSGHDR).
  sendmsg?(fd: number, msg: number, flags: number): number;
  recvmsg?(fd: number, msg: number, flags: number): number;
}

/** Each import's parameter count: the runtime twin of HostImports (the compiler keeps the keys equal). */
export const HOST_IMPORT_ARITY = {
  caps: 0, socket: 3, socketpair: 4, close: 1, dup: 1, bind: 3, connect: 3, listen: 2, accept: 4,
  getsockopt: 5, setsockopt: 5, getsockname: 3, getpeername: 3, recv: 4, send: 4, recvfrom: 6,
  sendto: 6, shutdown: 2, fcntl: 3, fcntl_ptr: 3, ioctl: 3, ioctl_int: 3, win_ioctl: 4,
  set_nonblocking: 2, poll: 3, now_ns: 0, recv_js: 5, send_js: 5, recvfrom_js: 7, sendto_js: 7,
  getsockopt_js: 6, ioctl_js: 3,
  name_addrinfo: 6, name_hostent: 6, name_servbyname: 4, name_servbyport: 5, name_protobyname: 2, name_interfaces: 2,
  sendmsg: 3, recvmsg: 3,
} as const satisfies { readonly [K in keyof HostImports]-?: number };

/** The imports only a host with the named capability is called with. */
export const OPTIONAL_IMPORTS: Readonly<Partial<Record<keyof HostImports, Capability>>> = {
  win_ioctl: 'ioctl.windows',
  recv_js: 'js_buffers', send_js: 'js_buffers', recvfrom_js: 'js_buffers', sendto_js: 'js_buffers',
  getsockopt_js: 'js_buffers', ioctl_js: 'js_buffers',
  name_addrinfo: 'name_lookup', name_hostent: 'name_lookup', name_servbyname: 'name_lookup',
  name_servbyport: 'name_lookup', name_protobyname: 'name_lookup', name_interfaces: 'name_lookup',
  sendmsg: 'sendmsg', recvmsg: 'sendmsg',
};

export interface Host {
  /** Shown in NotAvailableError messages: "getsockopt is not available on <name>". */
  readonly name: string;
  readonly capabilities: ReadonlySet<Capability>;
  /** The ABI imports, bound to the core's memory (which the host may hand to the kernel). */
  imports(memory: WebAssembly.Memory): HostImports;
  /**
   * What NotAvailableError adds for a capability this host lacks, or null (wasi-p1: which
   * Python rule it follows, "Availability: not WASI").
   */
  unavailableNote?(capability: Capability): string | null;
}

/**
 * A host compiled into the core (an AssemblyScript folder built into a core of its own, as
 * host/none and host/emulated are): it brings that core's module instead of imports.
 */
export interface CompiledHost extends Host {
  /** The core module with this host compiled in (it imports only env.memory and host.abort). */
  coreModule(): WebAssembly.Module;
  /**
   * Instantiates coreModule() itself, when the host brings imports of its own (a WASI host:
   * wasi:sockets through jco's bindings, wasi_snapshot_preview1 through @wasmer/wasi). `imports`
   * holds what the core imports from wasock (env.memory, host.abort, policy.decide); a module
   * that defines its own memory exports it as `memory` and src/core.ts reads that one.
   */
  instantiate?(imports: WebAssembly.Imports): WebAssembly.Instance;
  /** Runs once on a new instance's exports before core_init (the capability set, the seed). */
  setup(exports: Record<string, unknown>): void;
  /**
   * The exception for an errno whose meaning is the host's own (the emulated network's
   * EDEADLK: a call that could only wait forever), or null for the usual one.
   */
  explain?(errno: number, fn: string, exports: Record<string, unknown>): Error | null;
}

export function isCompiledHost(host: Host): host is CompiledHost {
  return typeof (host as Partial<CompiledHost>).coreModule === 'function';
}

/**
 * A host with the js_buffers capability: it can hand a JavaScript buffer to the OS itself
 * (the Linux host passes its storage to libc), so src/ lends it the user's bytes instead of
 * copying them through core memory.
 */
export interface JsBufferHost extends Host {
  /** Lends `buf` for the next *_js import; returns the id the core passes back. */
  lend(buf: Uint8Array): number;
}

/**
 * A host whose fds are the process's own kernel fds, so Node's sockets can be shared with it
 * (fromNode, toNodeServer and toNodeSocket need it): the Linux host.
 */
export interface NodeFdSource {
  /** The kernel fd behind a socket Node created (net.Socket, net.Server, dgram.Socket), or null when `x` is none of them. */
  nodeFd(x: unknown): NodeFd | null;
}

export function isNodeFdSource(host: Host): host is Host & NodeFdSource {
  return typeof (host as Partial<NodeFdSource>).nodeFd === 'function';
}
export type NodeKind = 'net.Socket' | 'net.Server' | 'dgram.Socket';

/**
 * fd >= 0: the object's fd (still Node's). fd -1: it has none in its current `state`
 * ('connecting', 'unconnected', 'destroyed', 'not listening', 'unbound', 'binding',
 * 'closed'). fd -2: the running Node exposes no fd for its handle; `state` names the
 * handle's class.
 */
export interface NodeFd { kind: NodeKind; fd: number; state: string }
