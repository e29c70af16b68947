// Loads the Wasm core, binds it to a host, and gives src/ typed access to its exports and
// scratch memory. One core per host. The default core starts with no host (struct, errors
// and the option table need none) and moves to the registered host on the first socket
// (src/hosts.ts). Nothing here is Node's: the core's bytes are embedded, and Buffer is used
// only where it exists.
import type { Capability, CompiledHost, Host, HostImports, JsBufferHost } from '../host/types.js';
import { HOST_IMPORT_ARITY, OPTIONAL_IMPORTS, isCompiledHost } from '../host/types.js';
import { MemoryError, SystemError, NotAvailableError } from './exceptions.js';
import type { CoreExports } from './generated/core-exports.js';
import type { InstalledPolicy } from './policy.js';
import { ARG_FLOAT, CAP_JS_BUFFERS, L_OUT, L_VAL, L_ADDR, L_ADDRLEN, L_STR, L_POLICY } from './generated/contract.js';
import { CORE_WASM_BASE64, CORE_NONE_WASM_BASE64 } from './core-wasm.generated.js';
import { defaultHostFactory, HOSTS } from './hosts.js';

/**
 * The core's exports, typed from assembly/index.ts by scripts/gen_contract.py: what the core
 * adds or drops flows here by regenerating (test/contract.test.ts compares with the .wasm).
 */
export type { CoreExports };

/** Node's Buffer, where there is one (not in a browser): faster copies, see ownBytes(). */
const HAS_BUFFER = typeof Buffer === 'function';

/** Embedded bytes, decoded (natively where Buffer exists). */
export function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  if (HAS_BUFFER) {
    const b = Buffer.from(b64, 'base64');
    return new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.length);
  }
  const s = atob(b64);
  const u = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
  return u;
}

/** build/core.wasm's bytes (the core for JavaScript hosts), embedded at build time: no node:fs, no fetch, loadable synchronously. */
export function coreWasm(): Uint8Array<ArrayBuffer> { return decodeBase64(CORE_WASM_BASE64); }
/** build/core-none.wasm's bytes: the core with host/none compiled in (no host imports at all). */
export function coreNoneWasm(): Uint8Array<ArrayBuffer> { return decodeBase64(CORE_NONE_WASM_BASE64); }

let wasmModule: WebAssembly.Module | null = null;
function coreModule(): WebAssembly.Module {
  return wasmModule ??= new WebAssembly.Module(coreWasm());
}
let noneModule: WebAssembly.Module | null = null;

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

/**
 * The host's imports, with a stub for each optional one it leaves out: the core imports every
 * name, but calls an optional one only when the host declares its capability, so a stub that
 * runs is an internal error.
 */
function withStubs(imports: HostImports): HostImports {
  const all: Record<string, unknown> = { ...imports };
  for (const name of Object.keys(HOST_IMPORT_ARITY)) {
    if (all[name] !== undefined) continue;
    const cap = OPTIONAL_IMPORTS[name as keyof HostImports];
    if (cap === undefined) throw new TypeError(`wasock: the host lacks the import '${name}'`);
    all[name] = () => { throw new SystemError(`wasock core called '${name}' on a host without '${cap}'`); };
  }
  return all as unknown as HostImports;
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
  memory: WebAssembly.Memory;
  readonly host: Host;
  /**
   * The host when it declares js_buffers (the core's own answer, asked once here), else null:
   * data calls then lend it the JavaScript buffer (`js` = 1) instead of copying through core
   * memory, the path every other host takes.
   */
  readonly jsb: JsBufferHost | null;
  /** Scratch addresses (assembly/layout.ts). */
  readonly OUT: number; readonly VAL: number; readonly ADDR: number;
  readonly ADDRLEN: number; readonly STR: number;
  /** The policy request area (assembly/policy.ts POL_REQ). */
  readonly POL: number;
  /** The policy this core checks (a network's), or null: no policy, nothing denied by one. */
  readonly policy: InstalledPolicy | null;
  /** Why the last check callback refused (src/policy.ts words the PermissionError with it). */
  policyReason = '';
  private _u8!: Uint8Array;     // the views: renew() makes them, in the constructor and after growth
  private _i32!: Int32Array;
  private _u32!: Uint32Array;
  private _f64!: Float64Array;
  private _big64!: BigInt64Array;
  // Empty until first used (membuf); a browser has no Buffer, and ownBytes() never reads it there.
  private _membuf: Buffer = EMPTY_BUFFER;
  private _bigU64!: BigUint64Array;
  private strings = new Map<number, string>();
  private _small = new ArrayBuffer(0);      // copyOut's pool for results up to 64 bytes
  private _small8 = new Uint8Array(0);
  private _small32 = new Int32Array(0);
  private _smallOff = SMALL_POOL;

  /**
   * `maxPages`: the most 64 KiB pages core memory may grow to (an embedder's memory limit).
   * `policy`: a network's sandbox policy, loaded into the core before anything else runs.
   */
  constructor(host: Host, maxPages = 65536, policy: InstalledPolicy | null = null) {
    this.host = host;
    this.policy = policy;
    this.memory = new WebAssembly.Memory({ initial: 4, maximum: maxPages });
    // abort is the core's own, not the host's: an internal error is a core matter.
    const abort = (m: number, f: number, l: number, col: number) => { throw this.abandon(this.abortText(m, f, l, col)); };
    // The policy import: called only while a policy with check callbacks or audit hooks is
    // installed (assembly/bindings/policy.ts), so without one it is never reached.
    const pol = { decide: (allowed: number) => (this.policy === null ? allowed : this.policy.decide(this, allowed)) };
    // A host compiled into the core (host/none) comes with its own module and imports nothing;
    // a JavaScript host supplies the ABI's imports to the JavaScript-host core.
    let instance: WebAssembly.Instance;
    if (isCompiledHost(host)) {
      const imports = { env: { memory: this.memory }, host: { abort }, policy: pol };
      instance = host.instantiate ? host.instantiate(imports) : new WebAssembly.Instance(host.coreModule(), imports);
    } else {
      instance = new WebAssembly.Instance(coreModule(), { env: { memory: this.memory }, host: { ...withStubs(host.imports(this.memory)), abort }, policy: pol });
    }
    // A core that defines its memory (a component's core module: a component cannot import
    // one) is read through that memory instead; maxPages is then the module's own limit.
    const own = (instance.exports as Record<string, unknown>).memory;
    if (own instanceof WebAssembly.Memory) this.memory = own;
    this.x = instance.exports as unknown as CoreExports;
    if (isCompiledHost(host)) host.setup(instance.exports as Record<string, unknown>);
    this.x.core_init();
    this.renew();
    this.OUT = this.x.core_layout(L_OUT);
    this.VAL = this.x.core_layout(L_VAL);
    this.ADDR = this.x.core_layout(L_ADDR);
    this.ADDRLEN = this.x.core_layout(L_ADDRLEN);
    this.STR = this.x.core_layout(L_STR);
    this.POL = this.x.core_layout(L_POLICY);
    let jsb: JsBufferHost | null = null;
    if (this.x.core_has_cap(CAP_JS_BUFFERS) === 1) {
      if (typeof (host as Partial<JsBufferHost>).lend !== 'function') throw new TypeError(`wasock: host ${host.name} declares js_buffers but has no lend()`);
      jsb = host as JsBufferHost;
    }
    this.jsb = jsb;
    if (policy !== null) policy.load(this);
  }

  /**
   * Room for `len` bytes of data in core memory (the core's staging area, reused by the
   * next call): where a host without js_buffers sends from and receives into.
   */
  area(len: number): number {
    // On every send and receive of a host without js_buffers: no closure, as allocating() takes.
    let r: number;
    try { r = this.x.core_stage(len); } catch (e) { throw this.allocFailure(e); }
    if (r === 0) throw new MemoryError();
    return r;
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
    try { r = f(); } catch (e) { throw this.allocFailure(e); }
    if (r === 0) throw new MemoryError();
    return r;
  }

  /** What an allocating call's exception becomes (allocating() and area()). */
  private allocFailure(e: unknown): unknown {
    if (!(e instanceof WebAssembly.RuntimeError)) return e;
    return /unreachable/.test(e.message) ? new MemoryError() : this.abandon(`trap: ${e.message}`);
  }

  /** Copies `bytes` into core memory (the staging area: formats, setsockopt values); returns where. */
  stageIn(bytes: Uint8Array): number {
    const ptr = this.area(bytes.length);
    this.u8.set(bytes, ptr);
    return ptr;
  }

  /**
   * A byte view of core memory, renewed after the memory grows. Growing detaches the old
   * ArrayBuffer, which turns the old views' length to 0: a cheaper test than comparing
   * against memory.buffer (a slow accessor) on every call.
   */
  get u8(): Uint8Array { if (this._u8.length === 0) this.renew(); return this._u8; }
  get i32(): Int32Array { if (this._i32.length === 0) this.renew(); return this._i32; }
  get u32(): Uint32Array { if (this._u32.length === 0) this.renew(); return this._u32; }
  get f64(): Float64Array { if (this._f64.length === 0) this.renew(); return this._f64; }
  get big64(): BigInt64Array { if (this._big64.length === 0) this.renew(); return this._big64; }
  get bigU64(): BigUint64Array { if (this._bigU64.length === 0) this.renew(); return this._bigU64; }
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
   * hands out the bytes. A caller handing the pool to a js_buffers host lends it first.
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
  /** The small-result pool's bytes (what smallSlot()'s caller lends a js_buffers host). */
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
 * The host of a core that has none (yet): host/none, compiled into its own core
 * (build/core-none.wasm): every capability absent, no import. struct, the errno table, the
 * option table and the decoders run on such a core; a socket never does (hostCore()).
 */
class NoHost implements CompiledHost {
  readonly name = 'no host';
  readonly capabilities: ReadonlySet<Capability> = new Set();
  /** Never asked: the core with host/none compiled in imports nothing (Core's constructor). */
  imports(): HostImports { throw new SystemError('wasock: host/none is compiled into its core'); }
  coreModule(): WebAssembly.Module { return noneModule ??= new WebAssembly.Module(coreNoneWasm()); }
  setup(): void { /* host/none declares its (empty) capability set itself */ }
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
  const c = new Core(host, undefined, old.policy);
  if (t >= 0) c.x.core_setdefaulttimeout(ARG_FLOAT /* seconds */, t);
  return c;
}

/**
 * A core of its own on `host` (a network's, src/network.ts), replaced after an internal
 * error as core() replaces the default one; `policy` is loaded into each.
 */
export function ownCore(host: Host, maxPages?: number, policy: InstalledPolicy | null = null): () => Core {
  let c = new Core(host, maxPages, policy);
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
