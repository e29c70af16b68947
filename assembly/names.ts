// The name service: getaddrinfo, getnameinfo, gethostbyname(_ex), gethostbyaddr,
// getservbyname/port, getprotobyname and the if_* functions, decided here as glibc 2.36 and
// CPython 3.11's socketmodule.c decide them (flags, families, socket types, numeric hosts and
// services, the order of results, the errors), with the host looking names up through the
// name_* imports (bindings/host.ts, capability name_lookup). What needs no lookup (numeric
// hosts and ports, NULL hosts, the NI_NUMERIC* forms) works on every host.
//
// src/names.ts writes the host text to nm_in(0) and a service or protocol text to nm_in(1);
// results are records (contract NAME_RECORD) in nm_out(), read back by src/names.ts.
// Errors: E_GAI / E_HERROR with glibc's EAI_* or h_errno in SCR_OUT[0]; -errno for EAI_SYSTEM.

import {
  host_name_addrinfo, host_name_hostent, host_name_servbyname, host_name_servbyport,
  host_name_protobyname, host_name_interfaces,
} from "./bindings/host";
import { hasCap, CAP_NAME_LOOKUP, E_NOT_AVAILABLE } from "./caps";
import { fail, E_GAI, E_HERROR, E_NAME_DENIED, E_NO_INTERFACE, E_SERVICE_NOT_FOUND, E_PORT_NOT_FOUND,
         E_PROTOCOL_NOT_FOUND, E_HOST_NUL, E_NAME_MULTIPLE, E_NAME_IPV4_TUPLE, E_NAME_WILDCARD } from "./errors";
import { SCR_OUT } from "./layout";
import { parseIPv4, parseIPv4Aton, parseIPv6, putIPv4, putIPv6, AF_INET, AF_INET6 } from "./address";
import { N_FAMILY, N_TYPE, N_PROTO, N_PORT, N_SCOPE, N_TEXTLEN, N_TEXT, NAME_RECORD_SIZE, NAME_RECORDS_MAX } from "./generated/contract";
import * as policy from "./policy";

const IN_SIZE: i32 = 1024;
/** Inputs: the host (or interface) text, and a service or protocol text. */
const NM_IN_HOST: usize = memory.data(IN_SIZE + 8, 16);
const NM_IN_SERV: usize = memory.data(IN_SIZE + 8, 16);
/** Results: NAME_RECORDS_MAX records (contract NAME_RECORD). */
const NM_OUT: usize = memory.data(<i32>NAME_RECORD_SIZE * NAME_RECORDS_MAX, 16);
/** What the host writes (name_* imports), and NUL-terminated copies of inputs for it. */
const HB_SIZE: i32 = 8192;
const NM_HB: usize = memory.data(HB_SIZE, 16);
const NM_KEY: usize = memory.data(IN_SIZE + 8, 16);
const NM_PROTO: usize = memory.data(16, 16);
/** An address (16 bytes) and its text, for numeric answers. */
const NM_ADDR: usize = memory.data(32, 16);

/** Where src/ writes inputs: 0 the host text, 1 the service or protocol text. */
export function nm_in(which: i32): usize { return which == 0 ? NM_IN_HOST : NM_IN_SERV; }
/** Where results are: records of NAME_RECORD_SIZE bytes. */
export function nm_out(): usize { return NM_OUT; }

// glibc's values.
const EAI_BADFLAGS: i32 = -1, EAI_NONAME: i32 = -2, EAI_FAMILY: i32 = -6, EAI_SOCKTYPE: i32 = -7,
  EAI_SERVICE: i32 = -8, EAI_ADDRFAMILY: i32 = -9, EAI_SYSTEM: i32 = -11;
const AI_PASSIVE: i32 = 1, AI_CANONNAME: i32 = 2, AI_NUMERICHOST: i32 = 4, AI_V4MAPPED: i32 = 8,
  AI_ALL: i32 = 0x10, AI_ADDRCONFIG: i32 = 0x20, AI_IDN: i32 = 0x40, AI_CANONIDN: i32 = 0x80,
  DEPRECATED_AI_IDN: i32 = 0x300, AI_NUMERICSERV: i32 = 0x400;
const NI_NUMERICHOST: i32 = 1, NI_NUMERICSERV: i32 = 2, NI_NOFQDN: i32 = 4, NI_NAMEREQD: i32 = 8,
  NI_DGRAM: i32 = 16, NI_IDN: i32 = 32, DEPRECATED_NI_IDN: i32 = 0xc0;
const ENXIO: i32 = 6;
const NO_RECOVERY: i32 = 3;

@inline function gai(eai: i32): i32 { store<i32>(SCR_OUT, eai); return fail(E_GAI); }
@inline function herr(h: i32): i32 { store<i32>(SCR_OUT, h); return fail(E_HERROR); }
@inline function noLookup(): i32 { return fail(E_NOT_AVAILABLE + CAP_NAME_LOOKUP); }

/** A host's EAI answer as the core's result (EAI_SYSTEM carries errno). */
function hostGai(r: i32): i32 {
  if (r == EAI_SYSTEM) { const e = load<i32>(NM_HB); return e > 0 ? -e : gai(r); }
  return gai(r);
}

// glibc's gaih_inet_typeproto table: socket type, protocol, flags, in the default set, name.
const TP_NOSERVICE: i32 = 1, TP_PROTOANY: i32 = 2;
const TP_COUNT: i32 = 7;
const TP_TYPE: StaticArray<i32> = [1, 2, 6, 2, 1, 5, 3];
const TP_PROTO: StaticArray<i32> = [6, 17, 33, 136, 132, 132, 0];
const TP_FLAGS: StaticArray<i32> = [0, 0, 0, 0, 0, 0, TP_PROTOANY | TP_NOSERVICE];
const TP_DEFAULT: StaticArray<bool> = [true, true, false, false, false, false, true];
const TP_NAME: StaticArray<string> = ["tcp", "udp", "dccp", "udplite", "sctp", "sctp", "raw"];

/** Writes an ASCII name to NM_PROTO NUL-terminated; returns its length. */
function putProto(name: string): i32 {
  for (let i = 0; i < name.length; i++) store<u8>(NM_PROTO + i, <u8>name.charCodeAt(i));
  store<u8>(NM_PROTO + name.length, 0);
  return name.length;
}

/** A NUL-terminated copy of `n` input bytes at NM_KEY (the host reads C strings). */
function key(src: usize, n: i32): usize {
  memory.copy(NM_KEY, src, n);
  store<u8>(NM_KEY + n, 0);
  return NM_KEY;
}

/** NUL inside the first n bytes (a C string would end there). */
function cLen(p: usize, n: i32): i32 {
  for (let i = 0; i < n; i++) if (load<u8>(p + i) == 0) return i;
  return n;
}

// ---------------------------------------------------------------- records

let count: i32 = 0;

function rec(i: i32): usize { return NM_OUT + <usize>i * NAME_RECORD_SIZE; }

/** Appends a record; the text is copied from `text` (`n` bytes, cut at 255). */
function push(family: i32, type: i32, proto: i32, port: i32, scope: u32, text: usize, n: i32): void {
  if (count >= NAME_RECORDS_MAX) return;
  const r = rec(count++);
  store<i32>(r + N_FAMILY, family); store<i32>(r + N_TYPE, type); store<i32>(r + N_PROTO, proto);
  store<i32>(r + N_PORT, port); store<u32>(r + N_SCOPE, scope);
  if (n > 255) n = 255;
  memory.copy(r + N_TEXT, text, n);
  store<i32>(r + N_TEXTLEN, n);
}

/** An address's text (4 or 16 bytes at a) into NM_ADDR + 16... as a record's text source. */
function addrText(family: i32, a: usize, into: usize): i32 {
  const end = family == AF_INET ? putIPv4(into, a) : putIPv6(into, a);
  return <i32>(end - into);
}
const TEXT_TMP: usize = memory.data(64, 16);

/** A C string at p (at most max bytes): its length. */
function strLen(p: usize, max: i32): i32 {
  let k = 0;
  while (k < max && load<u8>(p + k) != 0) k++;
  return k;
}

// ---------------------------------------------------------------- policy

/**
 * Under a policy, names resolve only to addresses some rule names (for any use and port: the
 * use is not known yet, and connect/bind/sendto still check theirs). A policy that allows no
 * internet protocol or names no internet address denies every lookup before the host is asked.
 */
@inline function lookupDenied(): bool { return policy.active && !policy.namesPossible(); }
@inline function addressDenied(family: i32, a: usize): bool { return policy.active && !policy.namesAddress(family, a); }

// ---------------------------------------------------------------- the host's answers

/**
 * The host's addresses for the name in NM_IN_HOST[0..n) (NUL-terminated copy at NM_KEY):
 * returns how many 20-byte records are at NM_HB (denied ones dropped), or an error.
 */
function lookup(n: i32, family: i32, flags: i32): i32 {
  if (!hasCap(CAP_NAME_LOOKUP)) return noLookup();
  if (lookupDenied()) return fail(E_NAME_DENIED);
  const r = host_name_addrinfo(key(NM_IN_HOST, n), n, family, flags, NM_HB, HB_SIZE);
  if (r < 0) return hostGai(r);
  if (!policy.active) return r;
  // Keep what the policy names, in the resolver's order; the canonical name moves with them.
  let kept = 0;
  for (let i = 0; i < r; i++) {
    const a = NM_HB + <usize>i * 20;
    if (addressDenied(load<i32>(a), a + 4)) continue;
    if (kept != i) memory.copy(NM_HB + <usize>kept * 20, a, 20);
    kept++;
  }
  if (kept == 0) return fail(E_NAME_DENIED);
  if (kept != r && (flags & AI_CANONNAME)) {
    const from = NM_HB + <usize>r * 20;
    memory.copy(NM_HB + <usize>kept * 20, from, strLen(from, HB_SIZE - r * 20) + 1);
  }
  return kept;
}

/**
 * setipaddr()'s name step for resolveHost (bind, connect, sendto, gethostbyname): the first
 * address of `family` for the name in SCR_STR[0..n), into `out`. -1 when this host has no
 * name service (resolveHost then keeps its own answer); else 0 or an error.
 */
export function resolveName(family: i32, src: usize, n: i32, out: usize): i32 {
  if (!hasCap(CAP_NAME_LOOKUP)) return -1;
  if (n > IN_SIZE) return gai(EAI_NONAME);
  memory.copy(NM_IN_HOST, src, n);
  const r = lookup(n, family, 0);
  if (r < 0) return r;
  const f = load<i32>(NM_HB);
  if (f != family) return gai(EAI_ADDRFAMILY);
  memory.copy(out, NM_HB + 4, family == AF_INET ? 4 : 16);
  return 0;
}

// ---------------------------------------------------------------- getaddrinfo

/** The numeric scope after '%' (glibc: an interface name for link-local, else a number). */
let scopeId: u32 = 0;

function scopeOf(p: usize, end: usize, a: usize): bool {
  scopeId = 0;
  if (p >= end) return false;
  const linkLocal = (load<u8>(a) == 0xfe && (load<u8>(a + 1) & 0xc0) == 0x80) ||
                    (load<u8>(a) == 0xff && (load<u8>(a + 1) & 0x0f) == 0x02);
  if (linkLocal && hasCap(CAP_NAME_LOOKUP)) {
    const idx = interfaceIndex(p, <i32>(end - p));
    if (idx > 0) { scopeId = <u32>idx; return true; }
  }
  let v: u64 = 0;
  for (let q = p; q < end; q++) {
    const ch = <u32>load<u8>(q);
    if (ch < 48 || ch > 57) return false;
    v = v * 10 + <u64>(ch - 48);
  }
  scopeId = <u32>v;    // strtoul, then (uint32_t)
  return true;
}

/**
 * getaddrinfo(host, service, family, type, proto, flags) as CPython calls glibc's: the host
 * text in nm_in(0) (hostLen -1: NULL), the service in nm_in(1) (servLen -1: NULL). Returns
 * the number of records (family, type, proto, port, scope, address text); when AI_CANONNAME
 * found a name, SCR_OUT[1] is 1 and the record after the last holds it.
 */
export function nm_getaddrinfo(hostLen: i32, servLen: i32, family: i32, type: i32, proto: i32, flags: i32): i32 {
  count = 0;
  store<i32>(SCR_OUT + 4, 0);
  if (hostLen > IN_SIZE) return gai(EAI_NONAME);
  if (servLen > IN_SIZE) return gai(EAI_SERVICE);
  // glibc reads C strings: the text ends at a NUL; "*" means NULL for either.
  if (hostLen >= 0) hostLen = cLen(NM_IN_HOST, hostLen);
  if (servLen >= 0) servLen = cLen(NM_IN_SERV, servLen);
  if (hostLen == 1 && load<u8>(NM_IN_HOST) == 42) hostLen = -1;
  if (servLen == 1 && load<u8>(NM_IN_SERV) == 42) servLen = -1;
  if (hostLen < 0 && servLen < 0) return gai(EAI_NONAME);
  if (flags & ~(AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_ADDRCONFIG | AI_V4MAPPED | AI_IDN |
                AI_CANONIDN | DEPRECATED_AI_IDN | AI_NUMERICSERV | AI_ALL)) return gai(EAI_BADFLAGS);
  if ((flags & AI_CANONNAME) && hostLen < 0) return gai(EAI_BADFLAGS);
  if (family != 0 && family != AF_INET && family != AF_INET6) return gai(EAI_FAMILY);

  // The service: strtoul over the whole text, else a name (num -1); "" is no service.
  let num: i32 = -2;                  // -2: no service
  if (servLen > 0) {
    let p = NM_IN_SERV; const end = NM_IN_SERV + servLen;
    while (p < end && isSpace(load<u8>(p))) p++;
    let neg = false;
    if (p < end && (load<u8>(p) == 43 || load<u8>(p) == 45)) { neg = load<u8>(p) == 45; p++; }
    let v: u64 = 0, digits = 0, over = false;
    while (p < end && load<u8>(p) >= 48 && load<u8>(p) <= 57) {
      const d = <u64>(load<u8>(p) - 48);
      if (!over && v > (0xffffffffffffffff - d) / 10) over = true;
      if (!over) v = v * 10 + d;
      p++; digits++;
    }
    if (over) v = 0xffffffffffffffff;           // strtoul saturates
    else if (neg) v = 0 - v;
    if (p != end || digits == 0) {
      if (flags & AI_NUMERICSERV) return gai(EAI_NONAME);
      num = -1;
    } else {
      num = <i32>v;                              // gaih_service.num is an int
      if (num < 0) num = -1;                     // a negative one is looked up by name
    }
  }

  // gaih_inet: the type/protocol entry the hints select.
  let tp = -1;
  if (proto != 0 || type != 0) {
    for (let i = 0; i < TP_COUNT; i++) {
      if (type != 0 && type != TP_TYPE[i]) continue;
      if (proto != 0 && (TP_FLAGS[i] & TP_PROTOANY) == 0 && proto != TP_PROTO[i]) continue;
      tp = i; break;
    }
    if (tp < 0) return gai(type != 0 ? EAI_SOCKTYPE : EAI_SERVICE);
  }
  // The (type, proto, port) tuples, in the table's order.
  const stType = SCR_TUPLES, stProto = SCR_TUPLES + 32, stPort = SCR_TUPLES + 64;
  let nst = 0;
  if (num != -2 && tp >= 0 && (TP_FLAGS[tp] & TP_NOSERVICE) != 0) return gai(EAI_SERVICE);
  if (num == -1) {
    if (!hasCap(CAP_NAME_LOOKUP)) return noLookup();
    const sn = key(NM_IN_SERV, servLen);
    if (tp >= 0) {
      const port = host_name_servbyname(sn, servLen, NM_PROTO, putProto(TP_NAME[tp]));
      if (port < 0) return gai(EAI_SERVICE);
      store<i32>(stType, TP_TYPE[tp]); store<i32>(stProto, TP_PROTO[tp]); store<i32>(stPort, port & 0xffff);
      nst = 1;
    } else {
      for (let i = 0; i < TP_COUNT; i++) {
        if (TP_FLAGS[i] & TP_NOSERVICE) continue;
        const port = host_name_servbyname(sn, servLen, NM_PROTO, putProto(TP_NAME[i]));
        if (port < 0) continue;
        store<i32>(stType + 4 * nst, TP_TYPE[i]); store<i32>(stProto + 4 * nst, TP_PROTO[i]);
        store<i32>(stPort + 4 * nst, port & 0xffff);
        nst++;
      }
      if (nst == 0) return gai(EAI_SERVICE);
    }
  } else {
    const port = num == -2 ? 0 : num & 0xffff;
    if (tp >= 0) {
      store<i32>(stType, TP_TYPE[tp]);
      store<i32>(stProto, (TP_FLAGS[tp] & TP_PROTOANY) ? proto : TP_PROTO[tp]);
      store<i32>(stPort, port);
      nst = 1;
    } else {
      for (let i = 0; i < TP_COUNT; i++) {
        if (!TP_DEFAULT[i]) continue;
        store<i32>(stType + 4 * nst, TP_TYPE[i]); store<i32>(stProto + 4 * nst, TP_PROTO[i]);
        store<i32>(stPort + 4 * nst, port);
        nst++;
      }
    }
  }

  // The addresses: 20-byte records (family, 16 bytes) at NM_HB, and their count.
  let naddr = 0;
  let canon: usize = 0, canonLen = 0;
  const a0 = NM_HB;
  memory.fill(NM_HB, 0, 40);
  store<u32>(SCR_TUPLES + 96, 0);
  if (hostLen < 0) {
    // No host: the loopback addresses, ::1 first; with AI_PASSIVE the wildcards, 0.0.0.0
    // first. glibc lists IPv6 first and its RFC 3484 sort reorders the wildcards (pinned by
    // names.json: getaddrinfo(None, 80, 0, SOCK_STREAM, 0, AI_PASSIVE)).
    const passive = (flags & AI_PASSIVE) != 0;
    for (let k = 0; k < 2; k++) {
      const f = (k == 0) != passive ? AF_INET6 : AF_INET;
      if (family != 0 && family != f) continue;
      const r = a0 + <usize>naddr * 20;
      store<i32>(r, f);
      if (!passive) { if (f == AF_INET6) store<u8>(r + 4 + 15, 1); else store<u32>(r + 4, 0x0100007f); }
      naddr++;
    }
  } else {
    const p = NM_IN_HOST, end = p + hostLen;
    let sc: u32 = 0;
    if (parseIPv4Aton(p, end, a0 + 4)) {
      if (family == 0 || family == AF_INET) store<i32>(a0, AF_INET);
      else if (family == AF_INET6 && (flags & AI_V4MAPPED)) {
        const v4 = load<u32>(a0 + 4);
        memory.fill(a0 + 4, 0, 16);
        store<u16>(a0 + 4 + 10, 0xffff); store<u32>(a0 + 4 + 12, v4);
        store<i32>(a0, AF_INET6);
      } else return gai(EAI_ADDRFAMILY);
      naddr = 1;
    } else {
      let len = hostLen;
      for (let i = 0; i < hostLen; i++) if (load<u8>(p + i) == 37) { len = i; break; }
      if (parseIPv6(p, p + len, a0 + 4)) {
        if (family == 0 || family == AF_INET6) store<i32>(a0, AF_INET6);
        else if (load<u64>(a0 + 4) == 0 && load<u16>(a0 + 12) == 0 && load<u16>(a0 + 14) == 0xffff) {
          store<u32>(a0 + 4, load<u32>(a0 + 16));
          store<i32>(a0, AF_INET);
        } else return gai(EAI_ADDRFAMILY);
        if (len < hostLen) {
          if (!scopeOf(p + len + 1, end, a0 + 4)) return gai(EAI_NONAME);
          sc = scopeId;
        }
        naddr = 1;
      }
    }
    if (naddr == 1) {
      store<u32>(SCR_TUPLES + 96, sc);
      if (flags & AI_CANONNAME) { canon = p; canonLen = hostLen; }
    } else {
      if (flags & AI_NUMERICHOST) return gai(EAI_NONAME);
      const r = lookup(hostLen, family, flags & (AI_CANONNAME | AI_V4MAPPED | AI_ALL | AI_ADDRCONFIG));
      if (r < 0) return r;
      naddr = r > 32 ? 32 : r;
      if (flags & AI_CANONNAME) {
        canon = NM_HB + <usize>r * 20;
        canonLen = strLen(canon, HB_SIZE - r * 20);
      }
      store<u32>(SCR_TUPLES + 96, 0);
    }
  }
  const scope = load<u32>(SCR_TUPLES + 96);
  for (let i = 0; i < naddr; i++) {
    const a = NM_HB + <usize>i * 20;
    const f = load<i32>(a);
    const tn = addrText(f, a + 4, TEXT_TMP);
    for (let j = 0; j < nst; j++) {
      push(f, load<i32>(stType + 4 * j), load<i32>(stProto + 4 * j), load<i32>(stPort + 4 * j),
           f == AF_INET6 ? scope : 0, TEXT_TMP, tn);
    }
  }
  const n = count;
  if (canon != 0 && n < NAME_RECORDS_MAX) {
    // The canonical name goes to the first result only (glibc), so src/ reads it apart.
    push(0, 0, 0, 0, 0, canon, canonLen);
    count = n;
    store<i32>(SCR_OUT + 4, 1);
  }
  return n;
}
/** Scratch for getaddrinfo's (type, proto, port) tuples (8 of each) and the scope. */
const SCR_TUPLES: usize = memory.data(112, 16);

@inline function isSpace(c: u8): bool { return c == 32 || (c >= 9 && c <= 13); }

// ---------------------------------------------------------------- hostent

/** Copies a hostent the host wrote at NM_HB into records: names first (official, aliases), then addresses. Returns the name count in SCR_OUT[1]. */
function hostentRecords(): i32 {
  const family = load<i32>(NM_HB), na = load<i32>(NM_HB + 4), nn = load<i32>(NM_HB + 8);
  const size: usize = family == AF_INET ? 4 : 16;
  let p = NM_HB + 12 + <usize>na * size;
  const end = NM_HB + <usize>HB_SIZE;
  let names = 0;
  for (let i = 0; i < nn && p < end; i++) {
    const k = strLen(p, <i32>(end - p));
    push(0, 0, 0, 0, 0, p, k);
    names++;
    p += <usize>k + 1;
  }
  for (let i = 0; i < na; i++) {
    const a = NM_HB + 12 + <usize>i * size;
    push(family, 0, 0, 0, 0, TEXT_TMP, addrText(family, a, TEXT_TMP));
  }
  store<i32>(SCR_OUT + 4, names);
  return count;
}

/**
 * setipaddr(name, family) into NM_ADDR (4 or 16 bytes), for gethostbyname(_ex) and
 * gethostbyaddr: '' is the wildcard, '<broadcast>' INADDR_BROADCAST, an inet_pton address
 * as it is, else the first address the name service gives. Returns the family, or an error.
 */
function setipaddr(n: i32, family: i32): i32 {
  const p = NM_IN_HOST;
  if (cLen(p, n) != n) return fail(E_HOST_NUL);
  memory.fill(NM_ADDR, 0, 16);
  // '': getaddrinfo(NULL, "0", AI_PASSIVE); of no family it gives two (CPython's error).
  if (n == 0) return family == 0 ? fail(E_NAME_WILDCARD) : family;
  if (n == 11 && isBroadcast(p)) {
    if (family != AF_INET && family != 0) return gai(EAI_ADDRFAMILY);
    store<u32>(NM_ADDR, 0xffffffff);
    return AF_INET;
  }
  if ((family == 0 || family == AF_INET) && parseIPv4(p, p + n, NM_ADDR)) return AF_INET;
  let hasPercent = false;
  for (let i = 0; i < n; i++) if (load<u8>(p + i) == 37) hasPercent = true;
  if ((family == 0 || family == AF_INET6) && !hasPercent && parseIPv6(p, p + n, NM_ADDR)) return AF_INET6;
  // getaddrinfo(name, NULL, {family}): the numeric forms glibc accepts beyond inet_pton, then a lookup.
  const r = nm_getaddrinfo(n, -1, family, 0, 0, 0);
  if (r < 0) return r;
  const f = load<i32>(NM_HB);
  memory.copy(NM_ADDR, NM_HB + 4, f == AF_INET ? 4 : 16);
  count = 0;
  return f;
}

function isBroadcast(p: usize): bool {
  const s = "<broadcast>";
  for (let i = 0; i < 11; i++) if (<i32>load<u8>(p + i) != s.charCodeAt(i)) return false;
  return true;
}

/** gethostbyname(host): setipaddr(host, AF_INET); one record, the address. */
export function nm_gethostbyname(n: i32): i32 {
  count = 0;
  const f = setipaddr(n, AF_INET);
  if (f < 0) return f;
  push(AF_INET, 0, 0, 0, 0, TEXT_TMP, addrText(AF_INET, NM_ADDR, TEXT_TMP));
  return 1;
}

/**
 * gethostbyname_ex(host): setipaddr(host, AF_INET), then gethostbyname_r(host): records of
 * the names (SCR_OUT[1] of them: the official one, then aliases), then the addresses.
 */
export function nm_gethostbyname_ex(n: i32): i32 {
  count = 0;
  const f = setipaddr(n, AF_INET);
  if (f < 0) return f;
  const p = NM_IN_HOST;
  // glibc's gethostbyname_r answers a dotted number itself (__nss_hostname_digits_dots):
  // the name as given, no aliases, its address.
  if (digitsDots(p, n) && parseIPv4Aton(p, p + n, NM_ADDR + 16)) {
    push(0, 0, 0, 0, 0, p, n);
    push(AF_INET, 0, 0, 0, 0, TEXT_TMP, addrText(AF_INET, NM_ADDR + 16, TEXT_TMP));
    store<i32>(SCR_OUT + 4, 1);
    return 2;
  }
  if (!hasCap(CAP_NAME_LOOKUP)) return noLookup();
  if (n == 0) return herr(NO_RECOVERY);        // glibc's gethostbyname_r(""): NO_RECOVERY
  if (lookupDenied()) return fail(E_NAME_DENIED);
  const r = host_name_hostent(0, key(p, n), n, AF_INET, NM_HB, HB_SIZE);
  if (r < 0) return herr(-r);
  if (policy.active) {
    // Only the addresses the policy names (gethostbyname's own step already got one).
    filterHostent();
    if (load<i32>(NM_HB + 4) == 0) return fail(E_NAME_DENIED);
  }
  return hostentRecords();
}

function digitsDots(p: usize, n: i32): bool {
  if (n == 0) return false;
  for (let i = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (!(c == 46 || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

/** Drops the addresses of the hostent at NM_HB the policy names no rule for (names stay). */
function filterHostent(): void {
  const family = load<i32>(NM_HB), na = load<i32>(NM_HB + 4), nn = load<i32>(NM_HB + 8);
  const size: usize = family == AF_INET ? 4 : 16;
  const base = NM_HB + 12;
  let kept = 0;
  for (let i = 0; i < na; i++) {
    const a = base + <usize>i * size;
    if (addressDenied(family, a)) continue;
    if (kept != i) memory.copy(base + <usize>kept * size, a, size);
    kept++;
  }
  if (kept == na) return;
  const from = base + <usize>na * size, to = base + <usize>kept * size;
  memory.copy(to, from, <usize>HB_SIZE - (from - NM_HB));
  store<i32>(NM_HB + 4, kept);
  store<i32>(NM_HB + 8, nn);
}

/**
 * gethostbyaddr(ip): setipaddr(ip, AF_UNSPEC) (a name resolves first), then
 * gethostbyaddr_r: records as gethostbyname_ex's. herror(1, 'Unknown host') when no name.
 */
export function nm_gethostbyaddr(n: i32): i32 {
  count = 0;
  const f = setipaddr(n, 0);
  if (f < 0) return f;
  if (!hasCap(CAP_NAME_LOOKUP)) return noLookup();
  if (addressDenied(f, NM_ADDR)) return fail(E_NAME_DENIED);
  const r = host_name_hostent(1, NM_ADDR, f == AF_INET ? 4 : 16, f, NM_HB, HB_SIZE);
  if (r < 0) return herr(-r);
  return hostentRecords();
}

// ---------------------------------------------------------------- getnameinfo

/**
 * getnameinfo((host, port[, flowinfo, scope_id]), flags), CPython's steps: the host must be
 * numeric (getaddrinfo with AI_NUMERICHOST, SOCK_DGRAM; the port as "%d"), IPv4 takes a
 * 2-tuple only; then glibc's getnameinfo. `tupleLen` is the sockaddr tuple's length. Two
 * records: the host text and the service text.
 */
export function nm_getnameinfo(n: i32, servLen: i32, tupleLen: i32, flowinfo: u32, scope: u32, flags: i32): i32 {
  const r = nm_getaddrinfo(n, servLen, 0, 2 /* SOCK_DGRAM */, 0, AI_NUMERICHOST);
  if (r < 0) return r;
  if (r > 1) { count = 0; return fail(E_NAME_MULTIPLE); }
  const family = load<i32>(NM_HB);
  const port = load<i32>(rec(0) + N_PORT);
  count = 0;
  if (family == AF_INET && tupleLen != 2) return fail(E_NAME_IPV4_TUPLE);
  if (family == AF_INET6) { /* flowinfo is carried, not printed */ }
  if (flags & ~(NI_NUMERICHOST | NI_NUMERICSERV | NI_NOFQDN | NI_NAMEREQD | NI_DGRAM | NI_IDN | DEPRECATED_NI_IDN)) {
    return gai(EAI_BADFLAGS);
  }
  const a = NM_HB + 4;
  // The host: a name from the reverse lookup, else (unless NI_NAMEREQD) the number.
  let named = false;
  if (!(flags & NI_NUMERICHOST)) {
    if (!hasCap(CAP_NAME_LOOKUP)) return noLookup();
    if (addressDenied(family, a)) return fail(E_NAME_DENIED);
    memory.copy(NM_ADDR, a, 16);
    const h = host_name_hostent(1, NM_ADDR, family == AF_INET ? 4 : 16, family, NM_HB, HB_SIZE);
    if (h >= 0) {
      const na = load<i32>(NM_HB + 4);
      const p = NM_HB + 12 + <usize>na * (family == AF_INET ? 4 : 16);
      let k = strLen(p, HB_SIZE - <i32>(p - NM_HB));
      if (flags & NI_NOFQDN) {
        // glibc strips the domain only when it is the machine's own; this core knows none.
      }
      push(0, 0, 0, 0, 0, p, k);
      named = true;
    } else if (flags & NI_NAMEREQD) return gai(EAI_NONAME);
    memory.copy(a, NM_ADDR, 16);
  }
  if (!named) {
    let k = addrText(family, a, TEXT_TMP);
    if (family == AF_INET6 && scope != 0) {
      // glibc names the interface of a link-local (or link-local multicast) scope when it has
      // one; any other scope, or an index no interface has, is the number.
      store<u8>(TEXT_TMP + k++, 37);
      const ll = (load<u8>(a) == 0xfe && (load<u8>(a + 1) & 0xc0) == 0x80) || (load<u8>(a) == 0xff && (load<u8>(a + 1) & 0x0f) == 0x02);
      const named = ll && hasCap(CAP_NAME_LOOKUP) ? interfaceName(scope, TEXT_TMP + k, 64 - k) : -1;
      k = named >= 0 ? k + named : <i32>(putU32(TEXT_TMP + k, scope) - TEXT_TMP);
    }
    push(0, 0, 0, 0, 0, TEXT_TMP, k);
  }
  // The service: its name for the port (udp with NI_DGRAM, else tcp), else the number.
  if (!(flags & NI_NUMERICSERV)) {
    if (!hasCap(CAP_NAME_LOOKUP)) { count = 0; return noLookup(); }
    const plen = putProto((flags & NI_DGRAM) ? "udp" : "tcp");
    const k = host_name_servbyport(port, NM_PROTO, plen, NM_HB, 256);
    if (k >= 0) { push(0, 0, 0, 0, 0, NM_HB, k); return count; }
  }
  const end = putU32(TEXT_TMP, <u32>port);
  push(0, 0, 0, 0, 0, TEXT_TMP, <i32>(end - TEXT_TMP));
  return count;
}

function putU32(p: usize, v: u32): usize {
  const start = p;
  do { store<u8>(p++, <u8>(48 + v % 10)); v /= 10; } while (v != 0);
  // reverse
  let i = start, j = p - 1;
  while (i < j) { const t = load<u8>(i); store<u8>(i, load<u8>(j)); store<u8>(j, t); i++; j--; }
  return p;
}

// ---------------------------------------------------------------- services, protocols

/** getservbyname(name, proto): the port; proto text in nm_in(1) (plen -1: None). */
export function nm_getservbyname(n: i32, plen: i32): i32 {
  if (!hasCap(CAP_NAME_LOOKUP)) return noLookup();
  const pp: usize = plen < 0 ? 0 : NM_PROTO_IN;
  if (plen >= 0) { memory.copy(NM_PROTO_IN, NM_IN_SERV, plen); store<u8>(NM_PROTO_IN + plen, 0); }
  const r = host_name_servbyname(key(NM_IN_HOST, n), n, pp, plen < 0 ? 0 : plen);
  return r < 0 ? fail(E_SERVICE_NOT_FOUND) : r;
}
const NM_PROTO_IN: usize = memory.data(IN_SIZE + 8, 16);

/** getservbyport(port, proto): one record, the name; the port is already 0..65535. */
export function nm_getservbyport(port: i32, plen: i32): i32 {
  count = 0;
  if (!hasCap(CAP_NAME_LOOKUP)) return noLookup();
  const pp: usize = plen < 0 ? 0 : NM_PROTO_IN;
  if (plen >= 0) { memory.copy(NM_PROTO_IN, NM_IN_SERV, plen); store<u8>(NM_PROTO_IN + plen, 0); }
  const k = host_name_servbyport(port, pp, plen < 0 ? 0 : plen, NM_HB, 256);
  if (k < 0) return fail(E_PORT_NOT_FOUND);
  push(0, 0, 0, 0, 0, NM_HB, k);
  return 1;
}

/** getprotobyname(name): the number. */
export function nm_getprotobyname(n: i32): i32 {
  if (!hasCap(CAP_NAME_LOOKUP)) return noLookup();
  const r = host_name_protobyname(key(NM_IN_HOST, n), n);
  return r < 0 ? fail(E_PROTOCOL_NOT_FOUND) : r;
}

// ---------------------------------------------------------------- interfaces

/** if_nameindex(): one record per interface (N_PORT is the index, the text its name). */
export function nm_if_nameindex(): i32 {
  count = 0;
  if (!hasCap(CAP_NAME_LOOKUP)) return noLookup();
  const r = host_name_interfaces(NM_HB, HB_SIZE);
  if (r < 0) return r;
  let p = NM_HB;
  const end = NM_HB + <usize>HB_SIZE;
  for (let i = 0; i < r && p + 4 < end; i++) {
    const idx = load<i32>(p);
    const k = strLen(p + 4, <i32>(end - p - 4));
    push(0, 0, 0, idx, 0, p + 4, k);
    p += 4 + <usize>k + 1;
  }
  return count;
}

/** Where interface lists go when getaddrinfo's scope needs one (NM_HB holds its addresses). */
const NM_IF: usize = memory.data(4096, 16);

/** The index of the interface named by p[0..n), or 0. */
function interfaceIndex(p: usize, n: i32): i32 {
  memory.copy(NM_KEY, p, n);
  const r = host_name_interfaces(NM_IF, 4096);
  if (r < 0) return 0;
  let q = NM_IF;
  const end = NM_IF + 4096;
  for (let i = 0; i < r && q + 4 < end; i++) {
    const k = strLen(q + 4, <i32>(end - q - 4));
    if (k == n && sameBytes(q + 4, NM_KEY, n)) return load<i32>(q);
    q += 4 + <usize>k + 1;
  }
  return 0;
}

/** The name of interface `index` copied to `out` (at most cap bytes); its length, or -1. */
function interfaceName(index: u32, out: usize, cap: i32): i32 {
  const r = host_name_interfaces(NM_IF, 4096);
  if (r < 0) return -1;
  let q = NM_IF;
  const end = NM_IF + 4096;
  for (let i = 0; i < r && q + 4 < end; i++) {
    const k = strLen(q + 4, <i32>(end - q - 4));
    if (load<u32>(q) == index) {
      if (k > cap) return -1;
      memory.copy(out, q + 4, k);
      return k;
    }
    q += 4 + <usize>k + 1;
  }
  return -1;
}

function sameBytes(a: usize, b: usize, n: i32): bool {
  for (let i = 0; i < n; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

/** if_nametoindex(name): the index; OSError('no interface with this name') when none. */
export function nm_if_nametoindex(n: i32): i32 {
  if (!hasCap(CAP_NAME_LOOKUP)) return noLookup();
  // if_nametoindex copies at most IFNAMSIZ bytes; a longer name names no interface.
  const k = cLen(NM_IN_HOST, n);
  if (k >= 16) return fail(E_NO_INTERFACE);
  const r = interfaceIndex(NM_IN_HOST, k);
  return r > 0 ? r : fail(E_NO_INTERFACE);
}

/** if_indextoname(index): one record, the name; ENXIO when no interface has that index. */
export function nm_if_indextoname(index: u32): i32 {
  count = 0;
  if (!hasCap(CAP_NAME_LOOKUP)) return noLookup();
  const r = host_name_interfaces(NM_HB, HB_SIZE);
  if (r < 0) return r;
  let q = NM_HB;
  const end = NM_HB + <usize>HB_SIZE;
  for (let i = 0; i < r && q + 4 < end; i++) {
    const k = strLen(q + 4, <i32>(end - q - 4));
    if (load<u32>(q) == index) { push(0, 0, 0, <i32>index, 0, q + 4, k); return 1; }
    q += 4 + <usize>k + 1;
  }
  return -ENXIO;
}
