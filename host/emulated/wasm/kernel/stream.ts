// Stream sockets (TCP over the emulated links, and AF_UNIX streams): the connection state
// machine at the socket API, as Linux shows it. Segments are not modelled one by one: a
// connection's effects (handshake into the accept queue, bytes into the peer's window, FIN,
// RST) take place when they reach the other end, immediately on loopback and at the link's
// latency between machines. Windows are SO_RCVBUF / SO_SNDBUF as getsockopt reports them,
// counted in payload bytes (docs/decisions.md).

import { Sock, sockAt, newSock, freeSock } from "./sock";
import { now, schedule, EV_SYN_RETRY, EV_KEEPALIVE, EV_DELIVER, EV_RETRANSMIT } from "./clock";
import { isCut, isCrashed, arrival, removeBinding, addBinding, anyFaults, machinePid, twAdd, setOrphanExpired } from "./net";
import { optsInherit, optsEstablished } from "./opts";
import {
  AF_UNIX, TCP_ESTABLISHED, TCP_SYN_SENT, TCP_FIN_WAIT1, TCP_FIN_WAIT2, TCP_CLOSE,
  TCP_CLOSE_WAIT, TCP_LAST_ACK, TCP_LISTEN, TCP_CLOSING, ECONNRESET, EPIPE, ECONNREFUSED, ETIMEDOUT, NS,
} from "./defs";

/** Linux's TIME_WAIT and orphaned FIN_WAIT2 lifetimes (TCP_TIMEWAIT_LEN, tcp_fin_timeout). */
const TIME_WAIT_NS: i64 = 60 * NS;
/** tcp_syn_retries = 6: SYNs at 0, 1, 3, 7, 15, 31, 63 s; ETIMEDOUT at 127 s. */
const SYN_RETRIES: i32 = 6;
/** tcp_retries2 = 15 with RTO from 200 ms: unacknowledged data is given up after ~924.6 s. */
const RETRIES2_NS: i64 = 924_600_000_000;

@inline export function connectedState(st: i32): bool {
  return st == TCP_ESTABLISHED || st == TCP_CLOSE_WAIT || st == TCP_FIN_WAIT1 || st == TCP_FIN_WAIT2;
}

/** Whether bytes from a can reach b now (no partition between their machines, neither crashed). */
@inline function linkUp(a: Sock, b: Sock): bool {
  if (!anyFaults) return true;
  return !isCut(a.machine, b.machine) && !isCrashed(b.machine) && !isCrashed(a.machine);
}

// ------------------------------------------------------------------ readiness

export function readable(s: Sock): bool {
  if (s.state == TCP_LISTEN) return s.acceptqLen() > 0;
  if (s.type == 5 && s.dqLen() > 0) return true;
  return s.rq.len >= s.o.rcvlowat || s.rq.len > 0 && (s.finIn || s.rdShut) || s.finIn || s.err != 0 || s.rdShut
    || !connectedState(s.state) && s.state != TCP_SYN_SENT;
}

/** Room to send: the socket's own send queue below SO_SNDBUF, or an error or end to report. */
export function writable(s: Sock): bool {
  // A listener never polls writable (tcp_poll, unix_poll), whatever its old shutdown or error:
  // a wait for POLLOUT on it lasts (ops.ts's poll() would otherwise spin).
  if (s.state == TCP_LISTEN) return false;
  if (s.err != 0 || s.wrShut || s.state == TCP_CLOSE) return true;
  if (s.state == TCP_SYN_SENT) return false;
  return sendRoom(s) > 0;
}

export function acceptable(s: Sock): bool { return s.state != TCP_LISTEN || s.acceptqLen() > 0; }
export function connectDone(s: Sock): bool { return s.state != TCP_SYN_SENT; }

/**
 * The payload a receive queue holds: half of SO_RCVBUF (Linux advertises about half its buffer
 * as window, the rest covers skb overhead). AF_UNIX streams take the whole of it.
 */
@inline export function rcvWindow(p: Sock): i32 { return p.family == AF_UNIX ? p.o.rcvbuf : p.o.rcvbuf >> 1; }
/** The payload a send queue holds: three quarters of SO_SNDBUF (skb overhead takes the rest). */
@inline export function sndSpace(s: Sock): i32 { return s.family == AF_UNIX ? s.o.sndbuf : s.o.sndbuf - (s.o.sndbuf >> 2); }

/** The peer's free window plus room in our send queue. */
export function sendRoom(s: Sock): i32 {
  let room = sndSpace(s) - s.sq.len;
  if (room < 0) room = 0;
  if (s.peer >= 0 && s.sq.len == 0) {
    const p = sockAt(s.peer);
    const w = rcvWindow(p) - p.rq.len;
    if (w > 0) room += w;
  }
  return room;
}

// ------------------------------------------------------------------ connection setup

/**
 * The handshake reached listener `l` from `c`: an accepted socket joins l's accept queue, or
 * nothing happens when the queue is full (Linux drops the SYN; the connector retries).
 * `dest` is the address c connected to (the accepted socket's own name).
 */
export function handshake(c: Sock, l: Sock, dest: usize, destLen: i32): bool {
  // sk_acceptq_is_full: a queue holds backlog + 1 connections.
  if (l.acceptqLen() > l.backlog) return false;
  const a = newSock();
  a.family = l.family; a.type = l.type; a.proto = l.proto; a.machine = l.machine;
  a.state = TCP_ESTABLISHED;
  a.pid = l.pid; a.uid = l.uid; a.gid = l.gid;
  optsInherit(l, a);
  if (l.family == AF_UNIX) {
    memory.copy(a.local, l.local, l.localLen); a.localLen = l.localLen;
    memory.copy(a.remote, c.local, c.localLen); a.remoteLen = c.localLen;
    if (a.remoteLen == 0) { store<u16>(a.remote, <u16>AF_UNIX); a.remoteLen = 2; }
  } else {
    localNameFor(a, dest, destLen, l);
    peerNameFor(a, c);
    a.bound = true;
    addBinding(a);
  }
  a.bound = true;
  a.listener = l.id;
  a.peer = c.id; c.peer = a.id;
  c.state = TCP_ESTABLISHED;
  a.wasConnected = true; c.wasConnected = true;
  c.connecting = c.connecting;   // a non-blocking connect reports through poll and SO_ERROR
  a.lastSeen = now; c.lastSeen = now;
  // As tcp_info counts them: the client sent SYN and ACK and got the SYN-ACK; the accepted
  // socket counts SYN and ACK in, and nothing out (its request socket sent the SYN-ACK).
  c.segsOut += 2; c.segsIn += 1; a.segsIn += 2;
  l.acceptq.push(a.id);
  optsEstablished(c); optsEstablished(a);
  armKeepalive(c); armKeepalive(a);
  return true;
}

/** The accepted socket's name: the address the client reached, in the listener's family. */
function localNameFor(a: Sock, dest: usize, destLen: i32, l: Sock): void {
  if (<i32>load<u16>(dest) == l.family) {
    memory.copy(a.local, dest, destLen); a.localLen = destLen;
    // The listener's port and, for IPv6, no flow label of the client's.
    store<u16>(a.local + 2, load<u16>(l.local + 2));
    if (l.family == 10) { store<u32>(a.local + 4, 0); store<u32>(a.local + 24, load<u32>(l.local + 24) != 0 ? load<u32>(l.local + 24) : load<u32>(dest + 24)); }
    return;
  }
  // An IPv4 client reached an IPv6 listener: its name is the v4-mapped form.
  v4MappedInto(a.local, dest);
  a.localLen = 28;
  store<u16>(a.local + 2, load<u16>(l.local + 2));
}

function peerNameFor(a: Sock, c: Sock): void {
  if (c.family == a.family) { memory.copy(a.remote, c.local, c.localLen); a.remoteLen = c.localLen; return; }
  v4MappedInto(a.remote, c.local);
  a.remoteLen = 28;
}

/** Writes the sockaddr_in6 of the IPv4 sockaddr_in at `v4` (::ffff:a.b.c.d, same port). */
export function v4MappedInto(dst: usize, v4: usize): void {
  memory.fill(dst, 0, 28);
  store<u16>(dst, 10);
  store<u16>(dst + 2, load<u16>(v4 + 2));
  store<u32>(dst + 16, 0xffff0000);
  store<u32>(dst + 20, load<u32>(v4 + 4));
}

/** A connector's SYN went unanswered (queue full, partition, crashed machine): try again later. */
export function synLater(c: Sock, attempt: i32): void {
  const delay: i64 = (<i64>1 << attempt) * NS;   // 1, 2, 4, ... s: the gaps between SYNs
  schedule(now + delay, EV_SYN_RETRY, c.id, c.gen, attempt + 1);
}

/** Where a SYN retry goes: stream.ts's caller (connect) installs the resolver. */
export let retryConnect: (c: Sock) => i32 = (c: Sock): i32 => 0;
export function setRetryConnect(f: (c: Sock) => i32): void { retryConnect = f; }

export function onSynRetry(c: Sock, attempt: i32): void {
  if (c.state != TCP_SYN_SENT) return;
  if (attempt > SYN_RETRIES) { failConnect(c, ETIMEDOUT); return; }
  const r = retryConnect(c);      // 1 established, 0 still unanswered, -errno refused
  if (r == 0) { synLater(c, attempt); return; }
  if (r < 0) failConnect(c, -r);
}

export function failConnect(c: Sock, err: i32): void {
  c.state = TCP_CLOSE;
  c.err = err;
  unbindIfAuto(c);
}

/** Linux releases a port that connect() chose itself when the connection ends (inet_put_port). */
export let autoBound = new Array<bool>();
export function unbindIfAuto(s: Sock): void {
  while (autoBound.length <= s.id) autoBound.push(false);
  if (autoBound[s.id]) {
    removeBinding(s); s.bound = false; autoBound[s.id] = false;
    // getsockname still shows the port, on the wildcard address (Linux keeps inet_sport).
    if (s.family == 2) store<u32>(s.local + 4, 0); else memory.fill(s.local + 8, 0, 16);
  }
}
export function markAutoBound(s: Sock, on: bool): void {
  while (autoBound.length <= s.id) autoBound.push(false);
  autoBound[s.id] = on;
}

// ------------------------------------------------------------------ data

/** Moves what can move from s's send queue into its peer's receive window (link permitting). */
export function pushData(s: Sock): void {
  if (s.peer < 0 || s.sq.len == 0) return;
  const p = sockAt(s.peer);
  if (!linkUp(s, p)) { armRetransmit(s); return; }
  if (s.machine != p.machine && flightAt.length > s.id && flightAt[s.id] > now) return;
  let w = rcvWindow(p) - p.rq.len;
  if (w <= 0) return;
  const n = p.rq.take(s.sq, w);
  if (n > 0) delivered(s, p, n);
  if (s.sq.len == 0 && s.finPending) { s.finPending = false; finSent(s); }
}

function delivered(s: Sock, p: Sock, n: i32): void {
  s.bytesSent += <u64>n; p.bytesRecv += <u64>n;
  s.segsOut++; p.segsIn++;
  s.lastSeen = now; p.lastSeen = now;
  s.probes = 0; p.probes = 0;
}

// When the bytes queued between machines may arrive (latency and bandwidth), per socket id.
const flightAt = new Array<i64>();

/**
 * Sends n bytes at src from s: straight into the peer's window when the link is loopback and
 * nothing is queued before them, else into s's send queue (delivered by timers). Returns how
 * many bytes were taken (at most the room there is).
 */
export function streamWrite(s: Sock, src: usize, n: i32): i32 {
  const p = sockAt(s.peer);
  let done = 0;
  if (s.sq.len == 0 && s.machine == p.machine && linkUp(s, p)) {
    let w = rcvWindow(p) - p.rq.len;
    if (w > 0) {
      done = min(w, n);
      p.rq.push(src, done);
      delivered(s, p, done);
    }
  }
  let room = sndSpace(s) - s.sq.len;
  const rest = min(n - done, room > 0 ? room : 0);
  if (rest > 0) {
    s.sq.push(src + <usize>done, rest);
    done += rest;
    if (s.machine != p.machine) {
      while (flightAt.length <= s.id) flightAt.push(0);
      const at = arrival(now, s.machine, p.machine, rest);
      flightAt[s.id] = at;
      schedule(at, EV_DELIVER, s.id, s.gen, 0);
    } else {
      pushData(s);
    }
  }
  return done;
}

export function onDeliver(s: Sock): void { pushData(s); }

/** The reader took bytes: the sender's queued bytes may move into the freed window. */
export function afterRead(s: Sock): void {
  if (s.peer >= 0) pushData(sockAt(s.peer));
}

function armRetransmit(s: Sock): void {
  schedule(now + RETRIES2_NS, EV_RETRANSMIT, s.id, s.gen, 0);
}

export function onRetransmit(s: Sock): void {
  if (s.peer < 0 || s.sq.len == 0) return;
  const p = sockAt(s.peer);
  if (linkUp(s, p)) { pushData(s); return; }
  // tcp_write_timeout: the connection is given up with ETIMEDOUT.
  abortConnection(s, ETIMEDOUT);
}

// ------------------------------------------------------------------ keep-alive

export function armKeepalive(s: Sock): void {
  if (s.probes > 0 && s.kaAt >= now) return;     // probing already
  if (!s.o.keepalive || s.family == AF_UNIX || !connectedState(s.state)) return;
  kaTimer(s, max(now, s.lastSeen + kaIdle(s)));
}

/**
 * Keep-alive's idle time, probe interval (ns) and probe count: SIO_KEEPALIVE_VALS's when the
 * windows profile set them (Windows sends 10 probes), else TCP_KEEPIDLE/INTVL/CNT's.
 */
@inline function kaIdle(s: Sock): i64 { return s.winKaIdle > 0 ? s.winKaIdle : <i64>s.o.keepidle * NS; }
@inline function kaIntvl(s: Sock): i64 { return s.winKaIdle > 0 ? s.winKaIntvl : <i64>s.o.keepintvl * NS; }
@inline function kaCount(s: Sock): i32 { return s.winKaIdle > 0 ? 10 : s.o.keepcnt; }

/** Sets s's one keep-alive timer (any earlier one is superseded). */
function kaTimer(s: Sock, at: i64): void {
  s.kaAt = at;
  schedule(at, EV_KEEPALIVE, s.id, s.gen, 0);
}

/**
 * A keep-alive timer: idle long enough and the peer unreachable, a probe goes unanswered;
 * after TCP_KEEPCNT of them the connection fails with ETIMEDOUT (tcp_keepalive_timer). A
 * healthy link answers: the timer is set again from the last segment.
 */
export function onKeepalive(s: Sock): void {
  if (now != s.kaAt) return;       // superseded
  if (!s.o.keepalive || !connectedState(s.state)) return;
  const idleEnd = s.lastSeen + kaIdle(s);
  if (s.probes == 0 && now < idleEnd) { kaTimer(s, idleEnd); return; }
  const p = s.peer >= 0 ? sockAt(s.peer) : null;
  if (p !== null && linkUp(s, p) && linkUp(p, s)) {
    // Answered: the connection is alive. The next timer is set only when a partition or a
    // crash could make a probe fail (faults.ts re-arms), so an idle healthy connection
    // leaves no timer behind for a waiting call to run forever.
    s.lastSeen = now; s.probes = 0;
    return;
  }
  // tcp_keepalive_timer: TCP_KEEPCNT probes unanswered and the next timer gives up, at
  // idle + intvl x cnt (test/emulated-network.test.ts measures it in virtual time).
  if (s.probes >= kaCount(s)) { abortConnection(s, ETIMEDOUT); return; }
  s.probes++;
  kaTimer(s, now + kaIntvl(s));
}

// ------------------------------------------------------------------ teardown

/** tcp_reset's errno for a RST arriving in state st. */
function resetErrno(st: i32): i32 {
  if (st == TCP_SYN_SENT) return ECONNREFUSED;
  if (st == TCP_CLOSE_WAIT) return EPIPE;
  return ECONNRESET;
}

/** A RST reached s: its error, the connection gone, no more bytes either way. */
export function receiveReset(s: Sock): void {
  if (s.state == TCP_CLOSE || s.state == TCP_LISTEN) return;
  s.err = resetErrno(s.state);
  s.reset = true;
  s.state = TCP_CLOSE;
  s.peer = -1;
  s.sq.clear();
  s.rdShut = true; s.wrShut = true;
  if (s.files == 0 && s.listener < 0) { removeBinding(s); freeSock(s); }
}

/** Gives the connection up with `err` (keep-alive or retransmission timeout): the peer never hears of it. */
export function abortConnection(s: Sock, err: i32): void {
  if (s.peer >= 0) {
    const p = sockAt(s.peer);
    if (p.peer == s.id) p.peer = -1;      // a later segment from p finds nothing: p hears of it then
  }
  s.err = err;
  s.reset = true;
  s.state = TCP_CLOSE;
  s.peer = -1;
  s.sq.clear();
  s.rdShut = true; s.wrShut = true;
  if (s.files == 0 && s.listener < 0) { removeBinding(s); freeSock(s); }
}

/** Sends RST to the peer and ends s at once (close with unread data, SO_LINGER {1, 0}). */
export function resetConnection(s: Sock): void {
  if (s.peer >= 0) {
    const p = sockAt(s.peer);
    if (p.peer == s.id) { p.peer = -1; if (linkUp(s, p)) receiveReset(p); }
  }
  s.peer = -1;
  s.state = TCP_CLOSE;
}

/** Our FIN reached the peer. */
function finTo(s: Sock): void {
  if (s.peer < 0) return;
  const p = sockAt(s.peer);
  p.finIn = true;
  p.lastSeen = now;
  if (p.state == TCP_ESTABLISHED) p.state = TCP_CLOSE_WAIT;
  else if (p.state == TCP_FIN_WAIT1 || p.state == TCP_FIN_WAIT2) {
    // Both sides have sent FIN: the one that sent first waits out TIME_WAIT.
    p.peer = -1; s.peer = -1;
    if (p.family == AF_UNIX) { p.state = TCP_CLOSE; if (p.files == 0) freeSock(p); }
    else enterTimeWait(p);
  }
}

/** shutdown(SHUT_WR) or the write half of close: FIN after whatever is queued. */
export function sendFin(s: Sock): void {
  if (s.wrShut) return;
  s.wrShut = true;
  if (s.state == TCP_ESTABLISHED) s.state = s.family == AF_UNIX ? TCP_ESTABLISHED : TCP_FIN_WAIT1;
  else if (s.state == TCP_CLOSE_WAIT) s.state = TCP_LAST_ACK;
  pushData(s);
  if (s.sq.len > 0) { s.finPending = true; return; }
  finSent(s);
}

/** The FIN left (nothing was queued before it) and is acknowledged at once. */
function finSent(s: Sock): void {
  if (s.state == TCP_FIN_WAIT1) s.state = TCP_FIN_WAIT2;
  finTo(s);
  if (s.state == TCP_LAST_ACK) {
    // The peer acknowledges at once: the connection is closed on this side.
    s.state = TCP_CLOSE;
    s.peer = -1;
  }
}

/** The last fd of a stream socket closed. */
export function closeStream(s: Sock): void {
  if (s.state == TCP_LISTEN) {
    // Connections nobody accepted are reset (inet_csk_listen_stop), as shutdown(SHUT_RD) does.
    closeListenerQueue(s);
    finish(s);
    return;
  }
  if (s.family == AF_UNIX) {
    if (s.peer >= 0) {
      const p = sockAt(s.peer);
      // unix_release_sock: unread data here is ECONNRESET there; else the peer reads EOF.
      if (s.rq.len > 0 || s.dqLen() > 0) p.err = ECONNRESET;
      p.finIn = true;
      p.peer = -1;
      p.state = p.state == TCP_ESTABLISHED ? TCP_ESTABLISHED : p.state;
    }
    s.peer = -1;
    finish(s);
    return;
  }
  if (!connectedState(s.state)) { finish(s); return; }
  if (s.rq.len > 0 || (s.o.lingerOn && s.o.lingerSecs == 0)) {
    resetConnection(s);
    finish(s);
    return;
  }
  sendFin(s);
  if (s.state == TCP_CLOSE) { finish(s); return; }
  // Orphaned in FIN_WAIT2 until the peer closes (then TIME_WAIT) or tcp_fin_timeout.
  // tcp_fin_timeout ends it: checked when its port is looked up (net.ts sweep), no timer.
  if (s.state == TCP_FIN_WAIT2 || s.state == TCP_FIN_WAIT1) s.finUntil = now + TIME_WAIT_NS;
}

/** Bytes reached a socket nobody holds any more (closed, FIN sent): it answers RST. */
export function orphanReceives(o: Sock, from: Sock): void {
  resetConnection(o);
  if (from.peer == o.id) from.peer = -1;
  receiveReset(from);
  removeBinding(o); freeSock(o);
}

/**
 * tcp_time_wait(): a small TIME_WAIT socket takes over the port for 60 s; the socket itself,
 * if anyone still holds it, is closed (getsockopt's tcpi_state reads CLOSE).
 */
function enterTimeWait(p: Sock): void {
  removeBinding(p); p.bound = false;
  twAdd(p, now + TIME_WAIT_NS);
  p.state = TCP_CLOSE;
  // Nobody holds it: the socket goes now (the record keeps the port).
  if (p.files == 0 && p.listener < 0) finish(p);
}

/** An orphan's tcp_fin_timeout ended (net.ts sweep: already out of the bind table). */
setOrphanExpired(orphanExpired);
export function orphanExpired(s: Sock): void {
  if (s.peer >= 0) { const p = sockAt(s.peer); if (p.peer == s.id) p.peer = -1; }
  s.peer = -1;
  s.state = TCP_CLOSE;
  s.rq.clear(); s.sq.clear();
  freeSock(s);
}

/** The socket's resources go: its name and its object (the caller dealt with the peer). */
export function finish(s: Sock): void {
  if (s.family != AF_UNIX) removeBinding(s);
  s.rq.clear(); s.sq.clear();
  freeSock(s);
}

export { TCP_CLOSING, TCP_FIN_WAIT1, machinePid };

// ------------------------------------------------------------------ who receives

import { firstAt, nextAt, NIL, listenersAt, ipForm as _ipForm, formIsAny as _formIsAny } from "./net";
import { accepts as dgAccepts } from "./dgram";

const fL: usize = memory.data(16, 8);

/**
 * Whether a socket bound as `l` takes traffic to `dest`: same address, or a wildcard of a
 * family that covers it (an IPv6 socket not v6-only takes IPv4 too, as v4-mapped).
 */
function matchDest(l: Sock, dest: usize): i32 {
  memory.copy(fL, _ipForm(l.local), 16);
  const df = _ipForm(dest);
  const destMapped = load<u64>(df) == 0 && load<u32>(df + 8) == 0xffff0000;
  if (l.family == 2 && !destMapped) return 0;
  if (l.family == 10 && l.o.v6only && destMapped) return 0;
  if (_formIsAny(fL)) return 1;
  // A listener on 127.0.0.1 takes connections to 127.0.0.1 only.
  return load<u64>(fL) == load<u64>(df) && load<u64>(fL + 8) == load<u64>(df + 8) ? 2 : 0;
}

/** The listener for a connection to `port` on machine m (exact address before wildcard; SO_REUSEPORT groups by the 4-tuple's hash). */
export function listenerAt(c: Sock, m: i32, port: i32): Sock | null {
  const a = listenersAt(m, port);
  if (a === null) return null;
  let best: Sock | null = null, score = 0, ties = 0;
  for (let i = 0; i < a.length; i++) {
    const l = sockAt(a[i]);
    if (l.state != TCP_LISTEN) continue;
    const sc = matchDest(l, c.remote);
    if (sc == 0) continue;
    if (sc > score) { best = l; score = sc; ties = 1; }
    else if (sc == score) {
      // SO_REUSEPORT: Linux picks by the connection's hash; here, by the client's port.
      ties++;
      if ((<i32>load<u16>(c.local + 2) % ties) == 0) best = l;
    }
  }
  return best;
}

/** The socket a datagram to `dest` on machine m reaches (connected sockets only from their peer). */
export function udpTarget(s: Sock, m: i32, dest: usize, from: usize): Sock | null {
  const port = <i32>bswap<u16>(load<u16>(dest + 2));
  let best: Sock | null = null, score = 0;
  for (let id = firstAt(m, true, port); id != NIL; id = nextAt(id)) {
    const r = sockAt(id);
    let sc = matchDest(r, dest);
    if (sc == 0) continue;
    const fromLen = r.family == 10 && s.family == 2 ? 28 : s.localLen;
    if (r.state == TCP_ESTABLISHED) {
      if (r.family == s.family && !dgAccepts(r, from, fromLen)) continue;
      sc += 4;     // connected sockets score higher (udp's compute_score)
    }
    if (sc > score) { best = r; score = sc; }
  }
  return best;
}

/** shutdown(SHUT_RD) of a listener: pending connections are reset and it stops listening. */
export function closeListenerQueue(s: Sock): void {
  for (let i = s.aqHead; i < s.acceptq.length; i++) {
    const a = sockAt(s.acceptq[i]);
    a.listener = -1;
    resetConnection(a);
    removeBinding(a); freeSock(a);
  }
  s.acceptq.length = 0; s.aqHead = 0;
  s.state = TCP_CLOSE;
}
