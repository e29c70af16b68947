// The system calls of the emulated kernel: what host/emulated/host.ts's HOST_* functions do.
// Arguments and results follow the host ABI (assembly/bindings/host.ts): pointers into core
// memory, results >= 0 or -errno.

import { Sock, sockAt, newSock, freeSock, sockOf, badFd, openFd, closeFd, dupFd, fdValid, nonblocking,
         fileFlagsOf, setFileFlags, cloexecOf, setCloexec, ADDR_MAX } from "./sock";
import { now, nextAt, advanceTo } from "./clock";
import { current, machineOf, isLocal, portOf, setPort, ipForm, formIsAny, conflicts, ephemeral,
         addBinding, removeBinding, isCut, isCrashed, machinePid, anyFaults, machineCount, addListener, firstAddress } from "./net";
import { optsInit, optsBound, procUid, privileged } from "./opts";
import { waitFor, deadlineAfter, fireNext, W_READ, W_WRITE, W_ACCEPT, W_CONNECT, W_DRAIN, W_BACKLOG, FOREVER } from "./wait";
import * as st from "./stream";
import * as dg from "./dgram";
import { unixBind, unixFind, unixUnbind, unixAutobind } from "./unix";
import {
  AF_UNIX, AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_RAW, SOCK_NONBLOCK, SOCK_CLOEXEC,
  IPPROTO_TCP, IPPROTO_UDP, EPERM, ENOENT, EBADF, EAGAIN, EINVAL, EDEADLK, EPIPE, ENOTSOCK, EDESTADDRREQ, EMSGSIZE,
  EPROTONOSUPPORT, ESOCKTNOSUPPORT, EOPNOTSUPP, EAFNOSUPPORT, EADDRINUSE, EADDRNOTAVAIL, ENETUNREACH,
  ECONNRESET, EISCONN, ENOTCONN, ECONNREFUSED, EALREADY, EINPROGRESS, ECONNABORTED, EFAULT, ENOBUFS,
  MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT, MSG_WAITALL, MSG_OOB, POLLIN, POLLOUT, POLLERR, POLLHUP, POLLRDHUP, POLLNVAL,
  SHUT_RD, SHUT_WR, SHUT_RDWR, TCP_ESTABLISHED, TCP_SYN_SENT, TCP_LISTEN, TCP_CLOSE, TCP_CLOSE_WAIT, O_NONBLOCK,
} from "./defs";

const SOMAXCONN: i32 = 4096;

// ------------------------------------------------------------------ creation

/** __sock_create's, inet_create's and unix_create's checks, in Linux's order. */
function checkKind(family: i32, type: i32, proto: i32): i32 {
  if (family < 0 || family >= 46) return -EAFNOSUPPORT;           // NPROTO
  if (type < 0 || type >= 11) return -EINVAL;                    // SOCK_MAX
  if (family != AF_UNIX && family != AF_INET && family != AF_INET6) return -EAFNOSUPPORT;
  if (family == AF_UNIX) {
    if (proto != 0 && proto != 1) return -EPROTONOSUPPORT;
    if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_SEQPACKET && type != SOCK_RAW) return -ESOCKTNOSUPPORT;
    return 0;
  }
  if (proto < 0 || proto >= 263) return -EINVAL;                   // IPPROTO_MAX
  if (type == SOCK_STREAM) return proto == 0 || proto == IPPROTO_TCP ? 0 : -EPROTONOSUPPORT;
  if (type == SOCK_DGRAM) return proto == 0 || proto == IPPROTO_UDP ? 0 : -EPROTONOSUPPORT;
  // Raw sockets need CAP_NET_RAW, which the emulated process lacks.
  if (type == SOCK_RAW) return proto == 0 ? -EPROTONOSUPPORT : -EPERM;
  return -ESOCKTNOSUPPORT;
}

function make(family: i32, type: i32, proto: i32): Sock {
  if (family == AF_UNIX && type == SOCK_RAW) type = SOCK_DGRAM;
  const s = newSock();
  s.family = family; s.type = type;
  s.proto = family == AF_UNIX ? 0 : (proto != 0 ? proto : (type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP));
  s.machine = current;
  s.pid = machinePid[current]; s.uid = procUid(); s.gid = procUid();
  optsInit(s);
  return s;
}

export function socket(family: i32, type: i32, proto: i32): i32 {
  const flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
  const base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  const k = checkKind(family, base, proto);
  if (k < 0) return k;
  const s = make(family, base, proto);
  const fd = openFd(s, flags & SOCK_NONBLOCK ? O_NONBLOCK : 0, (flags & SOCK_CLOEXEC) != 0);
  if (fd < 0) freeSock(s);
  return fd;
}

export function socketpair(family: i32, type: i32, proto: i32, out: usize): i32 {
  const flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
  const base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  const k = checkKind(family, base, proto);
  if (k < 0) return k;
  if (family != AF_UNIX) return -EOPNOTSUPP;
  const a = make(family, base, proto), b = make(family, base, proto);
  store<u16>(a.local, <u16>AF_UNIX); store<u16>(b.local, <u16>AF_UNIX);
  a.localLen = 0; b.localLen = 0;
  store<u16>(a.remote, <u16>AF_UNIX); store<u16>(b.remote, <u16>AF_UNIX);
  a.remoteLen = 2; b.remoteLen = 2;
  a.state = TCP_ESTABLISHED; b.state = TCP_ESTABLISHED;
  if (base == SOCK_STREAM) { a.peer = b.id; b.peer = a.id; }
  else { a.peer = b.id; b.peer = a.id; a.peerGen = b.gen; b.peerGen = a.gen; }
  const nb = flags & SOCK_NONBLOCK ? O_NONBLOCK : 0, ce = (flags & SOCK_CLOEXEC) != 0;
  const fa = openFd(a, nb, ce);
  if (fa < 0) { freeSock(a); freeSock(b); return fa; }
  const fb = openFd(b, nb, ce);
  if (fb < 0) { closeFd(fa); freeSock(a); freeSock(b); return fb; }
  store<i32>(out, fa); store<i32>(out + 4, fb);
  return 0;
}

export function dup(fd: i32): i32 {
  if (!fdValid(fd)) return -EBADF;
  return dupFd(fd, true);
}

export function close(fd: i32): i32 {
  if (!fdValid(fd)) return -EBADF;
  const s = closeFd(fd);
  if (s === null) return 0;
  releaseSock(s);
  return 0;
}

/** The last reference to s is gone. */
export function releaseSock(s: Sock): void {
  if (s.family == AF_UNIX) unixUnbind(s);
  if (s.type == SOCK_DGRAM) {
    dg.drain(s);
    if (s.family == AF_UNIX && s.peer >= 0) { const p = sockAt(s.peer); if (p.peer == s.id) p.peer = -1; }
    removeBinding(s);
    freeSock(s);
    return;
  }
  st.closeStream(s);
}

// ------------------------------------------------------------------ names

function addrLenFor(family: i32): i32 { return family == AF_INET ? 16 : 28; }

export function bind(fd: i32, addr: usize, len: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return badFd(fd);
  if (s.family == AF_UNIX) return unixBind(s, addr, len);
  if (len < 2) return -EINVAL;
  const fam = <i32>load<u16>(addr);
  if (s.family == AF_INET) {
    if (len < 16) return -EINVAL;
    if (fam != AF_INET) return -EAFNOSUPPORT;
  } else {
    if (len < 24) return -EINVAL;
    if (fam != AF_INET6) return -EINVAL;
  }
  if (s.bound) return -EINVAL;
  // An address of another machine (or none) cannot be bound: EADDRNOTAVAIL. The limited
  // broadcast address is every machine's (inet_addr_type: RTN_BROADCAST may be bound).
  const bcast = s.family == AF_INET && load<u32>(addr + 4) == 0xffffffff;
  if (!bcast && !isLocal(addr, s.machine)) return -EADDRNOTAVAIL;
  if (s.family == AF_INET6 && <i32>load<u32>(addr + 16) == 0xffff0000 && load<u64>(addr + 8) == 0 && s.o.v6only) return -EINVAL;
  let port = portOf(addr);
  memory.fill(s.local, 0, ADDR_MAX);
  memory.copy(s.local, addr, addrLenFor(s.family));
  if (s.family == AF_INET) memory.fill(s.local + 8, 0, 8);
  else { store<u32>(s.local + 4, 0); if (!scopeNeeded(s.local)) store<u32>(s.local + 24, 0); }
  s.localLen = addrLenFor(s.family);
  let err = 0;
  if (port == 0) {
    port = ephemeral(s, false);
    if (port == 0) err = EADDRINUSE;
  } else if (port < 1024 && !privileged) {
    // Binding a privileged port needs CAP_NET_BIND_SERVICE (network({ privileged })).
    err = 13;   // EACCES
  } else if (conflicts(s, port)) {
    err = EADDRINUSE;
  }
  if (err != 0) { memory.fill(s.local, 0, ADDR_MAX); s.localLen = 0; return -err; }
  setPort(s.local, port);
  s.bound = true;
  st.markAutoBound(s, false);
  addBinding(s);
  optsBound(s);
  return 0;
}

/** Link-local IPv6 addresses keep their scope id. */
function scopeNeeded(sa: usize): bool { return load<u8>(sa + 8) == 0xfe && (load<u8>(sa + 9) & 0xc0) == 0x80; }

/** connect()'s and sendto()'s implicit bind: the source address for `dest`, an ephemeral port. */
function autobind(s: Sock, dest: usize, forConnect: bool): i32 {
  if (!s.bound) {
    memory.fill(s.local, 0, ADDR_MAX);
    store<u16>(s.local, <u16>s.family);
    s.localLen = addrLenFor(s.family);
    const port = ephemeral(s, forConnect);
    if (port == 0) return -EADDRNOTAVAIL;
    setPort(s.local, port);
    s.bound = true;
    st.markAutoBound(s, true);
    addBinding(s);
  }
  if (dest != 0 && (s.type == SOCK_STREAM || true)) setSource(s, dest);
  return 0;
}

/**
 * A socket bound to the wildcard takes the source address of its route to dest on connect:
 * loopback destinations leave from loopback (127.0.0.1, ::1), another machine's from this
 * machine's first address of the family (127.0.0.1 / ::1 when it has none).
 */
function setSource(s: Sock, dest: usize): void {
  const f = ipForm(s.local);
  if (!formIsAny(f)) return;
  const df = ipForm(dest);
  const destMapped = load<u32>(df + 8) == 0xffff0000 && load<u64>(df) == 0;
  const local = machineOf(dest, s.machine) == s.machine;
  if (s.family == AF_INET) {
    if (local || !firstAddress(s.machine, false, s.local + 4)) store<u32>(s.local + 4, 0x0100007f);
  } else if (destMapped) {
    store<u64>(s.local + 8, 0); store<u32>(s.local + 16, 0xffff0000);
    if (local || !firstAddress(s.machine, false, s.local + 20)) store<u32>(s.local + 20, 0x0100007f);
  } else if (local || !firstAddress(s.machine, true, s.local + 8)) {
    store<u64>(s.local + 8, 0); store<u64>(s.local + 16, 0x0100000000000000);
  }
}

export function getsockname(fd: i32, addr: usize, lenptr: usize): i32 {
  const s = sockOf(fd);
  if (s === null) return badFd(fd);
  let n = s.localLen;
  if (n == 0) {
    // Unbound: the family's wildcard (inet) or an unnamed unix socket.
    memory.fill(addr, 0, <usize>min(load<i32>(lenptr), ADDR_MAX));
    const m = s.family == AF_UNIX ? 2 : addrLenFor(s.family);
    const room = load<i32>(lenptr);
    if (room >= 2) store<u16>(addr, <u16>s.family);
    store<i32>(lenptr, m);
    return 0;
  }
  const room = load<i32>(lenptr);
  memory.copy(addr, s.local, <usize>min(room, n));
  store<i32>(lenptr, n);
  return 0;
}

export function getpeername(fd: i32, addr: usize, lenptr: usize): i32 {
  const s = sockOf(fd);
  if (s === null) return badFd(fd);
  const connected = s.type == SOCK_DGRAM ? s.state == TCP_ESTABLISHED : (st.connectedState(s.state) || s.state == TCP_CLOSE && s.remoteLen > 0 && s.family == AF_UNIX && false);
  if (!connected || s.remoteLen == 0) return -ENOTCONN;
  if (s.family != AF_UNIX && portOf(s.remote) == 0) return -ENOTCONN;
  const room = load<i32>(lenptr);
  memory.copy(addr, s.remote, <usize>min(room, s.remoteLen));
  store<i32>(lenptr, s.remoteLen);
  return 0;
}

// ------------------------------------------------------------------ connections

export function listen(fd: i32, backlog: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return badFd(fd);
  if (s.type != SOCK_STREAM) return -EOPNOTSUPP;
  if (s.state != TCP_CLOSE && s.state != TCP_LISTEN) return -EINVAL;
  if (backlog > SOMAXCONN || backlog < 0 && false) backlog = SOMAXCONN;
  if (<u32>backlog > <u32>SOMAXCONN) backlog = SOMAXCONN;
  if (s.family == AF_UNIX) {
    if (!s.bound) return -EINVAL;      // unix_listen: an unnamed socket cannot listen
  } else if (!s.bound) {
    const r = autobind(s, 0, false);
    if (r < 0) return r;
  } else if (s.state != TCP_LISTEN) {
    // listen() checks the port again, as a listener (inet_csk_listen_start -> get_port).
    s.state = TCP_LISTEN;
    if (conflicts(s, portOf(s.local))) { s.state = TCP_CLOSE; return -EADDRINUSE; }
  }
  s.state = TCP_LISTEN;
  s.backlog = backlog;
  if (s.family != AF_UNIX) addListener(s);
  return 0;
}

export function accept(fd: i32, addr: usize, lenptr: usize, flags: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return badFd(fd);
  if (s.type != SOCK_STREAM) return -EOPNOTSUPP;
  if (s.state != TCP_LISTEN) return -EINVAL;
  if (s.acceptqLen() == 0) {
    if (nonblocking(fd)) return -EAGAIN;
    const w = waitFor(s, W_ACCEPT, deadlineAfter(s.o.rcvtimeo));
    if (w < 0) return w;
    if (s.state != TCP_LISTEN) return -EINVAL;
  }
  const a = sockAt(s.acceptq[s.aqHead++]);
  if (s.aqHead == s.acceptq.length) { s.acceptq.length = 0; s.aqHead = 0; }
  a.listener = -1;
  const nfd = openFd(a, flags & SOCK_NONBLOCK ? O_NONBLOCK : 0, (flags & SOCK_CLOEXEC) != 0);
  if (nfd < 0) { s.acceptq.unshift(a.id); a.listener = s.id; return nfd; }
  if (addr != 0) {
    const room = load<i32>(lenptr);
    memory.copy(addr, a.remote, <usize>min(room, a.remoteLen));
    store<i32>(lenptr, a.remoteLen);
  }
  return nfd;
}

/** Where a connecting socket is going (its remote name) and the listener found there, if any. */
function findListener(c: Sock): Sock | null {
  const m = machineOf(c.remote, c.machine);
  if (m < 0) return null;
  const port = portOf(c.remote);
  return st.listenerAt(c, m, port);
}

/** Whether two sockaddrs hold the same IP (ipForm's buffer is one: read the first out). */
function sameIp(a: usize, b: usize): bool {
  const f = ipForm(a);
  const hi = load<u64>(f), lo = load<u64>(f + 8);
  const g = ipForm(b);
  return load<u64>(g) == hi && load<u64>(g + 8) == lo;
}

/** A SYN (first or retried): 1 established, 0 unanswered, -errno refused. */
function trySyn(c: Sock): i32 {
  const m = machineOf(c.remote, c.machine);
  if (m < 0) return 0;
  if (anyFaults && (isCut(c.machine, m) || isCut(m, c.machine) || isCrashed(m))) return 0;
  const l = findListener(c);
  if (l === null) {
    // Connecting to its own name is TCP's simultaneous open: it connects to itself.
    if (m == c.machine && c.localLen == c.remoteLen && portOf(c.local) == portOf(c.remote) && sameIp(c.local, c.remote)) {
      c.peer = c.id; c.state = TCP_ESTABLISHED; c.lastSeen = now; c.wasConnected = true;
      return 1;
    }
    return -ECONNREFUSED;
  }
  return st.handshake(c, l, c.remote, c.remoteLen) ? 1 : 0;
}

// A SYN retried by its timer (stream.ts) goes through the same lookup as the first.
st.setRetryConnect(trySyn);

export function connect(fd: i32, addr: usize, len: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return badFd(fd);
  if (s.family == AF_UNIX) return unixConnect(s, fd, addr, len);
  if (len < 2) return -EINVAL;
  const fam = <i32>load<u16>(addr);
  if (fam == 0) return disconnect(s);
  if (s.family == AF_INET && len < 16 || s.family == AF_INET6 && len < 24) return -EINVAL;
  if (fam != s.family) return -EAFNOSUPPORT;
  if (s.type == SOCK_DGRAM) return udpConnect(s, addr);
  // Stream: the states inet_stream_connect() distinguishes.
  if (s.state == TCP_SYN_SENT) return nonblocking(fd) ? -EALREADY : waitConnect(s, fd);
  if (s.connecting) {
    // A non-blocking connect that has finished: its outcome once, then a fresh start.
    s.connecting = false;
    if (st.connectedState(s.state)) return 0;
    const e = s.err; s.err = 0;
    return e != 0 ? -e : -ECONNABORTED;
  }
  // inet_stream_connect: a socket that was connected stays SS_CONNECTED after its connection
  // ended (reset, timeout): EISCONN. One whose connect failed was disconnected (tcp_disconnect:
  // queues purged, sk_shutdown 0) and starts afresh.
  if (s.state != TCP_CLOSE || s.wasConnected) return -EISCONN;
  const m = machineOf(addr, s.machine);
  if (m < 0) return -ENETUNREACH;
  s.rq.clear(); s.sq.clear(); s.rdShut = false; s.wrShut = false; s.finIn = false; s.reset = false; s.finPending = false; s.peerRdShut = false;
  memory.fill(s.remote, 0, ADDR_MAX);
  memory.copy(s.remote, addr, addrLenFor(s.family));
  if (s.family == AF_INET) memory.fill(s.remote + 8, 0, 8);
  s.remoteLen = addrLenFor(s.family);
  // connect to the wildcard reaches this machine's loopback.
  const f = ipForm(addr);
  if (formIsAny(f)) {
    if (s.family == AF_INET) store<u32>(s.remote + 4, 0x0100007f);
    else if (load<u32>(addr + 16) == 0xffff0000) store<u32>(s.remote + 20, 0x0100007f);
    else store<u64>(s.remote + 16, 0x0100000000000000);
  }
  const r = autobind(s, s.remote, true);
  if (r < 0) return r;
  s.err = 0;
  s.state = TCP_SYN_SENT;
  const syn = trySyn(s);
  if (syn < 0) { st.failConnect(s, -syn); }
  else if (syn == 0) st.synLater(s, 0);
  if (nonblocking(fd)) { s.connecting = true; return -EINPROGRESS; }
  return waitConnect(s, fd);
}

function waitConnect(s: Sock, fd: i32): i32 {
  if (s.state == TCP_SYN_SENT) {
    const w = waitFor(s, W_CONNECT, deadlineAfter(s.o.sndtimeo));
    if (w < 0) { if (w == -EAGAIN) { s.connecting = true; return -EINPROGRESS; } return w; }
  }
  if (st.connectedState(s.state)) return 0;
  const e = s.err; s.err = 0;
  return e != 0 ? -e : -ECONNABORTED;
}

function disconnect(s: Sock): i32 {
  if (s.type == SOCK_DGRAM) {
    s.state = TCP_CLOSE; s.remoteLen = 0;
    return 0;
  }
  if (s.state == TCP_LISTEN || st.connectedState(s.state)) {
    st.resetConnection(s);
  }
  s.state = TCP_CLOSE; s.remoteLen = 0;
  // tcp_disconnect: queues purged, sk_shutdown 0, SS_UNCONNECTED (connect() may start again).
  s.rq.clear(); s.sq.clear(); s.rdShut = false; s.wrShut = false; s.finIn = false; s.reset = false; s.finPending = false;
  s.wasConnected = false;
  return 0;
}

function udpConnect(s: Sock, addr: usize): i32 {
  const m = machineOf(addr, s.machine);
  if (m < 0) return -ENETUNREACH;
  memory.fill(s.remote, 0, ADDR_MAX);
  memory.copy(s.remote, addr, addrLenFor(s.family));
  if (s.family == AF_INET) memory.fill(s.remote + 8, 0, 8);
  else store<u32>(s.remote + 4, 0);
  s.remoteLen = addrLenFor(s.family);
  const r = autobind(s, s.remote, false);
  if (r < 0) return r;
  s.state = TCP_ESTABLISHED;
  return 0;
}

function unixConnect(s: Sock, fd: i32, addr: usize, len: i32): i32 {
  if (len < 2) return -EINVAL;
  const fam = <i32>load<u16>(addr);
  if (fam == 0 && s.type == SOCK_DGRAM) { s.peer = -1; s.state = TCP_CLOSE; s.remoteLen = 0; return 0; }
  if (fam != AF_UNIX) return -EINVAL;
  const t = unixFind(addr, len, s.type);
  if (t < 0) return t;
  const target = sockAt(t);
  if (s.type == SOCK_DGRAM) {
    s.peer = target.id; s.peerGen = target.gen;
    memory.copy(s.remote, target.local, target.localLen); s.remoteLen = target.localLen;
    s.state = TCP_ESTABLISHED;
    return 0;
  }
  if (st.connectedState(s.state)) return -EISCONN;
  if (s.state == TCP_LISTEN) return -EINVAL;
  if (target.state != TCP_LISTEN) return -ECONNREFUSED;
  memory.copy(s.remote, target.local, target.localLen); s.remoteLen = target.localLen;
  const deadline = deadlineAfter(s.o.sndtimeo);
  while (!st.handshake(s, target, s.remote, s.remoteLen)) {
    // unix_wait_for_peer: the listener's queue is full; wait for room (or its end).
    if (nonblocking(fd)) return -EAGAIN;
    const w = waitFor(target, W_BACKLOG, deadline);
    if (w < 0) return w;
    if (!target.live || target.state != TCP_LISTEN) return -ECONNREFUSED;
  }
  return 0;
}

export function shutdown(fd: i32, how: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return badFd(fd);
  if (how < SHUT_RD || how > SHUT_RDWR) return -EINVAL;
  if (s.type == SOCK_DGRAM) {
    if (s.state != TCP_ESTABLISHED) return -ENOTCONN;
    if (how != SHUT_WR) s.rdShut = true;
    if (how != SHUT_RD) s.wrShut = true;
    return 0;
  }
  if (s.state == TCP_LISTEN) {
    if (how == SHUT_WR) return -ENOTCONN;
    // shutdown(SHUT_RD) of a listener: Linux closes the listener's queue (tcp_disconnect).
    st.closeListenerQueue(s);
    return 0;
  }
  // unix_shutdown takes any state; TCP needs a connection (inet_shutdown).
  if (s.family != AF_UNIX && !st.connectedState(s.state) && s.state != TCP_SYN_SENT) return -ENOTCONN;
  if (s.family != AF_UNIX && s.state == TCP_SYN_SENT) {
    // inet_shutdown: a connect in progress is abandoned (tcp_disconnect), no shutdown flag kept.
    s.state = TCP_CLOSE; s.connecting = false; s.err = 0; s.remoteLen = 0;
    st.unbindIfAuto(s);
    return 0;
  }
  if (how != SHUT_WR) { s.rdShut = true; if (s.family == AF_UNIX && s.peer >= 0) sockAt(s.peer).wrShutByPeer(); }
  if (how != SHUT_RD) {
    if (s.family == AF_UNIX) { s.wrShut = true; if (s.peer >= 0) sockAt(s.peer).finIn = true; }
    else st.sendFin(s);
  }
  return 0;
}

// ------------------------------------------------------------------ data

export function recvfrom(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, lenptr: usize): i32 {
  const s = sockOf(fd);
  if (s === null) return badFd(fd);
  if (s.type == SOCK_DGRAM) return dgramRecv(s, fd, buf, len, flags, addr, lenptr);
  if (flags & MSG_OOB) return -EINVAL;
  const r = streamRecv(s, fd, buf, len, flags);
  // A stream's recvfrom reports no address (Linux leaves msg_namelen 0).
  if (r >= 0 && lenptr != 0) store<i32>(lenptr, 0);
  return r;
}

function streamRecv(s: Sock, fd: i32, buf: usize, len: i32, flags: i32): i32 {
  if (s.state == TCP_LISTEN) return -ENOTCONN;
  if (s.state == TCP_CLOSE && !s.reset && s.err == 0 && s.rq.len == 0 && !s.finIn && s.family != AF_UNIX) return -ENOTCONN;
  if (s.family == AF_UNIX && s.state == TCP_CLOSE && s.peer < 0 && !s.finIn && s.rq.len == 0 && s.err == 0) return -EINVAL;
  const nb = nonblocking(fd) || (flags & MSG_DONTWAIT) != 0;
  if (s.type == SOCK_SEQPACKET) return seqRecv(s, buf, len, flags, nb);
  const peek = (flags & MSG_PEEK) != 0;
  const all = (flags & MSG_WAITALL) != 0 && !peek;
  let got = 0;
  const deadline = deadlineAfter(s.o.rcvtimeo);
  for (;;) {
    const avail = s.rq.len - (peek ? 0 : 0);
    if (avail > 0) {
      const n = min(len - got, avail);
      s.rq.copyOut(buf + <usize>got, 0, n);
      if (!peek) { s.rq.drop(n); st.afterRead(s); }
      got += n;
      if (got >= len || !all) return got;
      continue;
    }
    if (len == 0) return 0;
    if (got > 0 && !all) return got;
    // TCP: EOF comes before a pending error (tcp_recvmsg checks SOCK_DONE first); AF_UNIX
    // streams report the error first (unix_stream_read_generic: sock_error, then shutdown).
    if (s.finIn && s.family != AF_UNIX) return got;
    if (s.err != 0) { if (got > 0) return got; const e = s.err; s.err = 0; return -e; }
    if (s.finIn || s.rdShut || s.reset || s.state == TCP_CLOSE) return got;
    if (nb) return got > 0 ? got : -EAGAIN;
    const w = waitFor(s, W_READ, deadline);
    if (w < 0) return got > 0 ? got : w;
  }
  return -EINVAL;   // never reached: the loop returns
}

/** SOCK_SEQPACKET: one record per call; what does not fit is discarded (MSG_TRUNC: its length). */
function seqRecv(s: Sock, buf: usize, len: i32, flags: i32, nb: bool): i32 {
  const deadline = deadlineAfter(s.o.rcvtimeo);
  while (s.dqLen() == 0) {
    if (s.err != 0) { const e = s.err; s.err = 0; return -e; }
    if (s.finIn || s.rdShut || s.peer < 0) return 0;
    if (nb) return -EAGAIN;
    const w = waitFor(s, W_READ, deadline);
    if (w < 0) return w;
  }
  const b = dg.front(s);
  const n = dg.dgLen(b);
  const copy = min(n, len);
  memory.copy(buf, dg.dgData(b), <usize>copy);
  if ((flags & MSG_PEEK) == 0) { dg.dropFront(s); }
  return (flags & MSG_TRUNC) != 0 ? n : copy;
}

function dgramRecv(s: Sock, fd: i32, buf: usize, len: i32, flags: i32, addr: usize, lenptr: usize): i32 {
  if (flags & MSG_OOB) return -EOPNOTSUPP;
  const nb = nonblocking(fd) || (flags & MSG_DONTWAIT) != 0;
  if (s.dqLen() == 0) {
    if (s.err != 0) { const e = s.err; s.err = 0; return -e; }
    if (s.rdShut) return 0;
    if (nb) return -EAGAIN;
    const w = waitFor(s, W_READ, deadlineAfter(s.o.rcvtimeo));
    if (w < 0) return w;
    if (s.dqLen() == 0) {
      if (s.err != 0) { const e = s.err; s.err = 0; return -e; }
      return 0;
    }
  }
  const b = dg.front(s);
  const n = dg.dgLen(b);
  const copy = min(n, len);
  memory.copy(buf, dg.dgData(b), <usize>copy);
  if (addr != 0 && lenptr != 0) {
    const room = load<i32>(lenptr);
    const fl = dg.dgFromLen(b);
    memory.copy(addr, dg.dgFrom(b), <usize>min(room, fl));
    store<i32>(lenptr, fl);
  }
  if ((flags & MSG_PEEK) == 0) dg.dropFront(s);
  return (flags & MSG_TRUNC) != 0 ? n : copy;
}

export function sendto(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, alen: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return badFd(fd);
  if (s.type == SOCK_DGRAM) return dgramSend(s, buf, len, addr, alen, nonblocking(fd) || (flags & MSG_DONTWAIT) != 0);
  // unix_stream_sendmsg refuses an address (EISCONN when connected, else EOPNOTSUPP); TCP ignores it.
  if (addr != 0 && s.family == AF_UNIX) return s.peer >= 0 || s.state == TCP_ESTABLISHED ? -EISCONN : -EOPNOTSUPP;
  if (s.state == TCP_LISTEN || s.state == TCP_CLOSE && !s.reset && s.err == 0 && s.family == AF_UNIX) return s.family == AF_UNIX ? -ENOTCONN : -EPIPE;
  if (flags & MSG_OOB && s.family == AF_UNIX) return -EOPNOTSUPP;
  return streamSend(s, fd, buf, len, flags);
}

function streamSend(s: Sock, fd: i32, buf: usize, len: i32, flags: i32): i32 {
  const nb = nonblocking(fd) || (flags & MSG_DONTWAIT) != 0;
  const deadline = deadlineAfter(s.o.sndtimeo);
  let sent = 0;
  for (;;) {
    if (s.state == TCP_SYN_SENT) {
      if (nb) return -EAGAIN;
      const w = waitFor(s, W_CONNECT, deadline);
      if (w < 0) return w;
      continue;
    }
    if (s.err != 0) { if (sent > 0) return sent; const e = s.err; s.err = 0; return -e; }
    if (s.wrShut || s.state == TCP_CLOSE || s.peer < 0) {
      if (sent > 0) return sent;
      return -EPIPE;
    }
    const p = sockAt(s.peer);
    if (p.files == 0 && p.listener < 0 && p.family != AF_UNIX) {
      // The peer is closed: our bytes are taken, and its RST comes back (tcp_reset).
      const n = len - sent;
      s.bytesSent += <u64>n;
      st.orphanReceives(p, s);
      return sent + n;
    }
    if (p.rdShut && p.family == AF_UNIX) return sent > 0 ? sent : -EPIPE;
    if (s.type == SOCK_SEQPACKET) {
      // A record: whole or not at all, while the peer's queue has room.
      if (p.dqBytes + len + dg.DGRAM_OVERHEAD <= p.o.rcvbuf || p.dqLen() == 0) {
        store<u16>(s.remote + 64, 0);
        const b = dg.makeDatagram(buf, len, s.local, 0);
        dg.enqueue(p, b);
        s.bytesSent += <u64>len;
        s.blockedOn = -1;
        return len;
      }
      // Until the record fits, the socket does not poll writable (else a timeout spins).
      dg.blockOn(s, p, len);
      if (nb) return -EAGAIN;
      const w = waitFor(s, W_WRITE, deadline);
      if (w < 0) return w;
      continue;
    }
    if (len == 0) return 0;
    const n = st.streamWrite(s, buf + <usize>sent, len - sent);
    sent += n;
    if (sent >= len) return sent;
    if (nb) return sent > 0 ? sent : -EAGAIN;
    const w = waitFor(s, W_WRITE, deadline);
    if (w < 0) return sent > 0 ? sent : w;
  }
  return -EINVAL;   // never reached: the loop returns
}

function dgramSend(s: Sock, buf: usize, len: i32, addr: usize, alen: i32, nb: bool): i32 {
  if (s.err != 0) { const e = s.err; s.err = 0; return -e; }
  if (s.wrShut) return -EPIPE;
  if (s.family == AF_UNIX) return unixDgramSend(s, buf, len, addr, alen, nb);
  let dest = addr;
  if (dest == 0) {
    // inet_send_prepare autobinds before udp_sendmsg finds no destination.
    if (s.state != TCP_ESTABLISHED) { const r = autobind(s, 0, false); return r < 0 ? r : -EDESTADDRREQ; }
    dest = s.remote;
  } else {
    if (alen < 2) return -EINVAL;
    const fam = <i32>load<u16>(dest);
    if (s.family == AF_INET && (fam != AF_INET || alen < 16)) return fam != AF_INET ? -EAFNOSUPPORT : -EINVAL;
    if (s.family == AF_INET6 && alen < 24) return -EINVAL;
    if (s.family == AF_INET6 && fam != AF_INET6) return -EAFNOSUPPORT;
  }
  if (addr != 0 && portOf(dest) == 0) return -EINVAL;   // udp_sendmsg: no port 0 in a given address
  if (len > (s.family == AF_INET ? 65507 : 65527)) return -EMSGSIZE;
  const r = autobind(s, 0, false);
  if (r < 0) return r;
  const broadcast = s.family == AF_INET && load<u32>(dest + 4) == 0xffffffff;
  if (broadcast && !s.o.broadcast) return -13;     // EACCES without SO_BROADCAST
  const m = broadcast ? s.machine : machineOf(dest, s.machine);
  if (m < 0) return -ENETUNREACH;
  // The sender's name as the receiver sees it: the source address for this destination.
  const from = heap.alloc(ADDR_MAX);
  memory.copy(from, s.local, ADDR_MAX);
  const save = s.local;
  s.local = from; setSourceOnly(s, dest); s.local = save;
  if (broadcast) {
    // The limited broadcast reaches every machine's sockets on the port (one broadcast domain).
    for (let k = 0; k < machineCount; k++) {
      const r = st.udpTarget(s, k, dest, from);
      if (r !== null) dg.deliver(s, r, dg.makeDatagram(buf, len, from, s.localLen));
    }
    heap.free(from);
    return len;
  }
  const t = st.udpTarget(s, m, dest, from);
  if (t === null) {
    heap.free(from);
    // ICMP port unreachable: a connected socket hears of it at its next call (ECONNREFUSED).
    if (s.state == TCP_ESTABLISHED && (m == s.machine || !anyFaults || !isCut(s.machine, m))) s.err = ECONNREFUSED;
    s.bytesSent += <u64>len; s.segsOut++;
    return len;
  }
  let fromLen = s.localLen;
  if (t.family != s.family) { st.v4MappedInto(from + 0, from); fromLen = 28; }
  const b = dg.makeDatagram(buf, len, from, fromLen);
  heap.free(from);
  dg.deliver(s, t, b);
  return len;
}

function setSourceOnly(s: Sock, dest: usize): void { setSource(s, dest); }

const MAX_DGRAM_QLEN = dg.MAX_DGRAM_QLEN;

function unixDgramSend(s: Sock, buf: usize, len: i32, addr: usize, alen: i32, nb: bool): i32 {
  let t: i32;
  // The peer closed (its object may since be another socket's: the generation tells).
  if (addr == 0 && s.peer >= 0 && (!sockAt(s.peer).live || sockAt(s.peer).gen != s.peerGen)) s.peer = -1;
  if (addr == 0) {
    if (s.peer < 0) {
      // The peer closed: ECONNREFUSED once, then the socket is disconnected (unix_dgram_sendmsg).
      if (s.state != TCP_ESTABLISHED) return -ENOTCONN;
      s.state = TCP_CLOSE;
      return -ECONNREFUSED;
    }
    t = s.peer;
  } else {
    t = unixFind(addr, alen, SOCK_DGRAM);
    if (t < 0) return t;
  }
  const r = sockAt(t);
  if (!r.live) return -ECONNREFUSED;
  if (r.state == TCP_ESTABLISHED && r.peer >= 0 && (r.peer != s.id || r.peerGen != s.gen)) return -EPERM;
  if (len > s.o.sndbuf - 32) return -EMSGSIZE;
  // A full queue makes the sender wait (or EAGAIN), as unix_dgram_sendmsg does.
  const deadline = deadlineAfter(s.o.sndtimeo);
  while (r.dqLen() > MAX_DGRAM_QLEN) {
    if (nb) { dg.blockOn(s, r, -1); return -EAGAIN; }
    const w = waitFor(r, W_DRAIN, deadline);
    if (w < 0) return w;
    if (!r.live) return -ECONNREFUSED;
  }
  const nameLen = s.localLen;
  const b = dg.makeDatagram(buf, len, s.local, nameLen);
  if (nameLen == 0) { store<u16>(dg.dgFrom(b), <u16>AF_UNIX); store<i32>(b + 4, 0); }
  dg.enqueue(r, b);
  s.bytesSent += <u64>len;
  s.blockedOn = -1;
  return len;
}

// ------------------------------------------------------------------ readiness

export function poll(fd: i32, events: i32, ms: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return POLLNVAL;
  let deadline = ms < 0 ? FOREVER : now + <i64>ms * 1_000_000;
  for (;;) {
    const re = revents(s) & (events | POLLERR | POLLHUP);
    if (re != 0 || ms == 0) return re;
    const what = (events & POLLIN) != 0 ? (s.state == TCP_LISTEN ? W_ACCEPT : W_READ) : (s.state == TCP_SYN_SENT ? W_CONNECT : W_WRITE);
    const w = waitFor(s, what, deadline);
    if (w == -EAGAIN) return 0;
    if (w < 0) return w;
  }
  return -EINVAL;   // never reached: the loop returns
}

/**
 * poll(2) over `n` pollfds at `fds` (Linux's layout: int fd, short events, short revents),
 * for an embedder waiting on several sockets at once (wasock's WASI preview 1 functions):
 * the network's timers run in order until one is ready or the deadline passes, as waitFor
 * does for one socket. Returns how many have revents, 0 at the deadline, or -EDEADLK when
 * there is no deadline and nothing in the network can ever make one ready.
 */
export function pollMany(fds: usize, n: i32, ms: i32): i32 {
  const deadline = ms < 0 ? FOREVER : now + <i64>ms * 1_000_000;
  for (;;) {
    let ready = 0;
    for (let i = 0; i < n; i++) {
      const p = fds + <usize>i * 8;
      const s = sockOf(load<i32>(p));
      const re = s === null ? POLLNVAL : revents(s) & (<i32>load<u16>(p, 4) | POLLERR | POLLHUP);
      store<u16>(p, <u16>re, 6);
      if (re != 0) ready++;
    }
    if (ready != 0 || ms == 0) return ready;
    const t = nextAt();
    if (t <= deadline && t != FOREVER) { fireNext(); continue; }
    if (deadline != FOREVER) { advanceTo(deadline); return 0; }
    return -EDEADLK;
  }
  return -EINVAL;   // never reached: the loop returns
}

/** tcp_poll / datagram_poll's mask. */
export function revents(s: Sock): i32 {
  let m = 0;
  if (s.err != 0) m |= POLLERR;
  if (s.type == SOCK_DGRAM) {
    if (s.dqLen() > 0 || s.rdShut) m |= POLLIN;
    if (s.rdShut && s.wrShut) m |= POLLHUP;
    if (dg.roomAtReceiver(s)) m |= POLLOUT;
    return m;
  }
  if (s.state == TCP_LISTEN) return s.acceptqLen() > 0 ? POLLIN : 0;
  // tcp_poll: HUP and RCV_SHUTDOWN count in any state, SYN_SENT too (else a wait that readable() ends spins).
  if ((s.rdShut && s.wrShut) || s.state == TCP_CLOSE) m |= POLLHUP;
  if (s.finIn || s.rdShut) m |= POLLIN | POLLRDHUP;
  if (s.state == TCP_SYN_SENT) return m;
  if (s.dqLen() > 0) m |= POLLIN;
  if (s.rq.len > 0) m |= POLLIN;
  if (st.connectedState(s.state) || s.family == AF_UNIX && s.peer >= 0) {
    if (!s.wrShut && st.sendRoom(s) > 0 && dg.roomAtReceiver(s)) m |= POLLOUT;
    else if (s.wrShut) m |= POLLOUT;
  } else if (s.state == TCP_CLOSE || s.wrShut) {
    // tcp_poll: SEND_SHUTDOWN is POLLOUT in any state (LAST_ACK with its FIN still queued too).
    m |= POLLOUT;
  }
  return m;
}
