// How each socket option is backed on wasi:sockets 0.2 (wasm/options.ts implements it) and
// what the runtime under it is known to get wrong. Both are data a user can read
// (net.host.options, net.host.profile) and the tests hold the implementation to.

/**
 * applied: reaches the runtime through a p2 method (with Linux's units at the edge);
 * derived: computed from the socket's state, as Linux answers it;
 * stored: p2 has no method: kept with Linux's default and rules, no effect (as wasi-libc);
 * absent: ENOPROTOOPT, as wasi-libc answers.
 */
export type WasiP2OptionStatus = 'applied' | 'derived' | 'stored' | 'absent';

/** Every option that is not absent; `udp` where a UDP socket's differs (TCP-level options are EOPNOTSUPP there, as on Linux). */
export const WASI_P2_OPTIONS: Readonly<Record<string, { tcp: WasiP2OptionStatus; udp: WasiP2OptionStatus | 'other-level'; how: string }>> = {
  SO_KEEPALIVE: { tcp: 'applied', udp: 'stored', how: 'keep-alive-enabled (UDP: kept, no effect, as on Linux)' },
  TCP_KEEPIDLE: { tcp: 'applied', udp: 'other-level', how: 'keep-alive-idle-time: seconds x 10^9 ns; 1..32767 (Linux), a sub-second read is 1' },
  TCP_KEEPINTVL: { tcp: 'applied', udp: 'other-level', how: 'keep-alive-interval: seconds x 10^9 ns; 1..32767' },
  TCP_KEEPCNT: { tcp: 'applied', udp: 'other-level', how: 'keep-alive-count; 1..127' },
  IP_TTL: { tcp: 'applied', udp: 'applied', how: 'hop-limit / unicast-hop-limit on an IPv4 socket; -1 is 64 (Linux: back to the default), 1..255' },
  IPV6_UNICAST_HOPS: { tcp: 'applied', udp: 'applied', how: 'hop-limit / unicast-hop-limit on an IPv6 socket; -1 is 64; 0 is refused (p2 invalid-argument)' },
  SO_RCVBUF: { tcp: 'applied', udp: 'applied', how: 'receive-buffer-size: the size asked for; read back doubled, as Linux reports it' },
  SO_SNDBUF: { tcp: 'applied', udp: 'applied', how: 'send-buffer-size: the size asked for; read back doubled, as Linux reports it' },
  SO_TYPE: { tcp: 'derived', udp: 'derived', how: 'the resource: tcp-socket SOCK_STREAM, udp-socket SOCK_DGRAM' },
  SO_PROTOCOL: { tcp: 'derived', udp: 'derived', how: 'the resource: IPPROTO_TCP / IPPROTO_UDP' },
  SO_DOMAIN: { tcp: 'derived', udp: 'derived', how: 'the family the socket was made with' },
  SO_ACCEPTCONN: { tcp: 'derived', udp: 'derived', how: 'listen() succeeded (not is-listening: preview2-shim says a bound socket listens)' },
  SO_ERROR: { tcp: 'derived', udp: 'derived', how: "finish-connect's error, cleared when read" },
  TCP_NODELAY: { tcp: 'stored', udp: 'other-level', how: 'no p2 method (wasi-sockets issue #75): kept, default 0' },
  SO_REUSEADDR: { tcp: 'stored', udp: 'stored', how: "no p2 method: kept, default 0; p2's TCP bind ignores TIME_WAIT already" },
  IPV6_V6ONLY: { tcp: 'stored', udp: 'stored', how: 'p2 sockets are IPv6-only: reads 1, setting 1 is accepted, 0 is EOPNOTSUPP' },
};

/** An option's status on wasi-p2 (every name not in WASI_P2_OPTIONS is absent). */
export function wasiP2OptionStatus(name: string, type: 'tcp' | 'udp'): WasiP2OptionStatus | 'other-level' {
  const o = WASI_P2_OPTIONS[name];
  if (o === undefined) return 'absent';
  return o[type];
}

/** A known defect of the runtime under the component: what it does, and what a program sees. */
export interface ProfileDefect {
  id: string;
  /** The options it concerns (empty: an operation). */
  options: readonly string[];
  /** The socket kinds it concerns. */
  types: readonly ('tcp' | 'udp')[];
  runtime: string;
  what: string;
  seen: string;
}

/**
 * @bytecodealliance/preview2-shim 0.26.1 on Node (read in dist/nodejs/sockets.js and
 * dist/io/worker-socket-tcp.js; measured in ../shared/reference/wasi-hosts.md §7 E2).
 * test/wasi-p2.test.ts pins the ones a program can observe.
 */
export const WASI_P2_PROFILE: readonly ProfileDefect[] = [
  {
    id: 'keepidle-1000x', options: ['TCP_KEEPIDLE'], types: ['tcp'], runtime: 'preview2-shim 0.26.1',
    what: 'set-keep-alive-idle-time: the worker turns ns into seconds and hands them to Node\'s setKeepAlive(), whose unit is ms; a change while keep-alive is off reaches nothing',
    seen: 'getsockopt reads back what was set; the kernel idles 1000x shorter (7200 s -> 7 s)',
  },
  {
    id: 'tcp-options-js-only', options: ['TCP_KEEPINTVL', 'TCP_KEEPCNT', 'IP_TTL', 'IPV6_UNICAST_HOPS', 'SO_RCVBUF', 'SO_SNDBUF'], types: ['tcp'], runtime: 'preview2-shim 0.26.1',
    what: 'TCP keep-alive interval and count, hop limit and buffer sizes are JavaScript fields ("NOT configurable in Node.js")',
    seen: 'getsockopt reads back what was set; the kernel never sees it (TCP sockets; UDP hop limit and buffers are applied)',
  },
  {
    id: 'invented-defaults', options: ['IP_TTL', 'IPV6_UNICAST_HOPS', 'SO_RCVBUF', 'SO_SNDBUF', 'TCP_KEEPINTVL', 'TCP_KEEPCNT'], types: ['tcp'], runtime: 'preview2-shim 0.26.1',
    what: "a TCP socket's getters start from constants: hop limit 1, keep-alive interval 1 s and count 10, buffer sizes from a throw-away UDP socket (212992)",
    seen: 'IP_TTL / IPV6_UNICAST_HOPS 1 (Linux 64), TCP_KEEPINTVL 1 (75), TCP_KEEPCNT 10 (9), SO_RCVBUF / SO_SNDBUF 425984 (212992 doubled; Linux 131072 / 16384)',
  },
  {
    id: 'backlog-dropped', options: [], types: ['tcp'], runtime: 'preview2-shim 0.26.1',
    what: "bind already listens (Node's server.listen with backlog 128); set-listen-backlog-size after bind is kept and never applied",
    seen: 'listen(n) queues 128 connections whatever n is',
  },
  {
    id: 'shutdown-destroys', options: [], types: ['tcp'], runtime: 'preview2-shim 0.26.1',
    what: 'shutdown(receive|send|both) calls socket.destroy(): both directions end, whatever was asked',
    seen: 'after shutdown(SHUT_WR) the socket cannot receive either: recv returns what the shim had already buffered, then b\'\' (the peer\'s later data is lost; its input stream may never report the end, so wasock does not wait for it)',
  },
  {
    id: 'flush-waits', options: [], types: ['tcp'], runtime: 'preview2-shim 0.26.1',
    what: "output-stream.flush(), which never blocks by the spec, returns the pending write's promise: the calling thread waits until Node has written everything (worker-thread.js OUTPUT_STREAM_FLUSH)",
    seen: 'a non-blocking send to a peer that reads nothing would never return; wasock writes without flushing on this runtime (its write hands the bytes to Node at once)',
  },
  {
    id: 'call-per-read', options: [], types: ['tcp'], runtime: 'preview2-shim 0.26.1',
    what: 'every call into the runtime is a round trip to its worker thread (~60-140 us, Atomics.wait): a stream read of 7 bytes costs what one of 4 KiB does',
    seen: "makefile()'s small reads paid it per read (readline-streams' megabytes took minutes); on this runtime wasock reads ahead 4 KiB into the socket's peek buffer",
  },
  {
    id: 'writes-16k', options: [], types: ['tcp'], runtime: 'preview2-shim 0.26.1',
    what: "check-write is Node's writableHighWaterMark (16 KiB) less what Node still holds: the kernel's send buffer is behind Node's",
    seen: 'a non-blocking send() moves at most 16 KiB; send buffers fill only after many calls',
  },
  {
    id: 'udp-buffers-doubled', options: ['SO_RCVBUF', 'SO_SNDBUF'], types: ['udp'], runtime: 'preview2-shim 0.26.1',
    what: "a UDP socket's buffer sizes, until one is set, are Node's getRecvBufferSize()/getSendBufferSize(): the kernel's SO_RCVBUF/SO_SNDBUF, Linux's doubled value, where p2 means the size asked for (wasmtime halves it back); once set, the size set",
    seen: 'read back through wasock (which doubles, as Linux reports), a fresh UDP buffer is 425984 (Linux 212992); after a set it is right; set before bind, the two sizes reach the kernel swapped (wasi-hosts.md E2)',
  },
  {
    id: 'udp-icmp-dropped', options: [], types: ['udp'], runtime: 'preview2-shim 0.26.1',
    what: "datagrams go through Node's dgram sockets, which never report ICMP errors (libuv sets no IP_RECVERR)",
    seen: 'a connected UDP socket whose peer port is closed never gets ConnectionRefusedError: recv waits (EAGAIN when non-blocking)',
  },
  {
    id: 'bind-listens', options: ['SO_ACCEPTCONN'], types: ['tcp'], runtime: 'preview2-shim 0.26.1',
    what: 'is-listening is true right after bind; connections arriving before finish-listen are destroyed',
    seen: 'connect() to a port that is bound but not listening succeeds (Linux: ConnectionRefusedError); SO_ACCEPTCONN is derived from listen() (WASI_P2_OPTIONS), so it stays right',
  },
];
