// Address encoding and decoding for AF_INET, AF_INET6 and AF_UNIX, as CPython's
// getsockaddrarg()/setipaddr()/makesockaddr() do it on Linux. Host strings arrive as bytes
// in SCR_STR; sockaddrs are built in (and read from) SCR_ADDR.

import { SCR_ADDR, SCR_STR, SCR_OUT } from "./layout";
import { resolveName } from "./names";
import { fail, E_PORT_RANGE, E_FLOWINFO_RANGE, E_UNIX_PATH_LONG, E_NAME_LOOKUP,
         E_BAD_FAMILY_ADDR, E_BROADCAST_FAMILY, E_ADDR_FAMILY_HOST } from "./errors";

export const AF_UNIX: i32 = 1;
export const AF_INET: i32 = 2;
export const AF_INET6: i32 = 10;

const SUN_PATH: i32 = 108;          // sizeof(sockaddr_un.sun_path)
const SUN_OFF: i32 = 2;             // offsetof(sockaddr_un, sun_path)

// ---------------------------------------------------------------- parsing (inet_pton)

/** glibc's inet_pton4: four decimal octets, no leading zeros, nothing else. */
export function parseIPv4(p: usize, end: usize, out: usize): bool {
  let sawDigit = false, octets = 0, cur: u32 = 0, w = out;
  while (p < end) {
    const ch = <u32>load<u8>(p++);
    if (ch >= 48 && ch <= 57) {
      const next = cur * 10 + (ch - 48);
      if (sawDigit && cur == 0) return false;   // "01" is not an octet for inet_pton
      if (next > 255) return false;
      cur = next;
      if (!sawDigit) { if (++octets > 4) return false; sawDigit = true; }
    } else if (ch == 46 && sawDigit) {
      if (octets == 4) return false;
      store<u8>(w++, <u8>cur); cur = 0; sawDigit = false;
    } else return false;
  }
  if (octets < 4) return false;
  store<u8>(w, <u8>cur);
  return true;
}

@inline function hexValue(ch: u32): i32 {
  if (ch >= 48 && ch <= 57) return <i32>(ch - 48);
  if (ch >= 97 && ch <= 102) return <i32>(ch - 87);
  if (ch >= 65 && ch <= 70) return <i32>(ch - 55);
  return -1;
}

/** glibc's inet_pton6, including the embedded dotted quad and "::" rules. */
export function parseIPv6(src: usize, end: usize, out: usize): bool {
  const tmp = SCR_OUT;             // 16 bytes of scratch (SCR_OUT is 32)
  memory.fill(tmp, 0, 16);
  let tp = tmp; const endp = tmp + 16; let colonp: usize = 0;
  if (src == end) return false;
  if (load<u8>(src) == 58) { src++; if (src == end || load<u8>(src) != 58) return false; }
  let curtok = src, seen = 0; let val: u32 = 0;
  while (src < end) {
    const ch = <u32>load<u8>(src++);
    const d = hexValue(ch);
    if (d >= 0) {
      if (seen == 4) return false;
      val = (val << 4) | <u32>d;
      if (val > 0xffff) return false;
      seen++;
      continue;
    }
    if (ch == 58) {
      curtok = src;
      if (seen == 0) { if (colonp) return false; colonp = tp; continue; }
      else if (src == end) return false;
      if (tp + 2 > endp) return false;
      store<u8>(tp++, <u8>(val >> 8)); store<u8>(tp++, <u8>val);
      seen = 0; val = 0;
      continue;
    }
    if (ch == 46 && tp + 4 <= endp && parseIPv4(curtok, end, tp)) { tp += 4; seen = 0; break; }
    return false;
  }
  if (seen > 0) {
    if (tp + 2 > endp) return false;
    store<u8>(tp++, <u8>(val >> 8)); store<u8>(tp++, <u8>val);
  }
  if (colonp) {
    if (tp == endp) return false;
    const n = tp - colonp;
    memory.copy(endp - n, colonp, n);
    memory.fill(colonp, 0, endp - n - colonp);
    tp = endp;
  }
  if (tp != endp) return false;
  memory.copy(out, tmp, 16);
  return true;
}

// ---------------------------------------------------------------- formatting (inet_ntop)

function putDec(p: usize, v: u32): usize {
  if (v >= 100) store<u8>(p++, <u8>(48 + v / 100));
  if (v >= 10) store<u8>(p++, <u8>(48 + (v / 10) % 10));
  store<u8>(p++, <u8>(48 + v % 10));
  return p;
}

export function putIPv4(p: usize, a: usize): usize {
  for (let i = 0; i < 4; i++) {
    if (i) store<u8>(p++, 46);
    p = putDec(p, <u32>load<u8>(a + i));
  }
  return p;
}

function putHex(p: usize, v: u32): usize {
  let started = false;
  for (let s = 12; s >= 0; s -= 4) {
    const d = (v >> <u32>s) & 15;
    if (d != 0 || started || s == 0) { store<u8>(p++, <u8>(d < 10 ? 48 + d : 87 + d)); started = true; }
  }
  return p;
}

/** glibc's inet_ntop6: longest run (>= 2) of zero words as "::", first on ties;
 *  "::ffff:a.b.c.d" and "::a.b.c.d" keep their dotted tail. */
export function putIPv6(p: usize, a: usize): usize {
  let bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
  for (let i = 0; i < 8; i++) {
    const w = (<u32>load<u8>(a + 2 * i) << 8) | load<u8>(a + 2 * i + 1);
    if (w == 0) { if (curBase == -1) { curBase = i; curLen = 1; } else curLen++; }
    else if (curBase != -1) {
      if (bestBase == -1 || curLen > bestLen) { bestBase = curBase; bestLen = curLen; }
      curBase = -1;
    }
  }
  if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) { bestBase = curBase; bestLen = curLen; }
  if (bestBase != -1 && bestLen < 2) bestBase = -1;
  for (let i = 0; i < 8; i++) {
    if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i == bestBase) store<u8>(p++, 58);
      continue;
    }
    if (i != 0) store<u8>(p++, 58);
    const w5 = (<u32>load<u8>(a + 10) << 8) | load<u8>(a + 11);
    if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w5 == 0xffff))) {
      return putIPv4(p, a + 12);
    }
    p = putHex(p, (<u32>load<u8>(a + 2 * i) << 8) | load<u8>(a + 2 * i + 1));
  }
  if (bestBase != -1 && bestBase + bestLen == 8) store<u8>(p++, 58);
  return p;
}

// ---------------------------------------------------------------- encoding

function isText(p: usize, n: i32, text: string): bool {
  if (n != text.length) return false;
  for (let i = 0; i < n; i++) if (<i32>load<u8>(p + i) != text.charCodeAt(i)) return false;
  return true;
}

/** isText, ASCII case-insensitively (/etc/hosts names match that way). */
function isTextNoCase(p: usize, n: i32, text: string): bool {
  if (n != text.length) return false;
  for (let i = 0; i < n; i++) {
    let ch = <i32>load<u8>(p + i);
    if (ch >= 65 && ch <= 90) ch += 32;
    if (ch != text.charCodeAt(i)) return false;
  }
  return true;
}

let atonEnd: usize = 0;

/** strtoul(p, &end, 0) from a digit: 0x-hex, 0-octal or decimal. Returns -1 past 32 bits. */
function strtoul0(p: usize, end: usize): i64 {
  let base: u64 = 10;
  if (load<u8>(p) == 48) {
    base = 8;
    if (p + 2 < end && (load<u8>(p + 1) | 32) == 120 && hexValue(<u32>load<u8>(p + 2)) >= 0) {
      base = 16;
      p += 2;
    }
  }
  let v: u64 = 0, over = false;
  while (p < end) {
    const d = hexValue(<u32>load<u8>(p));
    if (d < 0 || <u64>d >= base) break;
    if (!over) { v = v * base + <u64>d; if (v > 0xffffffff) over = true; }
    p++;
  }
  atonEnd = p;
  return over ? -1 : <i64>v;
}

/**
 * glibc's inet_aton_exact, which getaddrinfo tries first for a numeric host: one to four
 * parts, each decimal, 0-octal or 0x-hex, the last one filling the remaining bytes
 * ('127.1' is 127.0.0.1, '1.2.3' is 1.2.0.3, '4294967295' is 255.255.255.255); nothing
 * may follow, not even a space.
 */
export function parseIPv4Aton(p: usize, end: usize, out: usize): bool {
  let word: u32 = 0, parts = 0, val: i64 = 0;
  while (true) {
    if (p >= end) return false;
    const c = load<u8>(p);
    if (c < 48 || c > 57) return false;
    val = strtoul0(p, end);
    if (val < 0) return false;
    p = atonEnd;
    if (p < end && load<u8>(p) == 46) {
      if (parts > 2 || val > 0xff) return false;
      word |= <u32>val << <u32>(24 - 8 * parts);
      parts++;
      p++;
    } else break;
  }
  if (p != end) return false;
  const maxLast: i64 = parts == 0 ? 0xffffffff : parts == 1 ? 0xffffff : parts == 2 ? 0xffff : 0xff;
  if (val > maxLast) return false;
  store<u32>(out, bswap<u32>(word | <u32>val));
  return true;
}

/**
 * Resolves the host string in SCR_STR[0..n) for `family` into 4 or 16 bytes at `out`, as
 * CPython's setipaddr() does: '' is the wildcard address (getaddrinfo with AI_PASSIVE),
 * '<broadcast>' and '255.255.255.255' are INADDR_BROADCAST (AF_INET only), and everything
 * else goes to getaddrinfo(name, NULL, {ai_family = family}).
 *
 * Name resolution: the core answers what glibc's getaddrinfo answers without a lookup
 * (gaih_inet): inet_aton_exact first, then inet_pton6 with an optional '%scope'; a numeric
 * host of the other family is EAI_ADDRFAMILY (gaierror -9, pinned by
 * socket-api.json bind/inet-stream/host-::1 and bind/inet6-stream/host-127.0.0.1), except
 * that AF_INET takes the IPv4 address inside '::ffff:a.b.c.d'. 'localhost' is the loopback
 * address of the family (the test environment's /etc/hosts), and any other name is
 * EAI_NONAME (gaierror -2, as with no DNS). We decided this in the core rather than add a
 * host getaddrinfo import: every fixture case is numeric or a name that must fail, and the
 * answers then do not depend on the machine's resolver. A scope must be numeric: interface
 * names would need if_nametoindex on the host.
 */
export function resolveHost(family: i32, n: i32, out: usize): i32 {
  const p = SCR_STR;
  if (n == 0) { memory.fill(out, 0, family == AF_INET ? 4 : 16); return 0; }
  if (isText(p, n, "<broadcast>") || isText(p, n, "255.255.255.255")) {
    if (family != AF_INET) return fail(E_BROADCAST_FAMILY);
    store<u32>(out, 0xffffffff);
    return 0;
  }
  if (family == AF_INET) {
    if (parseIPv4Aton(p, p + n, out)) return 0;
  } else if (parseIPv4Aton(p, p + n, SCR_OUT + 16)) {
    return fail(E_ADDR_FAMILY_HOST);
  }
  let len = n;
  for (let i = 0; i < n; i++) if (load<u8>(p + i) == 37) { len = i; break; }
  // parseIPv6 leaves its result in SCR_OUT[0..16) as well as at its `out`.
  if (parseIPv6(p, p + len, family == AF_INET6 ? out : SCR_OUT)) {
    if (family == AF_INET) {
      const t = SCR_OUT;
      if (load<u64>(t) != 0 || load<u16>(t + 8) != 0 || load<u16>(t + 10) != 0xffff) {
        return fail(E_ADDR_FAMILY_HOST);
      }
      store<u32>(out, load<u32>(t + 12));
    }
    if (len < n) {
      // __inet6_scopeid_pton: a decimal number that fits 32 bits
      let v: u64 = 0;
      if (len + 1 == n) return fail(E_NAME_LOOKUP);
      for (let i = len + 1; i < n; i++) {
        const ch = <u32>load<u8>(p + i);
        if (ch < 48 || ch > 57) return fail(E_NAME_LOOKUP);
        v = v * 10 + <u64>(ch - 48);
        if (v > 0xffffffff) return fail(E_NAME_LOOKUP);
      }
    }
    return 0;
  }
  // A host with a name service resolves the rest (setipaddr's getaddrinfo step); without
  // one, 'localhost' and nothing else, as before the name service existed.
  const named = resolveName(family, p, n, out);
  if (named != -1) return named;
  if (isTextNoCase(p, n, "localhost")) {
    if (family == AF_INET) store<u32>(out, 0x0100007f);          // 127.0.0.1
    else { memory.fill(out, 0, 16); store<u8>(out + 15, 1); }    // ::1
    return 0;
  }
  return fail(E_NAME_LOOKUP);
}

/**
 * Builds the sockaddr for `family` in SCR_ADDR from the host text in SCR_STR[0..n) (or the
 * unix path there) and the numbers; returns its length or a negative error.
 */
export function encodeAddr(family: i32, n: i32, port: i32, flowinfo: u32, scope: u32): i32 {
  const a = SCR_ADDR;
  memory.fill(a, 0, 128);
  if (family == AF_UNIX) {
    const p = SCR_STR;
    store<u16>(a, <u16>AF_UNIX);
    if (n == 0 || load<u8>(p) == 0) {
      // Linux abstract namespace: no NUL terminator, and '' autobinds.
      if (n > SUN_PATH) return fail(E_UNIX_PATH_LONG);
      memory.copy(a + SUN_OFF, p, n);
      return n + SUN_OFF;
    }
    if (n >= SUN_PATH) return fail(E_UNIX_PATH_LONG);
    memory.copy(a + SUN_OFF, p, n);
    return n + SUN_OFF + 1;   // including the trailing NUL, as CPython passes it
  }
  // getsockaddrarg(): setipaddr() runs before the port and flowinfo range checks, so
  // ('::1', 70000) on AF_INET is gaierror -9, not OverflowError.
  if (family == AF_INET) {
    const r = resolveHost(family, n, a + 4);
    if (r < 0) return r;
    if (port < 0 || port > 0xffff) return fail(E_PORT_RANGE);
    store<u16>(a, <u16>AF_INET);
    store<u16>(a + 2, bswap<u16>(<u16>port));
    return 16;
  }
  if (family == AF_INET6) {
    const r = resolveHost(family, n, a + 8);
    if (r < 0) return r;
    if (port < 0 || port > 0xffff) return fail(E_PORT_RANGE);
    if (flowinfo > 0xfffff) return fail(E_FLOWINFO_RANGE);
    store<u16>(a, <u16>AF_INET6);
    store<u16>(a + 2, bswap<u16>(<u16>port));
    store<u32>(a + 4, bswap<u32>(flowinfo));
    store<u32>(a + 24, scope);
    return 28;
  }
  return fail(E_BAD_FAMILY_ADDR);
}

// ---------------------------------------------------------------- decoding

export const ADDR_NONE: i32 = 0;     // Python None (no address returned)
export const ADDR_INET: i32 = 1;     // (host, port)
export const ADDR_INET6: i32 = 2;    // (host, port, flowinfo, scope_id)
export const ADDR_UNIX: i32 = 3;     // str path
export const ADDR_UNIX_ABSTRACT: i32 = 4; // bytes (Linux abstract namespace)
export const ADDR_OTHER: i32 = 5;    // (family, bytes of sa_data)

/**
 * Decodes the sockaddr in SCR_ADDR (length `len`) as makesockaddr() does. Writes the text
 * or bytes to SCR_STR and returns the kind; SCR_OUT holds [length, port, flowinfo,
 * scope_id, family].
 */
export function decodeAddr(len: i32): i32 {
  const a = SCR_ADDR, out = SCR_OUT;
  if (len <= 0) { store<i32>(out, 0); return ADDR_NONE; }
  const family = <i32>load<u16>(a);
  store<i32>(out + 16, family);
  if (family == AF_INET) {
    const end = putIPv4(SCR_STR, a + 4);
    store<i32>(out, <i32>(end - SCR_STR));
    store<i32>(out + 4, <i32>bswap<u16>(load<u16>(a + 2)));
    return ADDR_INET;
  }
  if (family == AF_INET6) {
    const end = putIPv6(SCR_STR, a + 8);
    store<i32>(out, <i32>(end - SCR_STR));
    store<i32>(out + 4, <i32>bswap<u16>(load<u16>(a + 2)));
    store<u32>(out + 8, bswap<u32>(load<u32>(a + 4)));
    store<u32>(out + 12, load<u32>(a + 24));
    return ADDR_INET6;
  }
  if (family == AF_UNIX) {
    const n = len - SUN_OFF;
    if (n > 0 && load<u8>(a + SUN_OFF) == 0) {
      memory.copy(SCR_STR, a + SUN_OFF, n);
      store<i32>(out, n);
      return ADDR_UNIX_ABSTRACT;
    }
    // a regular NUL-terminated path (empty for an unbound socket)
    let k = 0;
    while (k < SUN_PATH && k < n && load<u8>(a + SUN_OFF + k) != 0) k++;
    memory.copy(SCR_STR, a + SUN_OFF, k);
    store<i32>(out, k);
    return ADDR_UNIX;
  }
  // Other families: (family, sa_data) with sa_data's 14 bytes, as CPython.
  memory.copy(SCR_STR, a + 2, 14);
  store<i32>(out, 14);
  return ADDR_OTHER;
}
