// What the module functions (src/functions.ts, src/names.ts) run on: a file of its own so the
// two can share it without importing each other (test/imports.test.ts forbids the cycle).
import { core, hostCore, type Core } from './core.js';
import { socket } from './socket.js';

type SocketClass = typeof socket;

/**
 * Called as plain functions, the module functions use the top-level API's core and socket
 * class; a network (src/network.ts) calls them with itself as `this`, so one body serves every
 * host. (A module namespace as `this`, from `w.socketpair()`, is no Binding.)
 */
export class Binding {
  constructor(
    /** The core for sockets (the top level's moves onto its host on the first one). */
    readonly core: () => Core,
    /** The core for module state (the default timeout): no host needed at the top level. */
    readonly state: () => Core,
    readonly socket: SocketClass,
  ) {}
}
const TOP = new Binding(hostCore, core, socket);
/** The Binding a module function runs on: `this` when it is one, else the top level's. */
export function bindingOf(self: unknown): Binding { return self instanceof Binding ? self : TOP; }
