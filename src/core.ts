// Loads the Wasm core, binds it to a host, and gives src/ typed access to its exports and
// scratch memory. One core per host. The default core starts with no host (struct, errors
// and the option table need none) and moves to the registered host on the first socket
// (src/hosts.ts). Nothing here is Node's: the core's bytes are embedded, and Buffer is used
// only where it exists.
import type { Capability, Host } from '../host/types.js';
import { MemoryError, SystemError, NotAvailableError } from './errors.js';
import { CORE_WASM_BASE64 } from './core-wasm.generated.js';
import { defaultHostFactory, HOSTS } from './hosts.js';

/** The core's exports (assembly/index.ts), as src/ uses them. */
export interface CoreExports {
  core_init(): number;
  core_layout(which: number): number;
  core_has_cap(cap: number): number;
  core_cap_count(): number;
  core_cap_name(cap: number): number;
  core_stage(len: number): number;
  core_close_all(): number;
  sock_new(family: number, type: number, proto: number): number;
  sock_adopt(fd: number, family: number, type: number, proto: number): number;
  sock_pair(family: number, type: number, proto: number): number;
  sock_dup(h: number): number;
  sock_share(h: number): number;
  sock_fromfd(fd: number, family: number, type: number, proto: number): number;
  sock_close(h: number): number;
  sock_detach(h: number): number;
  sock_gen(h: number): number;
  sock_release(h: number, gen: number): number;
  sock_fileno(h: number): number;
  sock_flags(h: number): number;
  sock_iorefs(h: number): number;
  sock_incref(h: number): void;
  sock_decref(h: number): number;
  sock_getsockopt_int(h: number, level: number, opt: number): number;
  sock_getsockopt_buf(h: number, level: number, opt: number, buflen: number): number;
  sock_getsockopt_js(h: number, level: number, opt: number, buflen: number, off: number): number;
  sock_setsockopt_int(h: number, level: number, opt: number, value: number): number;
  sock_setsockopt_buf(h: number, level: number, opt: number, ptr: number, len: number): number;
  sock_setsockopt_null(h: number, level: number, opt: number, optlen: number): number;
  addr_encode(family: number, n: number, port: number, flowinfo: number, scope: number): number;
  addr_decode(len: number): number;
  addr_resolve(family: number, n: number): number;
  sock_bind(h: number, family: number, n: number, port: number, flowinfo: number, scope: number): number;
  sock_connect(h: number, family: number, n: number, port: number, flowinfo: number, scope: number, ex: number): number;
  sock_listen(h: number, backlog: number, given: number): number;
  sock_accept(h: number): number;
  sock_getsockname(h: number): number;
  sock_getpeername(h: number): number;
  sock_shutdown(h: number, how: number): number;
  sock_recv(h: number, buf: number, off: number, len: number, flags: number): number;
  sock_recv_into(h: number, buf: number, bufLen: number, nbytes: number, flags: number): number;
  sock_recvfrom(h: number, buf: number, off: number, len: number, flags: number): number;
  sock_recvfrom_into(h: number, buf: number, bufLen: number, nbytes: number, flags: number): number;
  sock_send(h: number, buf: number, off: number, len: number, flags: number): number;
  sock_sendto(h: number, buf: number, off: number, len: number, flags: number, alen: number): number;
  sock_sendall(h: number, buf: number, off: number, len: number, flags: number): number;
  sock_settimeout(h: number, kind: number, v: number): number;
  sock_gettimeout(h: number): number;
  sock_getblocking(h: number): number;
  core_setdefaulttimeout(kind: number, v: number): number;
  core_getdefaulttimeout(): number;
  opt_count(): number;
  opt_find(level: number, value: number): number;
  opt_level(i: number): number;
  opt_value(i: number): number;
  opt_kind(i: number): number;
  opt_size(i: number): number;
  opt_flags(i: number): number;
  opt_families(i: number): number;
  opt_name(i: number): number;
  opt_format(i: number): number;
  opt_decoder(i: number): number;
  opt_alias_count(): number;
  opt_alias_name(i: number): number;
  opt_alias_row(i: number): number;
  errno_max(): number;
  errno_name(n: number): number;
  errno_text(n: number): number;
  errno_class(n: number): number;
  errno_class_name(c: number): number;
  fd_fcntl_int(h: number, fd: number, cmd: number, arg: number): number;
  fd_fcntl_buf(h: number, fd: number, cmd: number, len: number): number;
  fd_ioctl_int(h: number, fd: number, request: number, arg: number): number;
  fd_ioctl_buf(h: number, fd: number, request: number, len: number, mode: number): number;
  sock_ioctl_kind(control: number): number;
  sock_ioctl(h: number, control: number, a: number, b: number, c: number): number;
  st_compile(ptr: number, len: number): number;
  st_free(block: number): void;
  st_size(block: number): number;
  st_items(block: number): number;
  st_flags(block: number): number;
  st_kinds(block: number, out: number): number;
  st_codes(block: number): number;
  st_area(bytes: number): number;
  st_pack(block: number, nargs: number, tape: number, out: number): number;
  st_pack_nums(block: number, nargs: number, a: number, b: number, c: number, d: number, tape: number, out: number): number;
  st_check_count(block: number, nargs: number, packInto: number): number;
  st_unpack(block: number, src: number, len: number, tape: number): number;
  st_unpack_at(block: number, src: number, out: number): number;
  st_check_from(block: number, bufLen: number, offset: number, big: number): number;
  st_check_into(block: number, bufLen: number, offset: number, big: number): number;
  st_check_iter(block: number, bufLen: number): number;
}

/** Node's Buffer, where there is one (not in a browser): faster copies, see ownBytes(). */
const HAS_BUFFER = typeof Buffer === 'function';

/** build/core.wasm's bytes, embedded at build time: no node:fs, no fetch, loadable synchronously. */
export function coreWasm(): Uint8Array<ArrayBuffer> {
  if (HAS_BUFFER) {
    const b = Buffer.from(CORE_WASM_BASE64, 'base64');   // native decoding
    return new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.length);
  }
  const s = atob(CORE_WASM_BASE64);
  const u = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
  return u;
}

let wasmModule: WebAssembly.Module | null = null;
function coreModule(): WebAssembly.Module {
  return wasmModule ??= new WebAssembly.Module(coreWasm());
}

/**
 * Bytes [from, to) of `u8` as a result of their own (`buf`: the same bytes as a Buffer, for
 * its native copy). Up to 64 bytes a Uint8Array with its own storage (V8 keeps those on its
 * heap: cheap); longer ones views of Node's Buffer pool, as Node's own APIs hand out: a
 * standalone 100-byte ArrayBuffer costs ~750 ns here, a pooled one ~110 ns.
 */
export function ownBytes(u8: Uint8Array, buf: Buffer, from: number, to: number): Uint8Array {
  const n = to - from;
  // Without Buffer (a browser) every result is a Uint8Array of its own.
  if (n <= 64 || !HAS_BUFFER) return u8.slice(from, to);
  const pooled = Buffer.allocUnsafe(n);
  buf.copy(pooled, 0, from, to);
  // A plain Uint8Array over the pooled bytes: the same class as every other result.
  return new Uint8Array(pooled.buffer, pooled.byteOffset, n);
}

const EMPTY_BUFFER = (HAS_BUFFER ? Buffer.alloc(0) : new Uint8Array(0)) as Buffer;

/** The size of copyOut's pool for small results (Node's Buffer pool is the same size). */
const SMALL_POOL = 8192;

/**
 * A core given up after an internal error: every export raises SystemError, so an object
 * still bound to it fails loudly instead of reading memory the failure left half-written.
 */
function abandoned(why: string): CoreExports {
  const raise = (): never => {
    throw new SystemError(`wasock core is unusable after an internal error (${why}); objects made since use a new core`);
  };
  return new Proxy({}, { get: () => raise }) as CoreExports;
}

export class Core {
  /** The exports; replaced by abandoned()'s after an internal error. */
  x: CoreExports;
  /** Why this core was given up, or null while it is sound. */
  broken: string | null = null;
  /** The default timeout when it was given up (seconds; negative: None), for its successor. */
  lastDefaultTimeout = -1;
  /** struct's work area in this core (src/struct.ts): address, size, and a generation bumped when it moves. */
  stBase = 0; stCap = 0; stGen = 0;
  readonly memory: WebAssembly.Memory;
  readonly host: Host;
  /** Scratch addresses (assembly/layout.ts). */
  readonly OUT: number; readonly VAL: number; readonly ADDR: number;
  readonly ADDRLEN: number; readonly STR: number;
  private _u8: Uint8Array;
  private _i32: Int32Array;
  private _u32: Uint32Array;
  private _f64: Float64Array;
  private _big64: BigInt64Array;
  // Empty until first used (membuf); a browser has no Buffer, and ownBytes() never reads it there.
  private _membuf: Buffer = EMPTY_BUFFER;
  private _bigU64: BigUint64Array;
  private strings = new Map<number, string>();
  private _small = new ArrayBuffer(0);      // copyOut's pool for results up to 64 bytes
  private _small8 = new Uint8Array(0);
  private _small32 = new Int32Array(0);
  private _smallOff = SMALL_POOL;

  /** `maxPages`: the most 64 KiB pages core memory may grow to (an embedder's memory limit). */
  constructor(host: Host, maxPages = 65536) {
    this.host = host;
    this.memory = new WebAssembly.Memory({ initial: 4, maximum: maxPages });
    const instance = new WebAssembly.Instance(coreModule(), {
      env: { memory: this.memory },
      // abort is the core's own, not the host's: an internal error is a core matter.
      host: { ...host.imports(this.memory), abort: (m: number, f: number, l: number, col: number) => { throw this.abandon(this.abortText(m, f, l, col)); } },
    });
    this.x = instance.exports as unknown as CoreExports;
    this.x.core_init();
    this._u8 = new Uint8Array(this.memory.buffer);
    this._i32 = new Int32Array(this.memory.buffer);
    this._u32 = new Uint32Array(this.memory.buffer);
    this._f64 = new Float64Array(this.memory.buffer);
    this._big64 = new BigInt64Array(this.memory.buffer);
    this._bigU64 = new BigUint64Array(this.memory.buffer);
    this.OUT = this.x.core_layout(0);
    this.VAL = this.x.core_layout(1);
    this.ADDR = this.x.core_layout(3);
    this.ADDRLEN = this.x.core_layout(4);
    this.STR = this.x.core_layout(5);
  }

  /** The text of an AssemblyScript abort(), read defensively: the memory may be inconsistent. */
  private abortText(m: number, f: number, line: number, col: number): string {
    try {
      return `${this.str(m) || 'abort'} at ${this.str(f) || '?'}:${line}:${col}`;
    } catch {
      return `abort at ${line}:${col}`;
    }
  }

  /**
   * Gives this core up after an internal error (an abort or a trap): its fds are closed so
   * none leaks, its exports are replaced by abandoned()'s, core() makes a new core for what
   * comes next. Returns the SystemError to raise, as CPython does for its own internal errors.
   */
  abandon(why: string): SystemError {
    if (this.broken === null) {
      this.broken = why;
      const x = this.x;
      this.x = abandoned(why);
      try { this.lastDefaultTimeout = x.core_getdefaulttimeout(); } catch { /* keep None */ }
      try { while (x.core_close_all() > 0); } catch { /* the table itself is unreadable */ }
      // The default core is replaced at the next core(): caches let go of this one now.
      if (this === defaultCore) changed();
    }
    return new SystemError(`wasock core: internal error: ${why}`);
  }

  /**
   * Runs a core call that may allocate: its 0 result and a trap while memory grows (TLSF
   * traps before it changes any state: assembly/alloc.ts) are MemoryError; any other trap
   * gives the core up (SystemError).
   */
  allocating(f: () => number): number {
    let r: number;
    try {
      r = f();
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        if (/unreachable/.test(e.message)) throw new MemoryError();
        throw this.abandon(`trap: ${e.message}`);
      }
      throw e;
    }
    if (r === 0) throw new MemoryError();
    return r;
  }

  /** Copies `bytes` into core memory (the staging area: formats, setsockopt values); returns where. */
  stageIn(bytes: Uint8Array): number {
    const ptr = this.allocating(() => this.x.core_stage(bytes.length));
    this.u8.set(bytes, ptr);
    return ptr;
  }

  /**
   * A byte view of core memory, renewed after the memory grows. Growing detaches the old
   * ArrayBuffer, which turns the old views' length to 0: a cheaper test than comparing
   * against memory.buffer (a slow accessor) on every call.
   */
  get u8(): Uint8Array {
    if (this._u8.length === 0) this.renew();
    return this._u8;
  }
  get i32(): Int32Array {
    if (this._i32.length === 0) this.renew();
    return this._i32;
  }
  get u32(): Uint32Array {
    if (this._u32.length === 0) this.renew();
    return this._u32;
  }
  get f64(): Float64Array {
    if (this._f64.length === 0) this.renew();
    return this._f64;
  }
  get big64(): BigInt64Array {
    if (this._big64.length === 0) this.renew();
    return this._big64;
  }
  get bigU64(): BigUint64Array {
    if (this._bigU64.length === 0) this.renew();
    return this._bigU64;
  }
  private renew(): void {
    this._u8 = new Uint8Array(this.memory.buffer);
    this._i32 = new Int32Array(this.memory.buffer);
    this._u32 = new Uint32Array(this.memory.buffer);
    this._f64 = new Float64Array(this.memory.buffer);
    this._big64 = new BigInt64Array(this.memory.buffer);
    this._bigU64 = new BigUint64Array(this.memory.buffer);
  }

  /**
   * A copy of core bytes [ptr, ptr + len): Python's bytes, always a plain Uint8Array. Small
   * aligned results (most option values, packed structs) are views of an 8 KiB pool of
   * ours, filled a word at a time: measured ~2x cheaper than a Uint8Array of their own;
   * others go through ownBytes(). Such a result may share its ArrayBuffer: read it through
   * byteOffset, as with a Buffer.
   */
  copyOut(ptr: number, len: number): Uint8Array {
    if (len > 64 || (ptr & 3) !== 0) return ownBytes(this.u8, this.membuf, ptr, ptr + len);
    const off = this.smallSlot();
    const p32 = this._small32, i32 = this.i32;
    let d = off >> 2, w = ptr >> 2;
    const whole = d + (len >> 2);
    while (d < whole) p32[d++] = i32[w++];
    // The last partial word keeps only the result's bytes: the pool shows nothing else.
    if ((len & 3) !== 0) p32[d] = i32[w] & (0xffffffff >>> (32 - 8 * (len & 3)));
    return this.smallResult(off, len);
  }

  /**
   * Room for a result of up to 64 bytes in the small-result pool (copyOut's, or a host's
   * that writes there directly: getsockopt_js): returns its offset; smallResult() then
   * hands out the bytes. A caller passing the pool to a host stages it first.
   */
  smallSlot(): number {
    if (this._smallOff + 64 > SMALL_POOL) {
      // A fresh pool: results already handed out keep the old one, never written again.
      this._small = new ArrayBuffer(SMALL_POOL);
      this._small8 = new Uint8Array(this._small);
      this._small32 = new Int32Array(this._small);
      this._smallOff = 0;
    }
    return this._smallOff;
  }
  /** The small-result pool's bytes (what smallSlot()'s caller stages on the host). */
  get smallPool(): Uint8Array { return this._small8; }
  /** The len bytes a host wrote at smallSlot()'s offset, as a result of their own. */
  smallResult(off: number, len: number): Uint8Array {
    this._smallOff = off + ((len + 7) & ~7);
    return new Uint8Array(this._small, off, len);
  }

  /** A Buffer view of core bytes [start, end) (native copy and search; not a copy). */
  bytes(start: number, end: number): Buffer {
    return this.membuf.subarray(start, end);
  }

  /** All of core memory as a Buffer (for its native copy), renewed as the views are. Node only. */
  get membuf(): Buffer {
    if (this._membuf.length === 0 && HAS_BUFFER) this._membuf = Buffer.from(this.memory.buffer);
    return this._membuf;
  }

  /** Reads an AssemblyScript string (UTF-16, byte length at ptr - 4); static, so cached. */
  str(ptr: number): string {
    if (ptr === 0) return '';
    let s = this.strings.get(ptr);
    if (s === undefined) {
      const bytes = new DataView(this.memory.buffer).getUint32(ptr - 4, true);
      s = String.fromCharCode(...new Uint16Array(this.memory.buffer, ptr, bytes >>> 1));
      this.strings.set(ptr, s);
    }
    return s;
  }

  /**
   * Copies bytes into SCR_STR (host names, unix paths); returns the length the core sees,
   * capped at the area's 1024 bytes (every rule the core applies rejects such lengths).
   */
  putStr(bytes: Uint8Array): number {
    const n = Math.min(bytes.length, 1024);
    this.u8.set(n === bytes.length ? bytes : bytes.subarray(0, n), this.STR);
    return n;
  }
}

/**
 * The host of a core that has none (yet): every capability absent, so the core calls none
 * of its imports but caps. struct, the errno table, the option table and the decoders run
 * on such a core; a socket never does (hostCore()).
 */
class NoHost implements Host {
  readonly name = 'no host';
  readonly capabilities: ReadonlySet<Capability> = new Set();
  stage(): void {}
  imports(): Record<string, (...args: any[]) => any> {
    // Built from the module's own import list, so it follows the ABI as it changes.
    const imports: Record<string, (...args: any[]) => any> = {};
    for (const i of WebAssembly.Module.imports(coreModule())) {
      if (i.module !== 'host' || i.kind !== 'function') continue;
      imports[i.name] = () => { throw new SystemError(`wasock core: host call '${i.name}' on a core without a host`); };
    }
    imports.caps = () => 0;
    return imports;
  }
}
const NO_HOST = new NoHost();

let defaultCore: Core | null = null;

/**
 * Called whenever core() starts answering with another core (useHost, a successor): module
 * caches of objects bound to a core (struct's compiled formats) drop them here, so that their
 * hot paths need no check of their own.
 */
const onChange: (() => void)[] = [];
export function whenCoreChanges(f: () => void): void { onChange.push(f); }
function changed(): void { for (const f of onChange) f(); }

/**
 * The top-level API's core: host-free work (struct, errors, options, the default timeout)
 * runs on it as it is; hostCore() gives it its host. A core given up after an internal
 * error is replaced here, on the same host, with the same default timeout.
 */
export function core(): Core {
  const c = defaultCore;
  if (c !== null && c.broken === null) return c;
  defaultCore = c === null ? new Core(NO_HOST) : successor(c);
  changed();
  return defaultCore;
}

/**
 * The core new sockets use: core(), moved onto the registered host (src/hosts.ts) the first
 * time, keeping its default timeout; the host (koffi, for Linux) loads only then. Where no
 * host is registered (a browser), NotAvailableError names the hosts there are.
 */
export function hostCore(): Core {
  const c = core();
  if (c.host !== NO_HOST) return c;
  const make = defaultHostFactory();
  if (make === null) {
    throw new NotAvailableError(`no socket host in this environment; hosts: ${HOSTS}`, 'socket.create', NO_HOST.name);
  }
  defaultCore = successor(c, make(), c.x.core_getdefaulttimeout());
  changed();
  return defaultCore;
}

function successor(old: Core, host: Host = old.host, t: number = old.lastDefaultTimeout): Core {
  const c = new Core(host);
  if (t >= 0) c.x.core_setdefaulttimeout(1 /* ARG_FLOAT: seconds */, t);
  return c;
}

/**
 * A core of its own on `host` (a network's, src/network.ts), replaced after an internal
 * error as core() replaces the default one.
 */
export function ownCore(host: Host, maxPages?: number): () => Core {
  let c = new Core(host, maxPages);
  return () => (c.broken === null ? c : (c = successor(c)));
}

/**
 * Makes new sockets (and module functions) run on `host`, e.g. a Linux host with fewer
 * capabilities; sockets made before keep their own core. `maxPages` bounds the new core's
 * memory (64 KiB pages; an embedder's limit: beyond it, calls raise MemoryError). Returns
 * the previous host.
 */
export function useHost(host: Host, maxPages?: number): Host {
  // Before the first socket this is the host-free core's placeholder: handing it back
  // restores "the registered host, on the next socket".
  const previous = core().host;
  defaultCore = new Core(host, maxPages);
  changed();
  return previous;
}
