// The socket object, with Python's names and semantics (Lib/socket.py over _socket). It
// converts arguments and results; the core decides and the host performs.
import { hostCore, type Core } from './core.js';
import { errorFor, MemoryError, ValueError } from './errors.js';
import { argCount, bytesLike, cInt, isInt32Number, cUIntMask, isCInt, asPyInt, pyTypeName, cIntClinic, cSsize, cFdLong, cLong, cULongMask, converterrName, pyRepr, timeoutKind, timeoutValue, ARG_NONE, ARG_INT } from './args.js';
// socket.ioctl's option kinds and the capability each method needs: scripts/contract.py.
import { WIN_OPTION_TRIPLE, METHOD_CAPABILITY, ERR_BASE, F_CLOSED, E_NOT_AVAILABLE, CAP_BIND, CAP_CONNECT, CAP_LISTEN, CAP_GETSOCKOPT, CAP_SETSOCKOPT, CAP_DUP, CAP_SOCKNAME } from './generated/contract.js';
import { putAddress, readAddress, type Address, AF_INET } from './address.js';
import { findOption } from './options.js';
import { SocketIO, BufferedReader, BufferedWriter, BufferedRWPair, TextIOWrapper, DEFAULT_BUFFER_SIZE } from './io.js';
import { DECODERS, type Decoder } from './decoders.js';
import type { MakefileOptions, ReadBinaryMode, WriteBinaryMode, ReadWriteBinaryMode, TextMode, BufferedOrRaw } from './io.js';
import type { FileObject } from './streams.js';
import { SOCK_STREAM } from './generated/constants.js';
import * as msg from './msg.js';

/** getsockopt's int mode returns errors below this (core: error - 2**32). */
const F64_ERR = -2147483648;

/**
 * Sockets dropped while open: the finalizer closes the fd and frees the slot, as CPython's
 * finaliser does (the slot's generation guards against a slot freed and reused since).
 * Registering costs more than a socket() + close() pair's JS work, so new sockets are
 * registered in batches, after the current synchronous run or every 256 creations, and
 * only if still open then: short-lived sockets never pay for it.
 */
const registry = new FinalizationRegistry<[Core, number, number]>(([c, h, gen]) => {
  // A finalizer never throws. A core given up after an internal error closed its fds then.
  if (c.broken !== null) return;
  try { c.x.sock_release(h, gen); } catch { /* abandon() has made it known */ }
});
const pending: socket[] = [];
let flushQueued = false;

function track(s: socket): void {
  pending.push(s);
  if (pending.length >= 256) registerPending();
  else if (!flushQueued) { flushQueued = true; queueMicrotask(registerPending); }
}

function registerPending(): void {
  flushQueued = false;
  for (const s of pending) if (s._h !== 0 && s._c.broken === null) registry.register(s, [s._c, s._h, s._c.x.sock_gen(s._h)]);
  pending.length = 0;
}

// What the next construction takes instead of its arguments' defaults: constructOn's core, and
// _wrap's handle too. Set immediately before Reflect.construct; the constructor clears them first.
let nextCore: Core | null = null;
let nextHandle = 0;

/**
 * `new socket(...args)` on core `c`, as a plain socket: what a network's socket class makes.
 * Every socket has the same shape (socket.prototype's, V8's initial map of `socket`), so the
 * methods stay monomorphic however many networks a process makes: a class per network as the
 * instances' prototype made them megamorphic (-30 % on connect + accept + close with eight
 * networks in one process, bench/emulated.mjs).
 */
export function constructOn(c: Core, args: unknown[]): socket {
  nextCore = c;
  return Reflect.construct(socket, args, socket) as socket;
}

function fail(code: number, fn: string, c: Core): never {
  throw errorFor(code, fn, c);
}

/**
 * The error a method whose arguments were refused raises: NotAvailableError instead when the
 * host lacks the method's capability. CPython on WASI has no bind() to call, so bind('bad')
 * is no TypeError there; the check runs on the error path only, leaving hot paths as they were.
 */
function absentOr(c: Core, cap: number, fn: string, e: unknown): unknown {
  return c.x.core_has_cap(cap) === 1 ? e : errorFor(-(ERR_BASE + E_NOT_AVAILABLE + cap), fn, c);
}

export class socket {
  /**
   * @internal the core handle. After close or detach it names this socket's closed record
   * (its timeout and makefile() count, assembly/sockets.ts retire), or 0, the record shared
   * by closed sockets with nothing to remember.
   */
  _h!: number;
  /** @internal */
  readonly _c!: Core;
  private _family!: number;
  private _type!: number;
  private _proto!: number;

  /**
   * socket(family=AF_INET, type=SOCK_STREAM, proto=0, fileno=null). With a fileno, the
   * family, type and proto not given are read from the fd.
   */
  constructor(family: number = -1, type: number = -1, proto: number = -1, fileno: number | null = null) {
    // A socket made by constructOn (a network's socket class, _wrap): its core, and with a
    // handle, nothing else to do.
    const given = nextCore, wrapped = nextHandle;
    nextCore = null; nextHandle = 0;
    if (wrapped !== 0) { this._init(given!, wrapped); return; }
    if (arguments.length > 4) {
      throw new TypeError(`socket.__init__() takes from 1 to 5 positional arguments but ${arguments.length + 1} were given`);
    }
    // The class says which core: the top-level socket the default one, a network's socket
    // class its network's (src/network.ts).
    const c = given ?? new.target._core();
    // Argument Clinic converts family, type and proto (_PyLong_AsInt), then the fileno.
    const fam = cIntClinic(family), typ = cIntClinic(type), pr = cIntClinic(proto);
    let h: number;
    if (fileno === null || fileno === undefined) {
      h = c.x.sock_new(fam === -1 ? AF_INET : fam, typ === -1 ? SOCK_STREAM : typ, pr === -1 ? 0 : pr);
    } else {
      h = c.x.sock_adopt(cFdLong(fileno), fam, typ, pr);
    }
    if (h < 0) fail(h, 'socket', c);
    this._init(c, h);
  }

  /** @internal takes a handle the core just created (its identity is in SCR_OUT). */
  _init(c: Core, h: number): void {
    const i32 = c.i32, out = c.OUT >> 2;
    (this as { _c: Core })._c = c;
    this._h = h;
    this._family = i32[out];
    this._type = i32[out + 1];
    this._proto = i32[out + 2];
    track(this);
  }

  get family(): number { return this._family; }
  get type(): number { return this._type; }
  get proto(): number { return this._proto; }

  fileno(): number {
    if (arguments.length) throw noArgs('fileno', arguments.length);
    return this._c.x.sock_fileno(this._h);
  }

  /**
   * Can this socket's host perform `capability` (or the capability a method needs)?
   * Answers without trying.
   */
  isAvailable(name: string): boolean {
    const c = this._c;
    const cap = METHOD_CAPS[name] ?? name;
    const n = c.x.core_cap_count();
    for (let i = 0; i < n; i++) if (c.str(c.x.core_cap_name(i)) === cap) return c.x.core_has_cap(i) === 1;
    return false;
  }

  // ------------------------------------------------------------ options

  /**
   * getsockopt(level, optname[, buflen]): buflen absent or 0 reads a signed 32-bit int;
   * 1..1024 returns the bytes the kernel wrote, cut to the length it reports.
   */
  getsockopt(level: number, optname: number, buflen?: number): number | Uint8Array {
    const n = arguments.length;
    if (n < 2 || n > 3) throw absentOr(this._c, CAP_GETSOCKOPT, 'getsockopt', argCount('getsockopt', n, 2, 3));
    // Fast path: plain int32 numbers (a bigint must not meet `|`, which would throw).
    // -0 (Python's -0.0) is refused by cInt: the zero tests keep it off the fast path.
    if (typeof level !== 'number' || (level | 0) !== level || typeof optname !== 'number' || (optname | 0) !== optname ||
        (level === 0 && 1 / level < 0) || (optname === 0 && 1 / optname < 0)) {
      try {
        level = cInt(level);
        optname = cInt(optname);
      } catch (e) { throw absentOr(this._c, CAP_GETSOCKOPT, 'getsockopt', e); }
    }
    if (buflen === undefined || (buflen === 0 && 1 / buflen > 0)) {
      const r = this._c.x.sock_getsockopt_int(this._h, level, optname);
      if (r < F64_ERR) fail(r + 4294967296, 'getsockopt', this._c);
      return r;
    }
    if (typeof buflen !== 'number' || !isInt32Number(buflen)) {
      try { buflen = cInt(buflen); } catch (e) { throw absentOr(this._c, CAP_GETSOCKOPT, 'getsockopt', e); }
    }
    if (buflen === 0) return this.getsockopt(level, optname);
    const c = this._c;
    const j = c.jsb;
    if (buflen > 0 && buflen <= 64 && j !== null) {
      // The kernel writes straight into the small-result pool: no copy out of the core.
      const off = c.smallSlot();
      const n = c.x.sock_getsockopt_js(this._h, level, optname, buflen, j.lend(c.smallPool), off);
      if (n < 0) fail(n, 'getsockopt', c);
      return c.smallResult(off, n);
    }
    const len = c.x.sock_getsockopt_buf(this._h, level, optname, buflen);
    if (len < 0) fail(len, 'getsockopt', this._c);
    return c.copyOut(c.VAL, len);
  }

  /**
   * setsockopt(level, optname, value) with an int (sent as a C int) or a bytes-like value;
   * setsockopt(level, optname, null, optlen) passes a NULL pointer with optlen.
   */
  setsockopt(level: number, optname: number, value: number | boolean | Uint8Array | ArrayBufferView | null, optlen?: number): void {
    const n = arguments.length;
    const c = this._c;
    let r: number;
    if (n === 3) {
      if (typeof level === 'number' && (level | 0) === level && typeof optname === 'number' &&
          (optname | 0) === optname && typeof value === 'number' && (value | 0) === value &&
          // -0 is a float (CPython: "a bytes-like object is required, not 'float'"); the
          // zero tests cost nothing on non-zero values
          (level !== 0 || 1 / level > 0) && (optname !== 0 || 1 / optname > 0) && (value !== 0 || 1 / value > 0)) {
        r = c.x.sock_setsockopt_int(this._h, level, optname, value);
      } else if (isCInt(level) && isCInt(optname) && isCInt(value)) {
        r = c.x.sock_setsockopt_int(this._h, cInt(level), cInt(optname), cInt(value));
      } else {
        // CPython tries 'iii', then 'iiO!I', then 'iiy*' and reports the last failure:
        // so an out-of-range int is "a bytes-like object is required, not 'int'".
        let bytes: Uint8Array | null;
        try {
          level = cInt(level);
          optname = cInt(optname);
          bytes = bytesLike(value);
          if (bytes === null) throw new TypeError(`a bytes-like object is required, not '${pyTypeName(value)}'`);
        } catch (e) { throw absentOr(c, CAP_SETSOCKOPT, 'setsockopt', e); }
        const ptr = c.stageIn(bytes);    // MemoryError where core memory cannot hold it
        r = c.x.sock_setsockopt_buf(this._h, level, optname, ptr, bytes.length);
      }
    } else if (n === 4 && (value === null || value === undefined) && isCInt(level) && isCInt(optname) && asPyInt(optlen) !== null) {
      r = c.x.sock_setsockopt_null(this._h, cInt(level), cInt(optname), cUIntMask(optlen));
    } else {
      throw absentOr(c, CAP_SETSOCKOPT, 'setsockopt', argCount('setsockopt', n, 3, 3));
    }
    if (r < 0) fail(r, 'setsockopt', this._c);
  }

  // ------------------------------------------------------------ ioctl (Windows)

  /**
   * ioctl(control, option): CPython defines it on Windows only (WSAIoctl). The arguments
   * are checked with Windows' rules (SIO_RCVALL and SIO_LOOPBACK_FAST_PATH take an unsigned
   * int, SIO_KEEPALIVE_VALS an [onoff, time_ms, interval_ms] triple, any other control is
   * ValueError), then the host must have the `ioctl.windows` capability: on Linux this
   * raises NotAvailableError, and fcntl.ioctl(sock, request, arg) is the POSIX route.
   */
  ioctl(control: number, option: unknown): number {
    const n = arguments.length;
    if (n !== 2) throw new TypeError(`ioctl() takes exactly 2 arguments (${n} given)`);
    const c = this._c;
    // 'k' with Windows' 32-bit unsigned long: masked to 32 bits.
    const cmd = cULongMask(control, 'ioctl', 1, 32);
    const kind = c.x.sock_ioctl_kind(cmd);
    if (kind < 0) fail(kind, 'ioctl', c);
    let a = 0, b = 0, d = 0;
    if (kind === WIN_OPTION_TRIPLE) [a, b, d] = keepaliveTriple(option);
    else a = cUIntMask(option);
    const r = c.x.sock_ioctl(this._h, cmd, a, b, d);
    if (r < 0) fail(r, 'ioctl', c);
    return r;
  }

  // ------------------------------------------------------------ lifetime

  /** Closes the socket; with makefile() files open, the real close waits for the last one. */
  close(): void {
    if (arguments.length) throw selfOnly('close', arguments.length);
    const x = this._c.x, h = this._h;
    const r = x.sock_close(h);
    if (r !== 0) this._h = x.sock_handle(h);
    if (r < 0) fail(r, 'close', this._c);
  }

  /** Closes the socket object without closing the fd, and returns the fd (-1 if closed). */
  detach(): number {
    if (arguments.length) throw selfOnly('detach', arguments.length);
    const x = this._c.x, h = this._h;
    const fd = x.sock_detach(h);
    this._h = x.sock_handle(h);
    return fd;
  }

  // ------------------------------------------------------------ timeouts

  /**
   * settimeout(value): null blocks (no timeout), 0 is non-blocking, a positive number of
   * seconds is a timeout. The state is the core's:
   *
   *   timeout   gettimeout()  getblocking()  fd O_NONBLOCK  operations
   *   None      null          true           cleared        plain blocking syscalls
   *   0         0             false          set            one syscall; EAGAIN -> BlockingIOError
   *   > 0       seconds       true           set            poll until ready or TimeoutError
   */
  settimeout(value: number | bigint | boolean | null): void {
    if (arguments.length !== 1) throw oneArg('settimeout', arguments.length);
    const kind = timeoutKind(value);
    this._settimeout(kind, timeoutValue, 'settimeout');
  }

  /** setblocking(flag): true is settimeout(null), false is settimeout(0). */
  setblocking(flag: number | bigint | boolean): void {
    if (arguments.length !== 1) throw oneArg('setblocking', arguments.length);
    const block = cLong(flag) !== 0n;
    this._settimeout(block ? ARG_NONE : ARG_INT, 0, 'setblocking');
  }

  private _settimeout(kind: number, v: number, fn: string): void {
    // A closed socket keeps the new value (CPython stores it before the ioctl fails): in a
    // record of its own, not the shared one.
    const h = this._h !== 0 ? this._h : this._ownRecord();
    const r = this._c.x.sock_settimeout(h, kind, v);
    if (r < 0) fail(r, fn, this._c);
  }

  /** gettimeout(): seconds, or null when the socket blocks without a timeout. */
  gettimeout(): number | null {
    if (arguments.length) throw noArgs('gettimeout', arguments.length);
    const t = this._c.x.sock_gettimeout(this._h);
    return t < 0 ? null : t;
  }

  /** The timeout (read-only), as gettimeout(). */
  get timeout(): number | null {
    const t = this._c.x.sock_gettimeout(this._h);
    return t < 0 ? null : t;
  }

  /** getblocking(): false only with timeout 0; the fd itself is never consulted. */
  getblocking(): boolean {
    if (arguments.length) throw noArgs('getblocking', arguments.length);
    return this._c.x.sock_getblocking(this._h) !== 0;
  }

  /** A closed socket on the shared record gets one of its own, to store a value in. */
  private _ownRecord(): number {
    const c = this._c;
    const h = c.allocating(() => c.x.sock_own_record(0));
    this._h = h;
    track(this);                  // the record is freed when this object is collected
    return h;
  }

  /** @internal socket.py's _closed */
  get _closed(): boolean { return this._h === 0 || (this._c.x.sock_flags(this._h) & F_CLOSED) !== 0; }

  [Symbol.dispose](): void {
    if (!this._closed) this.close();
  }

  /** A new socket object on a duplicate of the fd, with the same timeout. */
  dup(): socket {
    if (arguments.length) throw absentOr(this._c, CAP_DUP, 'dup', selfOnly('dup', arguments.length));
    const h = this._c.x.sock_dup(this._h);
    if (h < 0) fail(h, 'dup', this._c);
    // socket.py's dup(): self.__class__(...), so a subclass stays itself.
    return (this.constructor as typeof socket)._wrap(this._c, h);
  }

  /** @internal the core new sockets of this class are made on (a network's class has its own). */
  static _core(): Core { return hostCore(); }
  /** @internal the module's socket class (a network's own): what accept() makes, as socket.py's accept() uses the module's socket(). */
  static _moduleClass(): typeof socket { return socket; }

  /**
   * @internal wraps a handle the core created (accept, dup, socketpair), as this class. Through
   * the constructor, not Object.create: one object shape for every socket (constructOn).
   */
  static _wrap(c: Core, h: number): socket {
    nextCore = c; nextHandle = h;
    return Reflect.construct(socket, [], this) as socket;
  }

  // ------------------------------------------------------------ addresses

  bind(address: Address): void {
    if (arguments.length !== 1) throw absentOr(this._c, CAP_BIND, 'bind', oneArg('bind', arguments.length));
    const r = this._address('bind', address);
    if (r < 0) fail(r, 'bind', this._c);
  }

  connect(address: Address): void {
    if (arguments.length !== 1) throw absentOr(this._c, CAP_CONNECT, 'connect', oneArg('connect', arguments.length));
    const r = this._address('connect', address);
    if (r < 0) fail(r, 'connect', this._c);
  }

  /** connect() that returns the errno instead of raising it (0 on success). */
  connect_ex(address: Address): number {
    if (arguments.length !== 1) throw absentOr(this._c, CAP_CONNECT, 'connect_ex', oneArg('connect_ex', arguments.length));
    const r = this._address('connect_ex', address);
    if (r >= 0) return 0;
    if (r > -ERR_BASE) return -r;
    return fail(r, 'connect_ex', this._c);
  }

  /** bind or connect to `address`: the core's result (>= 0, or an error code). */
  private _address(fn: 'bind' | 'connect' | 'connect_ex', address: unknown): number {
    const c = this._c;
    let n: number, port: number, flow: number, scope: number;
    try {
      [n, port, flow, scope] = putAddress(c, this._family, address, fn);
    } catch (e) { throw absentOr(c, fn === 'bind' ? CAP_BIND : CAP_CONNECT, fn, e); }
    return fn === 'bind'
      ? c.x.sock_bind(this._h, this._family, n, port, flow, scope)
      : c.x.sock_connect(this._h, this._family, n, port, flow, scope, fn === 'connect_ex' ? 1 : 0);
  }

  /** listen([backlog]): the default backlog is min(SOMAXCONN, 128); negative means 0. */
  listen(backlog?: number): void {
    const n = arguments.length;
    if (n > 1) throw absentOr(this._c, CAP_LISTEN, 'listen', new TypeError(`listen() takes at most 1 argument (${n} given)`));
    const given = backlog !== undefined;
    let b = 0;
    if (given) { try { b = cInt(backlog); } catch (e) { throw absentOr(this._c, CAP_LISTEN, 'listen', e); } }
    const r = this._c.x.sock_listen(this._h, b, given ? 1 : 0);
    if (r < 0) fail(r, 'listen', this._c);
  }

  /** accept() -> [socket, address]. */
  accept(): [socket, Address] {
    if (arguments.length) throw selfOnly('accept', arguments.length);
    const c = this._c;
    const h = c.x.sock_accept(this._h);
    if (h < 0) fail(h, 'accept', this._c);
    const s = (this.constructor as typeof socket)._moduleClass()._wrap(c, h);
    return [s, readAddress(c, c.i32[c.ADDRLEN >> 2]) as Address];
  }

  getsockname(): Address { return this._name('getsockname', arguments.length); }
  getpeername(): Address { return this._name('getpeername', arguments.length); }

  /** @internal getsockname / getpeername: the core leaves the address in SCR_ADDR. */
  _name(fn: 'getsockname' | 'getpeername', given: number): Address {
    if (given) throw absentOr(this._c, CAP_SOCKNAME, fn, noArgs(fn, given));
    const c = this._c;
    const len = fn === 'getsockname' ? c.x.sock_getsockname(this._h) : c.x.sock_getpeername(this._h);
    if (len < 0) fail(len, fn, this._c);
    return readAddress(c, len) as Address;
  }

  /** shutdown(how): SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2. */
  shutdown(how: number): void {
    if (arguments.length !== 1) throw oneArg('shutdown', arguments.length);
    const r = this._c.x.sock_shutdown(this._h, cIntClinic(how));
    if (r < 0) fail(r, 'shutdown', this._c);
  }

  // ------------------------------------------------------------ data

  /** recv(bufsize[, flags]) -> bytes (empty at end of stream). */
  recv(bufsize: number, flags: number = 0): Uint8Array {
    const n = arguments.length;
    if (n < 1 || n > 2) throw argCount('recv', n, 1, 2);
    const size = cSsize(bufsize), fl = cInt(flags);
    const c = this._c;
    const buf = allocate(size);   // the core rejects a negative size
    const p = recvPtr(c, buf, size);
    const r = recvDone(c, buf, p, c.x.sock_recv(this._h, p, 0, size, fl, c.jsb !== null ? 1 : 0));
    if (r < 0) fail(r, 'recv', this._c);
    return r === size ? buf : buf.slice(0, r);
  }

  /** recv_into(buffer[, nbytes[, flags]]) -> number of bytes received. */
  recv_into(buffer: Uint8Array | ArrayBufferView, nbytes: number = 0, flags: number = 0): number {
    return this._into('recv_into', arguments.length, buffer, nbytes, flags);
  }

  /** @internal recv_into and recvfrom_into: the same argument rules, another core call. */
  _into(fn: 'recv_into' | 'recvfrom_into', given: number, buffer: unknown, nbytes: unknown, flags: unknown): number {
    const b = writableBuffer(fn, given, buffer);
    const c = this._c, h = this._h;
    const nb = cSsize(nbytes), fl = cInt(flags);
    const want = nb > 0 && nb < b.length ? nb : b.length;
    const p = recvPtr(c, b, want), js = c.jsb !== null ? 1 : 0;
    const r = recvDone(c, b, p, fn === 'recv_into'
      ? c.x.sock_recv_into(h, p, b.length, nb, fl, js) : c.x.sock_recvfrom_into(h, p, b.length, nb, fl, js), want);
    if (r < 0) fail(r, fn, this._c);
    return r;
  }

  /** recvfrom(bufsize[, flags]) -> [bytes, address]. */
  recvfrom(bufsize: number, flags: number = 0): [Uint8Array, Address] {
    const n = arguments.length;
    if (n < 1 || n > 2) throw argCount('recvfrom', n, 1, 2);
    const size = cSsize(bufsize), fl = cInt(flags);
    const c = this._c;
    const buf = allocate(size);
    const p = recvPtr(c, buf, size);
    const r = recvDone(c, buf, p, c.x.sock_recvfrom(this._h, p, 0, size, fl, c.jsb !== null ? 1 : 0));
    if (r < 0) fail(r, 'recvfrom', this._c);
    return [r === size ? buf : buf.slice(0, r), readAddress(c, c.i32[c.ADDRLEN >> 2]) as Address];
  }

  /** recvfrom_into(buffer[, nbytes[, flags]]) -> [number of bytes received, address]. */
  recvfrom_into(buffer: Uint8Array | ArrayBufferView, nbytes: number = 0, flags: number = 0): [number, Address] {
    const r = this._into('recvfrom_into', arguments.length, buffer, nbytes, flags);
    const c = this._c;
    return [r, readAddress(c, c.i32[c.ADDRLEN >> 2]) as Address];
  }

  /** send(data[, flags]) -> number of bytes sent (maybe fewer than given). */
  send(data: Uint8Array | ArrayBufferView, flags: number = 0): number {
    return this._send('send', arguments.length, data, flags);
  }

  /** sendall(data[, flags]): sends everything or raises (one send even for no data). */
  sendall(data: Uint8Array | ArrayBufferView, flags: number = 0): void {
    this._send('sendall', arguments.length, data, flags);
  }

  /** @internal send and sendall: their argument rules are the same, the core call differs. */
  _send(fn: 'send' | 'sendall', given: number, data: unknown, flags: unknown): number {
    if (given < 1 || given > 2) throw argCount(fn, given, 1, 2);
    const b = bytesArg(data);
    const c = this._c, fl = cInt(flags), h = this._h;
    const j = c.jsb, js = j !== null ? 1 : 0;
    // A js_buffers host is lent the bytes; any other gets them staged in core memory.
    const p = j !== null ? j.lend(b) : c.stageIn(b);
    const r = fn === 'send' ? c.x.sock_send(h, p, 0, b.length, fl, js) : c.x.sock_sendall(h, p, 0, b.length, fl, js);
    if (r < 0) fail(r, fn, this._c);
    return r;
  }

  /** sendto(data[, flags], address) -> number of bytes sent. */
  sendto(data: Uint8Array | ArrayBufferView, flagsOrAddress: unknown, address?: Address): number {
    const n = arguments.length;
    if (n < 2 || n > 3) throw new TypeError(`sendto() takes 2 or 3 arguments (${n} given)`);
    const b = bytesArg(data);
    const flags = n === 3 ? cInt(flagsOrAddress) : 0;
    const addr = n === 3 ? address : flagsOrAddress;
    const c = this._c;
    const [sn, port, flow, scope] = putAddress(c, this.family, addr, 'sendto');
    const alen = c.x.addr_encode(this._family, sn, port, flow, scope);
    if (alen < 0) fail(alen, 'sendto', this._c);
    const j = c.jsb;
    const r = j !== null ? c.x.sock_sendto(this._h, j.lend(b), 0, b.length, flags, alen, 1)
      : c.x.sock_sendto(this._h, c.stageIn(b), 0, b.length, flags, alen, 0);
    if (r < 0) fail(r, 'sendto', this._c);
    return r;
  }

  /**
   * sendmsg(buffers[, ancdata[, flags[, address]]]) -> bytes sent: `buffers` an iterable of
   * bytes-like objects, `ancdata` an iterable of [level, type, data] (src/msg.ts).
   */
  sendmsg(buffers: Iterable<Uint8Array | ArrayBufferView>, ancdata?: Iterable<[number, number, Uint8Array | ArrayBufferView]>, flags?: number, address?: Address): number {
    return msg.sendmsg(this, arguments.length, buffers, ancdata, flags, address);
  }

  /** recvmsg(bufsize[, ancbufsize[, flags]]) -> [data, ancdata, msg_flags, address]. */
  recvmsg(bufsize: number, ancbufsize?: number, flags?: number): msg.RecvmsgResult {
    return msg.recvmsg(this, arguments.length, bufsize, ancbufsize, flags);
  }

  /** recvmsg_into(buffers[, ancbufsize[, flags]]) -> [nbytes, ancdata, msg_flags, address]. */
  recvmsg_into(buffers: Iterable<Uint8Array | ArrayBufferView>, ancbufsize?: number, flags?: number): msg.RecvmsgIntoResult {
    return msg.recvmsg_into(this, arguments.length, buffers, ancbufsize, flags);
  }

  /**
   * The option's value decoded as the option table describes it (src/decoders.ts): int and
   * bool rows read in int mode (a number); struct and bytes rows read row.size bytes and go
   * through the row's decoder (raw bytes when it has none); string rows give the text up to
   * the first NUL. An option the table lacks reads like getsockopt(level, optname).
   */
  getsockoptDecoded(level: number, optname: number): unknown {
    const row = typeof level === 'number' && typeof optname === 'number' ? findOption(level, optname) : undefined;
    if (row === undefined || row.kind === 'int' || row.kind === 'bool') return this.getsockopt(level, optname);
    const b = this.getsockopt(level, optname, Math.min(Math.max(row.size, 1), 1024)) as Uint8Array;
    if (row.kind === 'string') {
      const z = b.indexOf(0);
      return new TextDecoder().decode(z < 0 ? b : b.subarray(0, z));
    }
    const d = row.decoder ? (DECODERS as Record<string, Decoder>)[row.decoder] : undefined;
    return d ? d.decode(b) : b;
  }

  // ------------------------------------------------------------ makefile

  // The result's type follows the mode, as the object does (socket.py's makefile): without
  // these overloads every caller would have to cast, and the README's examples would not
  // compile under --strict. The implementation below keeps `unknown` parameters because it
  // checks every argument at run time, as Python does.
  /** makefile('rb'): a BufferedReader (buffering 0: the raw SocketIO). */
  makefile<B extends number | null = null>(mode: ReadBinaryMode, buffering?: B, opts?: MakefileOptions): BufferedOrRaw<B, BufferedReader>;
  /** makefile('wb'): a BufferedWriter (buffering 0: the raw SocketIO). */
  makefile<B extends number | null = null>(mode: WriteBinaryMode, buffering?: B, opts?: MakefileOptions): BufferedOrRaw<B, BufferedWriter>;
  /** makefile('rwb'): a BufferedRWPair (buffering 0: the raw SocketIO). */
  makefile<B extends number | null = null>(mode: ReadWriteBinaryMode, buffering?: B, opts?: MakefileOptions): BufferedOrRaw<B, BufferedRWPair>;
  /** makefile(), makefile('r'), makefile('w'), makefile('rw'): a TextIOWrapper (text files cannot be unbuffered). */
  makefile(mode?: TextMode, buffering?: number | null, opts?: MakefileOptions): TextIOWrapper;
  /** Any other mode string: one of the file objects, decided at run time. */
  makefile(mode?: string, buffering?: number | null, opts?: MakefileOptions): FileObject;
  /**
   * makefile(mode='r', buffering=null, {encoding, errors, newline}): a file object over the
   * socket, as socket.py builds it (SocketIO, Buffered*, TextIOWrapper). Each file holds a
   * reference: close() on the socket waits for the last file to close.
   */
  makefile(mode: unknown = 'r', buffering: unknown = null, opts: { encoding?: string | null; errors?: string | null; newline?: string | null } = {}): unknown {
    if (arguments.length > 3) {
      throw new TypeError(`socket.makefile() takes from 1 to 3 positional arguments but ${arguments.length + 1} were given`);
    }
    const chars = modeChars(mode);
    if (!chars.every((ch) => ch === 'r' || ch === 'w' || ch === 'b')) {
      throw new ValueError(`invalid mode ${pyModeRepr(mode)} (only r, w, b allowed)`);
    }
    const writing = chars.includes('w');
    const reading = chars.includes('r') || !writing;
    const binary = chars.includes('b');
    const raw = new SocketIO(this, (reading ? 'r' : '') + (writing ? 'w' : ''));
    this._increfSocketios();
    let buffer: BufferedReader | BufferedWriter | BufferedRWPair | null = null;
    try {
      const size = makefileBuffering(buffering);
      if (size === 0) {
        if (!binary) throw new ValueError('unbuffered streams must be binary');
        return raw;
      }
      buffer = reading && writing ? new BufferedRWPair(raw, raw, size)
        : reading ? new BufferedReader(raw, size) : new BufferedWriter(raw, size);
      if (binary) return buffer;
      const text = new TextIOWrapper(buffer, opts.encoding ?? 'UTF-8', opts.errors ?? null, opts.newline ?? null);
      text.mode = typeof mode === 'string' ? mode : String(mode);
      return text;
    } catch (e) {
      // CPython's orphaned file objects are freed at once and give their reference back; so here.
      try { (buffer ?? raw).close(); } catch { /* the original error matters */ }
      throw e;
    }
  }

  /** makefile(): _io_refs += 1 (a closed socket counts too, in a record of its own). */
  private _increfSocketios(): void {
    this._c.x.sock_incref(this._h !== 0 ? this._h : this._ownRecord());
  }

  /** @internal socket.py's _io_refs (it keeps counting after close() or detach()) */
  get _io_refs(): number { return this._c.x.sock_iorefs(this._h); }

  /** @internal a makefile() file closed: one reference less; a closed socket may close now. */
  _decrefSocketios(): void {
    const x = this._c.x, h = this._h;
    const r = x.sock_decref(h);          // the shared record (0) has no references to drop
    if (r !== 0) this._h = x.sock_handle(h);
    if (r < 0) fail(r, 'close', this._c);
  }

  toString(): string {
    const closed = this._closed ? ' [closed]' : '';
    return `<socket.socket${closed} fd=${this.fileno()}, family=${this.family}, type=${this.type}, proto=${this.proto}>`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }
}

/** The characters of a makefile() mode, as set(mode) sees them (bytes give ints). */
function modeChars(mode: unknown): string[] {
  if (typeof mode === 'string') return Array.from(mode);
  if (mode instanceof Uint8Array) return Array.from(mode, (b) => String(b));
  if (Array.isArray(mode)) return mode.map(String);
  throw new TypeError(`'${pyTypeName(mode)}' object is not iterable`);
}

/**
 * socket.py's `if buffering is None: buffering = -1; if buffering < 0: buffering =
 * DEFAULT_BUFFER_SIZE; if buffering == 0: ...` on a JS value: a bigint or a boolean is an
 * int, a number is compared as Python compares a float or an int (-0 == 0, -1.5 < 0, NaN
 * neither), anything else cannot be compared with an int. A size left for the io classes
 * is a number, or a bigint beyond 2**53 (they convert it as Py_ssize_t).
 */
function makefileBuffering(b: unknown): number {
  if (b === null || b === undefined) return DEFAULT_BUFFER_SIZE;
  if (typeof b === 'boolean') return b ? 1 : 0;
  if (typeof b === 'number') return b < 0 ? DEFAULT_BUFFER_SIZE : b === 0 ? 0 : b;
  if (typeof b === 'bigint') {
    if (b < 0n) return DEFAULT_BUFFER_SIZE;
    // beyond 2**53 the io classes get the bigint (their Py_ssize_t conversion checks it)
    return b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b as unknown as number;
  }
  throw new TypeError(`'<' not supported between instances of '${pyTypeName(b)}' and 'int'`);
}

function pyModeRepr(mode: unknown): string {
  if (typeof mode === 'string') return pyRepr(mode);
  if (mode instanceof Uint8Array) return `b'${String.fromCharCode(...mode)}'`;
  return String(mode);
}

/** "socket.f() takes no arguments (N given)" (METH_NOARGS). */
function noArgs(fn: string, given: number): TypeError {
  return new TypeError(`socket.${fn}() takes no arguments (${given} given)`);
}
/** "socket.f() takes exactly one argument (N given)" (METH_O). */
function oneArg(fn: string, given: number): TypeError {
  return new TypeError(`socket.${fn}() takes exactly one argument (${given} given)`);
}
/** "socket.f() takes 1 positional argument but N were given" (socket.py's def f(self)). */
function selfOnly(fn: string, given: number): TypeError {
  return new TypeError(`socket.${fn}() takes 1 positional argument but ${given + 1} were given`);
}

/** PyArg 'y*': the bytes of a bytes-like object. */
function bytesArg(data: unknown): Uint8Array {
  const b = bytesLike(data);
  if (b === null) throw new TypeError(`a bytes-like object is required, not '${pyTypeName(data)}'`);
  return b;
}

/** PyArg 'w*' (recv_into, recvfrom_into): a writable buffer, with their argument messages. */
function writableBuffer(fn: string, given: number, buffer: unknown): Uint8Array {
  if (given === 0) throw new TypeError(`${fn}() missing required argument 'buffer' (pos 1)`);
  if (given > 3) throw new TypeError(`${fn}() takes at most 3 arguments (${given} given)`);
  const b = bytesLike(buffer);
  if (b === null) {
    const t = buffer === null || buffer === undefined ? 'None' : pyTypeName(buffer);
    throw new TypeError(`${fn}() argument 1 must be read-write bytes-like object, not ${t}`);
  }
  return b;
}

/**
 * Where a receive into `buf` lands: the id of `buf` lent to a js_buffers host (the kernel
 * fills it directly), or `want` bytes of core memory that recvDone() copies from.
 */
function recvPtr(c: Core, buf: Uint8Array, want: number): number {
  const j = c.jsb;
  return j !== null ? j.lend(buf) : c.area(want);
}

/**
 * A receive's result `r`; through core memory (no js_buffers), its bytes at `at` go into `buf`,
 * at most `room` of them: with MSG_TRUNC a datagram's result is its whole length, beyond what
 * was received (test/linux-behaviours.test.ts, the UDP truncation scenario).
 */
function recvDone(c: Core, buf: Uint8Array, at: number, r: number, room: number = buf.length): number {
  if (r > 0 && c.jsb === null) buf.set(c.u8.subarray(at, at + Math.min(r, room)));
  return r;
}

/** A receive buffer of `size` bytes (none for a negative size, which the core rejects). */
function allocate(size: number): Uint8Array {
  try {
    return new Uint8Array(size > 0 ? size : 0);
  } catch {
    throw new MemoryError();    // CPython's PyBytes_FromStringAndSize fails the same way
  }
}

/**
 * PyArg '(kkk)' as sock_ioctl parses SIO_KEEPALIVE_VALS' option (argument 2): a sequence
 * of exactly three ints, each masked to Windows' 32-bit ULONG.
 */
function keepaliveTriple(v: unknown): [number, number, number] {
  let items: unknown[];
  if (Array.isArray(v)) items = v;
  else if (typeof v === 'string') items = Array.from(v);
  else throw new TypeError(`ioctl() argument 2 must be 3-item sequence, not ${converterrName(v)}`);
  if (items.length !== 3) throw new TypeError(`ioctl() argument 2 must be sequence of length 3, not ${items.length}`);
  const out: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    if (asPyInt(items[i]) === null) throw new TypeError(`ioctl() argument 2, item ${i} must be int, not ${converterrName(items[i])}`);
    out[i] = cULongMask(items[i], 'ioctl', 2, 32);
  }
  return out;
}

/** Method -> the capability it needs, for isAvailable(method): the contract's gates. */
const METHOD_CAPS: Readonly<Record<string, string>> = METHOD_CAPABILITY;

export { socket as Socket };
