// The one place where exceptions are made from core results. The core returns -errno or a
// core error code (assembly/errors.ts); errorFor() turns either into the exception CPython
// 3.11 raises, with its message word for word. The classes are src/exceptions.ts's (they
// need no core, and src/core.ts raises some), re-exported here.
import { core, type Core } from './core.js';
import * as C from './generated/contract.js';
import { ERR_BASE, E_NOT_AVAILABLE, E_POLICY_DENIED } from './generated/contract.js';
import { policyError } from './policy.js';
import type { Capability, CompiledHost } from '../host/types.js';

export * from './exceptions.js';
import { OSError, BlockingIOError, ChildProcessError, BrokenPipeError, ConnectionAbortedError, ConnectionRefusedError, ConnectionResetError, FileExistsError, FileNotFoundError, InterruptedError, IsADirectoryError, NotADirectoryError, PermissionError, ProcessLookupError, TimeoutError, gaierror, herror, NotAvailableError, ValueError, SystemError, OverflowError, MemoryError } from './exceptions.js';

const OSERROR_CLASSES: Record<string, new (...a: any[]) => OSError> = {
  OSError, PermissionError, FileNotFoundError, ProcessLookupError, InterruptedError,
  ChildProcessError, BlockingIOError, FileExistsError, NotADirectoryError, IsADirectoryError,
  BrokenPipeError, ConnectionAbortedError, ConnectionResetError, TimeoutError,
  ConnectionRefusedError,
};

/**
 * Core error codes (scripts/contract.py, by name) -> the exception CPython raises. `detail` is the
 * number a message quotes (the core leaves it in SCR_OUT[0]).
 */
export const CORE_ERRORS: Readonly<Record<number, (fn: string, detail: number) => Error>> = {
  [C.E_BUFLEN_RANGE]: () => new OSError('getsockopt buflen out of range'),
  [C.E_TIMEOUT]: () => new TimeoutError('timed out'),
  [C.E_NEGATIVE_FD]: () => new ValueError('negative file descriptor'),
  [C.E_RECV_NEGATIVE]: () => new ValueError('negative buffersize in recv'),
  [C.E_RECVFROM_NEGATIVE]: () => new ValueError('negative buffersize in recvfrom'),
  [C.E_RECVINTO_NEGATIVE]: () => new ValueError('negative buffersize in recv_into'),
  [C.E_RECVINTO_SMALL]: () => new ValueError('buffer too small for requested bytes'),
  [C.E_PORT_RANGE]: (fn) => new OverflowError(`${fn}(): port must be 0-65535.`),
  [C.E_FLOWINFO_RANGE]: (fn) => new OverflowError(`${fn}(): flowinfo must be 0-1048575.`),
  [C.E_UNIX_PATH_LONG]: () => new OSError('AF_UNIX path too long'),
  [C.E_NAME_LOOKUP]: () => new gaierror(-2, 'Name or service not known'),
  [C.E_BAD_FAMILY_ADDR]: (fn) => new OSError(`${fn}(): bad family`),
  [C.E_BROADCAST_FAMILY]: () => new OSError('address family mismatched'),
  [C.E_ADDR_FAMILY_HOST]: () => new gaierror(-9, 'Address family for hostname not supported'),
  [C.E_HOST_NUL]: () => new TypeError('host name must not contain null character'),
  [C.E_RECVFROMINTO_NEGATIVE]: () => new ValueError('negative buffersize in recvfrom_into'),
  [C.E_RECVFROMINTO_SMALL]: () => new ValueError('nbytes is greater than the length of the buffer'),
  [C.E_TIMEOUT_NAN]: () => new ValueError('Invalid value NaN (not a number)'),
  [C.E_TIMEOUT_RANGE]: () => new ValueError('Timeout value out of range'),
  [C.E_TIME_T_RANGE]: () => new OverflowError('timestamp out of range for platform time_t'),
  [C.E_PYTIME_RANGE]: () => new OverflowError('timestamp too large to convert to C _PyTime_t'),
  // asyncio's TransportSocket refuses the same way ('setblocking(): transport sockets cannot be blocking').
  [C.E_SHARED_BLOCKING]: (fn) => new ValueError(`${fn}(): a socket shared with Node cannot be blocking`),
  [C.E_FILDES_NEGATIVE]: (_, fd) => new ValueError(`file descriptor cannot be a negative integer (${fd})`),
  [C.E_FCNTL_ARG_LONG]: () => new ValueError('fcntl string arg too long'),
  [C.E_IOCTL_ARG_LONG]: () => new ValueError('ioctl string arg too long'),
  [C.E_IOCTL_COMMAND]: (_, control) => new ValueError(`invalid ioctl command ${control >>> 0}`),
  // errorFor() words a denial from the core's policy request (src/policy.ts); this is the bare form.
  [C.E_POLICY_DENIED]: (fn) => new PermissionError(1, `${fn} denied by policy`),
  [C.E_POLICY_ADDRESS]: () => new ValueError('invalid policy address'),
  // sendmsg / recvmsg / CMSG_* (assembly/msg.ts), socketmodule.c's words.
  [C.E_RECVMSG_NEGATIVE]: () => new ValueError('negative buffer size in recvmsg()'),
  [C.E_ANCBUF_LENGTH]: () => new ValueError('invalid ancillary data buffer length'),
  [C.E_CMSG_LEN_RANGE]: () => new OverflowError('CMSG_LEN() argument out of range'),
  [C.E_CMSG_SPACE_RANGE]: () => new OverflowError('CMSG_SPACE() argument out of range'),
  [C.E_ANC_ITEM_LARGE]: () => new OSError('ancillary data item too large'),
  [C.E_ANC_TOO_MUCH]: () => new OSError('too much ancillary data'),
  [C.E_MSG_NO_MEMORY]: () => new MemoryError(),
  // The name service (assembly/names.ts): glibc's EAI_* and h_errno travel in SCR_OUT[0].
  [C.E_GAI]: (_, eai) => new gaierror(eai, GAI_STRERROR[eai] ?? `Unknown error ${eai}`),
  [C.E_HERROR]: (_, h) => new herror(h, HSTRERROR[h] ?? 'Unknown resolver error'),
  [C.E_NAME_DENIED]: (fn) => new PermissionError(1, `${fn} denied by policy: no rule allows an address the name resolves to`),
  [C.E_NO_INTERFACE]: () => new OSError('no interface with this name'),
  [C.E_SERVICE_NOT_FOUND]: () => new OSError('service/proto not found'),
  [C.E_PORT_NOT_FOUND]: () => new OSError('port/proto not found'),
  [C.E_PROTOCOL_NOT_FOUND]: () => new OSError('protocol not found'),
  [C.E_NAME_MULTIPLE]: () => new OSError('sockaddr resolved to multiple addresses'),
  [C.E_NAME_IPV4_TUPLE]: () => new OSError('IPv4 sockaddr must be 2 tuple'),
  [C.E_NAME_WILDCARD]: () => new OSError('wildcard resolved to multiple address'),
};

/** glibc's gai_strerror(), by EAI_* value. */
const GAI_STRERROR: Readonly<Record<number, string>> = {
  [-1]: 'Bad value for ai_flags', [-2]: 'Name or service not known', [-3]: 'Temporary failure in name resolution',
  [-4]: 'Non-recoverable failure in name resolution', [-5]: 'No address associated with hostname',
  [-6]: 'ai_family not supported', [-7]: 'ai_socktype not supported', [-8]: 'Servname not supported for ai_socktype',
  [-9]: 'Address family for hostname not supported', [-10]: 'Memory allocation failure', [-11]: 'System error',
  [-12]: 'Argument buffer overflow', [-100]: 'Processing request in progress', [-101]: 'Request canceled',
  [-102]: 'Request not canceled', [-103]: 'All requests done', [-104]: 'Interrupted by a signal',
  [-105]: 'Parameter string not correctly encoded',
};
/** glibc's hstrerror(), by h_errno. */
const HSTRERROR: Readonly<Record<number, string>> = {
  0: 'Resolver Error 0 (no error)', 1: 'Unknown host', 2: 'Host name lookup failure', 3: 'Unknown server error',
  4: 'No address associated with name',
};

/** Codes whose message quotes SCR_OUT[0]. */
const WITH_DETAIL = new Set(C.CORE_ERRORS_WITH_DETAIL);

/**
 * What a missing capability means for the caller, where there is more to say than its name:
 * socket.ioctl exists in CPython on Windows only, and POSIX code has another route.
 */
const CAPABILITY_HINTS: Record<string, string> = {
  'ioctl.windows': 'socket.ioctl is Windows-only; use fcntl.ioctl(sock, request, arg) on POSIX',
};

/** Core error codes src/ raises itself, for PyArg conversions that end in a core message. */
export { E_FILDES_NEGATIVE, E_PORT_RANGE, E_HOST_NUL, E_ADDR_FAMILY_HOST } from './generated/contract.js';

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
  if (code > -ERR_BASE) {
    const h = c.host as Partial<CompiledHost>;
    if (h.explain !== undefined) {
      const own = h.explain(-code, fn, c.x as unknown as Record<string, unknown>);
      if (own !== null) return own;
    }
    return fromErrno(-code);
  }
  const e = -code - ERR_BASE;
  if (e >= E_NOT_AVAILABLE) {
    const cap = c.str(c.x.core_cap_name(e - E_NOT_AVAILABLE));
    const hint = CAPABILITY_HINTS[cap] ?? c.host.unavailableNote?.(cap as Capability) ?? undefined;
    return new NotAvailableError(`${fn} is not available on ${c.host.name} (it needs the '${cap}' capability)${hint ? `: ${hint}` : ''}`, cap, c.host.name);
  }
  if (e === E_POLICY_DENIED) return policyError(c);
  const make = CORE_ERRORS[e];
  return make ? make(fn, WITH_DETAIL.has(e) ? c.i32[c.OUT >> 2] : 0) : new SystemError(`wasock core: unknown error code ${e}`);
}
