// The component's host: every HOST_<name> the core calls (assembly/bindings/host.ts), served
// by the WIT imports of `wasock:core/host` (wit/core.wit) with the canonical ABI written by
// hand. They are @global, so bindings/host.ts's isDefined(HOST_<name>) finds them and calls
// them instead of the raw core's `host.*` imports, as it does a compiled-in host's
// (host/emulated/wasm, given through asconfig's `lib`). assembly/component.ts imports this
// file first, before the core's files are compiled.
//
// What changes from the raw ABI is only where bytes live: a component's host cannot see the
// core's memory, so buffers the core hands over go out as list<u8> (pointer and length, read
// by the host during the call), and buffers the host fills come back as list<u8> in a record
// with the status, in memory the host obtained through the core's cabi_realloc. They are
// copied where the core expects them and freed before returning. Results the host returns as
// plain s32 keep the raw ABI's convention (>= 0, or -errno): no discriminant to decode and,
// for a JavaScript host, no exception thrown per errno.


import { CABI_free } from "./memory";
import { COMP_caps_from_host } from "./caps";

// ---------------------------------------------------------------- the imports (flat signatures)
// Records with a list come back through a return area (more than one flat result): `ret`.

@external("wasock:core/host", "socket") declare function wit_socket(family: i32, type: i32, proto: i32): i32;
@external("wasock:core/host", "close") declare function wit_close(fd: i32): i32;
@external("wasock:core/host", "dup") declare function wit_dup(fd: i32): i32;
@external("wasock:core/host", "socketpair") declare function wit_socketpair(family: i32, type: i32, proto: i32, ret: usize): void;
@external("wasock:core/host", "bind") declare function wit_bind(fd: i32, ptr: usize, len: i32): i32;
@external("wasock:core/host", "connect") declare function wit_connect(fd: i32, ptr: usize, len: i32): i32;
@external("wasock:core/host", "listen") declare function wit_listen(fd: i32, backlog: i32): i32;
@external("wasock:core/host", "accept") declare function wit_accept(fd: i32, flags: i32, ret: usize): void;
@external("wasock:core/host", "getsockopt") declare function wit_getsockopt(fd: i32, level: i32, opt: i32, optlen: u32, ret: usize): void;
@external("wasock:core/host", "setsockopt") declare function wit_setsockopt(fd: i32, level: i32, opt: i32, some: i32, ptr: usize, len: i32, optlen: u32): i32;
@external("wasock:core/host", "getsockname") declare function wit_getsockname(fd: i32, ret: usize): void;
@external("wasock:core/host", "getpeername") declare function wit_getpeername(fd: i32, ret: usize): void;
@external("wasock:core/host", "recv") declare function wit_recv(fd: i32, len: u32, flags: i32, ret: usize): void;
@external("wasock:core/host", "send") declare function wit_send(fd: i32, ptr: usize, len: i32, flags: i32): i32;
@external("wasock:core/host", "recvfrom") declare function wit_recvfrom(fd: i32, len: u32, flags: i32, ret: usize): void;
@external("wasock:core/host", "sendto") declare function wit_sendto(fd: i32, ptr: usize, len: i32, flags: i32, aptr: usize, alen: i32): i32;
@external("wasock:core/host", "shutdown") declare function wit_shutdown(fd: i32, how: i32): i32;
@external("wasock:core/host", "set-nonblocking") declare function wit_set_nonblocking(fd: i32, on: i32): i32;
@external("wasock:core/host", "poll") declare function wit_poll(fd: i32, events: i32, timeoutMs: i32): i32;
@external("wasock:core/host", "now-ns") declare function wit_now_ns(): i64;

/** The return area of the imports above (recvfrom-result, the largest, is 20 bytes). */
const RET: usize = memory.data(24, 8);

// ---------------------------------------------------------------- helpers

/**
 * Copies the list the host returned at RET+`at` (pointer, length) to `dst`, at most `cap`
 * bytes, frees it, and returns its full length. A host that returns more than asked is cut
 * to what the core offered, as the kernel never writes past optlen or len.
 */
function takeList(at: usize, dst: usize, cap: u32): u32 {
  const p = load<usize>(RET + at), n = load<u32>(RET + at + 4);
  memory.copy(dst, p, n < cap ? n : cap);
  CABI_free(p);
  return n;
}

/** A host status that names no errno Linux has is the host's bug: EIO rather than a garbage code. */
@inline function status(r: i32): i32 { return r < -4095 ? -5 : r; }

// ---------------------------------------------------------------- HOST_* (the core's side)

@global export function HOST_caps(): i32 { return COMP_caps_from_host(); }
@global export function HOST_socket(family: i32, type: i32, proto: i32): i32 { return status(wit_socket(family, type, proto)); }
@global export function HOST_close(fd: i32): i32 { return status(wit_close(fd)); }
@global export function HOST_dup(fd: i32): i32 { return status(wit_dup(fd)); }

/** socketpair: pair-result {status, fd0, fd1}; the two fds land at out[0], out[1]. */
@global export function HOST_socketpair(family: i32, type: i32, proto: i32, out: usize): i32 {
  wit_socketpair(family, type, proto, RET);
  const r = status(load<i32>(RET));
  if (r >= 0) { store<i32>(out, load<i32>(RET + 4)); store<i32>(out + 4, load<i32>(RET + 8)); }
  return r;
}
@global export function HOST_bind(fd: i32, addr: usize, len: i32): i32 { return status(wit_bind(fd, addr, len)); }
@global export function HOST_connect(fd: i32, addr: usize, len: i32): i32 { return status(wit_connect(fd, addr, len)); }
@global export function HOST_listen(fd: i32, backlog: i32): i32 { return status(wit_listen(fd, backlog)); }

/** accept4: the peer's sockaddr lands at addr (lenptr: offered in, reported out). */
@global export function HOST_accept(fd: i32, addr: usize, lenptr: usize, flags: i32): i32 {
  wit_accept(fd, flags, RET);
  const r = status(load<i32>(RET));
  const cap = lenptr != 0 ? load<u32>(lenptr) : 0;
  const n = takeList(4, addr, cap);
  if (r >= 0 && lenptr != 0) store<u32>(lenptr, n < cap ? n : cap);
  return r;
}

@global export function HOST_getsockopt(fd: i32, level: i32, opt: i32, val: usize, lenptr: usize): i32 {
  const cap = load<u32>(lenptr);
  wit_getsockopt(fd, level, opt, cap, RET);
  const r = status(load<i32>(RET));
  const n = takeList(4, val, cap);
  if (r >= 0) store<u32>(lenptr, n < cap ? n : cap);
  return r;
}

/** val 0 is C's NULL: sent as none with the optlen (setsockopt(level, opt, None, optlen)). */
@global export function HOST_setsockopt(fd: i32, level: i32, opt: i32, val: usize, len: i32): i32 {
  return status(val == 0
    ? wit_setsockopt(fd, level, opt, 0, 0, 0, <u32>len)
    : wit_setsockopt(fd, level, opt, 1, val, len, <u32>len));
}

function name(peer: bool, fd: i32, addr: usize, lenptr: usize): i32 {
  if (peer) wit_getpeername(fd, RET); else wit_getsockname(fd, RET);
  const r = status(load<i32>(RET));
  const cap = load<u32>(lenptr);
  const n = takeList(4, addr, cap);
  if (r >= 0) store<u32>(lenptr, n < cap ? n : cap);
  return r;
}
@global export function HOST_getsockname(fd: i32, addr: usize, lenptr: usize): i32 { return name(false, fd, addr, lenptr); }
@global export function HOST_getpeername(fd: i32, addr: usize, lenptr: usize): i32 { return name(true, fd, addr, lenptr); }

@global export function HOST_recv(fd: i32, buf: usize, len: i32, flags: i32): i32 {
  wit_recv(fd, <u32>len, flags, RET);
  const r = status(load<i32>(RET));
  takeList(4, buf, <u32>len);
  // The count is the host's status (with MSG_TRUNC, a datagram's real length, larger than len).
  return r;
}

@global export function HOST_send(fd: i32, buf: usize, len: i32, flags: i32): i32 { return status(wit_send(fd, buf, len, flags)); }

@global export function HOST_recvfrom(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, lenptr: usize): i32 {
  wit_recvfrom(fd, <u32>len, flags, RET);
  const r = status(load<i32>(RET));
  takeList(4, buf, <u32>len);
  const cap = lenptr != 0 ? load<u32>(lenptr) : 0;
  const a = takeList(12, addr, cap);
  if (r >= 0 && lenptr != 0) store<u32>(lenptr, a < cap ? a : cap);
  return r;
}

@global export function HOST_sendto(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, alen: i32): i32 {
  return status(wit_sendto(fd, buf, len, flags, addr, alen));
}
@global export function HOST_shutdown(fd: i32, how: i32): i32 { return status(wit_shutdown(fd, how)); }
@global export function HOST_set_nonblocking(fd: i32, on: i32): i32 { return status(wit_set_nonblocking(fd, on != 0 ? 1 : 0)); }
@global export function HOST_poll(fd: i32, events: i32, timeoutMs: i32): i32 { return status(wit_poll(fd, events, timeoutMs)); }
@global export function HOST_now_ns(): i64 { return wit_now_ns(); }

// ---------------------------------------------------------------- not served by a component host
// The core reaches these only for capabilities the component never grants (caps.ts masks
// them: fcntl, ioctl, js_buffers), so a call is an internal error.

@global export function HOST_fcntl(fd: i32, cmd: i32, arg: i32): i32 { unreachable(); return 0; }
@global export function HOST_fcntl_ptr(fd: i32, cmd: i32, ptr: usize): i32 { unreachable(); return 0; }
@global export function HOST_ioctl(fd: i32, request: u32, ptr: usize): i32 { unreachable(); return 0; }
@global export function HOST_ioctl_int(fd: i32, request: u32, arg: i32): i32 { unreachable(); return 0; }
@global export function HOST_win_ioctl(fd: i32, code: u32, ptr: usize, len: i32): i32 { unreachable(); return 0; }
@global export function HOST_recv_js(fd: i32, id: i32, off: i32, len: i32, flags: i32): i32 { unreachable(); return 0; }
@global export function HOST_send_js(fd: i32, id: i32, off: i32, len: i32, flags: i32): i32 { unreachable(); return 0; }
@global export function HOST_recvfrom_js(fd: i32, id: i32, off: i32, len: i32, flags: i32, addr: usize, lenptr: usize): i32 { unreachable(); return 0; }
@global export function HOST_sendto_js(fd: i32, id: i32, off: i32, len: i32, flags: i32, addr: usize, alen: i32): i32 { unreachable(); return 0; }
@global export function HOST_getsockopt_js(fd: i32, level: i32, opt: i32, id: i32, off: i32, lenptr: usize): i32 { unreachable(); return 0; }
@global export function HOST_ioctl_js(fd: i32, request: u32, id: i32): i32 { unreachable(); return 0; }
@global export function HOST_sendmsg(fd: i32, msg: usize, flags: i32): i32 { unreachable(); return 0; }
@global export function HOST_recvmsg(fd: i32, msg: usize, flags: i32): i32 { unreachable(); return 0; }
