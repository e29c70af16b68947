// The wasock core: every export src/ calls. Exports are prefixed by what they act on:
// core_* (the module), sock_* (one socket, by handle), fd_* (fcntl/ioctl on an fd or a
// socket's fd), addr_* (address codec), opt_* (the option table), errno_* (the errno table). All take and return plain integers;
// results that do not fit one integer go through the scratch areas in layout.ts.
//
// Result convention: >= 0 is success; -1..-4095 is -errno; below that, a core error code
// (errors.ts). getsockopt's int mode returns f64 so a signed 32-bit value and an error fit
// one return without a second crossing.

import {
  host_caps, host_socket, host_socketpair, host_close, host_dup, host_bind, host_connect,
  host_listen, host_getsockopt, host_getsockopt_js, host_setsockopt, host_getsockname,
  host_getpeername, host_shutdown, host_set_nonblocking,
} from "./bindings/host";
import {
  setCaps, hasCap, CAP_SOCKET, CAP_BIND, CAP_CONNECT, CAP_LISTEN, CAP_ACCEPT, CAP_SENDRECV,
  CAP_SHUTDOWN, CAP_GETSOCKOPT, CAP_SETSOCKOPT, CAP_NONBLOCKING, CAP_AF_UNIX, CAP_AF_INET6,
  CAP_SOCKETPAIR, CAP_DUP, CAP_SOCKNAME, CAP_NAMES, CAP_COUNT, CAP_POLL, CAP_JS_BUFFERS, CAP_SOTYPE,
} from "./caps";
import { fail, E_TIMEOUT, E_BUFLEN_RANGE, E_NEGATIVE_FD, E_NOT_AVAILABLE, E_RECV_NEGATIVE,
         E_RECVFROM_NEGATIVE, E_RECVINTO_NEGATIVE, E_RECVINTO_SMALL, E_BAD_FAMILY_ADDR,
         E_RECVFROMINTO_NEGATIVE, E_RECVFROMINTO_SMALL, E_SHARED_BLOCKING } from "./errors";
import { SCR_OUT, SCR_VAL, SCR_VAL_SIZE, SCR_LEN, SCR_ADDR, SCR_ADDRLEN, SCR_STR, stage } from "./layout";
import * as table from "./sockets";
import { L_OUT, L_VAL, L_LEN, L_ADDR, L_ADDRLEN, L_STR, L_VAL_SIZE } from "./generated/contract";
import { defaultTimeoutNs, setDefaultTimeout, parse as parseTimeout, parsedNs, seconds } from "./timeout";
import { call, setArgs, now, OP_RECV, OP_SEND, OP_RECVFROM, OP_SENDTO, OP_ACCEPT, OP_CONNECT, OP_PEEKFROM } from "./blocking";
import * as policy from "./policy";
import { POL_REQ } from "./policy";
import { L_POLICY, PU_BIND, PU_CONNECT, PU_SEND, PA_SOCKET, PA_SOCKETPAIR, PA_FROMFD, PA_BIND, PA_CONNECT,
         PA_CONNECT_EX, PA_ACCEPT, PA_SENDTO, PA_RECV, PA_RECV_INTO, PA_RECVFROM, PA_RECVFROM_INTO } from "./generated/contract";
import { encodeAddr, decodeAddr, resolveHost, AF_UNIX, AF_INET, AF_INET6 } from "./address";

export { opt_count, opt_find, opt_level, opt_value, opt_kind, opt_size, opt_flags,
         opt_name, opt_format, opt_decoder, opt_families, opt_alias_count, opt_alias_name,
         opt_alias_row } from "./options";
export { pol_install, pol_parse, pol_rule, pol_option } from "./policy";
export { errno_max, errno_name, errno_text, errno_class, errno_class_name } from "./errno";
export { fd_fcntl_int, fd_fcntl_buf, fd_ioctl_int, fd_ioctl_buf, sock_ioctl_kind, sock_ioctl } from "./fcntl";
export { nm_in, nm_out, nm_getaddrinfo, nm_gethostbyname, nm_gethostbyname_ex, nm_gethostbyaddr, nm_getnameinfo,
         nm_getservbyname, nm_getservbyport, nm_getprotobyname, nm_if_nameindex, nm_if_nametoindex,
         nm_if_indextoname } from "./names";
export { sock_sendmsg, sock_recvmsg, msg_cmsg_len, msg_cmsg_space, msg_close_rights } from "./msg";

// Linux numbers the core's own decisions need.
const SOCK_NONBLOCK: i32 = 0o4000;
const SOCK_CLOEXEC: i32 = 0o2000000;
const SOL_SOCKET: i32 = 1;
const SO_TYPE: i32 = 3;
const SO_PROTOCOL: i32 = 38;
const SO_DOMAIN: i32 = 39;
const SOCK_STREAM: i32 = 1;
const EINTR: i32 = 4;
const EAGAIN: i32 = 11;
const EINPROGRESS: i32 = 115;
const ECONNRESET: i32 = 104;
const EBADF: i32 = 9;
const ENOTSOCK: i32 = 88;
const EPERM: i32 = 1;


@inline function notAvailable(cap: i32): i32 { return fail(E_NOT_AVAILABLE + cap); }

/** Reads the host's capability set; returns 0. */
export function core_init(): i32 { setCaps(host_caps()); return 0; }

/** Addresses of the scratch areas: 0 OUT, 1 VAL, 2 LEN, 3 ADDR, 4 ADDRLEN, 5 STR; 6 is VAL's size. */
export function core_layout(which: i32): usize {
  switch (which) {
    case L_OUT: return SCR_OUT;
    case L_VAL: return SCR_VAL;
    case L_LEN: return SCR_LEN;
    case L_ADDR: return SCR_ADDR;
    case L_ADDRLEN: return SCR_ADDRLEN;
    case L_STR: return SCR_STR;
    case L_VAL_SIZE: return <usize>SCR_VAL_SIZE;
    case L_POLICY: return POL_REQ;
  }
  return 0;
}

export function core_has_cap(cap: i32): i32 { return hasCap(cap) ? 1 : 0; }
export function core_cap_count(): i32 { return CAP_COUNT; }
/** A capability's name (an AssemblyScript string: UTF-16, length in bytes at ptr - 4). */
export function core_cap_name(cap: i32): usize { return changetype<usize>(CAP_NAMES[cap]); }
/** Where a caller puts an input of `len` bytes (setsockopt buffers, formats); 0: no memory. */
export function core_stage(len: f64): usize { return stage(len); }

// ---------------------------------------------------------------- blocking state

/** internal_setblocking(): the host toggles O_NONBLOCK (Linux: ioctl(FIONBIO), as CPython). */
function setBlocking(fd: i32, block: bool): i32 {
  if (!hasCap(CAP_NONBLOCKING)) return notAvailable(CAP_NONBLOCKING);
  return host_set_nonblocking(fd, block ? 0 : 1);
}

/**
 * init_sockobject(): a type with SOCK_NONBLOCK means timeout 0 (the kernel already set
 * O_NONBLOCK); otherwise the module default, and a default >= 0 puts the fd in O_NONBLOCK
 * at once. A None default leaves the fd as it is (an adopted O_NONBLOCK fd stays so).
 */
function adopt(fd: i32, family: i32, type: i32, proto: i32): i32 {
  let timeout = defaultTimeoutNs;
  if (type & SOCK_NONBLOCK) timeout = 0;
  else if (defaultTimeoutNs >= 0) {
    const r = setBlocking(fd, false);
    if (r < 0) return r;
  }
  return identify(table.alloc(fd, family, type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), proto, timeout));
}

/**
 * Every export that creates a socket leaves its family, type and proto in SCR_OUT[0..2]:
 * the JS object keeps them (they never change, and stay readable after close).
 */
function identify(h: i32): i32 {
  store<i32>(SCR_OUT, table.familyOf(h));
  store<i32>(SCR_OUT + 4, table.typeOf(h));
  store<i32>(SCR_OUT + 8, table.protoOf(h));
  return h;
}

// ---------------------------------------------------------------- timeouts

/**
 * settimeout(value) / setblocking(flag): CPython stores the new timeout *before* switching
 * the fd (internal_setblocking), so a closed socket keeps the value and still raises EBADF.
 * `kind` says which Python value src/ was given (timeout.ts ARG_*).
 */
export function sock_settimeout(h: i32, kind: i32, v: f64): i32 {
  const r = parseTimeout(kind, v);
  if (r < 0) return r;
  // Blocking mode would clear O_NONBLOCK on the open file description Node's event loop
  // also reads (a dup shares file status flags): refused before anything changes.
  if (parsedNs < 0 && (table.flagsOf(h) & table.F_SHARED) != 0) return fail(E_SHARED_BLOCKING);
  // Slot 0 is every closed object's record: src/ gives a closed object a record of its own
  // first (sock_own_record), so the value it stores is its own.
  if (h != 0) table.setTimeoutNs(h, parsedNs);
  return setBlocking(table.fdOf(h), parsedNs < 0);
}

/**
 * The socket's open file description is (or is about to be) Node's too: timeout 0 and
 * O_NONBLOCK, as libuv keeps it and as asyncio does to a socket handed to its loop
 * (sock.setblocking(False)); from now on blocking mode is refused (E_SHARED_BLOCKING).
 * Setting O_NONBLOCK where libuv already did changes nothing. Returns 0 or -errno.
 */
export function sock_share(h: i32): i32 {
  if (table.fdOf(h) < 0) return -EBADF;     // closed: slot 0 or a closed record (no host call)
  const r = setBlocking(table.fdOf(h), false);
  if (r < 0) return r;
  table.setTimeoutNs(h, 0);
  table.setFlags(h, table.flagsOf(h) | table.F_SHARED);
  return 0;
}

/** gettimeout(): seconds, or -1 for None. Never fails, even on a closed socket. */
export function sock_gettimeout(h: i32): f64 { return seconds(table.timeoutOf(h)); }

/** getblocking(): timeout != 0; the fd is never consulted. */
export function sock_getblocking(h: i32): i32 { return table.timeoutOf(h) != 0 ? 1 : 0; }

export function core_setdefaulttimeout(kind: i32, v: f64): i32 {
  const r = parseTimeout(kind, v);
  if (r < 0) return r;
  setDefaultTimeout(parsedNs);
  return 0;
}

export function core_getdefaulttimeout(): f64 { return seconds(defaultTimeoutNs); }

/**
 * The fds of every open socket, closed through the host: src/ calls this once on a core
 * it abandons after an internal error, so that no fd outlives it. Closes at most 256 per
 * call (SCR_VAL holds them); returns how many it closed, 0 when none are left.
 */
export function core_close_all(): i32 {
  const n = table.takeAllFds(SCR_VAL, SCR_VAL_SIZE >> 2);
  for (let i = 0; i < n; i++) host_close(load<i32>(SCR_VAL + (<usize>i << 2)));
  return n;
}

function familyCap(family: i32): i32 {
  if (family == AF_UNIX && !hasCap(CAP_AF_UNIX)) return CAP_AF_UNIX;
  if (family == AF_INET6 && !hasCap(CAP_AF_INET6)) return CAP_AF_INET6;
  return -1;
}

// ---------------------------------------------------------------- lifetime

/** socket(family, type, proto): a new kernel socket, close-on-exec as CPython makes it. */
export function sock_new(family: i32, type: i32, proto: i32): i32 {
  if (!hasCap(CAP_SOCKET)) return notAvailable(CAP_SOCKET);
  const fc = familyCap(family);
  if (fc >= 0) return notAvailable(fc);
  if (policy.active) {
    const d = policy.checkCreate(PA_SOCKET, family, type, proto);
    if (d < 0) return d;
  }
  const fd = host_socket(family, type | SOCK_CLOEXEC, proto);
  if (fd < 0) return fd;
  const h = adopt(fd, family, type, proto);
  if (h < 0) host_close(fd);    // nothing is lost: the fd never escapes
  return h;
}

/**
 * socket(fileno=fd): family, type and proto that are -1 are read from the fd (family from
 * getsockname's sa_family, then SO_TYPE and SO_PROTOCOL), as socket_init() does. getsockname
 * runs even when the family is given: it is what rejects a closed fd (EBADF) or a
 * non-socket (ENOTSOCK); its other errors are ignored, as in CPython. The fd stays the
 * caller's when this fails.
 *
 * The host is asked only what its capability set says it can answer, as CPython on WASI
 * compiles these steps out: without `sockname` (WASI preview 1 has no getsockname) the
 * family stays as given (-1 too, as there) and the fd is not validated here; without
 * `getsockopt` a type or proto not given is SOCK_STREAM and 0 (CPython's #else branches for
 * a platform without SO_TYPE / SO_PROTOCOL).
 */
export function sock_adopt(fd: i32, family: i32, type: i32, proto: i32): i32 {
  const api = adoptApi;
  adoptApi = PA_SOCKET;
  if (fd < 0) return fail(E_NEGATIVE_FD);
  if (hasCap(CAP_SOCKNAME)) {
    memory.fill(SCR_ADDR, 0, 128);
    store<i32>(SCR_ADDRLEN, 128);
    const g = host_getsockname(fd, SCR_ADDR, SCR_ADDRLEN);
    if (g == -EBADF || g == -ENOTSOCK) return g;
    if (g >= 0 && family == -1) family = <i32>load<u16>(SCR_ADDR);
  }
  if (!hasCap(CAP_GETSOCKOPT)) {
    if (hasCap(CAP_SOTYPE)) {
      // The one option such a host answers (wasi-p1: fd_fdstat_get's filetype). Asked even
      // when the type is given: its error is what Linux's getsockname check gives, EBADF or
      // ENOTSOCK (socket-api.json ctor/fileno/*; test/wasi-p1-edge.test.ts).
      store<i32>(SCR_VAL, 0); store<i32>(SCR_LEN, 4);
      const r = host_getsockopt(fd, SOL_SOCKET, SO_TYPE, SCR_VAL, SCR_LEN);
      if (r < 0) return r;
      if (type == -1) type = load<i32>(SCR_VAL);
    }
    if (type == -1) type = SOCK_STREAM;
    if (proto == -1) proto = 0;
  } else if (type == -1 || proto == -1) {
    if (type == -1) {
      store<i32>(SCR_VAL, 0); store<i32>(SCR_LEN, 4);
      const r = host_getsockopt(fd, SOL_SOCKET, SO_TYPE, SCR_VAL, SCR_LEN);
      if (r < 0) return r;
      type = load<i32>(SCR_VAL);
    }
    if (proto == -1) {
      store<i32>(SCR_VAL, 0); store<i32>(SCR_LEN, 4);
      const r = host_getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, SCR_VAL, SCR_LEN);
      if (r < 0) return r;
      proto = load<i32>(SCR_VAL);
    }
  }
  // Under a policy an adopted fd is a socket of its protocol like any other (what it is was
  // read from the fd above; nothing else reached the host).
  if (policy.active) {
    const d = policy.checkCreate(api, family, type, proto);
    if (d < 0) return d;
  }
  return adopt(fd, family, type, proto);
}

/** The API sock_adopt's policy check names: socket(fileno=), or fromfd() for one call. */
let adoptApi: i32 = PA_SOCKET;

/** socketpair(family, type, proto): returns the first handle, the second in SCR_OUT[3]. */
export function sock_pair(family: i32, type: i32, proto: i32): i32 {
  if (!hasCap(CAP_SOCKETPAIR)) return notAvailable(CAP_SOCKETPAIR);
  if (policy.active) {
    const d = policy.checkCreate(PA_SOCKETPAIR, family, type, proto);
    if (d < 0) return d;
  }
  const r = host_socketpair(family, type | SOCK_CLOEXEC, proto, SCR_OUT);
  if (r < 0) return r;
  const fd0 = load<i32>(SCR_OUT), fd1 = load<i32>(SCR_OUT + 4);
  const a = adopt(fd0, family, type, proto);
  if (a < 0) { host_close(fd0); host_close(fd1); return a; }
  const b = adopt(fd1, family, type, proto);
  if (b < 0) { table.free(a); host_close(fd0); host_close(fd1); return b; }
  if (policy.active) { policy.markConnected(a); policy.markConnected(b); }
  store<i32>(SCR_OUT + 12, b);
  return a;
}

/**
 * fromfd(fd, family, type, proto): adopts a close-on-exec duplicate; the caller's fd stays.
 * socket.py dups first (os.dup), so a negative fd is the kernel's EBADF, not a ValueError.
 */
export function sock_fromfd(fd: i32, family: i32, type: i32, proto: i32): i32 {
  if (!hasCap(CAP_DUP)) return notAvailable(CAP_DUP);
  const nfd = host_dup(fd);
  if (nfd < 0) return nfd;
  adoptApi = PA_FROMFD;
  const h = sock_adopt(nfd, family, type, proto);
  if (h < 0) host_close(nfd);    // nothing leaks when the adoption fails
  return h;
}

/** dup(): a new socket object on a duplicate fd, with the same timeout (socket.py's dup). */
export function sock_dup(h: i32): i32 {
  if (!hasCap(CAP_DUP)) return notAvailable(CAP_DUP);
  const fd = host_dup(table.fdOf(h));
  if (fd < 0) return fd;
  const t = table.timeoutOf(h);
  const n = table.alloc(fd, table.familyOf(h), table.typeOf(h), table.protoOf(h), t);
  const r = setBlocking(fd, t < 0);
  if (r < 0) { table.free(n); host_close(fd); return r; }
  // A duplicate shares the open file description, so it is shared with Node as well.
  table.setFlags(n, table.flagsOf(n) | (table.flagsOf(h) & table.F_SHARED));
  if (policy.active) policy.copyState(h, n);
  return identify(n);
}

/**
 * The real close (socket.py's _real_close -> socket_close): the fd becomes -1 first, then
 * close(2); ECONNRESET is not an error. The slot is freed either way: the object is closed
 * even when close(2) reports an error (EBADF if someone closed the fd underneath).
 * Returns 1, or -errno.
 */
function realClose(h: i32): i32 {
  const fd = table.fdOf(h);
  table.retire(h);
  if (fd < 0) return 1;
  const r = host_close(fd);
  return r < 0 && r != -ECONNRESET ? r : 1;
}

/**
 * close() (socket.py): marks the socket closed; the real close waits while makefile()
 * files hold it (_io_refs > 0). Returns 0 when it waits, 1 when the slot was freed (the
 * caller then uses handle 0), or -errno (the slot was freed too).
 */
export function sock_close(h: i32): i32 {
  table.setFlags(h, table.flagsOf(h) | table.F_CLOSED);
  if (table.iorefsOf(h) > 0) return 0;
  return realClose(h);
}

/** detach(): marks closed and hands the fd back open (-1 if already closed); retires the slot. */
export function sock_detach(h: i32): i32 {
  const fd = table.fdOf(h);
  table.retire(h);
  return fd;
}

// ---------------------------------------------------------------- a closed socket's record
// (table.retire: a closed socket keeps its slot while it has a timeout or files to remember)

/** The handle a JS object uses after close or detach: h while the slot is its own, else 0. */
export function sock_handle(h: i32): i32 { return table.valid(h) ? h : 0; }

/**
 * A closed record of its own for a closed object on the shared record (slot 0), made when it
 * is about to store something there (settimeout(), makefile()); h itself otherwise.
 */
export function sock_own_record(h: i32): i32 {
  if (h != 0) return h;
  const n = table.alloc(-1, 0, 0, 0, -1);
  table.setFlags(n, table.flagsOf(n) | table.F_CLOSED);
  return n;
}

/** The slot's generation (what the finalizer needs to recognise it later). */
export function sock_gen(h: i32): i32 { return table.genOf(h); }

/**
 * A JS object was collected while its socket was open: close the fd and free the slot,
 * unless the slot was freed (and maybe reused) since, which its generation tells.
 * Returns 1 if it closed an fd.
 */
export function sock_release(h: i32, gen: i32): i32 {
  if (!table.valid(h) || table.genOf(h) != gen) return 0;
  const fd = table.fdOf(h);
  if (fd >= 0) host_close(fd);
  table.free(h);
  return fd >= 0 ? 1 : 0;
}

export function sock_fileno(h: i32): i32 { return table.fdOf(h); }
export function sock_flags(h: i32): i32 { return table.flagsOf(h); }
export function sock_iorefs(h: i32): i32 { return table.iorefsOf(h); }

/** makefile(): one more file holds the socket (socket.py's _io_refs += 1). */
export function sock_incref(h: i32): void { if (h != 0) table.setIorefs(h, table.iorefsOf(h) + 1); }

/**
 * A file closed (_decref_socketios): one reference less; a socket already close()d then
 * closes for real. Returns 1 when the slot was freed, 0 when not, or -errno.
 */
export function sock_decref(h: i32): i32 {
  if (h == 0) return 0;
  const n = table.iorefsOf(h);
  if (n > 0) table.setIorefs(h, n - 1);
  if ((table.flagsOf(h) & table.F_CLOSED) == 0) return 0;
  return sock_close(h);
}

// ---------------------------------------------------------------- options

/**
 * getsockopt(level, opt) int mode (buflen absent or 0): a zeroed C int with optlen 4, the
 * result signed 32-bit. Returned as f64: the value, or an error code below -2**31.
 */
export function sock_getsockopt_int(h: i32, level: i32, opt: i32): f64 {
  if (!hasCap(CAP_GETSOCKOPT)) return <f64>notAvailable(CAP_GETSOCKOPT) - 4294967296.0;
  store<i32>(SCR_VAL, 0);
  store<i32>(SCR_LEN, 4);
  const r = host_getsockopt(table.fdOf(h), level, opt, SCR_VAL, SCR_LEN);
  if (r < 0) return <f64>r - 4294967296.0;
  return <f64>load<i32>(SCR_VAL);
}

/**
 * getsockopt(level, opt, buflen) buffer mode: buflen must be 1..1024 (checked before any
 * syscall, so even a closed socket gets the range error); returns the length the kernel
 * reports, the bytes in SCR_VAL.
 */
export function sock_getsockopt_buf(h: i32, level: i32, opt: i32, buflen: i32): i32 {
  const e = getsockoptBufCheck(buflen);
  if (e < 0) return e;
  // Zeroed, so bytes a kernel reports but never wrote read as zeros. Up to 64 bytes (most
  // options) plain stores: memory.fill is a call out of the compiled code, ~10 ns here.
  if (buflen <= 64) for (let z: usize = 0; z < <usize>buflen; z += 8) store<u64>(SCR_VAL + z, 0);
  else memory.fill(SCR_VAL, 0, buflen);
  store<i32>(SCR_LEN, buflen);
  const r = host_getsockopt(table.fdOf(h), level, opt, SCR_VAL, SCR_LEN);
  if (r < 0) return r;
  return load<i32>(SCR_LEN);
}

/** Buffer mode's refusals, before any syscall: the buflen range, then the capability. */
function getsockoptBufCheck(buflen: i32): i32 {
  if (buflen <= 0 || buflen > 1024) return fail(E_BUFLEN_RANGE);
  if (!hasCap(CAP_GETSOCKOPT)) return notAvailable(CAP_GETSOCKOPT);
  return 0;
}

/**
 * Buffer mode into buffer `id` lent to a js_buffers host, at `off` (src/'s small-result
 * pool: fresh zeroed bytes never handed out before, so nothing needs zeroing here).
 * Returns the length.
 */
export function sock_getsockopt_js(h: i32, level: i32, opt: i32, buflen: i32, id: i32, off: i32): i32 {
  const e = getsockoptBufCheck(buflen);
  if (e < 0) return e;
  if (!hasCap(CAP_JS_BUFFERS)) return notAvailable(CAP_JS_BUFFERS);
  store<i32>(SCR_LEN, buflen);
  const r = host_getsockopt_js(table.fdOf(h), level, opt, id, off, SCR_LEN);
  if (r < 0) return r;
  return load<i32>(SCR_LEN);
}

/** setsockopt(level, opt, int): the value as a 4-byte C int. */
export function sock_setsockopt_int(h: i32, level: i32, opt: i32, value: i32): i32 {
  if (!hasCap(CAP_SETSOCKOPT)) return notAvailable(CAP_SETSOCKOPT);
  if (policy.active) {
    const d = policy.checkOption(h, level, opt, 1, value, 4);
    if (d < 0) return d;
  }
  store<i32>(SCR_VAL, value);
  return host_setsockopt(table.fdOf(h), level, opt, SCR_VAL, 4);
}

/** setsockopt(level, opt, bytes): `len` bytes at `ptr` (from core_stage). */
export function sock_setsockopt_buf(h: i32, level: i32, opt: i32, ptr: usize, len: i32): i32 {
  if (!hasCap(CAP_SETSOCKOPT)) return notAvailable(CAP_SETSOCKOPT);
  if (policy.active) {
    const d = policy.checkOption(h, level, opt, 2, <i32>ptr, len);
    if (d < 0) return d;
  }
  return host_setsockopt(table.fdOf(h), level, opt, ptr, len);
}

/** setsockopt(level, opt, None, optlen): a NULL value pointer with optlen (unsigned). */
export function sock_setsockopt_null(h: i32, level: i32, opt: i32, optlen: i32): i32 {
  if (!hasCap(CAP_SETSOCKOPT)) return notAvailable(CAP_SETSOCKOPT);
  if (policy.active) {
    const d = policy.checkOption(h, level, opt, 3, 0, optlen);
    if (d < 0) return d;
  }
  return host_setsockopt(table.fdOf(h), level, opt, 0, optlen);
}

// ---------------------------------------------------------------- addresses and connections

/** Builds a sockaddr of `family` from SCR_STR[0..n) and the numbers; returns its length. */
export function addr_encode(family: i32, n: i32, port: i32, flowinfo: u32, scope: u32): i32 {
  return encodeAddr(family, n, port, flowinfo, scope);
}

/**
 * Resolves the host text in SCR_STR[0..n) for `family` without building a sockaddr:
 * 0, or the error setipaddr() would raise (create_connection's getaddrinfo step).
 */
export function addr_resolve(family: i32, n: i32): i32 {
  if (family != AF_INET && family != AF_INET6) return fail(E_BAD_FAMILY_ADDR);
  return resolveHost(family, n, SCR_ADDR + 8);
}

/** Decodes SCR_ADDR (length len) into SCR_STR / SCR_OUT; returns the kind (address.ts). */
export function addr_decode(len: i32): i32 { return decodeAddr(len); }

export function sock_bind(h: i32, family: i32, n: i32, port: i32, flowinfo: u32, scope: u32): i32 {
  if (!hasCap(CAP_BIND)) return notAvailable(CAP_BIND);
  const len = encodeAddr(family, n, port, flowinfo, scope);
  if (len < 0) return len;
  if (!policy.active) return host_bind(table.fdOf(h), SCR_ADDR, len);
  const d = policy.checkAddress(PA_BIND, PU_BIND, h, SCR_ADDR, len);
  if (d < 0) return d;
  const r = host_bind(table.fdOf(h), SCR_ADDR, len);
  if (r >= 0) policy.markBound(h, SCR_ADDR, len);
  return r;
}

/**
 * connect / connect_ex (internal_connect): a connect that is still running (EINPROGRESS
 * with a timeout, or EINTR unless non-blocking) is waited for with poll and its outcome
 * read from SO_ERROR. connect_ex (ex = 1) reports a timeout as EWOULDBLOCK, as CPython does.
 */
export function sock_connect(h: i32, family: i32, n: i32, port: i32, flowinfo: u32, scope: u32, ex: i32): i32 {
  if (!hasCap(CAP_CONNECT)) return notAvailable(CAP_CONNECT);
  const len = encodeAddr(family, n, port, flowinfo, scope);
  if (len < 0) return len;
  if (policy.active) {
    // The destination, then the implicit bind. connect_ex reports a denial as connect(2)
    // would report a firewall's: EPERM, returned rather than raised.
    const api = ex != 0 ? PA_CONNECT_EX : PA_CONNECT;
    let d = policy.checkAddress(api, PU_CONNECT, h, SCR_ADDR, len);
    if (d >= 0) d = policy.checkImplicitBind(api, h);
    if (d < 0) return ex != 0 ? -EPERM : d;
  }
  const fd = table.fdOf(h), timeout = table.timeoutOf(h);
  const r = host_connect(fd, SCR_ADDR, len);
  if (r >= 0 || r == -EINPROGRESS) { if (policy.active) policy.markConnected(h); }
  if (r >= 0) return r;
  const wait = r == -EINTR ? timeout != 0 : timeout > 0 && r == -EINPROGRESS;
  if (!wait) return r;
  if (timeout > 0 && !hasCap(CAP_POLL)) return notAvailable(CAP_POLL);
  const w = call(fd, OP_CONNECT, true, true, timeout);
  if (w >= 0 && policy.active) policy.markConnected(h);
  return ex != 0 && w == fail(E_TIMEOUT) ? -EAGAIN : w;
}

/**
 * connect(AF_UNSPEC): a datagram socket forgets its peer (Linux's __udp_disconnect). Python's
 * socket API cannot express it; the wasi:sockets provider needs it for udp-socket.stream(none).
 * Under a policy the socket's datagrams are screened again from then on (any sender may reach
 * it once the kernel no longer filters by peer).
 */
export function sock_disconnect(h: i32): i32 {
  if (!hasCap(CAP_CONNECT)) return notAvailable(CAP_CONNECT);
  memory.fill(SCR_ADDR, 0, 16);
  const r = host_connect(table.fdOf(h), SCR_ADDR, 16);
  if (r >= 0 && policy.active) policy.markDisconnected(h);
  return r;
}

/**
 * listen([backlog]): without a backlog, min(SOMAXCONN, 128) = 128 (glibc's SOMAXCONN is
 * 4096); a negative backlog becomes 0 before the syscall (sock_listen).
 */
export function sock_listen(h: i32, backlog: i32, given: i32): i32 {
  if (!hasCap(CAP_LISTEN)) return notAvailable(CAP_LISTEN);
  if (!given) backlog = 128;
  if (policy.active) {
    const d = policy.checkListen(h);
    if (d < 0) return d;
  }
  return host_listen(table.fdOf(h), backlog < 0 ? 0 : backlog);
}

/**
 * accept(): accept4(..., SOCK_CLOEXEC); the new socket has the listener's family, type and
 * proto and the *default* timeout (socket.py), never the listener's. The peer address is
 * left in SCR_ADDR and its length in SCR_ADDRLEN, for addr_decode.
 */
export function sock_accept(h: i32): i32 {
  if (!hasCap(CAP_ACCEPT)) return notAvailable(CAP_ACCEPT);
  // Under a policy a refused peer is reset and never returned: accept waits for the next.
  const fd = policy.active ? screened(h, PA_ACCEPT, OP_ACCEPT) : timed(h, OP_ACCEPT, false);
  if (fd < 0) return fd;
  const family = table.familyOf(h), type = table.typeOf(h), proto = table.protoOf(h);
  const n = adopt(fd, family, type, proto);
  if (n < 0) { host_close(fd); return n; }
  if (policy.active) policy.markConnected(n);
  // socket.py: if getdefaulttimeout() is None and self.gettimeout(): sock.setblocking(True)
  if (defaultTimeoutNs < 0 && table.timeoutOf(h) != 0) {
    const r = setBlocking(fd, true);
    if (r < 0) { table.free(n); host_close(fd); return r; }
  }
  return n;
}

export function sock_getsockname(h: i32): i32 { return sockName(h, false); }
export function sock_getpeername(h: i32): i32 { return sockName(h, true); }

/** getsockname / getpeername into SCR_ADDR (zeroed, 128 bytes offered); returns the length. */
function sockName(h: i32, peer: bool): i32 {
  if (!hasCap(CAP_SOCKNAME)) return notAvailable(CAP_SOCKNAME);
  memory.fill(SCR_ADDR, 0, 128);
  store<i32>(SCR_ADDRLEN, 128);
  const fd = table.fdOf(h);
  const r = peer ? host_getpeername(fd, SCR_ADDR, SCR_ADDRLEN) : host_getsockname(fd, SCR_ADDR, SCR_ADDRLEN);
  return r < 0 ? r : load<i32>(SCR_ADDRLEN);
}

export function sock_shutdown(h: i32, how: i32): i32 {
  if (!hasCap(CAP_SHUTDOWN)) return notAvailable(CAP_SHUTDOWN);
  return host_shutdown(table.fdOf(h), how);
}

// ---------------------------------------------------------------- data
// `buf` is a core pointer (core_stage), or with `js` = 1 the id of a buffer lent to a host
// that declares js_buffers (src/ asks once per core which). Lengths come as f64, exact up to
// Node's largest buffer (4 GiB), so none wraps on its way in; one kernel call is given at
// most MAX_RW bytes, as Linux caps every read and write (MAX_RW_COUNT), and offsets travel
// as u32 bits.

/** Linux's MAX_RW_COUNT (INT_MAX & PAGE_MASK): the most one read or write moves. */
const MAX_RW: f64 = 0x7ffff000;
@inline function rw(len: f64): i32 { return <i32>(len > MAX_RW ? MAX_RW : len); }

/** The data calls' capability checks: sendrecv, and js_buffers for a lent buffer. */
function dataCheck(js: i32): i32 {
  if (!hasCap(CAP_SENDRECV)) return notAvailable(CAP_SENDRECV);
  if (js != 0 && !hasCap(CAP_JS_BUFFERS)) return notAvailable(CAP_JS_BUFFERS);
  return 0;
}

/**
 * recv(bufsize): sock_recv_guts() asks nothing of the kernel for 0 bytes, so recv(0) is b''
 * even on a closed socket (socket-api.json lifecycle/closed/.../recv#2).
 */
export function sock_recv(h: i32, buf: usize, off: i32, len: f64, flags: i32, js: i32): i32 {
  if (len < 0) return fail(E_RECV_NEGATIVE);
  if (len == 0) return 0;
  const c = dataCheck(js);
  if (c < 0) return c;
  setArgs(buf, off, rw(len), flags, 0, js != 0);
  return receive(h, OP_RECV, PA_RECV);
}

/** recv_into(buffer, nbytes): nbytes 0 means the whole buffer (bufLen); 0 bytes is no call. */
export function sock_recv_into(h: i32, buf: usize, bufLen: f64, nbytes: f64, flags: i32, js: i32): i32 {
  const n = intoLen(bufLen, nbytes, E_RECVINTO_NEGATIVE, E_RECVINTO_SMALL);
  if (n <= 0) return <i32>n;
  return intoCall(h, buf, n, flags, js, OP_RECV, PA_RECV_INTO);
}

/** The _into calls' nbytes rule: negative and too-big are errors (as negative f64), 0 is the whole buffer. */
function intoLen(bufLen: f64, nbytes: f64, negative: i32, tooBig: i32): f64 {
  if (nbytes < 0) return <f64>fail(negative);
  if (nbytes == 0) return bufLen;
  return nbytes > bufLen ? <f64>fail(tooBig) : nbytes;
}

function intoCall(h: i32, buf: usize, n: f64, flags: i32, js: i32, op: i32, api: i32): i32 {
  const c = dataCheck(js);
  if (c < 0) return c;
  setArgs(buf, 0, rw(n), flags, 0, js != 0);
  return receive(h, op, api);
}

/**
 * recvfrom_into(buffer, nbytes): as recv_into's size rules with recvfrom_into's messages;
 * like recvfrom (sock_recvfrom_guts) it always asks the kernel, even for 0 bytes. The
 * sender's address is left in SCR_ADDR, its length in SCR_ADDRLEN.
 */
export function sock_recvfrom_into(h: i32, buf: usize, bufLen: f64, nbytes: f64, flags: i32, js: i32): i32 {
  const n = intoLen(bufLen, nbytes, E_RECVFROMINTO_NEGATIVE, E_RECVFROMINTO_SMALL);
  if (n < 0) return <i32>n;
  return intoCall(h, buf, n, flags, js, OP_RECVFROM, PA_RECVFROM_INTO);
}

/** recvfrom: the count; the sender's address in SCR_ADDR, its length in SCR_ADDRLEN. */
export function sock_recvfrom(h: i32, buf: usize, off: i32, len: f64, flags: i32, js: i32): i32 {
  if (len < 0) return fail(E_RECVFROM_NEGATIVE);
  const c = dataCheck(js);
  if (c < 0) return c;
  setArgs(buf, off, rw(len), flags, 0, js != 0);
  return receive(h, OP_RECVFROM, PA_RECVFROM);
}

export function sock_send(h: i32, buf: usize, off: i32, len: f64, flags: i32, js: i32): i32 {
  const c = dataCheck(js);
  if (c < 0) return c;
  setArgs(buf, off, rw(len), flags, 0, js != 0);
  return timed(h, OP_SEND, true);
}

/**
 * sendall(): sends every byte or fails; with a timeout, the deadline covers the whole call
 * (sock_sendall). It always sends at least once, so b'' still reports EPIPE or EBADF.
 * Returns the bytes sent (all of them) or an error.
 */
export function sock_sendall(h: i32, buf: usize, off: i32, len: f64, flags: i32, js: i32): f64 {
  const c = dataCheck(js);
  if (c < 0) return c;
  const timeout = table.timeoutOf(h), fd = table.fdOf(h);
  if (timeout > 0 && !hasCap(CAP_POLL)) return notAvailable(CAP_POLL);
  const deadline = timeout > 0 ? now() + timeout : 0;
  let sent: f64 = 0;
  do {
    let interval = timeout;
    if (timeout > 0) {
      interval = deadline - now();
      if (interval <= 0) return fail(E_TIMEOUT);
    }
    setArgs(buf, off + <i32><u32>sent, rw(len - sent), flags, 0, js != 0);
    const n = call(fd, OP_SEND, true, false, interval);
    if (n < 0) return n;
    sent += n;
  } while (sent < len);
  return sent;
}

/** sendto: the destination was built by addr_encode (its length `alen`). */
export function sock_sendto(h: i32, buf: usize, off: i32, len: f64, flags: i32, alen: i32, js: i32): i32 {
  const c = dataCheck(js);
  if (c < 0) return c;
  if (policy.active) {
    let d = policy.checkAddress(PA_SENDTO, PU_SEND, h, SCR_ADDR, alen);
    if (d >= 0) d = policy.checkImplicitBind(PA_SENDTO, h);
    if (d < 0) return d;
  }
  setArgs(buf, off, rw(len), flags, alen, js != 0);
  const r = timed(h, OP_SENDTO, true);
  if (r >= 0 && policy.active) policy.markImplicit(h);
  return r;
}

/**
 * A receive (`op`, its arguments set) under the socket's timeout. Under a policy, a datagram
 * socket's senders are screened first (policy.ts): a refused datagram is dropped, and the
 * call waits on for the next, the deadline covering the whole call.
 */
function receive(h: i32, op: i32, api: i32): i32 {
  if (!policy.active || !policy.screensReceive(h)) return timed(h, op, false);
  const s = screened(h, api, OP_PEEKFROM);
  if (s < 0) return s;
  return call(table.fdOf(h), op, false, false, policy.left);
}

/** policy.screened() (accept, a datagram's sender) under the capability rule timed() applies. */
function screened(h: i32, api: i32, op: i32): i32 {
  if (table.timeoutOf(h) > 0 && !hasCap(CAP_POLL)) return notAvailable(CAP_POLL);
  return policy.screened(h, api, op);
}

/** Runs a data or accept operation under the socket's timeout (blocking.ts). */
function timed(h: i32, op: i32, writing: bool): i32 {
  const timeout = table.timeoutOf(h);
  if (timeout > 0 && !hasCap(CAP_POLL)) return notAvailable(CAP_POLL);
  return call(table.fdOf(h), op, writing, false, timeout);
}


// ---------------------------------------------------------------- struct

export {
  st_compile, st_free, st_size, st_items, st_flags, st_codes, st_kinds, st_area, st_pack, st_pack_nums, st_check_count,
  st_unpack, st_unpack_at, st_check_from, st_check_into, st_check_iter,
} from "./struct/index";
