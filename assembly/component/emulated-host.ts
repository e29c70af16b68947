// The emulated network as a host of its own (asconfig target "emulated-host":
// build/emulated-host.wasm): its kernel (host/emulated/wasm, in `lib`) without a core, its
// HOST_* functions exported under the host ABI's names (assembly/bindings/host.ts), with
// pointers into this module's own memory. host/component/index.ts supplies it to the
// component as `wasock:core/host` the way it supplies the Linux host: one adapter for every
// HostImports. The embedder's controls are the emulated core's (assembly/emulated.ts) names.

import "../bindings/host";   // its abort (asconfig: use abort=...), called as the raw core's

export function caps(): i32 { return HOST_caps(); }
export function socket(family: i32, type: i32, proto: i32): i32 { return HOST_socket(family, type, proto); }
export function socketpair(family: i32, type: i32, proto: i32, out: usize): i32 { return HOST_socketpair(family, type, proto, out); }
export function close(fd: i32): i32 { return HOST_close(fd); }
export function dup(fd: i32): i32 { return HOST_dup(fd); }
export function bind(fd: i32, addr: usize, len: i32): i32 { return HOST_bind(fd, addr, len); }
export function connect(fd: i32, addr: usize, len: i32): i32 { return HOST_connect(fd, addr, len); }
export function listen(fd: i32, backlog: i32): i32 { return HOST_listen(fd, backlog); }
export function accept(fd: i32, addr: usize, lenptr: usize, flags: i32): i32 { return HOST_accept(fd, addr, lenptr, flags); }
export function getsockopt(fd: i32, level: i32, opt: i32, val: usize, lenptr: usize): i32 { return HOST_getsockopt(fd, level, opt, val, lenptr); }
export function setsockopt(fd: i32, level: i32, opt: i32, val: usize, len: i32): i32 { return HOST_setsockopt(fd, level, opt, val, len); }
export function getsockname(fd: i32, addr: usize, lenptr: usize): i32 { return HOST_getsockname(fd, addr, lenptr); }
export function getpeername(fd: i32, addr: usize, lenptr: usize): i32 { return HOST_getpeername(fd, addr, lenptr); }
export function recv(fd: i32, buf: usize, len: i32, flags: i32): i32 { return HOST_recv(fd, buf, len, flags); }
export function send(fd: i32, buf: usize, len: i32, flags: i32): i32 { return HOST_send(fd, buf, len, flags); }
export function recvfrom(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, lenptr: usize): i32 { return HOST_recvfrom(fd, buf, len, flags, addr, lenptr); }
export function sendto(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, alen: i32): i32 { return HOST_sendto(fd, buf, len, flags, addr, alen); }
export function shutdown(fd: i32, how: i32): i32 { return HOST_shutdown(fd, how); }
export function fcntl(fd: i32, cmd: i32, arg: i32): i32 { return HOST_fcntl(fd, cmd, arg); }
export function fcntl_ptr(fd: i32, cmd: i32, ptr: usize): i32 { return HOST_fcntl_ptr(fd, cmd, ptr); }
export function ioctl(fd: i32, request: u32, ptr: usize): i32 { return HOST_ioctl(fd, request, ptr); }
export function ioctl_int(fd: i32, request: u32, arg: i32): i32 { return HOST_ioctl_int(fd, request, arg); }
export function win_ioctl(fd: i32, code: u32, ptr: usize, len: i32): i32 { return HOST_win_ioctl(fd, code, ptr, len); }
export function set_nonblocking(fd: i32, on: i32): i32 { return HOST_set_nonblocking(fd, on); }
export function poll(fd: i32, events: i32, timeoutMs: i32): i32 { return HOST_poll(fd, events, timeoutMs); }
export function now_ns(): i64 { return HOST_now_ns(); }
export function recv_js(fd: i32, id: i32, off: i32, len: i32, flags: i32): i32 { return HOST_recv_js(fd, id, off, len, flags); }
export function send_js(fd: i32, id: i32, off: i32, len: i32, flags: i32): i32 { return HOST_send_js(fd, id, off, len, flags); }
export function recvfrom_js(fd: i32, id: i32, off: i32, len: i32, flags: i32, addr: usize, lenptr: usize): i32 { return HOST_recvfrom_js(fd, id, off, len, flags, addr, lenptr); }
export function sendto_js(fd: i32, id: i32, off: i32, len: i32, flags: i32, addr: usize, alen: i32): i32 { return HOST_sendto_js(fd, id, off, len, flags, addr, alen); }
export function getsockopt_js(fd: i32, level: i32, opt: i32, id: i32, off: i32, lenptr: usize): i32 { return HOST_getsockopt_js(fd, level, opt, id, off, lenptr); }
export function ioctl_js(fd: i32, request: u32, id: i32): i32 { return HOST_ioctl_js(fd, request, id); }
export function sendmsg(fd: i32, msg: usize, flags: i32): i32 { return HOST_sendmsg(fd, msg, flags); }
export function recvmsg(fd: i32, msg: usize, flags: i32): i32 { return HOST_recvmsg(fd, msg, flags); }

export function emu_set_caps(bits: i32): void { EMU_set_caps(bits); }
export function emu_set_privileged(on: i32): void { EMU_set_privileged(on); }
export function emu_seed(hi: u32, lo: u32): void { EMU_seed(hi, lo); }
export function emu_set_fd_limit(n: i32): void { EMU_set_fd_limit(n); }
export function emu_open_fds(): i32 { return EMU_open_fds(); }
export function emu_now(): f64 { return EMU_now(); }
export function emu_advance(ns: f64): void { EMU_advance(ns); }
export function emu_host_calls(): i32 { return EMU_host_calls(); }

/**
 * Room for `len` bytes in this module's memory, where the JavaScript adapter places a call's
 * arguments and results (one area, reused; it only grows).
 */
let area: usize = 0;
let areaCap: i32 = 0;
export function scratch(len: i32): usize {
  if (len > areaCap) {
    if (area != 0) heap.free(area);
    area = 0;
    const cap = max(len, 4096);
    area = heap.alloc(<usize>cap);
    areaCap = cap;
  }
  return area;
}
