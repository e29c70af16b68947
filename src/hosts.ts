// Which host the top-level API's sockets run on. struct, the constants, the errors and the
// decoders need a core but no host, so importing the package must not load one: an entry
// registers a factory (src/index.ts in Node: the Linux host), called on the first socket.
// A browser entry registers none, and making a socket there says which hosts exist.
import type { Host } from '../host/types.js';

let factory: (() => Host) | null = null;

/** Makes `make` the top-level API's host, created when the first socket needs it. */
export function registerDefaultHost(make: () => Host): void {
  factory = make;
}

/** The registered factory, or null where no entry registered one (a browser). */
export function defaultHostFactory(): (() => Host) | null {
  return factory;
}

/** The hosts wasock has, named in the error raised where no host is registered. */
export const HOSTS = "'wasock/linux' (Node on Linux); 'wasock/emulated' (anywhere: the default in a browser); an embedder's own through useHost()";
