// What the typed exports (exports.ts) start the wasi-p2 core with, for a runtime that says
// nothing more: there is no `wasock:core/host` to ask, and no JavaScript side calling
// p2_set_caps before core_init. The host's name (NotAvailableError's message) and the
// capability set of host/wasi-p2/index.ts's WASI_P2_CAPS (test/wasi-p2-exports.test.ts checks
// the two agree). @global, so exports.ts's isDefined(COMP_host_start) finds it; imported first
// by assembly/wasi-p2.ts. src/wasi-p2.ts, which drives the core module's raw exports, sets
// its own set instead (p2_set_caps), as may an embedder that reaches the core module.

import { COMP_set_host_name } from "./caps";
import {
  CAP_SOCKET, CAP_BIND, CAP_CONNECT, CAP_LISTEN, CAP_ACCEPT, CAP_SENDRECV, CAP_SHUTDOWN,
  CAP_GETSOCKOPT, CAP_SETSOCKOPT, CAP_NONBLOCKING, CAP_POLL, CAP_AF_INET6, CAP_SOCKNAME, CAP_NAME_LOOKUP,
} from "../generated/contract";

@global export function COMP_host_start(): void {
  COMP_set_host_name("wasi-p2");
  // A set given through the core module's p2_set_caps before the first typed call stays (an
  // empty set is no set: nothing could be made).
  if (HOST_caps() == 0) P2_set_caps((1 << CAP_SOCKET) | (1 << CAP_BIND) | (1 << CAP_CONNECT) | (1 << CAP_LISTEN) | (1 << CAP_ACCEPT)
    | (1 << CAP_SENDRECV) | (1 << CAP_SHUTDOWN) | (1 << CAP_GETSOCKOPT) | (1 << CAP_SETSOCKOPT)
    | (1 << CAP_NONBLOCKING) | (1 << CAP_POLL) | (1 << CAP_AF_INET6) | (1 << CAP_SOCKNAME)
    | (1 << CAP_NAME_LOOKUP));   // wasi:sockets/ip-name-lookup
}
