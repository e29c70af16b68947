// wasock/pyodide in Node (package.json's "node" condition): installIntoPyodide() with the
// Linux host as its default network (a network of the instance's own, wasock/linux's
// network()) and the machine's name as socket.gethostname().
import { hostname } from 'node:os';
import { network } from './linux.js';
import { registerPyodideDefaults } from './pyodide/defaults.js';

export * from './pyodide.js';

registerPyodideDefaults({ network: () => network(), hostname }, true);
