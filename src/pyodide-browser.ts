// wasock/pyodide where there is no Node (package.json's "browser" and "default" conditions):
// installIntoPyodide() with an emulated network of the instance's own as its default
// (wasock/emulated's network(), seed 0), as the browser entry's top-level API has: a page has
// no sockets of its own. Loads no Buffer, node: module or FFI (test/pyodide-browser.test.ts
// runs it in Chromium). Python and the page's JavaScript share a network when both are given
// the same one: `const net = network()` from 'wasock/emulated', then { network: net }.
import { network } from './emulated.js';
import { registerPyodideDefaults } from './pyodide/defaults.js';

export * from './pyodide.js';

registerPyodideDefaults({ network: () => network(), hostname: () => 'localhost' }, false);
