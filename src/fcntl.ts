// Python's fcntl module, the part that applies to sockets: fcntl(), ioctl() and the
// socket-relevant constants with Linux values (CPython 3.11's Modules/fcntlmodule.c). This
// file converts the JS arguments (PyArg's rules) and stages buffers in core memory; the core
// (assembly/fcntl.ts) refuses negative fds and long buffers, checks capabilities and calls
// the host.
//
// Buffers. Python tells bytes (read-only) from bytearray (writable) by type; a JS Uint8Array
// is always writable. So a plain Uint8Array (or any ArrayBufferView / ArrayBuffer) is a
// mutable buffer, like bytearray, and readonly(buf) marks one as read-only, like bytes. A
// string is a str: encoded as UTF-8, read-only.
import { hostCore, type Core } from './core.js';
import { errorFor, coreError, E_FILDES_NEGATIVE } from './errors.js';
import { socket } from './socket.js';
import { cInt, cIntClinic, cUIntMask, fildes, isInt32Number, pyTruthy, LONE_SURROGATE } from './args.js';
import { ReadOnlyBuffer } from './args.js';
// fd_ioctl_buf's IOCTL_* modes (assembly/fcntl.ts) and the core's error base: scripts/contract.py.
import { IOCTL_COPY, IOCTL_MUTATE, ERR_BASE, L_VAL_SIZE } from './generated/contract.js';

export * from './generated/fcntl.js';
export { ReadOnlyBuffer, readonly } from './args.js';

/** Anything with a fileno() (a wasock socket) or an int. */
export type FileDescriptorLike = number | bigint | boolean | { fileno(): number | bigint | boolean };
export type FcntlArg = number | bigint | boolean | string | ReadOnlyBuffer;
export type IoctlArg = FcntlArg | Uint8Array | ArrayBufferView | ArrayBuffer;

/** For str arguments staged in core memory (no Buffer in a page). */
const UTF8_ENCODER = new TextEncoder();
const socketFileno = socket.prototype.fileno;

// The target of the current call (module state, not an array: no allocation per call). A
// wasock socket is passed by handle, so the core reads its fd without another crossing.
let tc: Core;
let th = -1;
let tf = -1;
let valSize = 0;

function setTarget(fd: unknown): void {
  if (fd instanceof socket && fd.fileno === socketFileno) {
    tc = fd._c; th = fd._h; tf = -1;
  } else {
    tc = hostCore(); th = -1; tf = fildes(fd);   // an fd: the host's
  }
  if (valSize === 0) valSize = tc.x.core_layout(L_VAL_SIZE);
}

/**
 * Before converting another argument that may fail: CPython converts the fd first, so a
 * negative fd's ValueError wins over the other argument's error (fcntl(closed, 1.5)).
 */
function fdFirst(fn: string): void {
  if (th >= 0) { tf = tc.x.sock_fileno(th); th = -1; }
  if (tf < 0) throw coreError(E_FILDES_NEGATIVE, fn, tf);
}

/** _PyArg_CheckPositional's message. */
function expectedArgs(fn: string, n: number, min: number, max: number): TypeError {
  return n < min
    ? new TypeError(`${fn} expected at least ${min} argument${min === 1 ? '' : 's'}, got ${n}`)
    : new TypeError(`${fn} expected at most ${max} argument${max === 1 ? '' : 's'}, got ${n}`);
}

/** The Python type a mutable JS buffer stands for, as messages name it. */
function bufferTypeName(v: unknown): string {
  if (v instanceof Uint8Array) return 'bytearray';
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return 'array.array';
  return 'memoryview';
}

function isMutableBuffer(v: unknown): v is ArrayBufferView | ArrayBuffer {
  return ArrayBuffer.isView(v) || v instanceof ArrayBuffer;
}

function asBytes(v: ArrayBufferView | ArrayBuffer): Uint8Array {
  if (v instanceof Uint8Array) return v;
  return ArrayBuffer.isView(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : new Uint8Array(v);
}

/**
 * Stages an immutable argument (str as UTF-8, or a ReadOnlyBuffer's bytes) in SCR_VAL and
 * returns its length. Bytes beyond the area are not copied: the core refuses any length
 * over 1024 before it looks at them.
 */
function stageImmutable(arg: string | ReadOnlyBuffer): number {
  const c = tc, at = c.VAL;
  if (typeof arg === 'string') {
    // No Buffer (a page has none): encodeInto writes in place; a str too long for the area
    // still needs its full UTF-8 length, which the core refuses (> 1024).
    const { read, written } = UTF8_ENCODER.encodeInto(arg, c.u8.subarray(at, at + valSize));
    return read === arg.length ? written : UTF8_ENCODER.encode(arg).length;
  }
  const b = arg.bytes;
  if (b.length <= valSize) c.u8.set(b, at);
  return b.length;
}


/** A str that cannot be UTF-8 (a lone surrogate) fails 's#'/'s*', then the int format. */
function isEncodable(arg: unknown): arg is string {
  return typeof arg === 'string' && !LONE_SURROGATE.test(arg);
}

function raise(r: number, fn: string): never {
  throw errorFor(r, fn, tc);
}

/**
 * fcntl(fd, cmd, arg = 0): `fd` is an int or has fileno() (a socket). An int `arg` (masked
 * to 32 bits, as 'I' does) is passed by value and the kernel's int returned; a string or a
 * readonly() buffer of at most 1024 bytes is copied, passed by pointer, and returned as
 * bytes of the same length. A plain Uint8Array is a bytearray, which CPython 3.11 refuses.
 */
export function fcntl(fd: FileDescriptorLike, cmd: number, arg?: number | bigint | boolean): number;
export function fcntl(fd: FileDescriptorLike, cmd: number, arg: string | ReadOnlyBuffer): Uint8Array;
export function fcntl(fd: FileDescriptorLike, cmd: number, arg?: FcntlArg): number | Uint8Array;
export function fcntl(fd: FileDescriptorLike, cmd: number, arg?: FcntlArg): number | Uint8Array {
  const n = arguments.length;
  if (n < 2 || n > 3) throw expectedArgs('fcntl', n, 2, 3);
  setTarget(fd);
  if (typeof cmd !== 'number' || !isInt32Number(cmd)) {
    fdFirst('fcntl');
    cmd = cIntClinic(cmd);
  }
  let r: number;
  if (arg === undefined) {
    r = tc.x.fd_fcntl_int(th, tf, cmd, 0);
  } else if (typeof arg === 'number' && (arg >>> 0 === arg || (arg | 0) === arg) && (arg !== 0 || 1 / arg > 0)) {
    r = tc.x.fd_fcntl_int(th, tf, cmd, arg | 0);
  } else if (isEncodable(arg) || arg instanceof ReadOnlyBuffer) {
    const len = stageImmutable(arg);
    r = tc.x.fd_fcntl_buf(th, tf, cmd, len);
    if (r < 0) raise(r, 'fcntl');
    return tc.copyOut(tc.VAL, len);
  } else {
    fdFirst('fcntl');
    if (isMutableBuffer(arg)) throw new TypeError(`'${bufferTypeName(arg)}' object cannot be interpreted as an integer`);
    r = tc.x.fd_fcntl_int(th, tf, cmd, cUIntMask(arg) | 0);
  }
  if (r < 0) raise(r, 'fcntl');
  return r;
}

/**
 * ioctl(fd, request, arg = 0, mutate_flag = true): `request` is masked to 32 bits. An int
 * `arg` is passed by value (so FIONREAD and other pointer requests give EFAULT, as in
 * CPython). A string or readonly() buffer (at most 1024 bytes) is copied and the result is
 * new bytes of the same length. A mutable buffer (Uint8Array, any ArrayBufferView) is
 * written back in place and the kernel's int returned, or, with mutate_flag false, copied
 * like a read-only one.
 */
export function ioctl(fd: FileDescriptorLike, request: number, arg?: number | bigint | boolean): number;
export function ioctl(fd: FileDescriptorLike, request: number, arg: string | ReadOnlyBuffer, mutate_flag?: unknown): Uint8Array;
export function ioctl(fd: FileDescriptorLike, request: number, arg: Uint8Array | ArrayBufferView | ArrayBuffer, mutate_flag?: true): number;
export function ioctl(fd: FileDescriptorLike, request: number, arg: Uint8Array | ArrayBufferView | ArrayBuffer, mutate_flag: false): Uint8Array;
export function ioctl(fd: FileDescriptorLike, request: number, arg?: IoctlArg, mutate_flag?: unknown): number | Uint8Array;
export function ioctl(fd: FileDescriptorLike, request: number, arg?: IoctlArg, mutate_flag?: unknown): number | Uint8Array {
  const n = arguments.length;
  if (n < 2 || n > 4) throw expectedArgs('ioctl', n, 2, 4);
  setTarget(fd);
  // -0 (Python's -0.0) goes to cUIntMask, which refuses it as a float.
  if (typeof request !== 'number' || request >>> 0 !== request || (request === 0 && 1 / request < 0)) {
    if (typeof request !== 'number' || !isInt32Number(request)) {
      fdFirst('ioctl');
      request = cUIntMask(request);
    }
    request >>>= 0;
  }
  const c = tc, x = c.x;
  let r: number;
  if (arg === undefined) {
    r = x.fd_ioctl_int(th, tf, request, 0);
  } else if (typeof arg === 'number' && isInt32Number(arg)) {
    r = x.fd_ioctl_int(th, tf, request, arg);
  } else if (isMutableBuffer(arg)) {
    const b = asBytes(arg), len = b.length;
    const mutate = mutate_flag === undefined || pyTruthy(mutate_flag);
    const at = c.VAL, j = c.jsb;
    // Over 1024 bytes the kernel gets the buffer itself: lent to a js_buffers host, or
    // staged in core memory (and copied back below) for any other.
    let big = 0;
    if (len <= valSize) c.u8.set(b, at);
    else if (mutate) big = j !== null ? j.lend(b) : c.stageIn(b);
    r = x.fd_ioctl_buf(th, tf, request, len, mutate ? IOCTL_MUTATE : IOCTL_COPY, big, j !== null ? 1 : 0);
    if (!mutate) {
      if (r < 0) raise(r, 'ioctl');
      return c.copyOut(at, len);
    }
    // Written back once the kernel was called, even when it failed (CPython's order).
    if (len <= valSize && r > -ERR_BASE) {
      const u8 = c.u8;
      if (len <= 16) for (let i = 0; i < len; i++) b[i] = u8[at + i];
      else b.set(u8.subarray(at, at + len));
    } else if (j === null && r > -ERR_BASE) {
      b.set(c.u8.subarray(big, big + len));
    }
  } else if (isEncodable(arg) || arg instanceof ReadOnlyBuffer) {
    const len = stageImmutable(arg);
    r = x.fd_ioctl_buf(th, tf, request, len, IOCTL_COPY, 0, 0);
    if (r < 0) raise(r, 'ioctl');
    return c.copyOut(c.VAL, len);
  } else {
    fdFirst('ioctl');
    // 'i': a C int, overflow-checked (2**31 is OverflowError, not masked).
    r = x.fd_ioctl_int(th, tf, request, cInt(arg));
  }
  if (r < 0) raise(r, 'ioctl');
  return r;
}
