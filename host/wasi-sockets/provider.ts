// A wasi:sockets 0.2 provider (with the wasi:io and wasi:clocks it needs: jco's bindings check
// streams and pollables against the classes of the interface that defines them, so one
// provider must serve all three) on one wasock network. The interface objects have the
// names and shapes jco's bindings import (preview2-shim's lib/nodejs: `tcp`, `tcpCreateSocket`,
// `streams`, `poll`, `monotonicClock`, ...). Resource classes are shared by every provider;
// each resource remembers its provider.
import type { Network as WasockNetwork } from '../../src/network.js';
import { backendFor, type Backend } from './backend.js';
import { IoError } from './io-error.js';
import { Pollable, pollList } from './poll.js';
import { InputStream, OutputStream } from './streams.js';
import { monotonicClockOf, wallClock, type Datetime, type MonotonicClock, type WallClock } from './clocks.js';
import { Network, networkErrorCode } from './network.js';
import { TcpSocket } from './tcp.js';
import { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream } from './udp.js';
import { ResolveAddressStream, resolveAddresses } from './ip-name-lookup.js';
import type { IpAddressFamily } from './address.js';

export type { Datetime };

export class Provider {
  /** @internal */ readonly b: Backend;
  /** The wasock network the guest's sockets are made on (its host's capabilities and its policy apply). */
  readonly net: WasockNetwork;
  readonly kind: 'linux' | 'emulated';
  /** The network resource instance-network hands out. */
  readonly defaultNetwork: Network;

  // The interfaces, as jco's bindings import them (--map 'wasi:sockets/*=…#*' and so on).
  readonly instanceNetwork: { instanceNetwork(): Network };
  readonly network = { Network, networkErrorCode };
  readonly ipNameLookup: { ResolveAddressStream: typeof ResolveAddressStream; resolveAddresses(network: Network, name: string): ResolveAddressStream };
  readonly tcpCreateSocket: { createTcpSocket(family: IpAddressFamily): TcpSocket };
  readonly tcp = { TcpSocket };
  readonly udpCreateSocket: { createUdpSocket(family: IpAddressFamily): UdpSocket };
  readonly udp = { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream };
  readonly streams = { InputStream, OutputStream };
  readonly poll = { Pollable, poll: (list: Pollable[]) => pollList(list) };
  readonly error = { Error: IoError };
  readonly monotonicClock: MonotonicClock;
  readonly wallClock: WallClock = wallClock;

  constructor(net: WasockNetwork) {
    this.net = net;
    this.b = backendFor(net);
    this.kind = this.b.kind;
    const n = this.defaultNetwork = new Network(this);
    this.instanceNetwork = { instanceNetwork: () => n };
    this.ipNameLookup = { ResolveAddressStream, resolveAddresses: (network, name) => resolveAddresses(this, network, name) };
    this.tcpCreateSocket = { createTcpSocket: (family) => TcpSocket._create(this, family) };
    this.udpCreateSocket = { createUdpSocket: (family) => UdpSocket._create(this, family) };
    this.monotonicClock = monotonicClockOf(this.b);
  }

  /**
   * The import object for a component transpiled with `--instantiation` (sync or async):
   * every wasi:sockets, wasi:io and wasi:clocks interface by its unversioned name.
   */
  imports(): Record<string, Record<string, unknown>> {
    return {
      'wasi:sockets/instance-network': this.instanceNetwork,
      'wasi:sockets/network': this.network,
      'wasi:sockets/ip-name-lookup': this.ipNameLookup,
      'wasi:sockets/tcp-create-socket': this.tcpCreateSocket,
      'wasi:sockets/tcp': this.tcp,
      'wasi:sockets/udp-create-socket': this.udpCreateSocket,
      'wasi:sockets/udp': this.udp,
      'wasi:io/streams': this.streams,
      'wasi:io/poll': this.poll,
      'wasi:io/error': this.error,
      'wasi:clocks/monotonic-clock': this.monotonicClock,
      'wasi:clocks/wall-clock': this.wallClock,
    };
  }
}
