// wasock/wasi-p1: the core as a WASI preview 1 reactor, run in @wasmer/wasi. network()
// returns the module API on it; `preopened` sockets (of the Linux host or an emulated
// network) are its guest fds 3, 4, …, and `new net.socket(undefined, undefined, undefined, 3)`
// adopts one, as CPython on WASI's `socket(fileno=3)`. What preview 1 cannot do (create,
// bind, connect, listen, socket options, dup, names) raises NotAvailableError, as the methods
// CPython's documentation marks "Availability: not WASI" are absent there.
import { WasiP1Host, WASI_P1_CAPS, instantiateP1, type WasiP1HostOptions } from '../host/wasi-p1/index.js';
import { P1Sockets } from '../host/wasi-p1/p1-sockets.js';
import { decodeBase64 } from './core.js';
import { bindNetwork, type Network, type NetworkOptions } from './network.js';
import { CORE_WASI_P1_WASM_BASE64 } from './core-wasi-p1-wasm.generated.js';

export { WasiP1Host, WASI_P1_CAPS, P1Sockets, instantiateP1 };
export type { WasiP1HostOptions, Network };

let p1Module: WebAssembly.Module | null = null;
/** build/core-wasi-p1.wasm, embedded (decoded and compiled once per process). */
export function wasiP1CoreModule(): WebAssembly.Module {
  return p1Module ??= new WebAssembly.Module(decodeBase64(CORE_WASI_P1_WASM_BASE64));
}

export interface WasiP1NetworkOptions extends WasiP1HostOptions, NetworkOptions {}

/**
 * The name functions CPython's documentation marks "Availability: not WASI": absent from a
 * preview 1 network, as from CPython's socket module on WASI (AttributeError there).
 * getaddrinfo stays: numeric hosts and ports need no lookup.
 */
const NOT_WASI = ['gethostbyname', 'gethostbyname_ex', 'gethostbyaddr', 'getnameinfo', 'getprotobyname',
  'getservbyname', 'getservbyport', 'if_nameindex', 'if_nametoindex', 'if_indextoname', 'gethostname', 'sethostname'] as const;

export interface WasiP1Network extends Omit<Network, (typeof NOT_WASI)[number]> {
  host: WasiP1Host;
}

/** The module API on a WASI preview 1 core of its own: `network({ preopened: [listener] })`, then `new net.socket(undefined, undefined, undefined, 3)`. */
export function network(options: WasiP1NetworkOptions = {}): WasiP1Network {
  const host = new WasiP1Host(wasiP1CoreModule, options);
  const net = bindNetwork(host, options) as Partial<Network>;
  for (const name of NOT_WASI) delete net[name];
  return net as WasiP1Network;
}
