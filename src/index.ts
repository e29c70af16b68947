// wasock: Python's socket semantics for JavaScript. Names are Python's. This is the Node
// entry (package.json's "node" condition): the shared module API, Node interop, and the
// Linux host as the default host, made (and koffi loaded) on the first socket, so that
// `import { struct } from 'wasock'` loads no native addon.
import { registerDefaultHost } from './hosts.js';
import { LinuxHost } from '../host/linux/index.js';

export * from './api.js';
export { fromNode, toNodeServer, toNodeSocket, type ToNodeServerOptions, type ToNodeSocketOptions } from './node.js';
export { toReadable, toWritable, type FileObject, type StreamAdapterOptions } from './streams.js';
export { LinuxHost } from '../host/linux/index.js';

registerDefaultHost(() => new LinuxHost());
