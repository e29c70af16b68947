// The host ABI (assembly/bindings/host.ts) implemented inside the core over wasi:sockets,
// wasi:io and wasi:clocks 0.2 (asconfig target "wasi-p2" names this folder in `lib`, so these
// HOST_* functions are the core's host). The core keeps Linux's numbering and rules; this
// file turns them into p2's two-phase calls, pollables and error codes and back:
// - fds are this host's own (3, 4, …, lowest free first, as a process's);
// - p2 sockets are always non-blocking: a blocking call waits on the socket's or stream's
//   pollable (the core's timeouts poll with a monotonic-clock pollable beside it);
// - bind/connect/listen are start-*/finish-*; listen binds first when unbound, as Linux does;
// - what p2 lacks but Linux's answer follows from state is derived here (options.ts).
// The only imports are in abi/wasi.ts.

import * as p2 from "./abi/wasi";
import { RET, R_TAG, R_P1, R_P4, R_P8, FLAT } from "./abi/wasi";
import { getOption, setOption } from "./options";

// Linux numbering.
export const AF_INET: i32 = 2, AF_INET6: i32 = 10;
export const SOCK_STREAM: i32 = 1, SOCK_DGRAM: i32 = 2;
const SOCK_NONBLOCK: i32 = 0o4000, SOCK_CLOEXEC: i32 = 0o2000000;
const MSG_OOB: i32 = 1, MSG_PEEK: i32 = 2, MSG_TRUNC: i32 = 0x20, MSG_DONTWAIT: i32 = 0x40, MSG_WAITALL: i32 = 0x100;
const POLLIN: i32 = 1, POLLOUT: i32 = 4, POLLERR: i32 = 8, POLLHUP: i32 = 16;
export const EIO: i32 = 5, EBADF: i32 = 9, EAGAIN: i32 = 11, ENOMEM: i32 = 12, EACCES: i32 = 13, EINVAL: i32 = 22,
  EMFILE: i32 = 24, EPIPE: i32 = 32, ENOSYS: i32 = 38, EMSGSIZE: i32 = 90, EPROTONOSUPPORT: i32 = 93,
  ESOCKTNOSUPPORT: i32 = 94, EOPNOTSUPP: i32 = 95, EAFNOSUPPORT: i32 = 97, EADDRINUSE: i32 = 98,
  EADDRNOTAVAIL: i32 = 99, ECONNABORTED: i32 = 103, ECONNRESET: i32 = 104, EISCONN: i32 = 106,
  ENOTCONN: i32 = 107, ETIMEDOUT: i32 = 110, ECONNREFUSED: i32 = 111, EHOSTUNREACH: i32 = 113,
  EALREADY: i32 = 114, EINPROGRESS: i32 = 115, EDESTADDRREQ: i32 = 89;

// Socket states (p2's, as far as this host needs them).
export const S_FRESH: i32 = 0, S_BOUND: i32 = 1, S_LISTEN: i32 = 2, S_CONNECTING: i32 = 3, S_CONNECTED: i32 = 4,
  S_FAILED: i32 = 5, S_UNLISTENED: i32 = 6;

/** One socket: its p2 resources and what Linux would know about it that p2 does not say. */
export class Sock {
  tcp: bool = true;
  family: i32 = AF_INET;
  h: i32 = 0;             // tcp-socket / udp-socket
  st: i32 = S_FRESH;
  nb: bool = false;       // O_NONBLOCK
  inS: i32 = 0;           // input-stream / incoming-datagram-stream
  outS: i32 = 0;          // output-stream / outgoing-datagram-stream
  pSock: i32 = 0;         // pollables, made once and dropped before their parents
  pIn: i32 = 0;
  pOut: i32 = 0;
  soError: i32 = 0;       // SO_ERROR: a failed connect's errno until read
  rdShut: bool = false;
  wrShut: bool = false;
  // The runtime ended the connection both ways at a shutdown (shutdownEndsBoth): what its
  // input stream still holds is read, then b''. Its stream may never report the end, so a
  // read that finds nothing ends there instead of waiting for it.
  rdGone: bool = false;
  // A connect that failed where the caller did not wait in connect() itself (non-blocking, or
  // the core's timeout: poll, then SO_ERROR): Linux leaves sock->state SS_CONNECTING, so the
  // next connect() finds TCP_CLOSE and answers the pending error or ECONNABORTED once
  // (__inet_stream_connect's sock_error), then starts afresh. timeouts.json
  // io/connect/timeout-2.5-refused pins it.
  abortNext: bool = false;
  eof: bool = false;
  udpConnected: bool = false;
  // Bytes (TCP) or one datagram (UDP) read ahead for MSG_PEEK: p2 has no peek.
  peek: usize = 0;
  peekLen: i32 = 0;
  peekCap: i32 = 0;
  peekAddr: usize = 0;    // UDP: the peeked datagram's sender (ip-socket-address, 32 bytes)
  peekHave: bool = false; // UDP: a datagram is held (its length may be 0)
  // Options p2 has no method for, kept with Linux's defaults (options.ts, WASI_P2_OPTIONS 'stored').
  nodelay: i32 = 0;
  reuseaddr: i32 = 0;
  keepaliveUdp: i32 = 0;
}

const FD_BASE: i32 = 3;
const FD_LIMIT: i32 = 1024;
const socks = new Array<Sock | null>();
let openCount: i32 = 0;

export function sockOf(fd: i32): Sock | null {
  const i = fd - FD_BASE;
  if (i < 0 || i >= socks.length) return null;
  return unchecked(socks[i]);
}

function allocFd(s: Sock): i32 {
  for (let i = 0; i < socks.length; i++) {
    if (unchecked(socks[i]) === null) { unchecked(socks[i] = s); openCount++; return i + FD_BASE; }
  }
  if (socks.length + FD_BASE >= FD_LIMIT) return -EMFILE;
  socks.push(s);
  openCount++;
  return socks.length - 1 + FD_BASE;
}

let NET: i32 = -1;
export function net(): i32 { if (NET < 0) NET = p2.instance_network(); return NET; }

// --------------------------------------------------------------------------- errors

/** p2's error-code (network.wit's enum order) as Linux's errno. */
export function errnoOf(code: i32): i32 {
  switch (code) {
    case 1: return EACCES;            // access-denied
    case 2: return EOPNOTSUPP;        // not-supported
    case 3: return EINVAL;            // invalid-argument
    case 4: return ENOMEM;            // out-of-memory
    case 5: return ETIMEDOUT;         // timeout
    case 6: return EALREADY;          // concurrency-conflict
    case 7: return EINVAL;            // not-in-progress
    case 8: return EAGAIN;            // would-block
    case 9: return EINVAL;            // invalid-state (callers check Linux's state errors first)
    case 10: return EMFILE;           // new-socket-limit
    case 11: return EADDRNOTAVAIL;    // address-not-bindable
    case 12: return EADDRINUSE;       // address-in-use
    case 13: return EHOSTUNREACH;     // remote-unreachable
    case 14: return ECONNREFUSED;     // connection-refused
    case 15: return ECONNRESET;       // connection-reset
    case 16: return ECONNABORTED;     // connection-aborted
    case 17: return EMSGSIZE;         // datagram-too-large
  }
  return EIO;                         // unknown, and the resolver's codes (never here)
}
const WOULD_BLOCK: i32 = 8;

/** The result in RET: 0 ok, else the error-code + 1 (its u8 follows the tag at `at`). */
@inline function failed(at: usize): i32 { return load<u8>(RET + R_TAG) != 0 ? <i32>load<u8>(RET + at) + 1 : 0; }

/**
 * A stream-error's errno (its `error` resource dropped): closed is 0 (the caller's EOF or
 * EPIPE). Stable wasi 0.2.3 cannot say why a socket's stream failed (network-error-code is
 * @unstable, and importing it would keep the component off runtimes that do not enable it:
 * wasmtime by default), so a failure is ECONNRESET: what Linux answers first on a connection
 * the peer reset, the failure a connected stream meets (wasi-libc answers EIO, which Linux
 * never gives a TCP socket). docs/decisions.md.
 */
function streamErrno(caseAt: usize): i32 {
  if (load<u8>(RET + caseAt) == 1) return 0;
  p2.error_drop(load<i32>(RET + caseAt + 4));
  return ECONNRESET;
}

// ------------------------------------------------------------------------ addresses

/** Linux's sockaddr at `sa` as FLAT (abi/wasi.ts): 0, or -errno as bind/connect answer. */
function lowerSockaddr(s: Sock, sa: usize, len: i32, wildcardToLoopback: bool): i32 {
  if (len < 2) return -EINVAL;
  const fam = <i32>load<u16>(sa);
  const f = FLAT;
  if (s.family == AF_INET) {
    if (len < 16) return -EINVAL;
    if (fam != AF_INET) return -EAFNOSUPPORT;
    unchecked(f[0] = 0);
    unchecked(f[1] = <i32>bswap<u16>(load<u16>(sa, 2)));
    let any = true;
    for (let i = 0; i < 4; i++) { const b = <i32>load<u8>(sa + 4 + i); if (b != 0) any = false; unchecked(f[2 + i] = b); }
    // connect() to INADDR_ANY reaches this host's loopback on Linux; p2 refuses the wildcard.
    if (any && wildcardToLoopback) { unchecked(f[2] = 127); unchecked(f[5] = 1); }
    for (let i = 6; i < 12; i++) unchecked(f[i] = 0);
    return 0;
  }
  if (len < 24) return -EINVAL;
  if (fam != AF_INET6) return -EAFNOSUPPORT;
  unchecked(f[0] = 1);
  unchecked(f[1] = <i32>bswap<u16>(load<u16>(sa, 2)));
  unchecked(f[2] = <i32>bswap<u32>(load<u32>(sa, 4)));
  let any = true;
  for (let i = 0; i < 8; i++) { const w = <i32>bswap<u16>(load<u16>(sa + 8 + (<usize>i << 1))); if (w != 0) any = false; unchecked(f[3 + i] = w); }
  if (any && wildcardToLoopback) unchecked(f[10] = 1);
  unchecked(f[11] = len >= 28 ? load<i32>(sa, 24) : 0);
  return 0;
}

/** The ip-socket-address at `at` as Linux's sockaddr at addr (truncated to *lenptr, the full length stored). */
export function liftSockaddr(at: usize, addr: usize, lenptr: usize): void {
  if (addr == 0 || lenptr == 0) return;
  const cap = load<i32>(lenptr);
  const tmp = changetype<usize>(SA_TMP);
  memory.fill(tmp, 0, 28);
  let n: i32;
  if (load<u8>(at) == 0) {
    store<u16>(tmp, <u16>AF_INET);
    store<u16>(tmp, bswap<u16>(load<u16>(at, 4)), 2);
    memory.copy(tmp + 4, at + 6, 4);
    n = 16;
  } else {
    store<u16>(tmp, <u16>AF_INET6);
    store<u16>(tmp, bswap<u16>(load<u16>(at, 4)), 2);
    store<u32>(tmp, bswap<u32>(load<u32>(at, 8)), 4);
    for (let i = 0; i < 8; i++) store<u16>(tmp + 8 + (<usize>i << 1), bswap<u16>(load<u16>(at + 12 + (<usize>i << 1))));
    store<u32>(tmp, load<u32>(at, 28), 24);
    n = 28;
  }
  memory.copy(addr, tmp, <usize>min(n, max(cap, 0)));
  store<i32>(lenptr, n);
}
const SA_TMP = new StaticArray<u8>(28);

/** The unbound address Linux reports: family, zeros. */
function wildcardName(s: Sock, addr: usize, lenptr: usize): void {
  const cap = load<i32>(lenptr);
  const n = s.family == AF_INET ? 16 : 28;
  memory.fill(addr, 0, <usize>min(n, max(cap, 0)));
  if (cap >= 2) store<u16>(addr, <u16>s.family);
  store<i32>(lenptr, n);
}

function wildcardFlat(s: Sock): void {
  const f = FLAT;
  for (let i = 0; i < 12; i++) unchecked(f[i] = 0);
  if (s.family == AF_INET6) unchecked(f[0] = 1);
}

// ----------------------------------------------------------------------- pollables

function pollSock(s: Sock): i32 { if (s.pSock == 0) s.pSock = s.tcp ? p2.tcp_subscribe(s.h) : p2.udp_subscribe(s.h); return s.pSock; }
function pollIn(s: Sock): i32 { if (s.pIn == 0) s.pIn = s.tcp ? p2.input_subscribe(s.inS) : p2.incoming_subscribe(s.inS); return s.pIn; }
function pollOut(s: Sock): i32 { if (s.pOut == 0) s.pOut = s.tcp ? p2.output_subscribe(s.outS) : p2.outgoing_subscribe(s.outS); return s.pOut; }

/** Drops s's streams (and their pollables) first, then what else it holds; the socket last. */
function dropStreams(s: Sock): void {
  if (s.pIn != 0) { p2.pollable_drop(s.pIn); s.pIn = 0; }
  if (s.pOut != 0) { p2.pollable_drop(s.pOut); s.pOut = 0; }
  if (s.inS != 0) { if (s.tcp) p2.input_drop(s.inS); else p2.incoming_drop(s.inS); s.inS = 0; }
  if (s.outS != 0) { if (s.tcp) p2.output_drop(s.outS); else p2.outgoing_drop(s.outS); s.outS = 0; }
}

// ------------------------------------------------------------------ two-phase calls

/** Waits for a finish-* that answered would-block: the socket's pollable. */
function finishBind(s: Sock): i32 {
  for (;;) {
    if (s.tcp) p2.tcp_finish_bind(s.h, RET); else p2.udp_finish_bind(s.h, RET);
    const e = failed(R_P1);
    if (e == 0) return 0;
    if (e - 1 != WOULD_BLOCK) return -errnoOf(e - 1);
    p2.pollable_block(pollSock(s));
  }
  return -EIO;   // not reached: the loop above returns
}

/** start-bind + finish-bind of FLAT. */
function bindFlat(s: Sock): i32 {
  p2.callWithAddr(s.tcp ? 0 : 2, s.h, net());
  const e = failed(R_P1);
  if (e != 0) return -errnoOf(e - 1);
  const r = finishBind(s);
  if (r < 0) return r;
  s.st = S_BOUND;
  // A bound UDP socket receives at once on Linux: its datagram streams exist from here on.
  return s.tcp ? 0 : udpStreams(s, false);
}

/** The wildcard address, port 0: Linux's implicit bind (listen, UDP sendto). */
function autobind(s: Sock): i32 { wildcardFlat(s); return bindFlat(s); }

/** A UDP socket's datagram streams, for the remote in FLAT (`some`) or none. */
function udpStreams(s: Sock, some: bool): i32 {
  dropStreams(s);
  p2.callWithAddr(some ? 3 : 4, s.h, 0);
  const e = failed(R_P1);
  if (e != 0) return -errnoOf(e - 1);
  s.inS = load<i32>(RET + R_P4);
  s.outS = load<i32>(RET + R_P4 + 4);
  return 0;
}

/** finish-connect once: 0 connected, -EAGAIN still running, -errno failed (kept in SO_ERROR until read). */
export function tryFinishConnect(s: Sock): i32 {
  p2.tcp_finish_connect(s.h, RET);
  const e = failed(R_P4);
  if (e == 0) {
    s.inS = load<i32>(RET + R_P4);
    s.outS = load<i32>(RET + R_P4 + 4);
    s.st = S_CONNECTED;
    return 0;
  }
  if (e - 1 == WOULD_BLOCK) return -EAGAIN;
  s.st = S_FAILED;
  s.abortNext = true;
  s.soError = errnoOf(e - 1);
  return -s.soError;
}

/** Replaces a TCP socket whose connect failed with a fresh one carrying its p2 options. */
function renew(s: Sock): i32 {
  p2.create_tcp_socket(s.family == AF_INET ? 0 : 1, RET);
  const e = failed(R_P4);
  if (e != 0) return -errnoOf(e - 1);
  const h = load<i32>(RET + R_P4), old = s.h;
  p2.tcp_keep_alive_enabled(old, RET);
  if (load<u8>(RET) == 0) p2.tcp_set_keep_alive_enabled(h, <i32>load<u8>(RET + 1), RET);
  p2.tcp_keep_alive_idle_time(old, RET);
  if (load<u8>(RET) == 0) p2.tcp_set_keep_alive_idle_time(h, load<i64>(RET + 8), RET);
  p2.tcp_keep_alive_interval(old, RET);
  if (load<u8>(RET) == 0) p2.tcp_set_keep_alive_interval(h, load<i64>(RET + 8), RET);
  p2.tcp_keep_alive_count(old, RET);
  if (load<u8>(RET) == 0) p2.tcp_set_keep_alive_count(h, load<i32>(RET + 4), RET);
  p2.tcp_hop_limit(old, RET);
  if (load<u8>(RET) == 0) p2.tcp_set_hop_limit(h, <i32>load<u8>(RET + 1), RET);
  if (s.pSock != 0) { p2.pollable_drop(s.pSock); s.pSock = 0; }
  p2.tcp_drop(old);
  s.h = h; s.st = S_FRESH; s.soError = 0;
  return 0;
}

// ------------------------------------------------------------------------ the ABI

/** The capability set: host/wasi-p2/index.ts's WASI_P2_CAPS, given before core_init (P2_set_caps). */
let capBits: i32 = 0;
export function HOST_caps(): i32 { return capBits; }
export function P2_set_caps(bits: i32): void { capBits = bits; }

/**
 * The runtime's defects the host works around, as bits set by the JS side from its profile
 * (host/wasi-p2/index.ts DEFECT_BITS, WASI_P2_PROFILE), given before core_init:
 * - shutdownEndsBoth ('shutdown-destroys'): shutdown() ends both directions whatever it was
 *   asked; pinned by test/wasi-p2.test.ts "shutdown(SHUT_WR) on preview2-shim".
 * - flushWaits ('flush-waits'): the non-blocking flush() waits until the bytes are written (it
 *   returns the write's promise and the calling thread waits on it), so a send to a peer that
 *   reads nothing would never return; such a runtime writes without a flush (its write()
 *   hands the bytes to the OS at once). Pinned by test/wasi-p2.test.ts "sendall with a timeout"
 *   and timeouts.json io/sendall/full-buffers.
 * - readAhead ('call-per-read'): each call into the runtime is a worker round trip, so a recv
 *   shorter than READ_AHEAD reads that much and keeps the rest (tcpRecv). Elsewhere a read is
 *   a cheap call and the copy through the peek buffer would cost more than it saves (bench/
 *   wasi-p2.mjs: +3 us per 4-byte echo on wasock's provider).
 */
let shutdownEndsBoth = false, flushWaits = false, readAhead = false;
export function P2_set_defects(bits: i32): void {
  shutdownEndsBoth = (bits & 1) != 0; flushWaits = (bits & 2) != 0; readAhead = (bits & 4) != 0;
}

export function HOST_socket(family: i32, type: i32, proto: i32): i32 {
  const base = type & 0xf;
  if ((type & ~0xf & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) return -EINVAL;
  if (family != AF_INET && family != AF_INET6) return -EAFNOSUPPORT;
  // inet_create: a protocol outside 0..IPPROTO_MAX-1 is EINVAL before any is looked up.
  if (proto < 0 || proto >= 263) return -EINVAL;
  let tcp: bool;
  if (base == SOCK_STREAM) { if (proto != 0 && proto != 6) return -EPROTONOSUPPORT; tcp = true; }
  else if (base == SOCK_DGRAM) { if (proto != 0 && proto != 17) return -EPROTONOSUPPORT; tcp = false; }
  else return -ESOCKTNOSUPPORT;
  const af = family == AF_INET ? 0 : 1;
  if (tcp) p2.create_tcp_socket(af, RET); else p2.create_udp_socket(af, RET);
  const e = failed(R_P4);
  if (e != 0) return -errnoOf(e - 1);
  const s = new Sock();
  s.tcp = tcp; s.family = family; s.h = load<i32>(RET + R_P4);
  s.nb = (type & SOCK_NONBLOCK) != 0;
  const fd = allocFd(s);
  if (fd < 0) { if (tcp) p2.tcp_drop(s.h); else p2.udp_drop(s.h); }
  return fd;
}

export function HOST_socketpair(_family: i32, _type: i32, _proto: i32, _out: usize): i32 { return -EOPNOTSUPP; }
export function HOST_dup(_fd: i32): i32 { return -ENOSYS; }

export function HOST_close(fd: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return -EBADF;
  unchecked(socks[fd - FD_BASE] = null);
  openCount--;
  dropStreams(s);
  if (s.pSock != 0) p2.pollable_drop(s.pSock);
  if (s.tcp) p2.tcp_drop(s.h); else p2.udp_drop(s.h);
  if (s.peek != 0) heap.free(s.peek);
  if (s.peekAddr != 0) heap.free(s.peekAddr);
  return 0;
}

export function HOST_bind(fd: i32, addr: usize, len: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return -EBADF;
  const r = lowerSockaddr(s, addr, len, false);
  if (r < 0) return r;
  if (s.st != S_FRESH) return -EINVAL;
  return bindFlat(s);
}

export function HOST_connect(fd: i32, addr: usize, len: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return -EBADF;
  if (!s.tcp) return udpConnect(s, addr, len);
  if (s.st == S_CONNECTED || s.st == S_LISTEN) return -EISCONN;
  if (s.st == S_CONNECTING) {
    const r = tryFinishConnect(s);
    if (r == -EAGAIN) return -EALREADY;
    if (r < 0) { s.soError = 0; s.abortNext = false; return r; }
    return -EISCONN;
  }
  const r = lowerSockaddr(s, addr, len, true);
  if (r < 0) return r;
  // Port 0 is refused by Linux's TCP at once; p2 calls it an invalid argument.
  if (s.st == S_FAILED && s.abortNext) {
    s.abortNext = false;
    const pending = s.soError;
    s.soError = 0;
    return pending != 0 ? -pending : -ECONNABORTED;
  }
  if (unchecked(FLAT[1]) == 0) return -ECONNREFUSED;
  // p2 allows one connection attempt per socket; Linux lets a socket whose connect failed try
  // again: a new p2 socket takes its place, with the options it had applied.
  if (s.st == S_FAILED) { const n = renew(s); if (n < 0) return n; }
  p2.callWithAddr(1, s.h, net());
  const e = failed(R_P1);
  if (e != 0) return -errnoOf(e - 1);
  s.st = S_CONNECTING;
  if (s.nb) return -EINPROGRESS;
  for (;;) {
    const c = tryFinishConnect(s);
    if (c != -EAGAIN) { if (c < 0) { s.soError = 0; s.abortNext = false; } return c; }
    p2.pollable_block(pollSock(s));
  }
  return -EIO;   // not reached: the loop above returns
}

/** connect() on UDP: the datagram streams with a remote (AF_UNSPEC: without one, as Linux disconnects). */
function udpConnect(s: Sock, addr: usize, len: i32): i32 {
  if (len >= 2 && load<u16>(addr) == 0) {
    if (s.st == S_FRESH) return 0;
    const r = udpStreams(s, false);
    if (r == 0) s.udpConnected = false;
    return r;
  }
  const r = lowerSockaddr(s, addr, len, true);
  if (r < 0) return r;
  if (s.st == S_FRESH) {
    // Linux binds the wildcard first; FLAT must survive it.
    const save = new StaticArray<i32>(12);
    for (let i = 0; i < 12; i++) unchecked(save[i] = FLAT[i]);
    const b = autobind(s);
    if (b < 0) return b;
    for (let i = 0; i < 12; i++) unchecked(FLAT[i] = save[i]);
  }
  // connect() filters what arrives from then on: a datagram already held for MSG_PEEK goes.
  if (s.peekHave) { heap.free(s.peek); s.peek = 0; s.peekLen = 0; s.peekCap = 0; s.peekHave = false; }
  const u = udpStreams(s, true);
  if (u == 0) s.udpConnected = true;
  return u;
}

export function HOST_listen(fd: i32, backlog: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return -EBADF;
  if (!s.tcp) return -EOPNOTSUPP;
  // p2 takes the backlog as a hint of at least 1 (Python's listen(0) is Linux's backlog 0).
  const hint = <i64>max(backlog, 1);
  if (s.st == S_UNLISTENED) s.st = S_LISTEN;      // the p2 socket never stopped listening
  if (s.st == S_LISTEN) { p2.tcp_set_listen_backlog_size(s.h, hint, RET); return 0; }
  if (s.st != S_FRESH && s.st != S_BOUND) return -EINVAL;
  if (s.st == S_FRESH) { const b = autobind(s); if (b < 0) return b; }
  p2.tcp_set_listen_backlog_size(s.h, hint, RET);
  p2.tcp_start_listen(s.h, RET);
  let e = failed(R_P1);
  if (e != 0) return -errnoOf(e - 1);
  for (;;) {
    p2.tcp_finish_listen(s.h, RET);
    e = failed(R_P1);
    if (e == 0) break;
    if (e - 1 != WOULD_BLOCK) return -errnoOf(e - 1);
    p2.pollable_block(pollSock(s));
  }
  s.st = S_LISTEN;
  return 0;
}

export function HOST_accept(fd: i32, addr: usize, lenptr: usize, flags: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return -EBADF;
  if (!s.tcp) return -EOPNOTSUPP;
  if (s.st != S_LISTEN) return -EINVAL;
  for (;;) {
    p2.tcp_accept(s.h, RET);
    const e = failed(R_P4);
    if (e == 0) break;
    if (e - 1 != WOULD_BLOCK) return -errnoOf(e - 1);
    if (s.nb) return -EAGAIN;
    p2.pollable_block(pollSock(s));
  }
  const c = new Sock();
  c.tcp = true; c.family = s.family; c.st = S_CONNECTED;
  c.h = load<i32>(RET + R_P4); c.inS = load<i32>(RET + R_P4 + 4); c.outS = load<i32>(RET + R_P4 + 8);
  c.nb = (flags & SOCK_NONBLOCK) != 0;
  // Options an accepted socket inherits on Linux and that p2 has no method for.
  c.nodelay = s.nodelay; c.reuseaddr = s.reuseaddr;
  const nfd = allocFd(c);
  if (nfd < 0) { dropStreams(c); p2.tcp_drop(c.h); return nfd; }
  if (addr != 0) {
    p2.tcp_remote_address(c.h, RET);
    if (load<u8>(RET) == 0) liftSockaddr(RET + R_P4, addr, lenptr);
  }
  return nfd;
}

export function HOST_getsockopt(fd: i32, level: i32, opt: i32, val: usize, lenptr: usize): i32 {
  const s = sockOf(fd);
  if (s === null) return -EBADF;
  return getOption(s, level, opt, val, lenptr);
}
export function HOST_setsockopt(fd: i32, level: i32, opt: i32, val: usize, len: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return -EBADF;
  return setOption(s, level, opt, val, len);
}

export function HOST_getsockname(fd: i32, addr: usize, lenptr: usize): i32 {
  const s = sockOf(fd);
  if (s === null) return -EBADF;
  if (s.st == S_FRESH || s.st == S_FAILED) { wildcardName(s, addr, lenptr); return 0; }
  if (s.tcp) p2.tcp_local_address(s.h, RET); else p2.udp_local_address(s.h, RET);
  if (load<u8>(RET) != 0) { wildcardName(s, addr, lenptr); return 0; }
  liftSockaddr(RET + R_P4, addr, lenptr);
  return 0;
}

export function HOST_getpeername(fd: i32, addr: usize, lenptr: usize): i32 {
  const s = sockOf(fd);
  if (s === null) return -EBADF;
  if (s.tcp ? s.st != S_CONNECTED : !s.udpConnected) return -ENOTCONN;
  if (s.tcp) p2.tcp_remote_address(s.h, RET); else p2.udp_remote_address(s.h, RET);
  if (load<u8>(RET) != 0) return -ENOTCONN;
  liftSockaddr(RET + R_P4, addr, lenptr);
  return 0;
}

// ------------------------------------------------------------------------------ data

/** Where the next list the host returns should land (cabi_realloc), and how much fits there. */
let landing: usize = 0;
let landingCap: usize = 0;

/**
 * The canonical ABI's allocator (exported by assembly/wasi-p2.ts): a list the host returns
 * lands in the caller's buffer when one is set (a stream read: no copy), else in a heap block
 * the caller frees.
 */
export function cabiRealloc(old: usize, oldSize: usize, align: usize, size: usize): usize {
  if (old == 0 && landing != 0 && size <= landingCap) { const p = landing; landing = 0; return p; }
  if (old != 0) return heap.realloc(old, size);
  return heap.alloc(size == 0 ? 1 : size);
}

/** Reads at most len bytes into buf: n > 0, 0 none yet, -1 the end, < -1 -errno. */
function readSome(s: Sock, buf: usize, len: i32, wait: bool): i32 {
  landing = buf; landingCap = <usize>len;
  if (wait) p2.input_blocking_read(s.inS, <i64>len, RET); else p2.input_read(s.inS, <i64>len, RET);
  landing = 0;
  if (load<u8>(RET) != 0) {
    const e = streamErrno(R_P4);
    if (e == 0) { s.eof = true; return -1; }
    return -e;
  }
  const ptr = load<usize>(RET + R_P4), n = load<i32>(RET + R_P4 + 4);
  if (ptr != buf) { memory.copy(buf, ptr, <usize>n); heap.free(ptr); }
  return n;
}

/** Reads shorter than this fill the peek buffer with up to this much (tcpRecv). */
const READ_AHEAD: i32 = 4096;

function peekReserve(s: Sock, more: i32): void {
  if (s.peekLen + more <= s.peekCap) return;
  const cap = max(s.peekLen + more, s.peekCap * 2);
  s.peek = s.peek == 0 ? heap.alloc(<usize>cap) : heap.realloc(s.peek, <usize>cap);
  s.peekCap = cap;
}

function tcpRecv(s: Sock, buf: usize, len: i32, flags: i32): i32 {
  if (s.st == S_CONNECTING) {
    let c = tryFinishConnect(s);
    while (c == -EAGAIN) {
      if (s.nb || (flags & MSG_DONTWAIT) != 0) return -EAGAIN;
      p2.pollable_block(pollSock(s));
      c = tryFinishConnect(s);
    }
    if (c < 0) { s.soError = 0; return c; }
  }
  if (s.st == S_FAILED && s.soError != 0) { const e = s.soError; s.soError = 0; return -e; }
  if (s.st != S_CONNECTED) return -ENOTCONN;
  if ((flags & MSG_OOB) != 0) return -EINVAL;      // no urgent data: tcp_recv_urg
  if (len == 0 || s.rdShut) return 0;
  // rdGone: never a blocking read (the stream of a connection the runtime ended may never end).
  const nb = s.nb || s.rdGone || (flags & MSG_DONTWAIT) != 0;
  const peek = (flags & MSG_PEEK) != 0;
  const all = (flags & MSG_WAITALL) != 0 && !peek && !nb;
  let got = 0;
  if (s.peekLen > 0) {
    got = min(len, s.peekLen);
    memory.copy(buf, s.peek, <usize>got);
    if (!peek) { s.peekLen -= got; memory.copy(s.peek, s.peek + <usize>got, <usize>s.peekLen); }
    if (got == len) return got;
    if (!all) {
      // What else has arrived comes too, as one recv() copies all the queue holds.
      if (peek || s.eof) return got;
      const more = readSome(s, buf + <usize>got, len - got, false);
      return more > 0 ? got + more : got;
    }
  }
  for (;;) {
    let n: i32;
    if (peek) {
      peekReserve(s, len - got);
      n = readSome(s, s.peek + <usize>s.peekLen, len - got, !nb);
      if (n > 0) { memory.copy(buf + <usize>got, s.peek + <usize>s.peekLen, <usize>n); s.peekLen += n; }
    } else if (s.eof) {
      n = -1;
    } else if (readAhead && len - got < READ_AHEAD) {
      // A short read takes what the stream has, up to READ_AHEAD, and keeps the rest in the
      // peek buffer (empty here: the branch above used it up): on a runtime whose every call
      // is a worker round trip (preview2-shim, ~140 us) makefile's small reads would pay it
      // per read (test/readline-streams.test.ts on wasi-p2).
      peekReserve(s, READ_AHEAD);
      n = readSome(s, s.peek, READ_AHEAD, !nb);
      if (n > 0) {
        const k = min(n, len - got);
        memory.copy(buf + <usize>got, s.peek, <usize>k);
        s.peekLen = n - k;
        if (s.peekLen > 0) memory.copy(s.peek, s.peek + <usize>k, <usize>s.peekLen);
        n = k;
      }
    } else {
      n = readSome(s, buf + <usize>got, len - got, !nb);
    }
    if (n > 0) { got += n; if (all && got < len) continue; return got; }
    if (n == -1) return got;                       // the end: what there is, then b''
    if (n < -1) return got > 0 ? got : n;
    if (got > 0) return got;
    if (nb) return s.rdGone ? got : -EAGAIN;
    p2.pollable_block(pollIn(s));                  // blocking-read returned nothing: wait again
  }
  return -EIO;   // not reached: the loop above returns
}

/** The datagram stream must exist before data moves: Linux binds an unbound socket on its first send. */
function udpReady(s: Sock, sending: bool): i32 {
  if (s.inS != 0) return 0;
  if (s.st == S_FRESH) {
    if (!sending) return -EAGAIN;
    const b = autobind(s);
    if (b < 0) return b;
    return 0;
  }
  return udpStreams(s, false);
}

/** Receives one datagram into the peek slot (s.peek / s.peekLen / s.peekAddr). 0, or -errno. */
function udpFetch(s: Sock, nb: bool): i32 {
  for (;;) {
    p2.incoming_receive(s.inS, 1, RET);
    const e = failed(R_P4);
    if (e != 0) return -errnoOf(e - 1);
    const list = load<usize>(RET + R_P4), count = load<i32>(RET + R_P4 + 4);
    if (count > 0) {
      const dptr = load<usize>(list), dlen = load<i32>(list, 4);
      if (s.peek != 0) heap.free(s.peek);
      s.peek = dptr; s.peekLen = dlen; s.peekCap = dlen;
      if (s.peekAddr == 0) s.peekAddr = heap.alloc(p2.SA_SIZE);
      memory.copy(s.peekAddr, list + 8, p2.SA_SIZE);
      s.peekHave = true;
      heap.free(list);
      return 0;
    }
    if (list != 0) heap.free(list);
    if (nb) return -EAGAIN;
    p2.pollable_block(pollIn(s));
  }
  return -EIO;   // not reached: the loop above returns
}

function udpRecv(s: Sock, buf: usize, len: i32, flags: i32, addr: usize, lenptr: usize): i32 {
  const nb = s.nb || (flags & MSG_DONTWAIT) != 0;
  if ((flags & MSG_OOB) != 0) return -EOPNOTSUPP;
  if (s.inS == 0) {
    if (nb) return -EAGAIN;
    // Unbound: nothing can arrive (Linux waits forever; so does this, on the clock).
    for (;;) { const p = p2.clock_subscribe_duration(3600_000_000_000); p2.pollable_block(p); p2.pollable_drop(p); }
  }
  if (!s.peekHave) { const r = udpFetch(s, nb); if (r < 0) return r; }
  const n = min(len, s.peekLen);
  memory.copy(buf, s.peek, <usize>n);
  liftSockaddr(s.peekAddr, addr, lenptr);
  const full = s.peekLen;
  if ((flags & MSG_PEEK) == 0) { heap.free(s.peek); s.peek = 0; s.peekLen = 0; s.peekCap = 0; s.peekHave = false; }
  return (flags & MSG_TRUNC) != 0 ? full : n;
}

export function HOST_recvfrom(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, lenptr: usize): i32 {
  const s = sockOf(fd);
  if (s === null) return -EBADF;
  if (s.tcp) {
    // TCP reports no sender (Linux leaves msg_namelen 0).
    if (lenptr != 0) store<i32>(lenptr, 0);
    return tcpRecv(s, buf, len, flags);
  }
  return udpRecv(s, buf, len, flags, addr, lenptr);
}
export function HOST_recv(fd: i32, buf: usize, len: i32, flags: i32): i32 { return HOST_recvfrom(fd, buf, len, flags, 0, 0); }

function tcpSend(s: Sock, buf: usize, len: i32, flags: i32): i32 {
  const nb = s.nb || (flags & MSG_DONTWAIT) != 0;
  if (s.st == S_CONNECTING) {
    let c = tryFinishConnect(s);
    while (c == -EAGAIN) {
      if (nb) return -EAGAIN;
      p2.pollable_block(pollSock(s));
      c = tryFinishConnect(s);
    }
    if (c < 0) { s.soError = 0; return c; }
  }
  if (s.st == S_FAILED && s.soError != 0) { const e = s.soError; s.soError = 0; return -e; }
  if (s.st != S_CONNECTED || s.wrShut) return -EPIPE;
  if (len == 0) return 0;
  let sent = 0;
  while (sent < len) {
    if (!nb) {
      // One host call per 4 KiB: blocking-write-and-flush waits for room itself.
      const n = min(len - sent, 4096);
      p2.output_blocking_write_and_flush(s.outS, buf + <usize>sent, n, RET);
      if (load<u8>(RET) != 0) { const e = streamErrno(R_P4); return sent > 0 ? sent : -(e == 0 ? EPIPE : e); }
      sent += n;
      continue;
    }
    p2.output_check_write(s.outS, RET);
    if (load<u8>(RET) != 0) { const e = streamErrno(R_P8); return sent > 0 ? sent : -(e == 0 ? EPIPE : e); }
    const room = load<u64>(RET + R_P8);
    if (room == 0) return sent > 0 ? sent : -EAGAIN;
    const n = <i32>min<u64>(<u64>(len - sent), room);
    p2.output_write(s.outS, buf + <usize>sent, n, RET);
    if (load<u8>(RET) != 0) { const e = streamErrno(R_P4); return sent > 0 ? sent : -(e == 0 ? EPIPE : e); }
    sent += n;
    if (!flushWaits) p2.output_flush(s.outS, RET);
    return sent;
  }
  return sent;
}

function udpSend(s: Sock, buf: usize, len: i32, flags: i32, addr: usize, alen: i32): i32 {
  const nb = s.nb || (flags & MSG_DONTWAIT) != 0;
  let some = false;
  // inet_sendmsg binds an unbound socket before udp_sendmsg looks at the destination.
  if (s.st == S_FRESH) { const b = udpReady(s, true); if (b < 0) return b; }
  if (addr != 0) {
    const r = lowerSockaddr(s, addr, alen, true);
    if (r < 0) return r;
    if (unchecked(FLAT[1]) == 0) return -EINVAL;   // Linux: udp_sendmsg refuses port 0
    some = true;
  } else if (!s.udpConnected) return -EDESTADDRREQ;
  if (s.inS == 0) {
    const save = new StaticArray<i32>(12);
    for (let i = 0; i < 12; i++) unchecked(save[i] = FLAT[i]);
    const r = udpReady(s, true);
    if (r < 0) return r;
    for (let i = 0; i < 12; i++) unchecked(FLAT[i] = save[i]);
  }
  // A connected stream takes no other destination: p2 says invalid-argument, Linux sends it.
  for (;;) {
    p2.outgoing_check_send(s.outS, RET);
    const e = failed(R_P8);
    if (e != 0) return -errnoOf(e - 1);
    if (load<u64>(RET + R_P8) > 0) break;
    if (nb) return -EAGAIN;
    p2.pollable_block(pollOut(s));
  }
  const d = changetype<usize>(OUT_DGRAM);
  store<usize>(d, buf); store<i32>(d, len, 4);
  store<u8>(d, some && !s.udpConnected ? 1 : 0, 8);
  if (some && !s.udpConnected) lowerToMemory(d + 12);
  p2.outgoing_send(s.outS, d, 1, RET);
  const e = failed(R_P8);
  if (e != 0) return -errnoOf(e - 1);
  return len;
}
const OUT_DGRAM = new StaticArray<u8>(<i32>p2.OUT_DGRAM_SIZE);

/** FLAT as an ip-socket-address in memory (32 bytes at `at`). */
function lowerToMemory(at: usize): void {
  const f = FLAT;
  memory.fill(at, 0, p2.SA_SIZE);
  store<u8>(at, <u8>unchecked(f[0]));
  store<u16>(at, <u16>unchecked(f[1]), 4);
  if (unchecked(f[0]) == 0) {
    for (let i = 0; i < 4; i++) store<u8>(at + 6 + i, <u8>unchecked(f[2 + i]));
  } else {
    store<u32>(at, <u32>unchecked(f[2]), 8);
    for (let i = 0; i < 8; i++) store<u16>(at + 12 + (<usize>i << 1), <u16>unchecked(f[3 + i]));
    store<u32>(at, <u32>unchecked(f[11]), 28);
  }
}

export function HOST_sendto(fd: i32, buf: usize, len: i32, flags: i32, addr: usize, alen: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return -EBADF;
  return s.tcp ? tcpSend(s, buf, len, flags) : udpSend(s, buf, len, flags, addr, alen);
}
export function HOST_send(fd: i32, buf: usize, len: i32, flags: i32): i32 { return HOST_sendto(fd, buf, len, flags, 0, 0); }

export function HOST_shutdown(fd: i32, how: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return -EBADF;
  if (how < 0 || how > 2) return -EINVAL;
  if (!s.tcp) return s.udpConnected ? 0 : -ENOTCONN;
  // inet_shutdown: a listener's SHUT_RD stops it listening (SHUT_WR does nothing); p2 cannot
  // stop a listener, so this one only stops answering as one (accept EINVAL, SO_ACCEPTCONN 0).
  if (s.st == S_LISTEN) { if (how != 1) s.st = S_UNLISTENED; return 0; }
  if (s.st != S_CONNECTED) return -ENOTCONN;
  p2.tcp_shutdown(s.h, how, RET);
  const e = failed(R_P1);
  if (e != 0) return -errnoOf(e - 1);
  if (how != 1) s.rdShut = true;
  if (how != 0) s.wrShut = true;
  if (shutdownEndsBoth) s.rdGone = true;
  return 0;
}

export function HOST_set_nonblocking(fd: i32, on: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return -EBADF;
  s.nb = on != 0;
  return 0;
}

/** Up to three pollables and a timer, for poll_list. */
const PLIST = new StaticArray<i32>(4);

/**
 * poll(fd, events, ms): what is ready now, else waits on the socket's pollables and a
 * monotonic-clock timer (ms < 0: no timer). Returns revents, 0 on timeout.
 */
export function HOST_poll(fd: i32, events: i32, ms: i32): i32 {
  const s = sockOf(fd);
  if (s === null) return 32;   // POLLNVAL, as poll() reports a closed fd
  for (;;) {
    let rev = readyNow(s, events);
    if (rev != 0 || ms == 0) return rev;
    let n = 0;
    const pin = (events & POLLIN) != 0 ? inPollable(s) : 0;
    const pout = (events & POLLOUT) != 0 ? outPollable(s) : 0;
    if (pin != 0) unchecked(PLIST[n++] = pin);
    if (pout != 0 && pout != pin) unchecked(PLIST[n++] = pout);
    let timer = 0;
    if (ms > 0) { timer = p2.clock_subscribe_duration(<i64>ms * 1_000_000); unchecked(PLIST[n++] = timer); }
    if (n == 0) return 0;
    p2.poll_list(changetype<usize>(PLIST), n, RET);
    const lp = load<usize>(RET), ln = load<i32>(RET, 4);
    let timedOut = false;
    for (let i = 0; i < ln; i++) if (timer != 0 && unchecked(PLIST[load<i32>(lp + (<usize>i << 2))]) == timer) timedOut = true;
    if (lp != 0) heap.free(lp);
    if (timer != 0) p2.pollable_drop(timer);
    rev = readyNow(s, events);
    if (rev != 0) return rev;
    if (timedOut) return 0;
    // A pollable fired but the call would still block (a spurious wake-up): wait again,
    // with the time left (the core re-polls with its own deadline after 0).
    if (ms > 0) return 0;
  }
  return -EIO;   // not reached: the loop above returns
}

/** The pollable whose readiness means POLLIN may have changed (0: none, readiness is final). */
function inPollable(s: Sock): i32 {
  if (s.tcp) {
    if (s.st == S_LISTEN) return pollSock(s);
    if (s.st == S_CONNECTED) return pollIn(s);
    return s.st == S_CONNECTING ? pollSock(s) : 0;
  }
  return s.inS != 0 ? pollIn(s) : 0;
}
function outPollable(s: Sock): i32 {
  if (s.tcp) {
    if (s.st == S_CONNECTING) return pollSock(s);
    return s.st == S_CONNECTED ? pollOut(s) : 0;
  }
  return s.outS != 0 ? pollOut(s) : 0;
}

/** revents without waiting: asks p2 with ready() (and finishes a connect that is done). */
function readyNow(s: Sock, events: i32): i32 {
  let rev = 0;
  if (s.tcp) {
    if (s.st == S_CONNECTING) {
      if (p2.pollable_ready(pollSock(s)) == 0) return 0;
      tryFinishConnect(s);
      if (s.st == S_FAILED) return POLLOUT | POLLERR | POLLHUP | (events & POLLIN);
    }
    if (s.st == S_LISTEN) return (events & POLLIN) != 0 && p2.pollable_ready(pollSock(s)) != 0 ? POLLIN : 0;
    if (s.st != S_CONNECTED) return s.st == S_FAILED ? POLLOUT | POLLHUP | POLLERR : POLLOUT | POLLHUP;
    if ((events & POLLIN) != 0 && (s.peekLen > 0 || s.eof || s.rdShut || s.rdGone || p2.pollable_ready(pollIn(s)) != 0)) rev |= POLLIN;
    if ((events & POLLOUT) != 0 && (s.wrShut || p2.pollable_ready(pollOut(s)) != 0)) rev |= POLLOUT;
    return rev;
  }
  if ((events & POLLIN) != 0 && (s.peekHave || (s.inS != 0 && p2.pollable_ready(pollIn(s)) != 0))) rev |= POLLIN;
  if ((events & POLLOUT) != 0 && (s.outS == 0 || p2.pollable_ready(pollOut(s)) != 0)) rev |= POLLOUT;
  return rev;
}

export function HOST_now_ns(): i64 { return p2.clock_now(); }

// No dup or socketpair on p2 (fcntl and ioctl: host/unserved): the capability set says so and
// the core never calls these.

// ------------------------------------------------------------------ the embedder's view

/** How many fds are open (the tests' leak checks). */
export function P2_open_fds(): i32 { return openCount; }
/** O_NONBLOCK of fd (p2 has no fcntl; the tests read the bit here), -1 when fd is not open. */
export function P2_nonblocking(fd: i32): i32 { const s = sockOf(fd); return s === null ? -1 : s.nb ? 1 : 0; }

/**
 * The policy hook (assembly/bindings/policy.ts): the rules' decision stands. A policy's check
 * callbacks and audit hooks are JavaScript, which a wasi:* component cannot call, so
 * src/wasi-p2.ts refuses a policy that has them.
 */
export function HOST_policy_decide(allowed: i32): i32 { return allowed; }
