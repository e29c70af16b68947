// wasi:sockets/udp 0.2 over a wasock datagram socket (non-blocking). stream(remote) connects
// the kernel socket (so ICMP errors come back as connection-refused, as on Linux) or, with
// none, disconnects it (the core's sock_disconnect: connect(AF_UNSPEC)); the incoming stream of a
// connected socket drops what other peers had queued before the connect (wasmtime's
// p2_udp_stream), and each send is checked against check-send's permit (more: a trap).
import type { socket } from '../../src/socket.js';
import {
  AF_INET, AF_INET6, SOCK_DGRAM, SO_RCVBUF, SO_SNDBUF, IPPROTO_IPV6, IPV6_V6ONLY,
} from '../../src/generated/constants.js';
import { POLLIN, POLLOUT, WasiTrap } from './backend.js';
import { checkLocal, checkRemote, fromWasock, sameAddress, toWasock, type IpAddressFamily, type IpSocketAddress } from './address.js';
import { codeOfErrno, fail } from './errors.js';
import { Pollable, type Waitable } from './poll.js';
import { bufferSizeOf, hopLimitOf, setBufferSizeOf, setHopLimitOf } from './tcp.js';
import type { Provider } from './provider.js';
import { Network } from './network.js';

export interface IncomingDatagram { data: Uint8Array; remoteAddress: IpSocketAddress }
export interface OutgoingDatagram { data: Uint8Array; remoteAddress?: IpSocketAddress }

/** The largest UDP payload (65535 - 8 - 20); recvfrom asks for this much. */
const MAX_DATAGRAM = 65507;
/** How many datagrams check-send allows at a time when the socket is writable. */
const SEND_PERMIT = 64n;

export class UdpSocket implements Waitable {
  /** @internal */ _s: socket;
  /** @internal */ _state: 'unbound' | 'bind-started' | 'bound' | 'closed' = 'unbound';
  /** @internal the connected peer, or null */ _remote: IpSocketAddress | null = null;
  /** @internal */ _p: Provider;
  /** @internal */ _family: IpAddressFamily;
  /** @internal streams of the latest stream() call: older ones are closed */ _gen = 0;
  /** @internal the address given to bind (a disconnect may have to bind its port again) */ _bound: IpSocketAddress | null = null;

  /** @internal */
  constructor(p: Provider, family: IpAddressFamily, s: socket) { this._p = p; this._family = family; this._s = s; }

  /** @internal create-udp-socket */
  static _create(p: Provider, family: IpAddressFamily): UdpSocket {
    if (family !== 'ipv4' && family !== 'ipv6') throw 'not-supported';
    let s: socket;
    try { s = new p.net.socket(family === 'ipv4' ? AF_INET : AF_INET6, SOCK_DGRAM); } catch (e) { return fail(e); }
    try {
      s.setblocking(false);
      if (family === 'ipv6') s.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1);
    } catch (e) { s.close(); return fail(e); }
    return new UdpSocket(p, family, s);
  }

  /** @internal */ _events(): number { return 0; }
  /** @internal */ _fd(): number { return this._s.fileno(); }

  startBind(network: Network, localAddress: IpSocketAddress): void {
    if (!(network instanceof Network) || network._p !== this._p) throw 'invalid-argument';
    if (this._state === 'bind-started') throw 'concurrency-conflict';
    if (this._state !== 'unbound') throw 'invalid-state';
    const bad = checkLocal(this._family, localAddress);
    if (bad !== null) throw bad;
    try { this._s.bind(toWasock(localAddress)); } catch (e) { fail(e); }
    this._bound = localAddress;
    this._state = 'bind-started';
  }

  finishBind(): void {
    if (this._state !== 'bind-started') throw 'not-in-progress';
    this._state = 'bound';
  }

  stream(remoteAddress: IpSocketAddress | undefined): [IncomingDatagramStream, OutgoingDatagramStream] {
    if (this._state !== 'bound') throw 'invalid-state';
    if (remoteAddress !== undefined) {
      const bad = checkRemote(this._family, remoteAddress);
      if (bad !== null) throw bad;
      try { this._s.connect(toWasock(remoteAddress)); } catch (e) { fail(e); }
      this._remote = remoteAddress;
    } else if (this._remote !== null) {
      let before: IpSocketAddress;
      try { before = fromWasock(this._s.getsockname()); } catch (e) { return fail(e); }
      // The core's sock_disconnect (connect(AF_UNSPEC)): Python's socket API has no way to say
      // it, and under a policy the core screens the socket's datagrams again afterwards.
      const core = (this._s as unknown as { _c: { x: { sock_disconnect(h: number): number } }; _h: number });
      const r = core._c.x.sock_disconnect(core._h);
      if (r < 0) throw codeOfErrno(-r);
      this._remote = null;
      // Linux's __udp_disconnect unhashes a socket whose port the kernel chose (no
      // SOCK_BINDPORT_LOCK): it would be unbound, and p2's stream(none) keeps it bound. It
      // gets the same port back on the address it was bound to.
      try {
        const after = fromWasock(this._s.getsockname());
        if (after.val.port === 0 && this._bound !== null) {
          const again = { ...this._bound, val: { ...this._bound.val, port: before.val.port } } as IpSocketAddress;
          this._s.bind(toWasock(again));
        }
      } catch (e) { fail(e); }
    }
    const gen = ++this._gen;
    return [new IncomingDatagramStream(this, gen), new OutgoingDatagramStream(this, gen)];
  }

  localAddress(): IpSocketAddress {
    if (this._state !== 'bound') throw 'invalid-state';
    try { return fromWasock(this._s.getsockname()); } catch (e) { return fail(e); }
  }

  remoteAddress(): IpSocketAddress {
    if (this._remote === null || this._state !== 'bound') throw 'invalid-state';
    try { return fromWasock(this._s.getpeername()); } catch (e) { return fail(e); }
  }

  addressFamily(): IpAddressFamily { return this._family; }

  unicastHopLimit(): number { return hopLimitOf(this._s, this._family); }
  setUnicastHopLimit(value: number): void { setHopLimitOf(this._s, this._family, value); }
  receiveBufferSize(): bigint { return bufferSizeOf(this._s, SO_RCVBUF); }
  setReceiveBufferSize(value: bigint): void { setBufferSizeOf(this._s, SO_RCVBUF, value); }
  sendBufferSize(): bigint { return bufferSizeOf(this._s, SO_SNDBUF); }
  setSendBufferSize(value: bigint): void { setBufferSizeOf(this._s, SO_SNDBUF, value); }

  subscribe(): Pollable { return new Pollable(this._p.b, this); }

  [Symbol.dispose](): void {
    this._state = 'closed';
    this._s.close();
  }
}

export class IncomingDatagramStream implements Waitable {
  /** @internal */
  constructor(readonly _u: UdpSocket, readonly _gen: number) {}
  /** @internal */ _events(): number { return this._live() ? POLLIN : 0; }
  /** @internal */ _fd(): number { return this._u._s.fileno(); }
  private _live(): boolean { return this._u._state === 'bound' && this._gen === this._u._gen; }

  receive(maxResults: bigint): IncomingDatagram[] {
    const u = this._u, out: IncomingDatagram[] = [];
    if (!this._live()) throw 'invalid-state';
    const max = maxResults > 1024n ? 1024 : Number(maxResults);
    const fd = new Int32Array([u._s.fileno()]), ev = new Int32Array([POLLIN]), re = new Int32Array(1);
    while (out.length < max) {
      if (u._p.b.poll(fd, ev, re, 1, 0) === 0) break;
      let d: [Uint8Array, unknown];
      try {
        d = u._s.recvfrom(MAX_DATAGRAM) as [Uint8Array, unknown];
      } catch (e) {
        const errno = (e as { errno?: number }).errno;
        if (errno === 11) break;
        // An error after datagrams were received waits for the next call.
        if (out.length !== 0) break;
        return fail(e);
      }
      const from = fromWasock(d[1] as [string, number]);
      // Datagrams other peers queued before the connect: the kernel kept them, p2 filters them.
      if (u._remote !== null && !sameAddress(from, u._remote)) continue;
      out.push({ data: d[0], remoteAddress: from });
    }
    return out;
  }

  subscribe(): Pollable { return new Pollable(this._u._p.b, this); }
  [Symbol.dispose](): void { /* the socket owns the fd */ }
}

export class OutgoingDatagramStream implements Waitable {
  /** @internal */ private _permit = 0n;
  /** @internal */
  constructor(readonly _u: UdpSocket, readonly _gen: number) {}
  /** @internal */ _events(): number { return this._live() ? POLLOUT : 0; }
  /** @internal */ _fd(): number { return this._u._s.fileno(); }
  private _live(): boolean { return this._u._state === 'bound' && this._gen === this._u._gen; }

  checkSend(): bigint {
    if (!this._live()) throw 'invalid-state';
    const fd = new Int32Array([this._u._s.fileno()]), re = new Int32Array(1);
    this._permit = this._u._p.b.poll(fd, new Int32Array([POLLOUT]), re, 1, 0) > 0 ? SEND_PERMIT : 0n;
    return this._permit;
  }

  send(datagrams: OutgoingDatagram[]): bigint {
    if (!this._live()) throw 'invalid-state';
    if (BigInt(datagrams.length) > this._permit) throw new WasiTrap(`send() of ${datagrams.length} datagrams with a check-send permit of ${this._permit}`);
    const u = this._u;
    let sent = 0;
    for (const d of datagrams) {
      let dest = d.remoteAddress;
      if (dest !== undefined) {
        const bad = checkRemote(u._family, dest);
        if (bad !== null) { if (sent === 0) throw bad; break; }
        if (u._remote !== null && !sameAddress(dest, u._remote)) { if (sent === 0) throw 'invalid-argument'; break; }
      } else if (u._remote === null) {
        if (sent === 0) throw 'invalid-argument';
        break;
      }
      if (u._remote !== null) dest = undefined;
      try {
        if (dest === undefined) u._s.send(d.data);
        else u._s.sendto(d.data, toWasock(dest));
      } catch (e) {
        const errno = (e as { errno?: number }).errno;
        if (errno === 11) break;
        if (sent === 0) fail(e);
        break;
      }
      sent++;
    }
    this._permit -= BigInt(sent);
    return BigInt(sent);
  }

  subscribe(): Pollable { return new Pollable(this._u._p.b, this); }
  [Symbol.dispose](): void { /* the socket owns the fd */ }
}

export { MAX_DATAGRAM };
