// The emulated network as a host compiled into the core (asconfig target "emulated" names
// this folder in `lib`, so these HOST_* functions are the core's host: see
// assembly/bindings/host.ts). No system call is ever made: every socket lives in the
// network's own kernel (kernel/), on its virtual clock. The EMU_* functions are the
// embedder's controls (machines, seed, faults, time), exported by assembly/emulated.ts.

import * as ops from "./kernel/ops";
import { capBits, setCapBits } from "./kernel/caps";
import { setFdLimit, sockOf, badFd, fdValid, fileFlagsOf, setFileFlags, cloexecOf, setCloexec, dupFd, socks, sockAt, openFds, FD_LIMIT } from "./kernel/sock";
import { now, advanceTo } from "./kernel/clock";
import { runUntil, whyOp, whySock, waitFor, W_READ } from "./kernel/wait";
import { getsockopt, setsockopt, setPrivileged } from "./kernel/opts";
import { seed, addMachine, useMachine, addAddress, setLatency, setBandwidth, setUdpFaults, machineOf } from "./kernel/net";
import { fault, injectReset } from "./kernel/faults";
import { armKeepalive } from "./kernel/stream";
import { unixUnlink } from "./kernel/unix";
import { dgLen, front } from "./kernel/dgram";
import {
  EBADF, EINVAL, ENOTTY_, F_GETFL, F_SETFL, F_GETFD, F_SETFD, F_DUPFD, F_DUPFD_CLOEXEC, FD_CLOEXEC,
  O_RDWR, O_NONBLOCK, O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME, FIONREAD, SIOCOUTQ, SIOCOUTQNSD, FIONBIO,
  SIOCATMARK, FIOCLEX, FIONCLEX, TCP_LISTEN, SOCK_DGRAM, AF_UNIX,
} from "./kernel/host-defs";

/** How many host calls the core has made (the policy tests count them: a denial makes none). */
let hostCalls: i32 = 0;
/** names.ts's calls count too. */
export function countHostCall(): void { hostCalls++; }

export function HOST_caps(): i32 { return capBits(); }
export function HOST_socket(family: i32, type: i32, proto: i32): i32 { hostCalls++; return ops.socket(family, type, proto); }
export function HOST_socketpair(family: i32, type: i32, proto: i32, out: usize): i32 { hostCalls++; return ops.socketpair(family, type, proto, out); }
export function HOST_close(fd: i32): i32 { hostCalls++; return ops.close(fd); }
export function HOST_dup(fd: i32): i32 { hostCalls++; return ops.dup(fd); }
export function HOST_bind(fd: i32, addr: usize, len: i32): i32 { hostCalls++; return ops.bind(fd, addr, len); }
export function HOST_connect(fd: i32, addr: usize, len: i32): i32 { hostCalls++; return ops.connect(fd, addr, len); }
export function HOST_listen(fd: i32, backlog: i32): i32 { hostCalls++; return ops.listen(fd, backlog); }
export function HOST_accept(fd: i32, addr: usize, lenptr: usize, flags: i32): i32 { hostCalls++; return ops.accept(fd, addr, lenptr, flags); }
export function HOST_getsockopt(fd: i32, level: i32, opt: i32, val: usize, lenptr: usize): i32 {
  hostCalls++;
  const s = sockOf(fd);
  return s === null ? badFd(fd) : getsockopt(s, level, opt, val, lenptr);
}
export function HOST_setsockopt(fd: i32, level: i32, opt: i32, val: usize, len: i32): i32 {
  hostCalls++;
  const s = sockOf(fd);
  return s === null ? badFd(fd) : setsockopt(s, level, opt, val, len);
}
export function HOST_getsockname(fd: i32, addr: usize, lenptr: usize): i32 { hostCalls++; return ops.getsockname(fd, addr, lenptr); }
export function HOST_getpeername(fd: i32, addr: usize, lenptr: usize): i32 { hostCalls++; return ops.getpeername(fd, addr, lenptr); }
export function HOST_recv(fd: i32, buf: usize, len: i32, flags: i32): i32 { hostCalls++; return ops.recvfrom(fd, buf, len, flags, 0, 0); }
export function HOST_send(fd: i32, buf: usize, len: i32, flags: i32): i32 { hostCalls++; return ops.sendto(fd, buf, len, flags, 0, 0); }
export function HOST_recvfrom(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, lenptr: usize): i32 { hostCalls++; return ops.recvfrom(fd, buf, len, flags, addr, lenptr); }
export function HOST_sendto(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, alen: i32): i32 { hostCalls++; return ops.sendto(fd, buf, len, flags, addr, alen); }
export function HOST_shutdown(fd: i32, how: i32): i32 { hostCalls++; return ops.shutdown(fd, how); }

/** fcntl on a socket's fd, with Linux's rules for the commands a socket answers. */
export function HOST_fcntl(fd: i32, cmd: i32, arg: i32): i32 {
  hostCalls++;
  if (!fdValid(fd)) return -EBADF;
  switch (cmd) {
    case F_GETFL: return O_RDWR | fileFlagsOf(fd);
    case F_SETFL: setFileFlags(fd, arg & (O_NONBLOCK | O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME)); return 0;
    case F_GETFD: return cloexecOf(fd) ? FD_CLOEXEC : 0;
    case F_SETFD: setCloexec(fd, (arg & FD_CLOEXEC) != 0); return 0;
    case F_DUPFD: case F_DUPFD_CLOEXEC:
      // f_dupfd: the arg is unsigned long; at or above RLIMIT_NOFILE it is EINVAL.
      if (arg < 0 || arg >= FD_LIMIT) return -EINVAL;
      return dupFd(fd, cmd == F_DUPFD_CLOEXEC, arg);
  }
  return -EINVAL;
}
/**
 * fcntl with a buffer (Python's bytes/str arg): the kernel gets the buffer's address as its
 * unsigned long arg, so the int commands run with that number (F_GETFD/F_GETFL ignore it).
 */
export function HOST_fcntl_ptr(fd: i32, cmd: i32, ptr: usize): i32 { return HOST_fcntl(fd, cmd, <i32>ptr); }

/** The socket ioctls Linux answers (sock_ioctl, tcp_ioctl, udp_ioctl); others are ENOTTY. */
export function HOST_ioctl(fd: i32, request: u32, ptr: usize): i32 {
  hostCalls++;
  const s = sockOf(fd);
  if (s === null) return -EBADF;
  switch (request) {
    case FIONREAD:
      if (s.type == SOCK_DGRAM) { const b = front(s); store<i32>(ptr, b != 0 ? dgLen(b) : 0); return 0; }
      if (s.state == TCP_LISTEN) return -EINVAL;
      store<i32>(ptr, s.rq.len); return 0;
    case SIOCOUTQ: case SIOCOUTQNSD:
      // SIOCOUTQNSD is tcp_ioctl's alone (udp_ioctl and unix_ioctl answer SIOCOUTQ).
      if (request == SIOCOUTQNSD && (s.type == SOCK_DGRAM || s.family == AF_UNIX)) return -ENOTTY_;
      if (s.type == SOCK_DGRAM) { store<i32>(ptr, 0); return 0; }
      if (s.state == TCP_LISTEN) return -EINVAL;
      store<i32>(ptr, s.sq.len); return 0;
    case FIONBIO: {
      const on = load<i32>(ptr) != 0;
      setFileFlags(fd, on ? fileFlagsOf(fd) | O_NONBLOCK : fileFlagsOf(fd) & ~O_NONBLOCK);
      return 0;
    }
    case SIOCATMARK:
      if (s.type == SOCK_DGRAM && s.family != AF_UNIX) return -ENOTTY_;   // tcp_ioctl's and unix_ioctl's, not udp_ioctl's
      store<i32>(ptr, 0); return 0;
    case FIOCLEX: setCloexec(fd, true); return 0;
    case FIONCLEX: setCloexec(fd, false); return 0;
  }
  return -ENOTTY_;
}
export function HOST_ioctl_int(fd: i32, request: u32, arg: i32): i32 {
  hostCalls++;
  if (!fdValid(fd)) return -EBADF;
  if (request == FIOCLEX || request == FIONCLEX) return HOST_ioctl(fd, request, 0);
  // The int is taken as an address by requests that write: nothing valid lives there.
  if (request == FIONREAD || request == SIOCOUTQ || request == SIOCOUTQNSD || request == FIONBIO || request == SIOCATMARK) return -14;
  return -ENOTTY_;
}
/**
 * socket.ioctl (the windows profile: only its capability set lets the core call this). Errors
 * are Linux errnos; the JavaScript host shows them as Windows' (host/emulated/index.ts).
 */
export function HOST_win_ioctl(fd: i32, code: u32, ptr: usize, len: i32): i32 {
  hostCalls++;
  const s = sockOf(fd);
  if (s === null) return badFd(fd);
  switch (code) {
    case 0x98000001:    // SIO_RCVALL: a raw IPPROTO_IP socket only (there are none here): WSAEINVAL
      return -EINVAL;
    case 0x98000010:    // SIO_LOOPBACK_FAST_PATH: a TCP socket, before it connects
      if (s.type != 1 || s.family == 1) return -95;     // WSAEOPNOTSUPP
      return s.state == 7 && s.peer < 0 ? 0 : -EINVAL;
    case 0x98000004: {  // SIO_KEEPALIVE_VALS: onoff, keepalivetime (ms), keepaliveinterval (ms)
      if (s.type != 1 || s.family == 1) return -95;
      const on = load<u32>(ptr), idle = load<u32>(ptr + 4), intvl = load<u32>(ptr + 8);
      store<i32>(ptr + 16, on != 0 ? 1 : 0);
      const r = setsockopt(s, 1, 9, ptr + 16, 4);          // SO_KEEPALIVE, as Windows sets it
      if (r < 0) return r;
      s.winKaIdle = on != 0 ? <i64>max<u32>(idle, 1) * 1_000_000 : 0;
      s.winKaIntvl = <i64>max<u32>(intvl, 1) * 1_000_000;
      if (on != 0) armKeepalive(s);
      return 0;
    }
  }
  return -EINVAL;
}
export function HOST_set_nonblocking(fd: i32, on: i32): i32 {
  hostCalls++;
  if (!fdValid(fd)) return -EBADF;
  setFileFlags(fd, on != 0 ? fileFlagsOf(fd) | O_NONBLOCK : fileFlagsOf(fd) & ~O_NONBLOCK);
  return 0;
}
export function HOST_poll(fd: i32, events: i32, timeoutMs: i32): i32 { hostCalls++; return ops.poll(fd, events, timeoutMs); }
/** The network's virtual clock. */
export function HOST_now_ns(): i64 { return now; }
export function HOST_recv_js(_fd: i32, _id: i32, _off: i32, _len: i32, _flags: i32): i32 { hostCalls++; return -38; }
export function HOST_send_js(_fd: i32, _id: i32, _off: i32, _len: i32, _flags: i32): i32 { hostCalls++; return -38; }
export function HOST_recvfrom_js(_fd: i32, _id: i32, _off: i32, _len: i32, _flags: i32, _addr: usize, _lenptr: usize): i32 { hostCalls++; return -38; }
export function HOST_sendto_js(_fd: i32, _id: i32, _off: i32, _len: i32, _flags: i32, _addr: usize, _alen: i32): i32 { hostCalls++; return -38; }
export function HOST_getsockopt_js(_fd: i32, _level: i32, _opt: i32, _id: i32, _off: i32, _lenptr: usize): i32 { hostCalls++; return -38; }
export function HOST_ioctl_js(_fd: i32, _request: u32, _id: i32): i32 { hostCalls++; return -38; }

// ------------------------------------------------------------------ the embedder's controls

export function EMU_set_caps(bits: i32): void { setCapBits(bits); }
/** Whether the emulated process holds CAP_NET_ADMIN and CAP_NET_RAW (and is uid 0). */
export function EMU_set_privileged(on: i32): void { setPrivileged(on != 0); }
export function EMU_seed(hi: u32, lo: u32): void { seed((<u64>hi << 32) | <u64>lo); }
export function EMU_add_machine(pid: i32): i32 { return addMachine(pid); }
export function EMU_use_machine(m: i32): void { useMachine(m); }
/** Gives machine m the address in the sockaddr at `sa`. */
export function EMU_add_address(m: i32, sa: usize): void { addAddress(m, sa); }
export function EMU_machine_of(sa: usize): i32 { return machineOf(sa, -2); }
export function EMU_fault(kind: i32, a: i32, b: i32, at: f64): void { fault(kind, a, b, <i64>at); }
export function EMU_latency(a: i32, b: i32, ns: f64, jitter: f64): void { setLatency(a, b, <i64>ns, <i64>jitter); }
export function EMU_bandwidth(m: i32, bytesPerSec: f64): void { setBandwidth(m, <i64>bytesPerSec); }
export function EMU_udp_faults(loss: f64, dup: f64, reorder: f64): void { setUdpFaults(loss, dup, reorder); }
export function EMU_reset(fd: i32): i32 { const s = sockOf(fd); if (s === null) return -EBADF; injectReset(s); return 0; }
/** The virtual clock, in ns (f64: exact below 2^53 ns, 104 days). */
export function EMU_now(): f64 { return <f64>now; }
/** Lets virtual time pass: timers due by then fire. */
export function EMU_advance(ns: f64): void { runUntil(now + <i64>ns); }
/** What the last EDEADLK was waiting for (0 read, 1 write, 2 accept, 3 connect) and on which fd's socket. */
export function EMU_why_op(): i32 { return whyOp; }
export function EMU_open_fds(): i32 { return openFds; }
/** unlink() of an AF_UNIX path: the sockaddr_un at sa (len bytes). */
export function EMU_unlink(sa: usize, len: i32): i32 { return unixUnlink(sa, len); }
/** RLIMIT_NOFILE of the emulated process (default 1024, a fresh Linux process's soft limit). */
export function EMU_set_fd_limit(n: i32): void { setFdLimit(n); }
/** poll() of several fds for an embedder (wasock's WASI preview 1 functions over this network's sockets): not counted as a core's host call. */
export function EMU_poll(fds: usize, n: i32, timeoutMs: i32): i32 { return ops.pollMany(fds, n, timeoutMs); }
/** The host calls made so far (HOST_* but caps and the clock). */
export function EMU_host_calls(): i32 { return hostCalls; }
