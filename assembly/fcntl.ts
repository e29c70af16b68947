// fcntl.fcntl / fcntl.ioctl (CPython 3.11's Modules/fcntlmodule.c) and socket.ioctl's
// Windows rules (socketmodule.c's sock_ioctl). src/ converts the Python arguments (PyArg's
// int / buffer / fileno() rules) and stages buffer arguments in SCR_VAL; the core decides
// everything else: the negative-fd refusal, the 1024-byte limits, which Windows control
// takes which option, the capability checks, and the host call.
//
// Every export takes the target twice: `h` >= 0 is a socket handle (its fd is read here,
// so fcntl(sock, ...) costs one crossing), h = -1 means "the plain fd `fd`".

import { host_fcntl, host_fcntl_ptr, host_ioctl, host_ioctl_js, host_ioctl_int, host_win_ioctl } from "./bindings/host";
import { hasCap, CAP_FCNTL, CAP_IOCTL_POSIX, CAP_IOCTL_WINDOWS, CAP_JS_BUFFERS } from "./caps";
import { fail, E_FILDES_NEGATIVE, E_FCNTL_ARG_LONG, E_IOCTL_ARG_LONG, E_IOCTL_COMMAND, E_NOT_AVAILABLE } from "./errors";
import { SCR_OUT, SCR_VAL, SCR_VAL_SIZE } from "./layout";
import * as table from "./sockets";

/** fcntlmodule.c's stack buffer: `char buf[1024]` (IOCTL_BUFSZ for ioctl). */
const ARG_MAX: i32 = 1024;

// How ioctl treats a buffer argument (IOCTL_*, src/fcntl.ts picks it from the JS value) and
// what option socket.ioctl's control takes (WIN_OPTION_*): the contract, scripts/contract.py.
import { IOCTL_COPY, IOCTL_MUTATE, WIN_OPTION_UINT, WIN_OPTION_TRIPLE } from "./generated/contract";

// Windows control codes (mstcpip.h: _WSAIOW(IOC_VENDOR, n) = 0x98000000 | n).
const SIO_RCVALL: u32 = 0x98000001;
const SIO_KEEPALIVE_VALS: u32 = 0x98000004;
const SIO_LOOPBACK_FAST_PATH: u32 = 0x98000010;

@inline function notAvailable(cap: i32): i32 { return fail(E_NOT_AVAILABLE + cap); }

/**
 * The fd a call acts on, or an error: PyObject_AsFileDescriptor refuses a negative fd with
 * ValueError (a closed socket's fileno() is -1) before anything else is looked at. The fd
 * goes to SCR_OUT[0] for the message.
 */
function target(h: i32, fd: i32): i32 {
  const f = h >= 0 ? table.fdOf(h) : fd;
  if (f < 0) {
    store<i32>(SCR_OUT, f);
    return fail(E_FILDES_NEGATIVE);
  }
  return f;
}

/**
 * The staged bytes [0, len) of SCR_VAL go to the kernel followed by zeros: CPython's stack
 * buffer holds one NUL (ioctl) and then whatever the stack held, so a request that reads
 * past the argument sees garbage there; here it sees zeros, every time.
 */
@inline function zeroTail(len: i32): void {
  memory.fill(SCR_VAL + <usize>len, 0, <usize>(SCR_VAL_SIZE + 16 - len));
}

/** fcntl(fd, cmd, int): 'I' already masked the int to 32 bits; returns the kernel's int. */
export function fd_fcntl_int(h: i32, fd: i32, cmd: i32, arg: i32): i32 {
  const f = target(h, fd);
  if (f < 0) return f;
  if (!hasCap(CAP_FCNTL)) return notAvailable(CAP_FCNTL);
  return host_fcntl(f, cmd, arg);
}

/**
 * fcntl(fd, cmd, bytes | str): the `len` bytes src/ staged in SCR_VAL are passed by pointer;
 * returns len (the result is SCR_VAL[0, len): bytes of the input's length, whatever the
 * kernel wrote past it is dropped, as in CPython).
 */
export function fd_fcntl_buf(h: i32, fd: i32, cmd: i32, len: i32): i32 {
  const f = target(h, fd);
  if (f < 0) return f;
  if (len > ARG_MAX) return fail(E_FCNTL_ARG_LONG);
  if (!hasCap(CAP_FCNTL)) return notAvailable(CAP_FCNTL);
  zeroTail(len);
  const r = host_fcntl_ptr(f, cmd, SCR_VAL);
  return r < 0 ? r : len;
}

/**
 * ioctl(fd, request, int): the int is passed by value (format 'i'), so requests that expect
 * a pointer (FIONREAD, FIONBIO, SIOCOUTQ) get EFAULT, exactly as in CPython.
 */
export function fd_ioctl_int(h: i32, fd: i32, request: u32, arg: i32): i32 {
  const f = target(h, fd);
  if (f < 0) return f;
  if (!hasCap(CAP_IOCTL_POSIX)) return notAvailable(CAP_IOCTL_POSIX);
  return host_ioctl_int(f, request, arg);
}

/**
 * ioctl(fd, request, buffer[, mutate_flag]) (IOCTL_* modes above). src/ stages a buffer of
 * up to SCR_VAL_SIZE bytes in SCR_VAL (`buf` is then unused). COPY returns len (the result
 * bytes are SCR_VAL[0, len)) and refuses more than 1024 bytes. MUTATE returns the kernel's
 * int: up to 1024 bytes go through SCR_VAL, which src/ copies back into the caller's buffer
 * once the kernel was called, even after an error (CPython's memcpy back precedes its error
 * check); a larger buffer goes to the kernel itself, as in CPython: at core pointer `buf`
 * (core_stage; src/ copies it back), or with `js` = 1 the buffer `buf` lent to a host with
 * js_buffers (the caller's own bytes).
 */
export function fd_ioctl_buf(h: i32, fd: i32, request: u32, len: i32, mode: i32, buf: usize, js: i32): i32 {
  const f = target(h, fd);
  if (f < 0) return f;
  const direct = mode == IOCTL_MUTATE && len > ARG_MAX;
  if (mode == IOCTL_COPY && len > ARG_MAX) return fail(E_IOCTL_ARG_LONG);
  if (!hasCap(CAP_IOCTL_POSIX)) return notAvailable(CAP_IOCTL_POSIX);
  if (direct) {
    if (js == 0) return host_ioctl(f, request, buf);
    if (!hasCap(CAP_JS_BUFFERS)) return notAvailable(CAP_JS_BUFFERS);
    return host_ioctl_js(f, request, <i32>buf);
  }
  zeroTail(len);
  const r = host_ioctl(f, request, SCR_VAL);
  return r < 0 || mode != IOCTL_COPY ? r : len;
}

// ---------------------------------------------------------------- socket.ioctl (Windows)

/**
 * sock_ioctl's dispatch on the control (Windows' unsigned long is 32 bits, so src/ masks
 * it): which option format it parses next, or ValueError('invalid ioctl command N').
 */
export function sock_ioctl_kind(control: u32): i32 {
  if (control == SIO_RCVALL || control == SIO_LOOPBACK_FAST_PATH) return WIN_OPTION_UINT;
  if (control == SIO_KEEPALIVE_VALS) return WIN_OPTION_TRIPLE;
  store<u32>(SCR_OUT, control);
  return fail(E_IOCTL_COMMAND);
}

/**
 * socket.ioctl(control, option) once the option is converted: a u32 (`a`) or the
 * tcp_keepalive triple (onoff, keepalivetime, keepaliveinterval: three ULONGs). Needs the
 * `ioctl.windows` capability (CPython defines the method on Windows only); returns
 * WSAIoctl's bytesReturned.
 */
export function sock_ioctl(h: i32, control: u32, a: u32, b: u32, c: u32): i32 {
  const kind = sock_ioctl_kind(control);
  if (kind < 0) return kind;
  if (!hasCap(CAP_IOCTL_WINDOWS)) return notAvailable(CAP_IOCTL_WINDOWS);
  store<u32>(SCR_VAL, a);
  if (kind == WIN_OPTION_TRIPLE) {
    store<u32>(SCR_VAL + 4, b);
    store<u32>(SCR_VAL + 8, c);
  }
  return host_win_ioctl(table.fdOf(h), control, SCR_VAL, kind == WIN_OPTION_TRIPLE ? 12 : 4);
}
