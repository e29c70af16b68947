// The core as a component (asconfig target "component", wit/core.wit world `core`): the
// socket-level operations of `wasock:core/sockets` and `wasock:core/policy`
// (component/exports.ts) over the `wasock:core/host` imports (component/host.ts), with the
// canonical ABI written by hand. scripts/build-component.mjs renames the exports for WIT,
// then jco's componentEmbed and componentNew make build/wasock.component.wasm.
// The same exports over wasi:sockets instead of wasock:core/host: assembly/wasi-p2.ts.

import "./component/host";   // first: the HOST_* globals the core's bindings look for
import "./component/abort";  // the core's abort (asconfig: use abort=...)
import "./component/names";  // the name service imports no component host serves
import { CABI_realloc } from "./component/memory";

export * from "./component/exports";

/** The canonical ABI's allocator (component/memory.ts). */
export function cabi_realloc(old: usize, oldSize: usize, align: usize, size: usize): usize { return CABI_realloc(old, oldSize, align, size); }
