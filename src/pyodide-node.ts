// wasock/pyodide in Node (package.json's "node" condition): installIntoPyodide() with the
// Linux host as its default network (a network of the instance's own, wasock/linux's
// network()) and the machine's name as socket.gethostname(); select and poll on Linux host
// sockets wait in libc's poll.
import { hostname } from 'node:os';
import { network } from './linux.js';
import { registerPyodideDefaults, registerPollBackend } from './pyodide/defaults.js';
import { backendFor } from '../host/wasi-sockets/backend.js';

export * from './pyodide.js';

registerPyodideDefaults({ network: () => network(), hostname }, true);
// select() and poll() on Linux host sockets: libc's poll (the emulated network needs none).
registerPollBackend(backendFor);
