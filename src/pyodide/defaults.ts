// Where installIntoPyodide() takes its default network from when the caller gives none. The
// entry that loaded wasock/pyodide registers it (package.json's conditions): in Node,
// src/pyodide-node.ts (a Linux host network and the machine's name); in a page,
// src/pyodide-browser.ts (an emulated network: a page has no sockets of its own). So
// src/pyodide.ts itself loads no host, no FFI and no node: module, and runs in a browser.
import type { Network } from '../network.js';
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

/** The registered defaults; NotAvailableError when src/pyodide.js was loaded without an entry. */
export function pyodideDefaults(): PyodideDefaults {
  if (registered !== null) return registered;
  throw new NotAvailableError("installIntoPyodide: no default network here (import it from 'wasock/pyodide', whose Node and browser entries choose one, or pass { network })", 'socket.create', 'none');
}
