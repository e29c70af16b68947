// wasock/wasi-sockets: wasock's own wasi:sockets 0.2 provider, with the wasi:io and
// wasi:clocks interfaces it needs, for components transpiled by jco. Synchronous (no worker:
// a blocking call waits in poll(2) on the socket), on real kernel sockets through the Linux
// host or on the emulated network, with the network's capability set and sandbox policy
// applied to everything the guest does (a denied bind or connect is `access-denied`).
//
// Stable API (other wasock entries and embedders rely on it):
//
//   jco transpile guest.wasm -o out \
//     --map 'wasi:sockets/*=wasock/wasi-sockets#*' \
//     --map 'wasi:io/*=wasock/wasi-sockets#*' \
//     --map 'wasi:clocks/*=wasock/wasi-sockets#*'
//
//   The named exports below are the interfaces those imports name: instanceNetwork, network,
//   ipNameLookup, tcpCreateSocket, tcp, udpCreateSocket, udp (wasi:sockets); streams, poll,
//   error (wasi:io); monotonicClock, wallClock (wasi:clocks). They serve the current
//   provider: by default a Linux-host network() made on first use.
//
//   useNetwork(net): Provider  — the module-level interfaces serve `net` from now on (a
//     network() of 'wasock/linux', optionally with { policy }, or of 'wasock/emulated').
//     Sockets made before keep their network.
//   wasiSockets({ network }): Provider — a provider of its own, not the module-level one:
//     its interface objects (provider.tcp, provider.streams, ...) or provider.imports() (keyed
//     'wasi:sockets/tcp', 'wasi:io/streams', ...) for a component transpiled with
//     --instantiation.
//   currentProvider(): Provider — the one the module-level interfaces serve.
import { Provider, type Datetime } from '../host/wasi-sockets/provider.js';
import { IoError } from '../host/wasi-sockets/io-error.js';
import { Pollable, pollList } from '../host/wasi-sockets/poll.js';
import { InputStream, OutputStream } from '../host/wasi-sockets/streams.js';
import { Network, networkErrorCode } from '../host/wasi-sockets/network.js';
import { TcpSocket } from '../host/wasi-sockets/tcp.js';
import { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream } from '../host/wasi-sockets/udp.js';
import { ResolveAddressStream } from '../host/wasi-sockets/ip-name-lookup.js';
import type { IpAddressFamily } from '../host/wasi-sockets/address.js';
import { network as linuxNetwork } from './linux.js';
import type { Network as WasockNetwork } from './network.js';

export { Provider, IoError, InputStream, OutputStream, Pollable, Network, TcpSocket, UdpSocket, IncomingDatagramStream, OutgoingDatagramStream, ResolveAddressStream };
export type { IpAddress, IpSocketAddress, IpAddressFamily } from '../host/wasi-sockets/address.js';
export type { ErrorCode } from '../host/wasi-sockets/errors.js';
export type { Datetime };

let current: Provider | null = null;

/** The provider the module-level interfaces serve (a Linux-host network() the first time). */
export function currentProvider(): Provider {
  return current ??= new Provider(linuxNetwork());
}

/** The module-level interfaces serve `net` from now on; returns its provider. */
export function useNetwork(net: WasockNetwork): Provider {
  current = new Provider(net);
  return current;
}

/** A provider of its own on `network` (default: a Linux-host network of its own). */
export function wasiSockets(options: { network?: WasockNetwork } = {}): Provider {
  return new Provider(options.network ?? linuxNetwork());
}

// The interfaces, by the names jco's bindings import. Resource classes are shared; functions
// go to the current provider.
export const instanceNetwork = { instanceNetwork: (): Network => currentProvider().defaultNetwork };
export const network = { Network, networkErrorCode };
export const ipNameLookup = {
  ResolveAddressStream,
  resolveAddresses: (n: Network, name: string): ResolveAddressStream => currentProvider().ipNameLookup.resolveAddresses(n, name),
};
export const tcpCreateSocket = { createTcpSocket: (family: IpAddressFamily): TcpSocket => TcpSocket._create(currentProvider(), family) };
export const tcp = { TcpSocket };
export const udpCreateSocket = { createUdpSocket: (family: IpAddressFamily): UdpSocket => UdpSocket._create(currentProvider(), family) };
export const udp = { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream };
export const streams = { InputStream, OutputStream };
export const poll = { Pollable, poll: (list: Pollable[]): Uint32Array => pollList(list) };
export const error = { Error: IoError };
export const monotonicClock = {
  now: (): bigint => currentProvider().b.now(),
  resolution: (): bigint => 1n,
  subscribeInstant: (when: bigint): Pollable => currentProvider().monotonicClock.subscribeInstant(when),
  subscribeDuration: (d: bigint): Pollable => currentProvider().monotonicClock.subscribeDuration(d),
};
export const wallClock = {
  now: (): Datetime => currentProvider().wallClock.now(),
  resolution: (): Datetime => currentProvider().wallClock.resolution(),
};
