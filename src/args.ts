// Python argument conversion for JavaScript values: which JS value is which Python type
// (DESIGN.md's value mapping), and the PyArg converters socketmodule.c uses ('i', 'I', 'y*').
// Only argument marshalling lives here; every socket decision is the core's.
import { OverflowError } from './errors.js';
import { ARG_NONE, ARG_FLOAT, ARG_INT, ARG_BIG_INT } from './generated/contract.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

// Python's bytes where JavaScript has only writable buffers: fcntl.readonly(buf) wraps a
// buffer so that fcntl.ioctl and fcntl.fcntl treat it as read-only (copied, never written,
// the result new bytes), where a plain Uint8Array is a bytearray (docs/decisions.md). It
// lives here because which JS value is which Python type (pyTypeName, pyTruthy) is args.ts's
// question; fcntl.ts re-exports it.

/** A read-only view of bytes: what Python's `bytes` is to ioctl and fcntl (fcntl.readonly()). */
export class ReadOnlyBuffer {
  /** The bytes, not copied: ioctl and fcntl copy them when called, as CPython does. */
  readonly bytes: Uint8Array;
  constructor(buf: Uint8Array | ArrayBufferView | ArrayBuffer) {
    if (buf instanceof Uint8Array) this.bytes = buf;
    else if (ArrayBuffer.isView(buf)) this.bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    else if (buf instanceof ArrayBuffer) this.bytes = new Uint8Array(buf);
    else throw new TypeError(`a bytes-like object is required, not '${pyTypeName(buf)}'`);
    Object.freeze(this);
  }
  get length(): number { return this.bytes.length; }
}

/**
 * Marks a buffer read-only for ioctl() and fcntl(): it is then Python's `bytes` (copied,
 * never written; the result is new bytes), where a plain Uint8Array is a `bytearray`.
 */
export function readonly(buf: Uint8Array | ArrayBufferView | ArrayBuffer): ReadOnlyBuffer {
  return new ReadOnlyBuffer(buf);
}

/** The Python type name of a JS value, as it appears in CPython's messages. */
export function pyTypeName(v: unknown): string {
  switch (typeof v) {
    case 'number': return Number.isInteger(v) && !Object.is(v, -0) ? 'int' : 'float';
    case 'bigint': return 'int';
    case 'boolean': return 'bool';
    case 'string': return 'str';
    case 'undefined': return 'NoneType';
    case 'function': return 'function';
    case 'symbol': return 'symbol';
  }
  if (v === null) return 'NoneType';
  if (v instanceof Uint8Array || v instanceof ReadOnlyBuffer) return 'bytes';
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return 'memoryview';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map) return 'dict';
  const name = (v as object).constructor?.name;
  return name === 'Object' || name === undefined ? 'dict' : name;
}

/** A Python int (number without fraction, bigint, or boolean) as a bigint, else null. */
export function asPyInt(v: unknown): bigint | null {
  // -0 is Python's -0.0: an int has no negative zero (DESIGN.md's mapping, as struct does).
  if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? BigInt(v) : null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return null;
}

/**
 * The converters' fast path: a number that is a C int. `(v | 0) === v` alone lets -0
 * through, and -0 is Python's -0.0, a float (refused wherever a float is); the zero test
 * keeps the common non-zero case at one extra compare.
 */
export function isInt32Number(v: number): boolean {
  return (v | 0) === v && (v !== 0 || 1 / v > 0);
}

function notInteger(v: unknown): TypeError {
  return new TypeError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`);
}

/** PyArg 'i': a C int, with CPython's TypeError / OverflowError messages. */
export function cInt(v: unknown): number {
  if (typeof v === 'number' && isInt32Number(v)) return v;
  const n = asPyInt(v);
  if (n === null) throw notInteger(v);
  if (n > LONG_MAX || n < LONG_MIN) throw new OverflowError('Python int too large to convert to C long');
  if (n > BigInt(INT_MAX)) throw new OverflowError('signed integer is greater than maximum');
  if (n < BigInt(INT_MIN)) throw new OverflowError('signed integer is less than minimum');
  return Number(n);
}

/** True if v is a Python int that fits a C int (no exception). */
export function isCInt(v: unknown): boolean {
  if (typeof v === 'number') return isInt32Number(v);
  const n = asPyInt(v);
  return n !== null && n >= BigInt(INT_MIN) && n <= BigInt(INT_MAX);
}

/** PyArg 'I': an unsigned int masked modulo 2**32 (no overflow check). */
export function cUIntMask(v: unknown): number {
  if (typeof v === 'number' && (v >>> 0) === v && (v !== 0 || 1 / v > 0)) return v;
  const n = asPyInt(v);
  if (n === null) throw notInteger(v);
  return Number(BigInt.asUintN(32, n));
}

/** PyLong_AsLong: a C long (for setblocking and friends). */
export function cLong(v: unknown): bigint {
  const n = asPyInt(v);
  if (n === null) throw notInteger(v);
  if (n > LONG_MAX || n < LONG_MIN) throw new OverflowError('Python int too large to convert to C long');
  return n;
}

/** A bytes-like object's bytes (PyArg 'y*'), or null if v is not bytes-like. */
export function bytesLike(v: unknown): Uint8Array | null {
  if (v instanceof Uint8Array) return v;
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  return null;
}

/** "f() takes exactly N arguments (M given)" and friends, as METH_VARARGS parsers word them. */
export function argCount(fn: string, given: number, min: number, max: number): TypeError {
  if (min === max) return new TypeError(`${fn}() takes exactly ${min} argument${min === 1 ? '' : 's'} (${given} given)`);
  if (given < min) return new TypeError(`${fn}() takes at least ${min} argument${min === 1 ? '' : 's'} (${given} given)`);
  return new TypeError(`${fn}() takes at most ${max} argument${max === 1 ? '' : 's'} (${given} given)`);
}

/**
 * _PyLong_AsInt (Argument Clinic's `int`: socket.__init__, shutdown, os.dup): a C int;
 * every out-of-range value is "Python int too large to convert to C int".
 */
export function cIntClinic(v: unknown): number {
  if (typeof v === 'number' && isInt32Number(v)) return v;
  const n = asPyInt(v);
  if (n === null) throw notInteger(v);
  if (n > BigInt(INT_MAX) || n < BigInt(INT_MIN)) throw new OverflowError('Python int too large to convert to C int');
  return Number(n);
}

/**
 * PyArg 'n' (Py_ssize_t: recv's bufsize, recv_into's nbytes), saturated to the C int range
 * the core takes: a size beyond it is as impossible to meet as 2**31 - 1 (too big for any
 * buffer), and a negative one stays negative for the core's ValueError.
 */
export function cSsizeSat(v: unknown): number {
  if (typeof v === 'number' && isInt32Number(v)) return v;
  const n = asPyInt(v);
  if (n === null) throw notInteger(v);
  if (n > LONG_MAX || n < LONG_MIN) throw new OverflowError('Python int too large to convert to C ssize_t');
  return n > BigInt(INT_MAX) ? INT_MAX : n < BigInt(INT_MIN) ? INT_MIN : Number(n);
}

/**
 * PyArg 'n' (a C ssize_t), exactly, as a number: recv's and recvfrom's bufsize (CPython
 * allocates that many bytes before it receives, so a size no buffer can have is MemoryError,
 * as recv(2**53) is) and the nbytes of the _into calls (the core compares it with the
 * buffer's length; it hands the kernel at most MAX_RW_COUNT bytes a call, as Linux would take).
 */
export function cSsize(v: unknown): number {
  const n = cSsizeSat(v);                 // TypeError / OverflowError as PyArg 'n'
  return n === INT_MAX ? Number(asPyInt(v)) : n;
}

/**
 * socket(fileno=...): PyLong_AsSocket_t is a C long cast to the int SOCKET_T, so 2**31 and
 * 2**32 - 1 become negative (ValueError 'negative file descriptor' in the core).
 */
export function cFdLong(v: unknown): number {
  return Number(BigInt.asIntN(32, cLong(v)));
}

/** Characters Python's repr() escapes (not Py_UNICODE_ISPRINTABLE): C* and Z* but space. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/**
 * Python's repr() of a str: single quotes unless the text has ' and no ", backslash escapes
 * for \\, the quote, \t \n \r, then \xNN / \uNNNN / \UNNNNNNNN for what is not printable
 * (lone surrogates included); printable non-ASCII stays as it is.
 */
export function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    if (ch === q || ch === '\\') { out += '\\' + ch; continue; }
    if (ch === '\t') { out += '\\t'; continue; }
    if (ch === '\n') { out += '\\n'; continue; }
    if (ch === '\r') { out += '\\r'; continue; }
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x20 && cp < 0x7f) { out += ch; continue; }
    if (cp < 0x7f || (ch !== ' ' && NOT_PRINTABLE.test(ch))) {
      const hex = cp.toString(16);
      out += cp < 0x100 ? `\\x${hex.padStart(2, '0')}` : cp < 0x10000 ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
    } else {
      out += ch;
    }
  }
  return out + q;
}

/** In a /u regex, \p{Surrogate} matches only unpaired surrogates (a str UTF-8 cannot encode). */
export const LONE_SURROGATE = /\p{Surrogate}/u;

/** The Python type name of a JS value where a JS array stands for a tuple (addresses). */
export function pyTupleTypeName(v: unknown): string {
  return Array.isArray(v) ? 'tuple' : pyTypeName(v);
}

/** How a timeout argument reaches the core (assembly/timeout.ts; scripts/contract.py ARG_*). */
export { ARG_NONE, ARG_FLOAT, ARG_INT, ARG_BIG_INT };

/** The number timeoutKind() classified (valid right after the call). */
export let timeoutValue = 0;

/**
 * _PyTime_FromSecondsObject's view of a JS value: None, a float (a number with a fraction,
 * NaN, an infinity, or -0), or an int (exact when within 2**53; beyond, always too large).
 * Returns the kind (the number is left in timeoutValue: no array per call on a hot path).
 * Anything else is PyLong_AsLongLong's TypeError.
 */
export function timeoutKind(v: unknown): number {
  timeoutValue = 0;
  if (v === null || v === undefined) return ARG_NONE;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || (v === 0 && 1 / v < 0)) { timeoutValue = v; return ARG_FLOAT; }
    if (Math.abs(v) > Number.MAX_SAFE_INTEGER) return ARG_BIG_INT;
    timeoutValue = v;
    return ARG_INT;
  }
  if (typeof v === 'boolean') { timeoutValue = v ? 1 : 0; return ARG_INT; }
  if (typeof v === 'bigint') {
    if (v < -BigInt(Number.MAX_SAFE_INTEGER) || v > BigInt(Number.MAX_SAFE_INTEGER)) return ARG_BIG_INT;
    timeoutValue = Number(v);
    return ARG_INT;
  }
  throw notInteger(v);
}

/**
 * PyObject_AsFileDescriptor's conversion (fcntl's `fd`): an int, or an object whose
 * fileno() returns one; each as a C int (_PyLong_AsInt). A negative fd is refused by the
 * core (ValueError 'file descriptor cannot be a negative integer (N)').
 */
export function fildes(v: unknown): number {
  if (asPyInt(v) !== null) return cIntClinic(v);
  const m = v === null || v === undefined ? undefined : (v as { fileno?: unknown }).fileno;
  if (m === undefined) throw new TypeError('argument must be an int, or have a fileno() method.');
  if (typeof m !== 'function') throw new TypeError(`'${pyTypeName(m)}' object is not callable`);
  const fd: unknown = m.call(v);
  if (asPyInt(fd) === null) throw new TypeError('fileno() returned a non-integer');
  return cIntClinic(fd);
}

/**
 * PyArg 'k' (unsigned long, masked, no __index__: only a real int): socket.ioctl's control.
 * Returns the value masked to `bits` (Windows' unsigned long is 32 bits).
 */
export function cULongMask(v: unknown, fn: string, pos: number, bits: number): number {
  const n = asPyInt(v);
  if (n === null) throw new TypeError(`${fn}() argument ${pos} must be int, not ${converterrName(v)}`);
  return Number(BigInt.asUintN(bits, n));
}

/** The type name PyArg's converterr() prints: None is "None", not "NoneType". */
export function converterrName(v: unknown): string {
  return v === null || v === undefined ? 'None' : pyTypeName(v);
}

/**
 * PyObject_IsTrue for the JS twins of Python values (DESIGN.md's mapping): THE truthiness
 * rule of wasock, wherever Python tests an argument for truth (`if source_address:`,
 * create_server's flags, ioctl's mutate_flag, struct's '?'). Python's answers, not JS's:
 * NaN is true and -0 false (floats), '' false, empty bytes (any ArrayBufferView or
 * ArrayBuffer, a ReadOnlyBuffer), arrays (tuples), Maps, Sets and plain objects without own
 * enumerable keys (dicts) false; null and undefined (None) false; any other object true.
 * Pinned against CPython by test/truthiness.test.ts (scripts/gen_truthiness.py).
 */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  switch (typeof v) {
    case 'boolean': return v;
    case 'number': return v !== 0;          // NaN is true, as float('nan') is
    case 'bigint': return v !== 0n;
    case 'string': return v.length > 0;
  }
  if (ArrayBuffer.isView(v)) return v.byteLength > 0;
  if (v instanceof ArrayBuffer) return v.byteLength > 0;
  if (v instanceof ReadOnlyBuffer) return v.bytes.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return Object.keys(v as object).length > 0;  // a dict
  return true;
}
