// wasock/wasi-p2: the module API on the core compiled for WASI preview 2. The core and its
// host (host/wasi-p2) are one WebAssembly component whose only imports are wasi:sockets,
// wasi:io and wasi:clocks 0.2.3; on Node it runs through jco's bindings with a wasi:* provider:
// @bytecodealliance/preview2-shim (default), wasock's own wasi:sockets provider
// (`provider: 'wasock'`: wasock/wasi-sockets, synchronous, no worker), or any object of
// interfaces a jco-transpiled component takes (`provider: { 'wasi:sockets/tcp': …, … }`).
// The bindings are jco's `--instantiation sync` output, which takes its imports at run time,
// so one transpile serves every provider (a `--map` transpile would fix one per output).
import * as shim from '@bytecodealliance/preview2-shim';
import { WasiP2Host, WASI_P2_CAPS, WASI_P2_OPTIONS, WASI_P2_PROFILE, wasiImportsOf, type WasiImports, type WasiP2HostOptions } from '../host/wasi-p2/index.js';
import { ownCore } from './core.js';
import { networkOn, type Network, type NetworkOptions } from './network.js';
import { wasiSockets } from './wasi-sockets.js';

export { WasiP2Host, WASI_P2_CAPS, WASI_P2_OPTIONS, WASI_P2_PROFILE };
export type { WasiImports, Network };

export interface WasiP2NetworkOptions extends WasiP2HostOptions, NetworkOptions {
  /**
   * Who serves wasi:*: 'preview2-shim' (default; its defects are WASI_P2_PROFILE), 'wasock'
   * (wasock/wasi-sockets on `backing`, a Linux-host network of its own by default), or the
   * interfaces themselves, keyed by unversioned name ('wasi:sockets/tcp', 'wasi:io/poll', …).
   */
  provider?: 'preview2-shim' | 'wasock' | WasiImports;
  /** With provider 'wasock': the network its wasi:sockets serve (wasock/linux's or wasock/emulated's network()). */
  backing?: Network;
}

export interface WasiP2Network extends Network {
  host: WasiP2Host;
}

/** The module API on the wasi-p2 component: `const net = network(); new net.socket()`. */
export function network(options: WasiP2NetworkOptions = {}): WasiP2Network {
  const provider = options.provider ?? 'preview2-shim';
  let imports: WasiImports;
  if (provider === 'preview2-shim') imports = wasiImportsOf(shim as never);
  else if (provider === 'wasock') imports = wasiSockets(options.backing ? { network: options.backing } : {}).imports() as WasiImports;
  else if (typeof provider === 'object' && provider !== null) imports = provider;
  else throw new TypeError(`wasock: wasi-p2 provider must be 'preview2-shim', 'wasock' or an object of wasi:* interfaces, not ${String(provider)}`);
  const installed = options.policy ? options.policy._install() : null;
  // The core calls a policy's check callbacks and audit hooks through an import of wasock's
  // own; this component imports wasi:* only, so only a policy of rules can run in it.
  if (installed !== null && installed.callsOut) {
    throw new TypeError('wasock: a wasi-p2 network takes a policy of rules only: its core is a component that imports nothing but wasi:*, so check callbacks and audit hooks cannot be called');
  }
  const profile = provider === 'preview2-shim' ? WASI_P2_PROFILE : [];
  const host = new WasiP2Host(imports, options, profile);
  return Object.assign(networkOn(ownCore(host, options.maxPages, installed), host), { host }) as WasiP2Network;
}
