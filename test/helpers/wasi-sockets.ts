// The helpers of wasmtime's test-programs (crates/test-programs/src/sockets.rs), in JS over
// wasock's wasi:sockets provider: blocking bind/listen/connect/accept through subscribe() and
// poll() with a 1 s timeout pollable, blocking writes through check-write, blocking datagram
// sends and receives. `err(f)` is what a `result` error looks like to a guest: the thrown value.
import { wasiSockets, type Provider, type TcpSocket, type UdpSocket, type Pollable, type InputStream, type OutputStream, type IpAddress, type IpSocketAddress, type IpAddressFamily } from '../../src/wasi-sockets.js';
import { network as linuxNetwork } from '../../src/linux.js';
import { network as emulatedNetwork } from '../../src/emulated.js';
import type { IncomingDatagramStream, OutgoingDatagramStream } from '../../src/wasi-sockets.js';

export const TIMEOUT_NS = 1_000_000_000n;

/** wasmtime's test programs' constants: a port nothing listens on, both families, and TEST-NET addresses. */
export const SOME_PORT = 47;
export const FAMILIES: IpAddressFamily[] = ['ipv4', 'ipv6'];
export const RESERVED: Record<IpAddressFamily, IpAddress> = {
  ipv4: { tag: 'ipv4', val: [192, 0, 2, 0] },
  ipv6: { tag: 'ipv6', val: [0x2001, 0x0db8, 0, 0, 0, 0, 0, 0] },
};

/** Resources a test made, disposed in reverse order after it (call `disposeKept()` in afterEach). */
const kept: { [Symbol.dispose](): void }[] = [];
export function keep<T extends { [Symbol.dispose](): void }>(x: T): T { kept.push(x); return x; }
/** Disposes `x` now and forgets it (a probe closed before the test goes on). */
export function release(x: { [Symbol.dispose](): void }): void { x[Symbol.dispose](); kept.splice(kept.indexOf(x), 1); }
export function disposeKept(): void { for (const x of kept.splice(0).reverse()) x[Symbol.dispose](); }

/** The backings every test runs on: real kernel sockets, and the emulated network. */
export const BACKINGS: Record<string, () => Provider> = {
  linux: () => wasiSockets({ network: linuxNetwork() }),
  emulated: () => wasiSockets({ network: emulatedNetwork({ seed: 7 }) }),
};

/** What `f` threw (a guest's `Err(...)`), or 'ok'. */
export function err(f: () => unknown): unknown {
  try { f(); return 'ok'; } catch (e) { return e; }
}

export const V4_LOOPBACK: IpAddress = { tag: 'ipv4', val: [127, 0, 0, 1] };
export const V6_LOOPBACK: IpAddress = { tag: 'ipv6', val: [0, 0, 0, 0, 0, 0, 0, 1] };
export const V4_UNSPECIFIED: IpAddress = { tag: 'ipv4', val: [0, 0, 0, 0] };
export const V6_UNSPECIFIED: IpAddress = { tag: 'ipv6', val: [0, 0, 0, 0, 0, 0, 0, 0] };
export const V4_BROADCAST: IpAddress = { tag: 'ipv4', val: [255, 255, 255, 255] };
export const V4_MAPPED_LOOPBACK: IpAddress = { tag: 'ipv6', val: [0, 0, 0, 0, 0, 0xffff, 0x7f00, 0x0001] };

export const loopback = (f: IpAddressFamily): IpAddress => (f === 'ipv4' ? V4_LOOPBACK : V6_LOOPBACK);
export const unspecified = (f: IpAddressFamily): IpAddress => (f === 'ipv4' ? V4_UNSPECIFIED : V6_UNSPECIFIED);

export function sockAddr(ip: IpAddress, port: number): IpSocketAddress {
  return ip.tag === 'ipv4'
    ? { tag: 'ipv4', val: { port, address: ip.val } }
    : { tag: 'ipv6', val: { port, address: ip.val, flowInfo: 0, scopeId: 0 } };
}
export const ipOf = (a: IpSocketAddress): IpAddress => ({ tag: a.tag, val: a.val.address } as IpAddress);
export const portOf = (a: IpSocketAddress): number => a.val.port;

/** Pollable::block_until: 'ok', or throws 'timeout' when the timeout pollable is first. */
export function blockUntil(p: Provider, sub: Pollable, timeout: Pollable): void {
  const ready = p.poll.poll([sub, timeout]);
  if (ready[0] === 1) throw 'timeout';
}

function blocking<T>(p: Provider, sub: Pollable, step: () => T): T {
  const timeout = p.monotonicClock.subscribeDuration(TIMEOUT_NS);
  for (;;) {
    try { return step(); } catch (e) {
      if (e !== 'would-block') throw e;
      blockUntil(p, sub, timeout);
    }
  }
}

export function tcpBind(p: Provider, s: TcpSocket, a: IpSocketAddress): void {
  const sub = s.subscribe();
  s.startBind(p.defaultNetwork, a);
  blocking(p, sub, () => s.finishBind());
}
export function tcpListen(p: Provider, s: TcpSocket): void {
  const sub = s.subscribe();
  s.startListen();
  blocking(p, sub, () => s.finishListen());
}
export function tcpConnect(p: Provider, s: TcpSocket, a: IpSocketAddress): [InputStream, OutputStream] {
  const sub = s.subscribe();
  s.startConnect(p.defaultNetwork, a);
  return blocking(p, sub, () => s.finishConnect());
}
export function tcpAccept(p: Provider, s: TcpSocket): [TcpSocket, InputStream, OutputStream] {
  return blocking(p, s.subscribe(), () => s.accept());
}

/** OutputStream::blocking_write_util. */
export function writeAll(p: Provider, o: OutputStream, bytes: Uint8Array): void {
  const timeout = p.monotonicClock.subscribeDuration(TIMEOUT_NS);
  const sub = o.subscribe();
  while (bytes.length > 0) {
    blockUntil(p, sub, timeout);
    const permit = Number(o.checkWrite());
    const n = Math.min(bytes.length, permit);
    o.write(bytes.subarray(0, n));
    o.blockingFlush();
    bytes = bytes.subarray(n);
  }
}

/** InputStream::blocking_read_to_end. */
export function readToEnd(i: InputStream): Uint8Array {
  const parts: Uint8Array[] = [];
  for (;;) {
    try { parts.push(i.blockingRead(1024n * 1024n)); } catch (e) {
      if ((e as { tag?: string }).tag === 'closed') break;
      throw e;
    }
  }
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) { out.set(x, o); o += x.length; }
  return out;
}

/** A listener on the loopback, a client connected to it and the accepted end. */
export function connection(p: Provider, family: IpAddressFamily) {
  const listener = p.tcpCreateSocket.createTcpSocket(family);
  tcpBind(p, listener, sockAddr(loopback(family), 0));
  tcpListen(p, listener);
  const client = p.tcpCreateSocket.createTcpSocket(family);
  const [cin, cout] = tcpConnect(p, client, listener.localAddress());
  const [accepted, ain, aout] = tcpAccept(p, listener);
  return { listener, client: { socket: client, input: cin, output: cout }, server: { socket: accepted, input: ain, output: aout } };
}

/** attempt_random_port: a random port in 1024..65535, again on address-in-use (ten tries). */
export function attemptRandomPort(ip: IpAddress, f: (a: IpSocketAddress) => void): IpSocketAddress {
  for (let i = 1; ; i++) {
    const a = sockAddr(ip, 1024 + Math.floor(Math.random() * (65535 - 1024)));
    try { f(a); return a; } catch (e) {
      if (i >= 10 || (e !== 'address-in-use' && e !== 'access-denied')) throw e;
    }
  }
}

export function udpBind(p: Provider, s: UdpSocket, a: IpSocketAddress): void {
  const sub = s.subscribe();
  s.startBind(p.defaultNetwork, a);
  blocking(p, sub, () => s.finishBind());
}

export function udpSend(p: Provider, o: OutgoingDatagramStream, datagrams: { data: Uint8Array; remoteAddress?: IpSocketAddress }[]): void {
  const timeout = p.monotonicClock.subscribeDuration(TIMEOUT_NS);
  while (datagrams.length > 0) {
    const sub = o.subscribe();
    let permit: bigint;
    for (;;) { permit = o.checkSend(); if (permit !== 0n) break; blockUntil(p, sub, timeout); }
    const n = Number(o.send(datagrams.slice(0, Math.min(datagrams.length, Number(permit)))));
    datagrams = datagrams.slice(n);
  }
}

export function udpReceive(p: Provider, i: IncomingDatagramStream, min: number, max: number) {
  const timeout = p.monotonicClock.subscribeDuration(TIMEOUT_NS);
  const sub = i.subscribe();
  const got: ReturnType<IncomingDatagramStream['receive']> = [];
  for (;;) {
    got.push(...i.receive(BigInt(max - got.length)));
    if (got.length >= min) return got;
    blockUntil(p, sub, timeout);
  }
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
