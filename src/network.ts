// network(): the module API bound to one host (DESIGN.md, "Hosts, capability sets and
// policy"). Every host entry (wasock/linux now; emulated, wasi-p2, wasi-p1 later) returns
// this shape: the same names as the top-level module, on a core of the network's own, so
// two networks share no state (default timeout, socket table).
import * as api from './api.js';
import type { Host } from '../host/types.js';
import { ownCore, type Core } from './core.js';
import type { Policy } from './policy.js';
import { socket, constructOn } from './socket.js';
import { Binding, socketpair, fromfd, create_connection, create_server, getdefaulttimeout, setdefaulttimeout } from './functions.js';
import * as names from './names.js';

/** The name service functions, bound to a network like the other module functions. */
type NameFunctions = { [K in keyof typeof NAME_FUNCTIONS]: OmitThisParameter<(typeof NAME_FUNCTIONS)[K]> };
const NAME_FUNCTIONS = {
  getaddrinfo: names.getaddrinfo, getnameinfo: names.getnameinfo, gethostbyname: names.gethostbyname,
  gethostbyname_ex: names.gethostbyname_ex, gethostbyaddr: names.gethostbyaddr, getservbyname: names.getservbyname,
  getservbyport: names.getservbyport, getprotobyname: names.getprotobyname, if_nameindex: names.if_nameindex,
  if_nametoindex: names.if_nametoindex, if_indextoname: names.if_indextoname,
};
function bindNames(b: Binding): NameFunctions {
  return Object.fromEntries(Object.entries(NAME_FUNCTIONS).map(([k, f]) => [k, (f as (...a: unknown[]) => unknown).bind(b)])) as NameFunctions;
}

/** What a network has of its own; everything else is the top-level module's. */
interface Bound extends NameFunctions {
  /** new net.socket(...): a socket on this network's core. */
  socket: typeof socket;
  Socket: typeof socket;
  socketpair: OmitThisParameter<typeof socketpair>;
  fromfd: OmitThisParameter<typeof fromfd>;
  create_connection: OmitThisParameter<typeof create_connection>;
  create_server: OmitThisParameter<typeof create_server>;
  getdefaulttimeout: OmitThisParameter<typeof getdefaulttimeout>;
  setdefaulttimeout: OmitThisParameter<typeof setdefaulttimeout>;
  /** The host this network's sockets run on. */
  host: Host;
}

/** The module API bound to one host. useHost() stays the top level's own. */
export type Network = Omit<typeof api, keyof Bound | 'useHost'> & Bound;

/** What every host entry's network() takes besides its host's own options. */
export interface NetworkOptions {
  /** The most 64 KiB pages the network's core memory may grow to. */
  maxPages?: number;
  /**
   * A sandbox policy (policy() from 'wasock'): deny by default, checked in the core before
   * any host call. The network keeps a copy of it as it is now.
   */
  policy?: Policy;
}

/** The module API on `host`, with its own core (and its limits and policy: NetworkOptions). */
export function bindNetwork(host: Host, options: NetworkOptions = {}): Network {
  return networkOn(ownCore(host, options.maxPages, options.policy ? options.policy._install() : null), host);
}

/**
 * The module API on the core `own` returns (a network's own core, or one shared by several
 * views of the same network: the emulated network's machines).
 */
export function networkOn(own: () => Core, host: Host): Network {
  // A socket class per network: `new net.socket(...)` makes a socket on the network's core,
  // `instanceof net.socket` holds for the network's sockets, and `class X extends net.socket`
  // works. Its own instances are plain sockets (constructOn says why).
  class NetSocket extends socket {
    constructor(...args: [number?, number?, number?, (number | null)?]) {
      if (new.target === NetSocket) return constructOn(own(), args) as NetSocket;
      super(...args);
    }
    static override _core() { return own(); }
    static override _moduleClass(): typeof socket { return NetSocket; }
    static override _wrap(c: Core, h: number): socket {
      return this === NetSocket ? socket._wrap(c, h) : super._wrap(c, h);
    }
    static override [Symbol.hasInstance](x: unknown): boolean {
      if (this !== NetSocket) return Function.prototype[Symbol.hasInstance].call(this, x);
      return x instanceof socket && x._c === own();
    }
  }
  Object.defineProperty(NetSocket, 'name', { value: 'socket' });
  const b = new Binding(own, own, NetSocket);
  const { useHost: _, ...shared } = api;
  return {
    ...shared,
    socket: NetSocket,
    Socket: NetSocket,
    socketpair: socketpair.bind(b),
    fromfd: fromfd.bind(b),
    create_connection: create_connection.bind(b),
    create_server: create_server.bind(b),
    getdefaulttimeout: getdefaulttimeout.bind(b),
    setdefaulttimeout: setdefaulttimeout.bind(b),
    ...bindNames(b),
    host,
  };
}
