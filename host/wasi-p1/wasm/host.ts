// The core as a WASI preview 1 reactor (asconfig target "wasi-p1" names this folder in `lib`,
// so these HOST_* functions are the core's host: see assembly/bindings/host.ts). Every
// operation is a wasi_snapshot_preview1 call on a socket the embedder pre-opened: preview 1
// cannot create, bind, connect or listen, has no socket options and no addresses, so the
// capability set below leaves those out and the core raises NotAvailableError before any
// of the ENOSYS answers further down could be reached. Numbering is translated at this edge:
// Linux flags and errnos in (the core's), WASI's out (the runtime's), errno-table.ts back.
//
// Layouts are wasm32's (witx): iovec {buf u32, len u32}; subscription 48 bytes {userdata u64,
// tag u8 @8, clock {id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40} or
// fd_readwrite {fd u32 @16}}; event 32 bytes {userdata u64, error u16 @8, type u8 @10,
// fd_readwrite {nbytes u64 @16, flags u16 @24}}; fdstat 24 bytes {filetype u8, flags u16 @2,
// rights u64 @8, inheriting u64 @16}.

import { WASI_TO_LINUX_ERRNO } from "./errno-table";
import { capBits, setCapBits } from "./p1/caps";

@external("wasi_snapshot_preview1", "sock_accept") declare function p1_sock_accept(fd: i32, flags: i32, newfd: usize): i32;
@external("wasi_snapshot_preview1", "sock_recv") declare function p1_sock_recv(fd: i32, iovs: usize, n: i32, riflags: i32, datalen: usize, roflags: usize): i32;
@external("wasi_snapshot_preview1", "sock_send") declare function p1_sock_send(fd: i32, iovs: usize, n: i32, siflags: i32, datalen: usize): i32;
@external("wasi_snapshot_preview1", "sock_shutdown") declare function p1_sock_shutdown(fd: i32, how: i32): i32;
@external("wasi_snapshot_preview1", "fd_close") declare function p1_fd_close(fd: i32): i32;
@external("wasi_snapshot_preview1", "fd_fdstat_get") declare function p1_fd_fdstat_get(fd: i32, stat: usize): i32;
@external("wasi_snapshot_preview1", "fd_fdstat_set_flags") declare function p1_fd_fdstat_set_flags(fd: i32, flags: i32): i32;
@external("wasi_snapshot_preview1", "poll_oneoff") declare function p1_poll_oneoff(subs: usize, events: usize, n: i32, nevents: usize): i32;
@external("wasi_snapshot_preview1", "clock_time_get") declare function p1_clock_time_get(id: i32, precision: i64, time: usize): i32;

// Linux numbers (the core's).
const ENOSYS: i32 = 38, EINVAL: i32 = 22, EOPNOTSUPP: i32 = 95, EIO: i32 = 5, ENOTSOCK: i32 = 88, ENOPROTOOPT: i32 = 92;
const SOL_SOCKET: i32 = 1, SO_TYPE: i32 = 3, SOCK_STREAM: i32 = 1, SOCK_DGRAM: i32 = 2;
const FILETYPE_SOCKET_DGRAM: u8 = 5, FILETYPE_SOCKET_STREAM: u8 = 6;
const MSG_PEEK: i32 = 2, MSG_WAITALL: i32 = 0x100;
const SOCK_NONBLOCK: i32 = 0o4000;
const POLLIN: i32 = 1, POLLOUT: i32 = 4, POLLERR: i32 = 8, POLLHUP: i32 = 16;
const SHUT_RD: i32 = 0, SHUT_WR: i32 = 1, SHUT_RDWR: i32 = 2;

// WASI numbers.
const FDFLAGS_NONBLOCK: i32 = 4;
const RIFLAGS_PEEK: i32 = 1, RIFLAGS_WAITALL: i32 = 2;
const SDFLAGS_RD: i32 = 1, SDFLAGS_WR: i32 = 2;
const CLOCK_MONOTONIC: i32 = 1;
const EVENTTYPE_CLOCK: u8 = 0, EVENTTYPE_FD_READ: u8 = 1, EVENTTYPE_FD_WRITE: u8 = 2;
const EVENTRWFLAGS_HANGUP: u16 = 1;
const SUB_SIZE: usize = 48, EVENT_SIZE: usize = 32;

// The host's own scratch (static data: the core's scratch areas stay the core's).
const IOV = memory.data(8);           // one iovec
const OUT = memory.data(16);          // a result: new fd, byte count, time (u64), nevents
const OUT2 = memory.data(8);          // roflags
const STAT = memory.data(24, 8);      // an fdstat
const SUBS = memory.data(144, 8);    // read, write and clock subscriptions
const EVENTS = memory.data(96, 8);

/** A WASI errno as the core's -errno (Linux numbering). */
function linux(e: i32): i32 {
  if (e <= 0) return 0;
  return -(e < WASI_TO_LINUX_ERRNO.length ? unchecked(WASI_TO_LINUX_ERRNO[e]) : EIO);
}

/**
 * The capability set, given by the embedder before core_init (host/wasi-p1/index.ts: what
 * preview 1 offers for a pre-opened socket, or less).
 */
export function HOST_caps(): i32 { return capBits(); }
export function P1_set_caps(bits: i32): void { setCapBits(bits); }

export function HOST_accept(fd: i32, _addr: usize, lenptr: usize, flags: i32): i32 {
  const e = p1_sock_accept(fd, (flags & SOCK_NONBLOCK) != 0 ? FDFLAGS_NONBLOCK : 0, OUT);
  if (e != 0) return linux(e);
  // sock_accept reports no peer address: length 0, which makesockaddr() turns into None.
  if (lenptr != 0) store<i32>(lenptr, 0);
  return load<i32>(OUT);
}

function recvInto(fd: i32, buf: usize, len: i32, flags: i32): i32 {
  // wasi-libc's recv(): PEEK and WAITALL have riflags; any other flag is EOPNOTSUPP.
  if ((flags & ~(MSG_PEEK | MSG_WAITALL)) != 0) return -EOPNOTSUPP;
  let ri = 0;
  if (flags & MSG_PEEK) ri |= RIFLAGS_PEEK;
  if (flags & MSG_WAITALL) ri |= RIFLAGS_WAITALL;
  store<u32>(IOV, <u32>buf);
  store<u32>(IOV + 4, <u32>len);
  const e = p1_sock_recv(fd, IOV, 1, ri, OUT, OUT2);
  return e != 0 ? linux(e) : load<i32>(OUT);
}

export function HOST_recv(fd: i32, buf: usize, len: i32, flags: i32): i32 { return recvInto(fd, buf, len, flags); }

/** recvfrom: sock_recv, with no sender (preview 1 has none to report): the address is None. */
export function HOST_recvfrom(fd: i32, buf: usize, len: i32, flags: i32, _addr: usize, lenptr: usize): i32 {
  const r = recvInto(fd, buf, len, flags);
  if (r >= 0 && lenptr != 0) store<i32>(lenptr, 0);
  return r;
}

export function HOST_send(fd: i32, buf: usize, len: i32, flags: i32): i32 {
  // wasi-libc's send(): siflags has no flag defined, so any flag is EOPNOTSUPP.
  if (flags != 0) return -EOPNOTSUPP;
  store<u32>(IOV, <u32>buf);
  store<u32>(IOV + 4, <u32>len);
  const e = p1_sock_send(fd, IOV, 1, 0, OUT);
  return e != 0 ? linux(e) : load<i32>(OUT);
}

/** sendto: preview 1 cannot carry a destination. */
export function HOST_sendto(_fd: i32, _buf: usize, _len: i32, _flags: i32, _addr: usize, _alen: i32): i32 { return -EOPNOTSUPP; }

export function HOST_shutdown(fd: i32, how: i32): i32 {
  let sd = 0;
  if (how == SHUT_RD) sd = SDFLAGS_RD;
  else if (how == SHUT_WR) sd = SDFLAGS_WR;
  else if (how == SHUT_RDWR) sd = SDFLAGS_RD | SDFLAGS_WR;
  else return -EINVAL;
  return linux(p1_sock_shutdown(fd, sd));
}

export function HOST_close(fd: i32): i32 { return linux(p1_fd_close(fd)); }

/** O_NONBLOCK through the fd's flags: read them (fd_fdstat_get), change one bit, write them back. */
export function HOST_set_nonblocking(fd: i32, on: i32): i32 {
  const e = p1_fd_fdstat_get(fd, STAT);
  if (e != 0) return linux(e);
  const flags = <i32>load<u16>(STAT, 2);
  return linux(p1_fd_fdstat_set_flags(fd, on != 0 ? flags | FDFLAGS_NONBLOCK : flags & ~FDFLAGS_NONBLOCK));
}

/**
 * poll() of one fd through poll_oneoff: a read and/or write subscription on the fd, and a
 * monotonic clock subscription for the timeout (none when timeoutMs < 0: wait without limit).
 * Returns poll's revents, 0 when only the clock fired, or -errno.
 */
export function HOST_poll(fd: i32, events: i32, timeoutMs: i32): i32 {
  memory.fill(SUBS, 0, 3 * SUB_SIZE);
  let n = 0;
  if (events & POLLIN) { sub(n++, EVENTTYPE_FD_READ); store<u32>(SUBS + 16, <u32>fd); }
  if (events & POLLOUT) { const at = SUBS + <usize>n * SUB_SIZE; sub(n++, EVENTTYPE_FD_WRITE); store<u32>(at + 16, <u32>fd); }
  if (timeoutMs >= 0) {
    const at = SUBS + <usize>n * SUB_SIZE;
    sub(n++, EVENTTYPE_CLOCK);
    store<u32>(at + 16, CLOCK_MONOTONIC);
    store<u64>(at + 24, <u64>timeoutMs * 1_000_000);
  }
  if (n == 0) return 0;
  const e = p1_poll_oneoff(SUBS, EVENTS, n, OUT);
  if (e != 0) return linux(e);
  const got = load<i32>(OUT);
  let revents = 0;
  for (let i = 0; i < got; i++) {
    const ev = EVENTS + <usize>i * EVENT_SIZE;
    const type = load<u8>(ev, 10);
    if (type == EVENTTYPE_CLOCK) continue;
    if (load<u16>(ev, 8) != 0) revents |= POLLERR;
    else revents |= type == EVENTTYPE_FD_READ ? POLLIN : POLLOUT;
    if ((load<u16>(ev, 24) & EVENTRWFLAGS_HANGUP) != 0) revents |= POLLHUP;
  }
  return revents;
}

/** Subscription i's userdata (its index) and tag. */
function sub(i: i32, tag: u8): void {
  const at = SUBS + <usize>i * SUB_SIZE;
  store<u64>(at, <u64>i);
  store<u8>(at, tag, 8);
}

/** clock_time_get(monotonic); a clock that fails reads as 0 (nothing here can raise). */
export function HOST_now_ns(): i64 {
  return p1_clock_time_get(CLOCK_MONOTONIC, 1, OUT) == 0 ? load<i64>(OUT) : 0;
}

// Preview 1 has no call behind these: the capability set keeps the core from ever asking
// (ENOSYS, host/none's honest answer, should it ever do).
export function HOST_socket(_family: i32, _type: i32, _proto: i32): i32 { return -ENOSYS; }
export function HOST_socketpair(_family: i32, _type: i32, _proto: i32, _out: usize): i32 { return -ENOSYS; }
export function HOST_dup(_fd: i32): i32 { return -ENOSYS; }
export function HOST_bind(_fd: i32, _addr: usize, _len: i32): i32 { return -ENOSYS; }
export function HOST_connect(_fd: i32, _addr: usize, _len: i32): i32 { return -ENOSYS; }
export function HOST_listen(_fd: i32, _backlog: i32): i32 { return -ENOSYS; }
/**
 * Only SOL_SOCKET/SO_TYPE (the sotype capability: socket(fileno=) asks it): the fd's filetype,
 * as wasi-libc's getsockopt reads it; any other fd is ENOTSOCK, an fd that is not open EBADF.
 */
export function HOST_getsockopt(fd: i32, level: i32, opt: i32, val: usize, lenptr: usize): i32 {
  if (level != SOL_SOCKET || opt != SO_TYPE) return -ENOPROTOOPT;
  const e = p1_fd_fdstat_get(fd, STAT);
  if (e != 0) return linux(e);
  const ft = load<u8>(STAT);
  if (ft != FILETYPE_SOCKET_DGRAM && ft != FILETYPE_SOCKET_STREAM) return -ENOTSOCK;
  store<i32>(val, ft == FILETYPE_SOCKET_DGRAM ? SOCK_DGRAM : SOCK_STREAM);
  store<i32>(lenptr, 4);
  return 0;
}
export function HOST_setsockopt(_fd: i32, _level: i32, _opt: i32, _val: usize, _len: i32): i32 { return -ENOSYS; }
export function HOST_getsockname(_fd: i32, _addr: usize, _lenptr: usize): i32 { return -ENOSYS; }
export function HOST_getpeername(_fd: i32, _addr: usize, _lenptr: usize): i32 { return -ENOSYS; }
