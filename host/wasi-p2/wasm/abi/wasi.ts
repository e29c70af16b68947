// The one bindings file of host/wasi-p2: every wasi:* function the core imports, by hand in
// the canonical ABI (the component model's lowering of WIT types to core wasm), and nothing
// else names an import. WIT: host/wasi-p2/wit (wasi 0.2.3, preview2-shim 0.26.1's version).
//
// Lowering rules used here (component model, CanonicalABI.md):
// - resources (own and borrow) are i32 handles; an owned handle is dropped with its
//   `[resource-drop]<name>` import, a child before its parent (streams before their socket);
// - enums and bools are i32 parameters; u64 (durations, sizes) are i64;
// - `ip-socket-address` flattens to 12 i32: the case, then the joined payload (ipv4: port,
//   a, b, c, d; ipv6: port, flow-info, eight u16 words, scope-id), so start-bind takes 15
//   parameters with self, the network and the return pointer;
// - a result that flattens to more than one value comes back through a return area whose
//   pointer is the last parameter: tag (u8) at 0, payload at the alignment of the largest
//   case (result<u64, _> at 8, result<bool, _> and result<u8, _> at 1, handles at 4);
// - a list the host returns (stream reads, poll's indices, datagrams) is placed in core
//   memory through the module's `cabi_realloc` export (host.ts) and is the core's to free;
// - strings cross as UTF-8 (componentEmbed's stringEncoding: 'utf8', one encoding for the whole
//   component: its wasock:core exports are UTF-8; docs/decisions.md): (pointer, byte length).
// Mistakes read garbage silently: every import below is exercised by test/wasi-p2.test.ts.

// ------------------------------------------------------------------------- return areas

/** The return area every call here writes into (the core is single-threaded). */
export const RET: usize = memory.data(64, 8);

// Offsets inside a result's return area.
export const R_TAG: usize = 0;        // u8: 0 ok, 1 err
export const R_P1: usize = 1;         // payload of result<bool|u8|enum, _>, and the error-code of result<_, error-code>
export const R_P4: usize = 4;         // payload of result<handle|u32|tuple|list|ip-socket-address, _>
export const R_P8: usize = 8;         // payload of result<u64, _>

// ip-socket-address in memory (variant, align 4): case u8 at 0, payload at 4;
// ipv4: port u16 +0, octets +2..+5; ipv6: port u16 +0, flow-info u32 +4, words u16 +8..+23, scope-id u32 +24.
export const SA_SIZE: usize = 32;

// --------------------------------------------------------------------------- wasi:io

@external("wasi:io/error@0.2.3", "[resource-drop]error") export declare function error_drop(h: i32): void;

@external("wasi:io/poll@0.2.3", "[resource-drop]pollable") export declare function pollable_drop(h: i32): void;
@external("wasi:io/poll@0.2.3", "[method]pollable.ready") export declare function pollable_ready(h: i32): i32;
@external("wasi:io/poll@0.2.3", "[method]pollable.block") export declare function pollable_block(h: i32): void;
/** poll(list<borrow<pollable>>) -> list<u32>: the list's pointer and length at ret+0, ret+4. */
@external("wasi:io/poll@0.2.3", "poll") export declare function poll_list(ptr: usize, len: i32, ret: usize): void;

@external("wasi:io/streams@0.2.3", "[resource-drop]input-stream") export declare function input_drop(h: i32): void;
@external("wasi:io/streams@0.2.3", "[resource-drop]output-stream") export declare function output_drop(h: i32): void;
/**
 * read(len) -> result<list<u8>, stream-error>: ok: pointer at ret+4, length at ret+8; err:
 * stream-error's case at ret+4 (0 last-operation-failed with the error handle at ret+8, 1 closed).
 */
@external("wasi:io/streams@0.2.3", "[method]input-stream.read") export declare function input_read(h: i32, len: i64, ret: usize): void;
/** blocking-read(len): as read, waiting until at least one byte or the end (one host call instead of three). */
@external("wasi:io/streams@0.2.3", "[method]input-stream.blocking-read") export declare function input_blocking_read(h: i32, len: i64, ret: usize): void;
@external("wasi:io/streams@0.2.3", "[method]input-stream.subscribe") export declare function input_subscribe(h: i32): i32;
/** check-write() -> result<u64, stream-error>: ok at ret+8; err case at ret+8, error handle at ret+12. */
@external("wasi:io/streams@0.2.3", "[method]output-stream.check-write") export declare function output_check_write(h: i32, ret: usize): void;
/** write(list<u8>) -> result<_, stream-error>: err case at ret+4, error handle at ret+8. */
@external("wasi:io/streams@0.2.3", "[method]output-stream.write") export declare function output_write(h: i32, ptr: usize, len: i32, ret: usize): void;
/** blocking-write-and-flush(list<u8>): at most 4096 bytes, waiting for room and the flush. */
@external("wasi:io/streams@0.2.3", "[method]output-stream.blocking-write-and-flush") export declare function output_blocking_write_and_flush(h: i32, ptr: usize, len: i32, ret: usize): void;
@external("wasi:io/streams@0.2.3", "[method]output-stream.flush") export declare function output_flush(h: i32, ret: usize): void;
@external("wasi:io/streams@0.2.3", "[method]output-stream.subscribe") export declare function output_subscribe(h: i32): i32;

// ------------------------------------------------------------------------ wasi:clocks

@external("wasi:clocks/monotonic-clock@0.2.3", "now") export declare function clock_now(): i64;
@external("wasi:clocks/monotonic-clock@0.2.3", "subscribe-duration") export declare function clock_subscribe_duration(ns: i64): i32;

// ----------------------------------------------------------------------- wasi:sockets

@external("wasi:sockets/instance-network@0.2.3", "instance-network") export declare function instance_network(): i32;
@external("wasi:sockets/network@0.2.3", "[resource-drop]network") export declare function network_drop(h: i32): void;
/** network-error-code(borrow<error>) -> option<error-code>: case u8 at ret+0, code u8 at ret+1. */
@external("wasi:sockets/network@0.2.3", "network-error-code") export declare function network_error_code(err: i32, ret: usize): void;

// tcp-create-socket / tcp
@external("wasi:sockets/tcp-create-socket@0.2.3", "create-tcp-socket") export declare function create_tcp_socket(family: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[resource-drop]tcp-socket") export declare function tcp_drop(h: i32): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.start-bind")
export declare function tcp_start_bind(h: i32, net: i32, c: i32, p0: i32, p1: i32, p2: i32, p3: i32, p4: i32, p5: i32, p6: i32, p7: i32, p8: i32, p9: i32, p10: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.finish-bind") export declare function tcp_finish_bind(h: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.start-connect")
export declare function tcp_start_connect(h: i32, net: i32, c: i32, p0: i32, p1: i32, p2: i32, p3: i32, p4: i32, p5: i32, p6: i32, p7: i32, p8: i32, p9: i32, p10: i32, ret: usize): void;
/** finish-connect() -> result<tuple<input-stream, output-stream>, error-code>: handles at ret+4, ret+8. */
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.finish-connect") export declare function tcp_finish_connect(h: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.start-listen") export declare function tcp_start_listen(h: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.finish-listen") export declare function tcp_finish_listen(h: i32, ret: usize): void;
/** accept() -> result<tuple<tcp-socket, input-stream, output-stream>, error-code>: handles at ret+4, +8, +12. */
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.accept") export declare function tcp_accept(h: i32, ret: usize): void;
/** local-address() -> result<ip-socket-address, error-code>: the address at ret+4. */
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.local-address") export declare function tcp_local_address(h: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.remote-address") export declare function tcp_remote_address(h: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.is-listening") export declare function tcp_is_listening(h: i32): i32;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.set-listen-backlog-size") export declare function tcp_set_listen_backlog_size(h: i32, v: i64, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.keep-alive-enabled") export declare function tcp_keep_alive_enabled(h: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.set-keep-alive-enabled") export declare function tcp_set_keep_alive_enabled(h: i32, v: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.keep-alive-idle-time") export declare function tcp_keep_alive_idle_time(h: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.set-keep-alive-idle-time") export declare function tcp_set_keep_alive_idle_time(h: i32, v: i64, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.keep-alive-interval") export declare function tcp_keep_alive_interval(h: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.set-keep-alive-interval") export declare function tcp_set_keep_alive_interval(h: i32, v: i64, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.keep-alive-count") export declare function tcp_keep_alive_count(h: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.set-keep-alive-count") export declare function tcp_set_keep_alive_count(h: i32, v: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.hop-limit") export declare function tcp_hop_limit(h: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.set-hop-limit") export declare function tcp_set_hop_limit(h: i32, v: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.receive-buffer-size") export declare function tcp_receive_buffer_size(h: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.set-receive-buffer-size") export declare function tcp_set_receive_buffer_size(h: i32, v: i64, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.send-buffer-size") export declare function tcp_send_buffer_size(h: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.set-send-buffer-size") export declare function tcp_set_send_buffer_size(h: i32, v: i64, ret: usize): void;
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.subscribe") export declare function tcp_subscribe(h: i32): i32;
/** shutdown(shutdown-type): 0 receive, 1 send, 2 both. */
@external("wasi:sockets/tcp@0.2.3", "[method]tcp-socket.shutdown") export declare function tcp_shutdown(h: i32, how: i32, ret: usize): void;

// udp-create-socket / udp
@external("wasi:sockets/udp-create-socket@0.2.3", "create-udp-socket") export declare function create_udp_socket(family: i32, ret: usize): void;
@external("wasi:sockets/udp@0.2.3", "[resource-drop]udp-socket") export declare function udp_drop(h: i32): void;
@external("wasi:sockets/udp@0.2.3", "[resource-drop]incoming-datagram-stream") export declare function incoming_drop(h: i32): void;
@external("wasi:sockets/udp@0.2.3", "[resource-drop]outgoing-datagram-stream") export declare function outgoing_drop(h: i32): void;
@external("wasi:sockets/udp@0.2.3", "[method]udp-socket.start-bind")
export declare function udp_start_bind(h: i32, net: i32, c: i32, p0: i32, p1: i32, p2: i32, p3: i32, p4: i32, p5: i32, p6: i32, p7: i32, p8: i32, p9: i32, p10: i32, ret: usize): void;
@external("wasi:sockets/udp@0.2.3", "[method]udp-socket.finish-bind") export declare function udp_finish_bind(h: i32, ret: usize): void;
/**
 * stream(option<ip-socket-address>) -> result<tuple<incoming, outgoing>, error-code>: the
 * option's case, then the address's 12 values; the two handles at ret+4, ret+8.
 */
@external("wasi:sockets/udp@0.2.3", "[method]udp-socket.stream")
export declare function udp_stream(h: i32, some: i32, c: i32, p0: i32, p1: i32, p2: i32, p3: i32, p4: i32, p5: i32, p6: i32, p7: i32, p8: i32, p9: i32, p10: i32, ret: usize): void;
@external("wasi:sockets/udp@0.2.3", "[method]udp-socket.local-address") export declare function udp_local_address(h: i32, ret: usize): void;
@external("wasi:sockets/udp@0.2.3", "[method]udp-socket.remote-address") export declare function udp_remote_address(h: i32, ret: usize): void;
@external("wasi:sockets/udp@0.2.3", "[method]udp-socket.unicast-hop-limit") export declare function udp_unicast_hop_limit(h: i32, ret: usize): void;
@external("wasi:sockets/udp@0.2.3", "[method]udp-socket.set-unicast-hop-limit") export declare function udp_set_unicast_hop_limit(h: i32, v: i32, ret: usize): void;
@external("wasi:sockets/udp@0.2.3", "[method]udp-socket.receive-buffer-size") export declare function udp_receive_buffer_size(h: i32, ret: usize): void;
@external("wasi:sockets/udp@0.2.3", "[method]udp-socket.set-receive-buffer-size") export declare function udp_set_receive_buffer_size(h: i32, v: i64, ret: usize): void;
@external("wasi:sockets/udp@0.2.3", "[method]udp-socket.send-buffer-size") export declare function udp_send_buffer_size(h: i32, ret: usize): void;
@external("wasi:sockets/udp@0.2.3", "[method]udp-socket.set-send-buffer-size") export declare function udp_set_send_buffer_size(h: i32, v: i64, ret: usize): void;
@external("wasi:sockets/udp@0.2.3", "[method]udp-socket.subscribe") export declare function udp_subscribe(h: i32): i32;
/**
 * receive(max-results) -> result<list<incoming-datagram>, error-code>: list at ret+4 (ptr),
 * ret+8 (len); each datagram is 40 bytes: data ptr +0, data len +4, ip-socket-address +8.
 */
@external("wasi:sockets/udp@0.2.3", "[method]incoming-datagram-stream.receive") export declare function incoming_receive(h: i32, max: i64, ret: usize): void;
@external("wasi:sockets/udp@0.2.3", "[method]incoming-datagram-stream.subscribe") export declare function incoming_subscribe(h: i32): i32;
@external("wasi:sockets/udp@0.2.3", "[method]outgoing-datagram-stream.check-send") export declare function outgoing_check_send(h: i32, ret: usize): void;
/**
 * send(list<outgoing-datagram>) -> result<u64, error-code>: each datagram is 44 bytes: data
 * ptr +0, data len +4, option<ip-socket-address> case u8 +8, address +12.
 */
@external("wasi:sockets/udp@0.2.3", "[method]outgoing-datagram-stream.send") export declare function outgoing_send(h: i32, ptr: usize, len: i32, ret: usize): void;
@external("wasi:sockets/udp@0.2.3", "[method]outgoing-datagram-stream.subscribe") export declare function outgoing_subscribe(h: i32): i32;

export const IN_DGRAM_SIZE: usize = 40;
export const OUT_DGRAM_SIZE: usize = 44;

// ip-name-lookup
/** resolve-addresses(network, name: string) -> result<resolve-address-stream, error-code>: the name as UTF-8 bytes. */
@external("wasi:sockets/ip-name-lookup@0.2.3", "resolve-addresses") export declare function resolve_addresses(net: i32, name: usize, bytes: i32, ret: usize): void;
@external("wasi:sockets/ip-name-lookup@0.2.3", "[resource-drop]resolve-address-stream") export declare function resolve_stream_drop(h: i32): void;
/**
 * resolve-next-address() -> result<option<ip-address>, error-code>: option case at ret+2,
 * ip-address case at ret+4, octets (u8) or words (u16) from ret+6.
 */
@external("wasi:sockets/ip-name-lookup@0.2.3", "[method]resolve-address-stream.resolve-next-address") export declare function resolve_next_address(h: i32, ret: usize): void;
@external("wasi:sockets/ip-name-lookup@0.2.3", "[method]resolve-address-stream.subscribe") export declare function resolve_subscribe(h: i32): i32;

// ------------------------------------------------------------------- address lowering

/** The 12 flat values of an ip-socket-address, filled by lowerSockaddr (host.ts) before a call. */
export const FLAT = new StaticArray<i32>(12);

/** Calls start-bind / start-connect / stream with FLAT. `which`: 0 tcp bind, 1 tcp connect, 2 udp bind, 3 udp stream (some), 4 udp stream (none). */
export function callWithAddr(which: i32, h: i32, net: i32): void {
  const f = FLAT;
  const c = unchecked(f[0]), p0 = unchecked(f[1]), p1 = unchecked(f[2]), p2 = unchecked(f[3]), p3 = unchecked(f[4]),
    p4 = unchecked(f[5]), p5 = unchecked(f[6]), p6 = unchecked(f[7]), p7 = unchecked(f[8]), p8 = unchecked(f[9]),
    p9 = unchecked(f[10]), p10 = unchecked(f[11]);
  switch (which) {
    case 0: tcp_start_bind(h, net, c, p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, RET); break;
    case 1: tcp_start_connect(h, net, c, p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, RET); break;
    case 2: udp_start_bind(h, net, c, p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, RET); break;
    case 3: udp_stream(h, 1, c, p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, RET); break;
    default: udp_stream(h, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, RET); break;
  }
}
