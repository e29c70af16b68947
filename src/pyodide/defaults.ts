// Where installIntoPyodide() takes its default network from when the caller gives none. The
// entry that loaded wasock/pyodide registers it (package.json's conditions): in Node,
// src/pyodide-node.ts (a Linux host network and the machine's name); in a page,
// src/pyodide-browser.ts (an emulated network: a page has no sockets of its own). So
// src/pyodide.ts itself loads no host, no FFI and no node: module, and runs in a browser.
import { bindNetwork, type Network } from '../network.js';
import { defaultHostFactory, HOSTS } from '../hosts.js';
import { NotAvailableError } from '../exceptions.js';

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
