// The host ABI: every operating-system operation the core may ask for, and nothing else.
// This is the only file that names an import (AssemblyScript's std keeps the same rule in
// std/assembly/bindings/). Numbering is Linux's throughout: families, types, levels,
// options and errno; a host with other numbering translates at its edge.
//
// Conventions shared by every import:
// - a result >= 0 is success (an fd, a byte count, 0); a negative result is -errno;
// - pointers are offsets into the core's memory and lengths are byte counts: data passes in
//   core memory or by value, nothing else, so a host compiled into the core (or a component,
//   whose host cannot see a JavaScript buffer) implements every import as written; the
//   pointer 0 means C's NULL (the core never places data at 0);
// - the core checks the host's capability set before every call: a host never receives a
//   call it did not declare. The imports under "js_buffers" below are such a capability: a
//   JavaScript host's zero-copy path, called only when the host declares it.
//
// host/types.ts's HostImports lists every import here with its arity; test/abi.test.ts
// fails when the two differ.

/** The host's capability bitset (see caps.ts for the bits). Asked once, at init. */
@external("host", "caps") export declare function host_caps(): i32;

@external("host", "socket") export declare function host_socket(family: i32, type: i32, proto: i32): i32;
/** Writes two fds at `out` (two i32). */
@external("host", "socketpair") export declare function host_socketpair(family: i32, type: i32, proto: i32, out: usize): i32;
@external("host", "close") export declare function host_close(fd: i32): i32;
/** dup with close-on-exec set (fcntl F_DUPFD_CLOEXEC), as CPython's socket.dup does. */
@external("host", "dup") export declare function host_dup(fd: i32): i32;
@external("host", "bind") export declare function host_bind(fd: i32, addr: usize, len: i32): i32;
@external("host", "connect") export declare function host_connect(fd: i32, addr: usize, len: i32): i32;
@external("host", "listen") export declare function host_listen(fd: i32, backlog: i32): i32;
/** accept4(fd, addr, lenptr, flags). */
@external("host", "accept") export declare function host_accept(fd: i32, addr: usize, lenptr: usize, flags: i32): i32;
@external("host", "getsockopt") export declare function host_getsockopt(fd: i32, level: i32, opt: i32, val: usize, lenptr: usize): i32;
@external("host", "setsockopt") export declare function host_setsockopt(fd: i32, level: i32, opt: i32, val: usize, len: i32): i32;
@external("host", "getsockname") export declare function host_getsockname(fd: i32, addr: usize, lenptr: usize): i32;
@external("host", "getpeername") export declare function host_getpeername(fd: i32, addr: usize, lenptr: usize): i32;
@external("host", "recv") export declare function host_recv(fd: i32, buf: usize, len: i32, flags: i32): i32;
@external("host", "send") export declare function host_send(fd: i32, buf: usize, len: i32, flags: i32): i32;
@external("host", "recvfrom") export declare function host_recvfrom(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, lenptr: usize): i32;
@external("host", "sendto") export declare function host_sendto(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, alen: i32): i32;
@external("host", "shutdown") export declare function host_shutdown(fd: i32, how: i32): i32;
/** fcntl(fd, cmd, arg) with an integer argument. */
@external("host", "fcntl") export declare function host_fcntl(fd: i32, cmd: i32, arg: i32): i32;
/** fcntl(fd, cmd, ptr) with a pointer argument (a core pointer). */
@external("host", "fcntl_ptr") export declare function host_fcntl_ptr(fd: i32, cmd: i32, ptr: usize): i32;
/** ioctl(fd, request, ptr): ptr is a core pointer (0 for NULL). */
@external("host", "ioctl") export declare function host_ioctl(fd: i32, request: u32, ptr: usize): i32;
/**
 * ioctl(fd, request, arg) with an int passed by value, as C's `ioctl(fd, code, (int)arg)`:
 * the kernel sees it zero-extended to unsigned long (so pointer requests meet EFAULT).
 */
@external("host", "ioctl_int") export declare function host_ioctl_int(fd: i32, request: u32, arg: i32): i32;
/**
 * Windows' WSAIoctl(fd, code, in, inLen, NULL, 0, &bytesReturned): returns bytesReturned or
 * -errno. Only a host with the `ioctl.windows` capability is ever called.
 */
@external("host", "win_ioctl") export declare function host_win_ioctl(fd: i32, code: u32, ptr: usize, len: i32): i32;
/**
 * Blocking mode of the fd (O_NONBLOCK on when `on` is 1). Its own import rather than an
 * ioctl, so a host without ioctl (WASI: fd_fdstat_set_flags) can answer it; the Linux host
 * uses ioctl(FIONBIO) as CPython's internal_setblocking does on Linux.
 */
@external("host", "set_nonblocking") export declare function host_set_nonblocking(fd: i32, on: i32): i32;
/** poll one fd: returns revents, 0 on timeout, or -errno. */
@external("host", "poll") export declare function host_poll(fd: i32, events: i32, timeoutMs: i32): i32;
/** A monotonic clock in nanoseconds. */
@external("host", "now_ns") export declare function host_now_ns(): i64;

// ---------------------------------------------------------------- capability js_buffers
// A JavaScript host's zero-copy path: `id` names a buffer the host holds in its own memory
// (src/ lends it the user's buffer, the makefile reader's pool or the small-result pool just
// before the call), `off` is a byte offset into it, as u32 bits (buffers reach 4 GiB).
// Called only when the host declares js_buffers; every other host gets the calls above.

@external("host", "recv_js") export declare function host_recv_js(fd: i32, id: i32, off: i32, len: i32, flags: i32): i32;
@external("host", "send_js") export declare function host_send_js(fd: i32, id: i32, off: i32, len: i32, flags: i32): i32;
@external("host", "recvfrom_js") export declare function host_recvfrom_js(fd: i32, id: i32, off: i32, len: i32, flags: i32, addr: usize, lenptr: usize): i32;
@external("host", "sendto_js") export declare function host_sendto_js(fd: i32, id: i32, off: i32, len: i32, flags: i32, addr: usize, alen: i32): i32;
/** getsockopt with the value landing in buffer `id` at `off`; the length at `lenptr` (core). */
@external("host", "getsockopt_js") export declare function host_getsockopt_js(fd: i32, level: i32, opt: i32, id: i32, off: i32, lenptr: usize): i32;
/** ioctl(fd, request, buffer `id`): fcntl.ioctl's mutable buffers over 1024 bytes, passed directly as CPython does. */
@external("host", "ioctl_js") export declare function host_ioctl_js(fd: i32, request: u32, id: i32): i32;

/**
 * Called on an internal invariant failure (never on user input: that gets error codes).
 * Supplied by whoever instantiates the core, not by the OS host: src/core.ts gives the core
 * up (SystemError, fds closed, a successor for what comes next).
 */
@external("host", "abort")
export declare function abort(message: string | null, fileName: string | null, line: u32, column: u32): void;
