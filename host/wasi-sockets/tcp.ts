// wasi:sockets/tcp 0.2 over a wasock socket (non-blocking). The p2 state machine is
// wasmtime's (crates/wasi/src/sockets/tcp.rs): start-* performs the system call and leaves
// the socket in a *-started state that finish-* completes; finish-* of nothing started is
// not-in-progress, an operation of the wrong state invalid-state, one while another is under
// way concurrency-conflict, a connect still running would-block. Options are the kernel's,
// read back every time, in p2's units (see the table in docs/decisions.md).
import type { socket } from '../../src/socket.js';
import {
  AF_INET, AF_INET6, SOCK_STREAM, SOL_SOCKET, SO_KEEPALIVE, SO_RCVBUF, SO_SNDBUF, SO_REUSEADDR, SO_ERROR,
  IPPROTO_TCP, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, IPPROTO_IP, IP_TTL, IPPROTO_IPV6, IPV6_UNICAST_HOPS, IPV6_V6ONLY,
} from '../../src/generated/constants.js';
import { POLLIN, POLLOUT } from './backend.js';
import { checkLocal, checkRemote, fromWasock, toWasock, type IpAddressFamily, type IpSocketAddress } from './address.js';
import { codeOf, codeOfErrno, fail, type ErrorCode } from './errors.js';
import { Pollable, type Waitable } from './poll.js';
import { Conn, InputStream, OutputStream, pumpConn } from './streams.js';
import type { Provider } from './provider.js';
import { Network } from './network.js';

type State = 'unbound' | 'bind-started' | 'bound' | 'listen-started' | 'listening' | 'connecting' | 'connect-ready' | 'connected' | 'closed';

const NS = 1_000_000_000n;
/** Linux's limits: TCP_KEEPIDLE and TCP_KEEPINTVL 1..MAX_TCP_KEEPIDLE (32767 s), TCP_KEEPCNT 1..MAX_TCP_KEEPCNT (127). */
const MAX_KEEP_S = 32767n, MAX_KEEPCNT = 127;
const INT_MAX = 0x7fffffff;

/** A duration in ns as whole seconds for TCP_KEEPIDLE/INTVL: truncated, clamped to 1..32767 (0 is invalid-argument). */
function keepSeconds(ns: bigint): number {
  if (ns <= 0n) throw 'invalid-argument';
  const s = ns / NS;
  return Number(s < 1n ? 1n : s > MAX_KEEP_S ? MAX_KEEP_S : s);
}

/** p2's buffer size for the kernel's: Linux doubles what is set and reports the doubled value; p2 reads back what was set. */
export function bufferSizeIn(v: bigint): number {
  if (v === 0n) throw 'invalid-argument';
  return v > BigInt(INT_MAX) ? INT_MAX : Number(v);
}

export function getInt(s: socket, level: number, opt: number): number {
  try { return s.getsockopt(level, opt) as number; } catch (e) { return fail(e); }
}

export function setInt(s: socket, level: number, opt: number, v: number): void {
  try { s.setsockopt(level, opt, v); } catch (e) { fail(e); }
}

// The options TCP and UDP sockets share in p2 (the hop limit and the buffer sizes), one copy.
export function hopLimitOf(s: socket, family: IpAddressFamily): number {
  return family === 'ipv4' ? getInt(s, IPPROTO_IP, IP_TTL) : getInt(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS);
}
export function setHopLimitOf(s: socket, family: IpAddressFamily, value: number): void {
  if (value === 0) throw 'invalid-argument';
  if (family === 'ipv4') setInt(s, IPPROTO_IP, IP_TTL, value);
  else setInt(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, value);
}
/** SO_RCVBUF / SO_SNDBUF in p2's view: half the doubled value Linux reports (docs/decisions.md). */
export function bufferSizeOf(s: socket, opt: number): bigint { return BigInt(getInt(s, SOL_SOCKET, opt) >>> 1); }
export function setBufferSizeOf(s: socket, opt: number, value: bigint): void { setInt(s, SOL_SOCKET, opt, bufferSizeIn(value)); }

export class TcpSocket implements Waitable {
  /** @internal */ _s: socket;
  /** @internal */ _state: State;
  /** @internal */ _conn: Conn | null = null;
  /** @internal */ _backlog = 128;
  /** @internal */ _p: Provider;
  /** @internal */ _family: IpAddressFamily;
  /** @internal an immediate connect's outcome for finish-connect */
  private _network: Network | null = null;

  /** @internal */
  constructor(p: Provider, family: IpAddressFamily, s: socket, state: State) {
    this._p = p; this._family = family; this._s = s; this._state = state;
  }

  /** @internal create-tcp-socket */
  static _create(p: Provider, family: IpAddressFamily): TcpSocket {
    if (family !== 'ipv4' && family !== 'ipv6') throw 'not-supported';
    let s: socket;
    try {
      s = new p.net.socket(family === 'ipv4' ? AF_INET : AF_INET6, SOCK_STREAM);
    } catch (e) { return fail(e); }
    try {
      s.setblocking(false);
      // p2 sockets of family ipv6 are always v6-only (wasmtime sets IPV6_V6ONLY too).
      if (family === 'ipv6') s.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1);
    } catch (e) { s.close(); return fail(e); }
    return new TcpSocket(p, family, s, 'unbound');
  }

  /** @internal */
  _events(): number {
    return this._state === 'connecting' ? POLLOUT : this._state === 'listening' ? POLLIN : 0;
  }
  /** @internal */
  _fd(): number { return this._s.fileno(); }

  startBind(network: Network, localAddress: IpSocketAddress): void {
    this._net(network);
    if (this._state === 'bind-started' || this._state === 'listen-started' || this._state === 'connecting') throw 'concurrency-conflict';
    if (this._state !== 'unbound') throw 'invalid-state';
    const bad = checkLocal(this._family, localAddress);
    if (bad !== null) throw bad;
    // The p2 spec: a TCP bind ignores TIME_WAIT, i.e. SO_REUSEADDR (as wasmtime sets it). An
    // option policy may refuse it: the bind goes on, as if TIME_WAIT were empty.
    try { this._s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1); } catch { /* refused by the option policy */ }
    try { this._s.bind(toWasock(localAddress)); } catch (e) { fail(e); }
    this._state = 'bind-started';
  }

  finishBind(): void {
    if (this._state !== 'bind-started') throw 'not-in-progress';
    this._state = 'bound';
  }

  startConnect(network: Network, remoteAddress: IpSocketAddress): void {
    this._net(network);
    if (this._state === 'bind-started' || this._state === 'listen-started' || this._state === 'connecting') throw 'concurrency-conflict';
    if (this._state !== 'unbound' && this._state !== 'bound') throw 'invalid-state';
    const bad = checkRemote(this._family, remoteAddress);
    if (bad !== null) throw bad;
    let r: number;
    try { r = this._s.connect_ex(toWasock(remoteAddress)); } catch (e) { this._state = 'closed'; return fail(e); }
    if (r === 0) { this._state = 'connect-ready'; return; }
    if (r === 115 || r === 11) { this._state = 'connecting'; return; }
    this._state = 'closed';
    throw codeOfErrno(r);
  }

  finishConnect(): [InputStream, OutputStream] {
    if (this._state === 'connecting') {
      const b = this._p.b;
      const fd = new Int32Array([this._s.fileno()]), re = new Int32Array(1);
      if (b.poll(fd, new Int32Array([POLLOUT]), re, 1, 0) === 0) throw 'would-block';
      const err = getInt(this._s, SOL_SOCKET, SO_ERROR);
      if (err !== 0 && err !== 106) { this._state = 'closed'; throw codeOfErrno(err); }
    } else if (this._state !== 'connect-ready') {
      throw 'not-in-progress';
    }
    this._state = 'connected';
    this._conn = new Conn(this._p.b, this._s);
    return [new InputStream(this._conn), new OutputStream(this._conn)];
  }

  startListen(): void {
    if (this._state === 'bind-started' || this._state === 'listen-started' || this._state === 'connecting') throw 'concurrency-conflict';
    // Unlike POSIX, p2 listens only on an explicitly bound socket.
    if (this._state !== 'bound') throw 'invalid-state';
    try { this._s.listen(this._backlog); } catch (e) { fail(e); }
    this._state = 'listen-started';
  }

  finishListen(): void {
    if (this._state !== 'listen-started') throw 'not-in-progress';
    this._state = 'listening';
  }

  accept(): [TcpSocket, InputStream, OutputStream] {
    if (this._state !== 'listening') throw 'invalid-state';
    const fd = new Int32Array([this._s.fileno()]), re = new Int32Array(1);
    if (this._p.b.poll(fd, new Int32Array([POLLIN]), re, 1, 0) === 0) throw 'would-block';
    let s: socket;
    try {
      s = this._s.accept()[0];
    } catch (e) { return fail(e); }
    try { s.setblocking(false); } catch (e) { s.close(); return fail(e); }
    // Linux's accepted socket inherits the listener's keep-alive, TTL/hop limit and buffer
    // sizes (sk_clone_lock copies them): nothing to re-apply, as wasmtime must on macOS.
    const t = new TcpSocket(this._p, this._family, s, 'connected');
    t._conn = new Conn(this._p.b, s);
    return [t, new InputStream(t._conn), new OutputStream(t._conn)];
  }

  localAddress(): IpSocketAddress {
    if (this._state === 'unbound' || this._state === 'bind-started' || this._state === 'closed') throw 'invalid-state';
    try { return fromWasock(this._s.getsockname()); } catch (e) { return fail(e); }
  }

  remoteAddress(): IpSocketAddress {
    if (this._state !== 'connected' && this._state !== 'connect-ready') throw 'invalid-state';
    try { return fromWasock(this._s.getpeername()); } catch (e) { return fail(e); }
  }

  isListening(): boolean { return this._state === 'listening'; }
  addressFamily(): IpAddressFamily { return this._family; }

  setListenBacklogSize(value: bigint): void {
    if (value === 0n) throw 'invalid-argument';
    const n = value > BigInt(INT_MAX) ? INT_MAX : Number(value);
    if (this._state === 'connecting' || this._state === 'connect-ready' || this._state === 'connected') throw 'invalid-state';
    this._backlog = n;
    // A listening socket takes a new backlog from listen() again (Linux updates sk_max_ack_backlog).
    if (this._state === 'listening' || this._state === 'listen-started') {
      try { this._s.listen(n); } catch (e) { fail(e); }
    }
  }

  keepAliveEnabled(): boolean { return getInt(this._s, SOL_SOCKET, SO_KEEPALIVE) !== 0; }
  setKeepAliveEnabled(value: boolean): void { setInt(this._s, SOL_SOCKET, SO_KEEPALIVE, value ? 1 : 0); }
  keepAliveIdleTime(): bigint { return BigInt(getInt(this._s, IPPROTO_TCP, TCP_KEEPIDLE)) * NS; }
  setKeepAliveIdleTime(value: bigint): void { setInt(this._s, IPPROTO_TCP, TCP_KEEPIDLE, keepSeconds(value)); }
  keepAliveInterval(): bigint { return BigInt(getInt(this._s, IPPROTO_TCP, TCP_KEEPINTVL)) * NS; }
  setKeepAliveInterval(value: bigint): void { setInt(this._s, IPPROTO_TCP, TCP_KEEPINTVL, keepSeconds(value)); }
  keepAliveCount(): number { return getInt(this._s, IPPROTO_TCP, TCP_KEEPCNT); }
  setKeepAliveCount(value: number): void {
    if (value === 0) throw 'invalid-argument';
    setInt(this._s, IPPROTO_TCP, TCP_KEEPCNT, value > MAX_KEEPCNT ? MAX_KEEPCNT : value);
  }
  hopLimit(): number { return hopLimitOf(this._s, this._family); }
  setHopLimit(value: number): void { setHopLimitOf(this._s, this._family, value); }
  receiveBufferSize(): bigint { return bufferSizeOf(this._s, SO_RCVBUF); }
  setReceiveBufferSize(value: bigint): void { setBufferSizeOf(this._s, SO_RCVBUF, value); }
  sendBufferSize(): bigint { return bufferSizeOf(this._s, SO_SNDBUF); }
  setSendBufferSize(value: bigint): void { setBufferSizeOf(this._s, SO_SNDBUF, value); }

  subscribe(): Pollable { return new Pollable(this._p.b, this); }

  shutdown(shutdownType: 'receive' | 'send' | 'both'): void {
    const c = this._conn;
    if (this._state !== 'connected' || c === null) throw 'invalid-state';
    const rd = shutdownType !== 'send', wr = shutdownType !== 'receive';
    try {
      if (rd) { this._s.shutdown(0); c.rdClosed = true; }
      if (wr) {
        c.wrClosed = true;
        // Output still pending goes first: its shutdown(SHUT_WR) follows once it is written.
        pumpConn(c);
        if (c.out !== null) c.shutAfter = true;
        else this._s.shutdown(1);
      }
    } catch (e) {
      // ENOTCONN after the peer reset: the stream ends are closed either way.
      if (codeOf(e) !== 'invalid-state') fail(e);
    }
  }

  [Symbol.dispose](): void {
    if (this._conn !== null) { pumpConn(this._conn); this._conn.dropped = true; }
    this._state = 'closed';
    this._s.close();
  }

  private _net(network: Network): void {
    if (!(network instanceof Network) || network._p !== this._p) throw 'invalid-argument';
    if (this._network !== null && this._network !== network) throw 'invalid-argument';
    this._network = network;
  }
}

export type { ErrorCode };
