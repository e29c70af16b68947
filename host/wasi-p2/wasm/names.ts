// The name service on WASI preview 2 (bindings/host.ts's name_* imports): host names through
// wasi:sockets/ip-name-lookup (resolve-addresses, then resolve-next-address until none, waiting
// on the stream's pollable while it would block); services and protocols from netbase's tables
// compiled in (host/netbase) (wasi:sockets has no service database; the emulated network uses the same). What
// p2 cannot answer: reverse lookups (no such call: HOST_NOT_FOUND, so getnameinfo prints the
// number as glibc does for an address without a name) and the interface list (ENOSYS).

import * as p2 from "./abi/wasi";
import { RET } from "./abi/wasi";
import { net } from "./host";

const AF_INET: i32 = 2, AF_INET6: i32 = 10;
const AI_V4MAPPED: i32 = 8, AI_ALL: i32 = 0x10, AI_CANONNAME: i32 = 2;
const EAI_NONAME: i32 = -2, EAI_AGAIN: i32 = -3, EAI_FAIL: i32 = -4, EAI_MEMORY: i32 = -10;
const WOULD_BLOCK: i32 = 8, INVALID_ARGUMENT: i32 = 3, OUT_OF_MEMORY: i32 = 4,
  NAME_UNRESOLVABLE: i32 = 18, TEMPORARY_RESOLVER_FAILURE: i32 = 19;
const HOST_NOT_FOUND: i32 = 1, TRY_AGAIN: i32 = 2, NO_RECOVERY: i32 = 3;
const ENOSYS: i32 = 38;

/** Up to 64 addresses of a lookup: (family, 16 bytes) each. */
const FOUND: usize = memory.data(64 * 20, 8);
let found: i32 = 0;

/** The resolver's error-code as EAI_*. */
function eai(code: i32): i32 {
  if (code == NAME_UNRESOLVABLE || code == INVALID_ARGUMENT) return EAI_NONAME;
  if (code == TEMPORARY_RESOLVER_FAILURE) return EAI_AGAIN;
  if (code == OUT_OF_MEMORY) return EAI_MEMORY;
  return EAI_FAIL;
}

/** Resolves the n bytes at `name` into FOUND; 0 or the error-code + 1. */
function resolve(name: usize, n: i32): i32 {
  found = 0;
  // The canonical ABI takes the name as UTF-8 bytes here (componentEmbed's stringEncoding).
  p2.resolve_addresses(net(), name, n, RET);
  if (load<u8>(RET) != 0) return <i32>load<u8>(RET + 4) + 1;
  const h = load<i32>(RET + 4);
  let err = 0;
  for (;;) {
    p2.resolve_next_address(h, RET);
    if (load<u8>(RET) != 0) {
      const code = <i32>load<u8>(RET + 2);
      if (code == WOULD_BLOCK) {
        const p = p2.resolve_subscribe(h);
        p2.pollable_block(p);
        p2.pollable_drop(p);
        continue;
      }
      err = code + 1;
      break;
    }
    if (load<u8>(RET + 2) == 0) break;                  // none: the stream is done
    if (found >= 64) continue;
    const r = FOUND + <usize>found * 20;
    memory.fill(r, 0, 20);
    if (load<u8>(RET + 4) == 0) {
      store<i32>(r, AF_INET);
      memory.copy(r + 4, RET + 6, 4);
    } else {
      store<i32>(r, AF_INET6);
      for (let i = 0; i < 8; i++) store<u16>(r + 4 + 2 * i, bswap<u16>(load<u16>(RET + 6 + 2 * i)));
    }
    found++;
  }
  p2.resolve_stream_drop(h);
  return err;
}

export function HOST_name_addrinfo(name: usize, len: i32, family: i32, flags: i32, out: usize, cap: i32): i32 {
  const e = resolve(name, len);
  if (e != 0) return eai(e - 1);
  let haveV6 = false;
  for (let i = 0; i < found; i++) if (load<i32>(FOUND + <usize>i * 20) == AF_INET6) haveV6 = true;
  let n = 0;
  for (let i = 0; i < found; i++) {
    const a = FOUND + <usize>i * 20, f = load<i32>(a);
    const r = out + <usize>n * 20;
    if (<i32>((n + 1) * 20) + 256 > cap) break;
    if (family == 0 || family == f) { memory.copy(r, a, 20); n++; }
    else if (family == AF_INET6 && (flags & AI_V4MAPPED) && (!haveV6 || (flags & AI_ALL))) {
      memory.fill(r, 0, 20);
      store<i32>(r, AF_INET6);
      store<u16>(r + 4 + 10, 0xffff);
      memory.copy(r + 4 + 12, a + 4, 4);
      n++;
    }
  }
  if (n == 0) return EAI_NONAME;
  // p2 reports no canonical name: the name itself, as glibc does when the resolver gives none.
  if (flags & AI_CANONNAME) {
    const c = out + <usize>n * 20;
    const k = len < 255 ? len : 255;
    memory.copy(c, name, k);
    store<u8>(c + k, 0);
  }
  return n;
}

export function HOST_name_hostent(byAddr: i32, key: usize, len: i32, family: i32, out: usize, cap: i32): i32 {
  if (byAddr) return -HOST_NOT_FOUND;                  // p2 has no reverse lookup
  const e = resolve(key, len);
  if (e != 0) {
    const code = e - 1;
    return code == TEMPORARY_RESOLVER_FAILURE ? -TRY_AGAIN : code == NAME_UNRESOLVABLE || code == INVALID_ARGUMENT ? -HOST_NOT_FOUND : -NO_RECOVERY;
  }
  const size: usize = family == AF_INET ? 4 : 16;
  let p = out + 12, na = 0;
  const end = out + <usize>cap;
  for (let i = 0; i < found; i++) {
    const a = FOUND + <usize>i * 20;
    if (load<i32>(a) != family || p + size + <usize>len + 1 > end) continue;
    memory.copy(p, a + 4, size);
    p += size; na++;
  }
  if (na == 0) return -HOST_NOT_FOUND;
  // h_name: the name as asked (p2 gives no canonical name), no aliases.
  memory.copy(p, key, len);
  store<u8>(p + len, 0);
  store<i32>(out, family); store<i32>(out + 4, na); store<i32>(out + 8, 1);
  return <i32>(p + <usize>len + 1 - out);
}

export function HOST_name_servbyname(name: usize, len: i32, proto: usize, plen: i32): i32 { return NETBASE_servByName(name, len, proto, plen); }
export function HOST_name_servbyport(port: i32, proto: usize, plen: i32, out: usize, cap: i32): i32 { return NETBASE_servByPort(port, proto, plen, out, cap); }
export function HOST_name_protobyname(name: usize, len: i32): i32 { return NETBASE_protoByName(name, len); }
export function HOST_name_interfaces(_out: usize, _cap: i32): i32 { return -ENOSYS; }
