// wasock's entry where there is no Node (package.json's "browser" and "default" conditions):
// the same module API, on the emulated network (wasock/emulated's network, seed 0): a page
// has no sockets of its own, so its sockets live in a deterministic network inside the core.
// Loads no Buffer, node: module or FFI. For more machines, faults or another seed, import
// network() from 'wasock/emulated'.
import { registerDefaultHost, defaultHostFactory } from './hosts.js';
import { EmulatedHost } from '../host/emulated/index.js';
import { emulatedCoreModule } from './emulated.js';

export * from './api.js';
export { network } from './emulated.js';

// In a page this entry is the only one. A Node process that imports it beside 'wasock' (a
// test, a tool) keeps the host the Node entry registered.
if (defaultHostFactory() === null) registerDefaultHost(() => new EmulatedHost(emulatedCoreModule));
