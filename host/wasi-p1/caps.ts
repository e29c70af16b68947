// The WASI preview 1 host's capability set, apart from its runtime (index.ts loads
// @wasmer/wasi): `wasock caps` reads it without starting anything.
import type { Capability } from '../types.js';

/**
 * Preview 1's socket calls: sock_accept, sock_recv/sock_send, sock_shutdown,
 * fd_fdstat_set_flags (O_NONBLOCK) and poll_oneoff. Not socket.create, bind, connect, listen,
 * getsockopt, setsockopt, dup, socketpair, sockname (preview 1 has no call behind them;
 * Python: "Availability: not WASI"), nor fcntl and ioctl (the fcntl module is "not WASI"
 * too), nor af_unix / af_inet6 (creation capabilities), nor js_buffers (compiled in).
 */
export const WASI_P1_CAPS: readonly Capability[] = ['accept', 'sendrecv', 'shutdown', 'nonblocking', 'poll', 'sotype'];
