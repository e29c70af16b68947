// Where installIntoPyodide() takes its default network from when the caller gives none. The
// entry that loaded wasock/pyodide registers it (package.json's conditions): in Node,
// src/pyodide-node.ts (a Linux host network and the machine's name); in a page,
// src/pyodide-browser.ts (an emulated network: a page has no sockets of its own). So
// src/pyodide.ts itself loads no host, no FFI and no node: module, and runs in a browser.
import { bindNetwork, type Network } from '../network.js';
import { defaultHostFactory, HOSTS } from '../hosts.js';
import { NotAvailableError } from '../exceptions.js';
import { emulatedBackend, type Backend } from '../../host/wasi-sockets/backend-emulated.js';

export interface PyodideDefaults {
  /** A network of the instance's own, made at install. */
  network(): Network;
  /** What socket.gethostname() answers on that network. */
  hostname(): string;
}

let registered: PyodideDefaults | null = null;

/**
 * Registers the default network. `force` is the Node entry's: a Node process that also loads
 * the browser entry (a test, a bundler's dev server) keeps Node's, as src/browser.ts does.
 */
export function registerPyodideDefaults(d: PyodideDefaults, force: boolean): void {
  if (force || registered === null) registered = d;
}

/**
 * The registered defaults. Without an entry's (src/pyodide.js imported directly), a network of
 * its own on the package's default host, as the top-level API's sockets have (src/hosts.ts:
 * the Linux host once 'wasock' is loaded in Node, the emulated network in a page), named
 * 'localhost'; NotAvailableError where there is none.
 */
export function pyodideDefaults(): PyodideDefaults {
  if (registered !== null) return registered;
  const make = defaultHostFactory();
  if (make !== null) return { network: () => bindNetwork(make()), hostname: () => 'localhost' };
  throw new NotAvailableError(`installIntoPyodide: no default network here: import it from 'wasock/pyodide' (its Node and browser entries choose one) or pass { network }; hosts: ${HOSTS}`, 'socket.create', 'none');
}

/**
 * What select() and poll() on the instance's socket fds wait with (src/pyodide/fd.ts): the
 * emulated network's own kernel poll (host-free), else the backend the Node entry registered
 * (host/wasi-sockets/backend.ts: libc's poll on the Linux host). Kept out of src/pyodide.ts so a
 * page loads no libc binding.
 */
let nodeBackend: ((net: Network) => Backend) | null = null;

/** The Node entry's backend for networks that are not emulated (the Linux host's). */
export function registerPollBackend(f: (net: Network) => Backend): void {
  nodeBackend = f;
}

/** The backend for `net`; TypeError naming the entry where none serves it. */
export function pollBackendFor(net: Network): Backend {
  const emu = emulatedBackend(net);
  if (emu !== null) return emu;
  if (nodeBackend !== null) return nodeBackend(net);
  throw new TypeError(`wasock/pyodide: select and poll on a network on ${net.host.name} need the Node entry ('wasock/pyodide' in Node, src/pyodide-node.ts)`);
}
