// The core's socket-level operations as the exports of `wasock:core/sockets` and
// `wasock:core/policy` (wit/core.wit), with the canonical ABI written by hand, over whichever
// host the core is compiled with: assembly/component.ts puts them over the `wasock:core/host`
// imports (build/wasock.component.wasm), assembly/wasi-p2.ts over host/wasi-p2's wasi:sockets
// (build/wasock-wasi-p2.component.wasm). The build renames each `sockets_<name>` /
// `policy_<name>` export to `wasock:core/sockets#<name>` (scripts/build-component.mjs
// renameExports: AssemblyScript cannot spell those names).
//
// The canonical ABI, as used here (wasm32, string encoding UTF-8 in both components):
// - arguments: strings and lists arrive as (pointer, length) in memory the caller obtained
//   through cabi_realloc; they are the callee's, so each is freed once read (or sent);
// - results of more than one flat value go through a return area (errors.ts RES) whose
//   address the export returns; strings and lists in results point into the core's scratch
//   areas or staging buffer, which stay valid until the next call: nothing is allocated for
//   a result, so no export needs a post-return function.
// The core decides everything (validation, capabilities, timeouts, errno); this file only
// moves values in and out, and words a failure as CPython's exception (errors.ts).

import {
  core_init, core_has_cap, core_setdefaulttimeout, core_getdefaulttimeout, addr_encode,
  sock_new, sock_close, sock_fileno, sock_bind, sock_connect, sock_listen, sock_accept,
  sock_getsockopt_int, sock_getsockopt_buf, sock_setsockopt_int, sock_setsockopt_buf,
  sock_settimeout, sock_gettimeout, sock_getblocking, sock_recv, sock_recvfrom, sock_send,
  sock_sendall, sock_sendto, sock_shutdown, sock_getsockname, sock_getpeername,
  sock_adopt, sock_pair, sock_dup, sock_detach,
} from "../index";
import { SCR_OUT } from "../layout";
import * as table from "../sockets";
import { SCR_VAL, stage } from "../layout";
import { ERR_BASE, ARG_NONE, ARG_FLOAT, ARG_INT } from "../generated/contract";
import { RES, MEMORY_ERROR, err, ok, ok32, okList } from "./errors";
import { CABI_free } from "./memory";
import { COMP_cap_bit } from "./caps";
import { installPolicy } from "./policy";
import { lowerAddress, liftAddress, liftAddressOf, aFamily, aLen, aPort, aFlow, aScope } from "./address";

// ---------------------------------------------------------------- handles

/**
 * A handle is the table slot (bits 0..19) and the low 12 bits of its generation (20..31):
 * a handle kept after close() no longer matches its slot, whoever reuses it, and names
 * slot 0, the closed socket (fd -1: EBADF, as CPython's calls on a closed socket).
 */
const SLOT_MASK: u32 = 0xfffff;
@inline function handleOf(h: i32): u32 { return <u32>h | ((<u32>table.genOf(h) & 0xfff) << 20); }
@inline function slotOf(s: u32): i32 {
  const h = <i32>(s & SLOT_MASK);
  return table.valid(h) && (<u32>table.genOf(h) & 0xfff) == (s >>> 20) ? h : 0;
}

/**
 * The core reads its host's capability set at the first call (a start function may not call
 * imports); a host compiled in that has no way to be asked sets its defaults first
 * (component/wasi-p2-start.ts).
 */
let ready = false;
@inline function ensure(): void {
  if (!ready) {
    ready = true;
    if (isDefined(COMP_host_start)) COMP_host_start();
    core_init();
  }
}

/** result<_, error> from a core status. */
@inline function status(r: i32, fn: string): usize { return r < 0 ? err(r, fn) : ok(); }

/** A WIT f64 is Python's float: option<f64> as settimeout's argument kind. */
@inline function timeoutKind(some: i32): i32 { return some != 0 ? ARG_FLOAT : ARG_NONE; }

/** option<f64> (discriminant at 0, the value at 8) from seconds, negative meaning None. */
function optionSeconds(v: f64): usize {
  if (v < 0) { store<u8>(RES, 0); return RES; }
  store<u8>(RES, 1);
  store<f64>(RES, v, 8);
  return RES;
}

// ---------------------------------------------------------------- lifetime

export function sockets_socket(family: i32, type: i32, proto: i32): usize {
  ensure();
  const h = sock_new(family, type, proto);
  return h < 0 ? err(h, "socket") : ok32(<i32>handleOf(h));
}

/** close(): the slot is freed at once (a component has no finalizer to wait for). */
export function sockets_close(s: u32): usize {
  ensure();
  const h = slotOf(s);
  const r = sock_close(h);
  if (h != 0 && table.valid(h)) table.free(h);
  return r < 0 ? err(r, "close") : ok();
}

export function sockets_fileno(s: u32): i32 { return sock_fileno(slotOf(s)); }

/** socket(fileno=fd): the core reads what is not given from the fd, as CPython. */
export function sockets_adopt(fd: i32, family: i32, type: i32, proto: i32): usize {
  ensure();
  const h = sock_adopt(fd, family, type, proto);
  return h < 0 ? err(h, "socket") : ok32(<i32>handleOf(h));
}

/** socketpair(): result<tuple<handle, handle>>: the two handles at 4 and 8. */
export function sockets_socketpair(family: i32, type: i32, proto: i32): usize {
  ensure();
  const a = sock_pair(family, type, proto);
  if (a < 0) return err(a, "socketpair");
  store<u8>(RES, 0);
  store<u32>(RES, handleOf(a), 4);
  store<u32>(RES, handleOf(load<i32>(SCR_OUT + 12)), 8);
  return RES;
}

export function sockets_dup(s: u32): usize {
  ensure();
  const h = sock_dup(slotOf(s));
  return h < 0 ? err(h, "dup") : ok32(<i32>handleOf(h));
}

/** detach(): the fd stays open and is the caller's; the slot is freed, as close() frees it. */
export function sockets_detach(s: u32): i32 {
  ensure();
  const h = slotOf(s);
  const fd = sock_detach(h);
  if (h != 0 && table.valid(h)) table.free(h);
  return fd;
}

// ---------------------------------------------------------------- addresses and connections

export function sockets_bind(s: u32, tag: i32, a: i32, b: i32, c: i32, d: i32, e: i32): usize {
  ensure();
  const l = lowerAddress(tag, a, b, c, d, e);
  if (l < 0) return err(l, "bind");
  return status(sock_bind(slotOf(s), aFamily, aLen, aPort, aFlow, aScope), "bind");
}

export function sockets_connect(s: u32, tag: i32, a: i32, b: i32, c: i32, d: i32, e: i32): usize {
  ensure();
  const l = lowerAddress(tag, a, b, c, d, e);
  if (l < 0) return err(l, "connect");
  return status(sock_connect(slotOf(s), aFamily, aLen, aPort, aFlow, aScope, 0), "connect");
}

/** connect_ex(): an OS error is the result (its errno), the core's own errors still fail. */
export function sockets_connect_ex(s: u32, tag: i32, a: i32, b: i32, c: i32, d: i32, e: i32): usize {
  ensure();
  const l = lowerAddress(tag, a, b, c, d, e);
  if (l < 0) return err(l, "connect_ex");
  const r = sock_connect(slotOf(s), aFamily, aLen, aPort, aFlow, aScope, 1);
  if (r >= 0) return ok32(0);
  return r > -ERR_BASE ? ok32(-r) : err(r, "connect_ex");
}

export function sockets_listen(s: u32, some: i32, backlog: i32): usize {
  ensure();
  return status(sock_listen(slotOf(s), backlog, some), "listen");
}

/** accept(): result<accepted>: the handle at 4, the peer's address variant at 8. */
export function sockets_accept(s: u32): usize {
  ensure();
  const h = sock_accept(slotOf(s));
  if (h < 0) return err(h, "accept");
  store<u8>(RES, 0);
  store<u32>(RES, handleOf(h), 4);
  liftAddress(RES + 8);
  return RES;
}

export function sockets_getsockname(s: u32): usize {
  ensure();
  const n = sock_getsockname(slotOf(s));
  if (n < 0) return err(n, "getsockname");
  store<u8>(RES, 0);
  liftAddressOf(n, RES + 4);
  return RES;
}

export function sockets_getpeername(s: u32): usize {
  ensure();
  const n = sock_getpeername(slotOf(s));
  if (n < 0) return err(n, "getpeername");
  store<u8>(RES, 0);
  liftAddressOf(n, RES + 4);
  return RES;
}

export function sockets_shutdown(s: u32, how: i32): usize {
  ensure();
  return status(sock_shutdown(slotOf(s), how), "shutdown");
}

// ---------------------------------------------------------------- options

/** getsockopt int form: the core returns the value, or its error code less 2**32, as f64. */
export function sockets_getsockopt(s: u32, level: i32, opt: i32): usize {
  ensure();
  const v = sock_getsockopt_int(slotOf(s), level, opt);
  if (v < -2147483648.0) return err(<i32>(v + 4294967296.0), "getsockopt");
  return ok32(<i32>v);
}

/** getsockopt bytes form: the kernel's bytes are in SCR_VAL. */
export function sockets_getsockopt_bytes(s: u32, level: i32, opt: i32, buflen: i32): usize {
  ensure();
  const n = sock_getsockopt_buf(slotOf(s), level, opt, buflen);
  return n < 0 ? err(n, "getsockopt") : okList(SCR_VAL, n);
}

export function sockets_setsockopt(s: u32, level: i32, opt: i32, value: i32): usize {
  ensure();
  return status(sock_setsockopt_int(slotOf(s), level, opt, value), "setsockopt");
}

/** The value is already in core memory (the caller placed it): handed to the host as it is. */
export function sockets_setsockopt_bytes(s: u32, level: i32, opt: i32, p: usize, n: i32): usize {
  ensure();
  const r = sock_setsockopt_buf(slotOf(s), level, opt, p, n);
  CABI_free(p);
  return status(r, "setsockopt");
}

// ---------------------------------------------------------------- timeouts

export function sockets_settimeout(s: u32, some: i32, v: f64): usize {
  ensure();
  return status(sock_settimeout(slotOf(s), timeoutKind(some), v), "settimeout");
}
export function sockets_gettimeout(s: u32): usize { return optionSeconds(sock_gettimeout(slotOf(s))); }

/** setblocking(flag): settimeout(None) or settimeout(0), as socket.py. */
export function sockets_setblocking(s: u32, flag: i32): usize {
  ensure();
  return status(sock_settimeout(slotOf(s), flag != 0 ? ARG_NONE : ARG_INT, 0), "setblocking");
}
export function sockets_getblocking(s: u32): i32 { return sock_getblocking(slotOf(s)); }

export function sockets_setdefaulttimeout(some: i32, v: f64): usize {
  return status(core_setdefaulttimeout(timeoutKind(some), v), "setdefaulttimeout");
}
export function sockets_getdefaulttimeout(): usize { return optionSeconds(core_getdefaulttimeout()); }

// ---------------------------------------------------------------- data

/**
 * Where `bufsize` bytes are received: the core's staging area (reused by the next call). A
 * negative size goes to the core as it is (its ValueError comes before any buffer is needed);
 * a size no buffer can hold is MemoryError, as CPython's PyBytes_FromStringAndSize.
 */
function receiveArea(bufsize: i64): usize {
  return bufsize <= 0 ? SCR_VAL : stage(<f64>bufsize);
}

export function sockets_recv(s: u32, bufsize: i64, flags: i32): usize {
  ensure();
  const p = receiveArea(bufsize);
  if (p == 0) return err(-(ERR_BASE + MEMORY_ERROR), "recv");
  const n = sock_recv(slotOf(s), p, 0, <f64>bufsize, flags, 0);
  return n < 0 ? err(n, "recv") : okList(p, n);
}

/** recvfrom(): result<received>: data at 4, the sender's address variant at 12. */
export function sockets_recvfrom(s: u32, bufsize: i64, flags: i32): usize {
  ensure();
  const p = receiveArea(bufsize);
  if (p == 0) return err(-(ERR_BASE + MEMORY_ERROR), "recvfrom");
  const n = sock_recvfrom(slotOf(s), p, 0, <f64>bufsize, flags, 0);
  if (n < 0) return err(n, "recvfrom");
  store<u8>(RES, 0);
  store<usize>(RES, p, 4);
  store<i32>(RES, n, 8);
  liftAddress(RES + 12);
  return RES;
}

/** The data is already in core memory (the caller placed it): sent from there, then freed. */
export function sockets_send(s: u32, p: usize, n: i32, flags: i32): usize {
  ensure();
  const r = sock_send(slotOf(s), p, 0, <f64><u32>n, flags, 0);
  CABI_free(p);
  return r < 0 ? err(r, "send") : ok32(r);
}

export function sockets_sendall(s: u32, p: usize, n: i32, flags: i32): usize {
  ensure();
  const r = sock_sendall(slotOf(s), p, 0, <f64><u32>n, flags, 0);
  CABI_free(p);
  return r < 0 ? err(<i32>r, "sendall") : ok();
}

export function sockets_sendto(s: u32, p: usize, n: i32, flags: i32, tag: i32, a: i32, b: i32, c: i32, d: i32, e: i32): usize {
  ensure();
  let r = lowerAddress(tag, a, b, c, d, e);
  if (r >= 0) {
    const alen = addr_encode(aFamily, aLen, aPort, aFlow, aScope);
    r = alen < 0 ? alen : sock_sendto(slotOf(s), p, 0, <f64><u32>n, flags, alen, 0);
  }
  CABI_free(p);
  return r < 0 ? err(r, "sendto") : ok32(r);
}

// ---------------------------------------------------------------- capabilities

export function sockets_has_capability(p: usize, n: i32): i32 {
  ensure();
  const b = COMP_cap_bit(p, n);
  CABI_free(p);
  return b >= 0 ? core_has_cap(b) : 0;
}

// ---------------------------------------------------------------- policy (wasock:core/policy)

/** install(protocols, rules, options): the flattened lists are (pointer, count) pairs. */
export function policy_install(protocols: i32, rules: usize, nRules: i32, opts: usize, nOpts: i32): usize {
  ensure();
  return installPolicy(protocols, rules, nRules, opts, nOpts);
}
