// The one place where exceptions are made from core results. The core returns -errno or a
// core error code (assembly/errors.ts); errorFor() turns either into the exception CPython
// 3.11 raises, with its message word for word. The classes are src/exceptions.ts's (they
// need no core, and src/core.ts raises some), re-exported here.
import { core, type Core } from './core.js';

export * from './exceptions.js';
import { OSError, BlockingIOError, ChildProcessError, BrokenPipeError, ConnectionAbortedError, ConnectionRefusedError, ConnectionResetError, FileExistsError, FileNotFoundError, InterruptedError, IsADirectoryError, NotADirectoryError, PermissionError, ProcessLookupError, TimeoutError, gaierror, NotAvailableError, ValueError, SystemError, OverflowError } from './exceptions.js';

const OSERROR_CLASSES: Record<string, new (...a: any[]) => OSError> = {
  OSError, PermissionError, FileNotFoundError, ProcessLookupError, InterruptedError,
  ChildProcessError, BlockingIOError, FileExistsError, NotADirectoryError, IsADirectoryError,
  BrokenPipeError, ConnectionAbortedError, ConnectionResetError, TimeoutError,
  ConnectionRefusedError,
};

const ERR_BASE = 4096;
const E_NOT_AVAILABLE = 256;

/**
 * Core error codes (assembly/errors.ts) -> the exception CPython raises. `detail` is the
 * number a message quotes (the core leaves it in SCR_OUT[0]).
 */
const CORE_ERRORS: Record<number, (fn: string, detail: number) => Error> = {
  1: () => new OSError('getsockopt buflen out of range'),
  2: () => new TimeoutError('timed out'),
  3: () => new ValueError('negative file descriptor'),
  4: () => new ValueError('negative buffersize in recv'),
  5: () => new ValueError('negative buffersize in recvfrom'),
  6: () => new ValueError('negative buffersize in recv_into'),
  7: () => new ValueError('buffer too small for requested bytes'),
  8: (fn) => new OverflowError(`${fn}(): port must be 0-65535.`),
  9: (fn) => new OverflowError(`${fn}(): flowinfo must be 0-1048575.`),
  10: () => new OSError('AF_UNIX path too long'),
  11: () => new gaierror(-2, 'Name or service not known'),
  12: (fn) => new OSError(`${fn}(): bad family`),
  13: () => new OSError('address family mismatched'),
  14: () => new gaierror(-9, 'Address family for hostname not supported'),
  15: () => new TypeError('host name must not contain null character'),
  16: () => new ValueError('negative buffersize in recvfrom_into'),
  17: () => new ValueError('nbytes is greater than the length of the buffer'),
  18: () => new ValueError('Invalid value NaN (not a number)'),
  19: () => new ValueError('Timeout value out of range'),
  20: () => new OverflowError('timestamp out of range for platform time_t'),
  21: () => new OverflowError('timestamp too large to convert to C _PyTime_t'),
  // asyncio's TransportSocket refuses the same way ('setblocking(): transport sockets cannot be blocking').
  40: (fn) => new ValueError(`${fn}(): a socket shared with Node cannot be blocking`),
  22: (_, fd) => new ValueError(`file descriptor cannot be a negative integer (${fd})`),
  23: () => new ValueError('fcntl string arg too long'),
  24: () => new ValueError('ioctl string arg too long'),
  25: (_, control) => new ValueError(`invalid ioctl command ${control >>> 0}`),
};

/** Codes whose message quotes SCR_OUT[0]. */
const WITH_DETAIL = new Set([22, 25]);

/**
 * What a missing capability means for the caller, where there is more to say than its name:
 * socket.ioctl exists in CPython on Windows only, and POSIX code has another route.
 */
const CAPABILITY_HINTS: Record<string, string> = {
  'ioctl.windows': 'socket.ioctl is Windows-only; use fcntl.ioctl(sock, request, arg) on POSIX',
};

/** Core error codes src/ raises itself, for PyArg conversions that end in a core message. */
export const E_FILDES_NEGATIVE = 22;
export const E_PORT_RANGE = 8;
export const E_HOST_NUL = 15;
export const E_ADDR_FAMILY_HOST = 14;

/** The negative result the core returns for its error code `code`. */
export function coreCode(code: number): number {
  return -(ERR_BASE + code);
}

/** The exception for core error code `code` (assembly/errors.ts), raised by `fn`. */
export function coreError(code: number, fn: string, detail = 0): Error {
  return CORE_ERRORS[code](fn, detail);
}

/**
 * OSError(errno, strerror) with the subclass OSError.__new__ picks for the errno (PEP
 * 3151), as socket.py's `raise error(err.errno, msg)` does; a null errno keeps OSError
 * and prints as "[Errno None] msg".
 */
export function osErrorWith(errno: number | null, text: string): OSError {
  if (errno === null) {
    const e = new OSError(text);
    e.message = `[Errno None] ${text}`;
    e.strerror = text;
    return e;
  }
  const c = core();
  const cls = errno > 0 ? OSERROR_CLASSES[c.str(c.x.errno_class_name(c.x.errno_class(errno)))] ?? OSError : OSError;
  return new cls(errno, text);
}

/** The OSError (subclass chosen by errno, PEP 3151) for an errno, as PyErr_SetFromErrno. */
export function fromErrno(errno: number): OSError {
  const c = core();
  const cls = OSERROR_CLASSES[c.str(c.x.errno_class_name(c.x.errno_class(errno)))] ?? OSError;
  const text = c.str(c.x.errno_text(errno)) || `Unknown error ${errno}`;
  return new cls(errno, text);
}

/** The exception for a negative core result; `fn` names the method (messages, NotAvailable). */
export function errorFor(code: number, fn: string, c: Core = core()): Error {
  if (code > -ERR_BASE) return fromErrno(-code);
  const e = -code - ERR_BASE;
  if (e >= E_NOT_AVAILABLE) {
    const cap = c.str(c.x.core_cap_name(e - E_NOT_AVAILABLE));
    const hint = CAPABILITY_HINTS[cap];
    return new NotAvailableError(`${fn} is not available on ${c.host.name} (it needs the '${cap}' capability)${hint ? `: ${hint}` : ''}`, cap, c.host.name);
  }
  const make = CORE_ERRORS[e];
  return make ? make(fn, WITH_DETAIL.has(e) ? c.i32[c.OUT >> 2] : 0) : new SystemError(`wasock core: unknown error code ${e}`);
}
