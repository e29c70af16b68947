// The host ABI: every operating-system operation the core may ask for, and nothing else.
// This is the only file that names a host import (AssemblyScript's std keeps the same rule in
// std/assembly/bindings/); bindings/policy.ts names the one other import, the policy hook.
// Numbering is Linux's throughout: families, types, levels, options and errno; a host with
// other numbering translates at its edge.
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
//
// Two kinds of host implement them. A JavaScript host supplies the imports at instantiation
// (the `ext_*` declarations: host/linux). A host compiled into the core is an AssemblyScript
// folder whose files export `HOST_<name>` functions; its asconfig target names the folder in
// `lib`, so those become globals and every host_<name> below calls them instead of importing
// (isDefined picks at compile time; the import is then never emitted). Such a core is one
// self-contained .wasm (host/none: build/core-none.wasm; test/hosts-compiled.test.ts).

/** The host's capability bitset (see caps.ts for the bits). Asked once, at init. */
@external("host", "caps") declare function ext_caps(): i32;
@inline export function host_caps(): i32 { return isDefined(HOST_caps) ? HOST_caps() : ext_caps(); }

@external("host", "socket") declare function ext_socket(family: i32, type: i32, proto: i32): i32;
@inline export function host_socket(family: i32, type: i32, proto: i32): i32 { return isDefined(HOST_socket) ? HOST_socket(family, type, proto) : ext_socket(family, type, proto); }
/** Writes two fds at `out` (two i32). */
@external("host", "socketpair") declare function ext_socketpair(family: i32, type: i32, proto: i32, out: usize): i32;
@inline export function host_socketpair(family: i32, type: i32, proto: i32, out: usize): i32 { return isDefined(HOST_socketpair) ? HOST_socketpair(family, type, proto, out) : ext_socketpair(family, type, proto, out); }
@external("host", "close") declare function ext_close(fd: i32): i32;
@inline export function host_close(fd: i32): i32 { return isDefined(HOST_close) ? HOST_close(fd) : ext_close(fd); }
/** dup with close-on-exec set (fcntl F_DUPFD_CLOEXEC), as CPython's socket.dup does. */
@external("host", "dup") declare function ext_dup(fd: i32): i32;
@inline export function host_dup(fd: i32): i32 { return isDefined(HOST_dup) ? HOST_dup(fd) : ext_dup(fd); }
@external("host", "bind") declare function ext_bind(fd: i32, addr: usize, len: i32): i32;
@inline export function host_bind(fd: i32, addr: usize, len: i32): i32 { return isDefined(HOST_bind) ? HOST_bind(fd, addr, len) : ext_bind(fd, addr, len); }
@external("host", "connect") declare function ext_connect(fd: i32, addr: usize, len: i32): i32;
@inline export function host_connect(fd: i32, addr: usize, len: i32): i32 { return isDefined(HOST_connect) ? HOST_connect(fd, addr, len) : ext_connect(fd, addr, len); }
@external("host", "listen") declare function ext_listen(fd: i32, backlog: i32): i32;
@inline export function host_listen(fd: i32, backlog: i32): i32 { return isDefined(HOST_listen) ? HOST_listen(fd, backlog) : ext_listen(fd, backlog); }
/** accept4(fd, addr, lenptr, flags). */
@external("host", "accept") declare function ext_accept(fd: i32, addr: usize, lenptr: usize, flags: i32): i32;
@inline export function host_accept(fd: i32, addr: usize, lenptr: usize, flags: i32): i32 { return isDefined(HOST_accept) ? HOST_accept(fd, addr, lenptr, flags) : ext_accept(fd, addr, lenptr, flags); }
@external("host", "getsockopt") declare function ext_getsockopt(fd: i32, level: i32, opt: i32, val: usize, lenptr: usize): i32;
@inline export function host_getsockopt(fd: i32, level: i32, opt: i32, val: usize, lenptr: usize): i32 { return isDefined(HOST_getsockopt) ? HOST_getsockopt(fd, level, opt, val, lenptr) : ext_getsockopt(fd, level, opt, val, lenptr); }
@external("host", "setsockopt") declare function ext_setsockopt(fd: i32, level: i32, opt: i32, val: usize, len: i32): i32;
@inline export function host_setsockopt(fd: i32, level: i32, opt: i32, val: usize, len: i32): i32 { return isDefined(HOST_setsockopt) ? HOST_setsockopt(fd, level, opt, val, len) : ext_setsockopt(fd, level, opt, val, len); }
@external("host", "getsockname") declare function ext_getsockname(fd: i32, addr: usize, lenptr: usize): i32;
@inline export function host_getsockname(fd: i32, addr: usize, lenptr: usize): i32 { return isDefined(HOST_getsockname) ? HOST_getsockname(fd, addr, lenptr) : ext_getsockname(fd, addr, lenptr); }
@external("host", "getpeername") declare function ext_getpeername(fd: i32, addr: usize, lenptr: usize): i32;
@inline export function host_getpeername(fd: i32, addr: usize, lenptr: usize): i32 { return isDefined(HOST_getpeername) ? HOST_getpeername(fd, addr, lenptr) : ext_getpeername(fd, addr, lenptr); }
@external("host", "recv") declare function ext_recv(fd: i32, buf: usize, len: i32, flags: i32): i32;
@inline export function host_recv(fd: i32, buf: usize, len: i32, flags: i32): i32 { return isDefined(HOST_recv) ? HOST_recv(fd, buf, len, flags) : ext_recv(fd, buf, len, flags); }
@external("host", "send") declare function ext_send(fd: i32, buf: usize, len: i32, flags: i32): i32;
@inline export function host_send(fd: i32, buf: usize, len: i32, flags: i32): i32 { return isDefined(HOST_send) ? HOST_send(fd, buf, len, flags) : ext_send(fd, buf, len, flags); }
@external("host", "recvfrom") declare function ext_recvfrom(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, lenptr: usize): i32;
@inline export function host_recvfrom(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, lenptr: usize): i32 { return isDefined(HOST_recvfrom) ? HOST_recvfrom(fd, buf, len, flags, addr, lenptr) : ext_recvfrom(fd, buf, len, flags, addr, lenptr); }
@external("host", "sendto") declare function ext_sendto(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, alen: i32): i32;
@inline export function host_sendto(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, alen: i32): i32 { return isDefined(HOST_sendto) ? HOST_sendto(fd, buf, len, flags, addr, alen) : ext_sendto(fd, buf, len, flags, addr, alen); }
@external("host", "shutdown") declare function ext_shutdown(fd: i32, how: i32): i32;
@inline export function host_shutdown(fd: i32, how: i32): i32 { return isDefined(HOST_shutdown) ? HOST_shutdown(fd, how) : ext_shutdown(fd, how); }
/** fcntl(fd, cmd, arg) with an integer argument. */
@external("host", "fcntl") declare function ext_fcntl(fd: i32, cmd: i32, arg: i32): i32;
@inline export function host_fcntl(fd: i32, cmd: i32, arg: i32): i32 { return isDefined(HOST_fcntl) ? HOST_fcntl(fd, cmd, arg) : ext_fcntl(fd, cmd, arg); }
/** fcntl(fd, cmd, ptr) with a pointer argument (a core pointer). */
@external("host", "fcntl_ptr") declare function ext_fcntl_ptr(fd: i32, cmd: i32, ptr: usize): i32;
@inline export function host_fcntl_ptr(fd: i32, cmd: i32, ptr: usize): i32 { return isDefined(HOST_fcntl_ptr) ? HOST_fcntl_ptr(fd, cmd, ptr) : ext_fcntl_ptr(fd, cmd, ptr); }
/** ioctl(fd, request, ptr): ptr is a core pointer (0 for NULL). */
@external("host", "ioctl") declare function ext_ioctl(fd: i32, request: u32, ptr: usize): i32;
@inline export function host_ioctl(fd: i32, request: u32, ptr: usize): i32 { return isDefined(HOST_ioctl) ? HOST_ioctl(fd, request, ptr) : ext_ioctl(fd, request, ptr); }
/**
 * ioctl(fd, request, arg) with an int passed by value, as C's `ioctl(fd, code, (int)arg)`:
 * the kernel sees it zero-extended to unsigned long (so pointer requests meet EFAULT).
 */
@external("host", "ioctl_int") declare function ext_ioctl_int(fd: i32, request: u32, arg: i32): i32;
@inline export function host_ioctl_int(fd: i32, request: u32, arg: i32): i32 { return isDefined(HOST_ioctl_int) ? HOST_ioctl_int(fd, request, arg) : ext_ioctl_int(fd, request, arg); }
/**
 * Windows' WSAIoctl(fd, code, in, inLen, NULL, 0, &bytesReturned): returns bytesReturned or
 * -errno. Only a host with the `ioctl.windows` capability is ever called.
 */
@external("host", "win_ioctl") declare function ext_win_ioctl(fd: i32, code: u32, ptr: usize, len: i32): i32;
@inline export function host_win_ioctl(fd: i32, code: u32, ptr: usize, len: i32): i32 { return isDefined(HOST_win_ioctl) ? HOST_win_ioctl(fd, code, ptr, len) : ext_win_ioctl(fd, code, ptr, len); }
/**
 * Blocking mode of the fd (O_NONBLOCK on when `on` is 1). Its own import rather than an
 * ioctl, so a host without ioctl (WASI: fd_fdstat_set_flags) can answer it; the Linux host
 * uses ioctl(FIONBIO) as CPython's internal_setblocking does on Linux.
 */
@external("host", "set_nonblocking") declare function ext_set_nonblocking(fd: i32, on: i32): i32;
@inline export function host_set_nonblocking(fd: i32, on: i32): i32 { return isDefined(HOST_set_nonblocking) ? HOST_set_nonblocking(fd, on) : ext_set_nonblocking(fd, on); }
/** poll one fd: returns revents, 0 on timeout, or -errno. */
@external("host", "poll") declare function ext_poll(fd: i32, events: i32, timeoutMs: i32): i32;
@inline export function host_poll(fd: i32, events: i32, timeoutMs: i32): i32 { return isDefined(HOST_poll) ? HOST_poll(fd, events, timeoutMs) : ext_poll(fd, events, timeoutMs); }
/** A monotonic clock in nanoseconds. */
@external("host", "now_ns") declare function ext_now_ns(): i64;
@inline export function host_now_ns(): i64 { return isDefined(HOST_now_ns) ? HOST_now_ns() : ext_now_ns(); }

// ---------------------------------------------------------------- capability js_buffers
// A JavaScript host's zero-copy path: `id` names a buffer the host holds in its own memory
// (src/ lends it the user's buffer, the makefile reader's pool or the small-result pool just
// before the call), `off` is a byte offset into it, as u32 bits (buffers reach 4 GiB).
// Called only when the host declares js_buffers; every other host gets the calls above.

@external("host", "recv_js") declare function ext_recv_js(fd: i32, id: i32, off: i32, len: i32, flags: i32): i32;
@inline export function host_recv_js(fd: i32, id: i32, off: i32, len: i32, flags: i32): i32 { return isDefined(HOST_recv_js) ? HOST_recv_js(fd, id, off, len, flags) : ext_recv_js(fd, id, off, len, flags); }
@external("host", "send_js") declare function ext_send_js(fd: i32, id: i32, off: i32, len: i32, flags: i32): i32;
@inline export function host_send_js(fd: i32, id: i32, off: i32, len: i32, flags: i32): i32 { return isDefined(HOST_send_js) ? HOST_send_js(fd, id, off, len, flags) : ext_send_js(fd, id, off, len, flags); }
@external("host", "recvfrom_js") declare function ext_recvfrom_js(fd: i32, id: i32, off: i32, len: i32, flags: i32, addr: usize, lenptr: usize): i32;
@inline export function host_recvfrom_js(fd: i32, id: i32, off: i32, len: i32, flags: i32, addr: usize, lenptr: usize): i32 { return isDefined(HOST_recvfrom_js) ? HOST_recvfrom_js(fd, id, off, len, flags, addr, lenptr) : ext_recvfrom_js(fd, id, off, len, flags, addr, lenptr); }
@external("host", "sendto_js") declare function ext_sendto_js(fd: i32, id: i32, off: i32, len: i32, flags: i32, addr: usize, alen: i32): i32;
@inline export function host_sendto_js(fd: i32, id: i32, off: i32, len: i32, flags: i32, addr: usize, alen: i32): i32 { return isDefined(HOST_sendto_js) ? HOST_sendto_js(fd, id, off, len, flags, addr, alen) : ext_sendto_js(fd, id, off, len, flags, addr, alen); }
/** getsockopt with the value landing in buffer `id` at `off`; the length at `lenptr` (core). */
@external("host", "getsockopt_js") declare function ext_getsockopt_js(fd: i32, level: i32, opt: i32, id: i32, off: i32, lenptr: usize): i32;
@inline export function host_getsockopt_js(fd: i32, level: i32, opt: i32, id: i32, off: i32, lenptr: usize): i32 { return isDefined(HOST_getsockopt_js) ? HOST_getsockopt_js(fd, level, opt, id, off, lenptr) : ext_getsockopt_js(fd, level, opt, id, off, lenptr); }
/** ioctl(fd, request, buffer `id`): fcntl.ioctl's mutable buffers over 1024 bytes, passed directly as CPython does. */
@external("host", "ioctl_js") declare function ext_ioctl_js(fd: i32, request: u32, id: i32): i32;
@inline export function host_ioctl_js(fd: i32, request: u32, id: i32): i32 { return isDefined(HOST_ioctl_js) ? HOST_ioctl_js(fd, request, id) : ext_ioctl_js(fd, request, id); }

// ---------------------------------------------------------------- capability name_lookup
// The name service: what getaddrinfo & co need of the OS (the system resolver, /etc/services,
// /etc/protocols, the interface list). The decisions (flags, families, socket types, numeric
// hosts and ports, the order of results, the errors) are the core's (assembly/names.ts); a
// host only looks names up. Results go to `out` (`cap` bytes), lists truncated to what fits.
// Called only when the host declares name_lookup. Unlike the imports above, a negative
// result here is the resolver's own code, as each import says.

/**
 * The addresses of host name `name` (never numeric: the core parses those) for `family`
 * (0, AF_INET, AF_INET6), in the resolver's order: getaddrinfo(name, NULL, {family,
 * SOCK_STREAM, flags}) with `flags` among AI_CANONNAME, AI_V4MAPPED, AI_ALL, AI_ADDRCONFIG.
 * Writes n records of 20 bytes (i32 family, 16 address bytes) and, with AI_CANONNAME, the
 * canonical name NUL-terminated after them. Returns n, or glibc's EAI_* (< 0); EAI_SYSTEM
 * leaves errno in the i32 at `out`.
 */
@external("host", "name_addrinfo") declare function ext_name_addrinfo(name: usize, len: i32, family: i32, flags: i32, out: usize, cap: i32): i32;
@inline export function host_name_addrinfo(name: usize, len: i32, family: i32, flags: i32, out: usize, cap: i32): i32 { return isDefined(HOST_name_addrinfo) ? HOST_name_addrinfo(name, len, family, flags, out, cap) : ext_name_addrinfo(name, len, family, flags, out, cap); }
/**
 * gethostbyname_r(key) (byAddr 0; family AF_INET) or gethostbyaddr_r(key, len, family)
 * (byAddr 1, `len` 4 or 16 address bytes). Writes i32 family, i32 address count, i32 name
 * count, the addresses (4 or 16 bytes each), then the names NUL-terminated, the official one
 * first. Returns the bytes written, or -h_errno (1 HOST_NOT_FOUND .. 4 NO_DATA).
 */
@external("host", "name_hostent") declare function ext_name_hostent(byAddr: i32, key: usize, len: i32, family: i32, out: usize, cap: i32): i32;
@inline export function host_name_hostent(byAddr: i32, key: usize, len: i32, family: i32, out: usize, cap: i32): i32 { return isDefined(HOST_name_hostent) ? HOST_name_hostent(byAddr, key, len, family, out, cap) : ext_name_hostent(byAddr, key, len, family, out, cap); }
/** getservbyname(name, proto): the port (host order), or -1. `proto` 0 is NULL (any). */
@external("host", "name_servbyname") declare function ext_name_servbyname(name: usize, len: i32, proto: usize, plen: i32): i32;
@inline export function host_name_servbyname(name: usize, len: i32, proto: usize, plen: i32): i32 { return isDefined(HOST_name_servbyname) ? HOST_name_servbyname(name, len, proto, plen) : ext_name_servbyname(name, len, proto, plen); }
/** getservbyport(htons(port), proto): writes the service's name NUL-terminated; its length, or -1. */
@external("host", "name_servbyport") declare function ext_name_servbyport(port: i32, proto: usize, plen: i32, out: usize, cap: i32): i32;
@inline export function host_name_servbyport(port: i32, proto: usize, plen: i32, out: usize, cap: i32): i32 { return isDefined(HOST_name_servbyport) ? HOST_name_servbyport(port, proto, plen, out, cap) : ext_name_servbyport(port, proto, plen, out, cap); }
/** getprotobyname(name): the protocol number, or -1. */
@external("host", "name_protobyname") declare function ext_name_protobyname(name: usize, len: i32): i32;
@inline export function host_name_protobyname(name: usize, len: i32): i32 { return isDefined(HOST_name_protobyname) ? HOST_name_protobyname(name, len) : ext_name_protobyname(name, len); }
/** if_nameindex(): writes (u32 index, name NUL-terminated) for each interface; the count, or -errno. */
@external("host", "name_interfaces") declare function ext_name_interfaces(out: usize, cap: i32): i32;
@inline export function host_name_interfaces(out: usize, cap: i32): i32 { return isDefined(HOST_name_interfaces) ? HOST_name_interfaces(out, cap) : ext_name_interfaces(out, cap); }
// ---------------------------------------------------------------- capability sendmsg
// sendmsg(2) / recvmsg(2). `msg` is a message header in core memory (scripts/contract.py
// MSGHDR: the LP64 struct msghdr with u32 pointers into core memory, iovecs as {u32 base,
// u32 len}); the control buffer is in Linux x86-64's cmsghdr layout, so a Linux host hands it
// to the kernel as it is. recvmsg writes the name length, the control length and msg_flags
// back into the header. Called only when the host declares sendmsg.

@external("host", "sendmsg") declare function ext_sendmsg(fd: i32, msg: usize, flags: i32): i32;
@inline export function host_sendmsg(fd: i32, msg: usize, flags: i32): i32 { return isDefined(HOST_sendmsg) ? HOST_sendmsg(fd, msg, flags) : ext_sendmsg(fd, msg, flags); }
@external("host", "recvmsg") declare function ext_recvmsg(fd: i32, msg: usize, flags: i32): i32;
@inline export function host_recvmsg(fd: i32, msg: usize, flags: i32): i32 { return isDefined(HOST_recvmsg) ? HOST_recvmsg(fd, msg, flags) : ext_recvmsg(fd, msg, flags); }

/**
 * Called on an internal invariant failure (never on user input: that gets error codes).
 * Supplied by whoever instantiates the core, not by the OS host: src/core.ts gives the core
 * up (SystemError, fds closed, a successor for what comes next).
 */
@external("host", "abort")
export declare function abort(message: string | null, fileName: string | null, line: u32, column: u32): void;
