// Lookups in netbase's /etc/services and /etc/protocols (generated/tables.ts), as glibc's files module
// does them: file order, service names compared exactly, protocol names ignoring case. The
// emulated network answers from them, and so does the WASI preview 2 host (wasi:sockets has no
// service database). A library folder (asconfig `lib` of both targets): its exports are globals,
// hence the NETBASE_ prefix.

import { NETBASE_SERVICES, NETBASE_PROTOCOLS } from "./generated/tables";

/**
 * ASCII case-insensitive equality of a string and n bytes at p (strcasecmp, as glibc's files
 * module compares; the emulated network's hosts table uses it too).
 */
export function NETBASE_sameName(s: string, p: usize, n: i32): bool {
  if (s.length != n) return false;
  for (let i = 0; i < n; i++) {
    let a = s.charCodeAt(i), b = <i32>load<u8>(p + i);
    if (a >= 65 && a <= 90) a += 32;
    if (b >= 65 && b <= 90) b += 32;
    if (a != b) return false;
  }
  return true;
}

function sameBytes(s: string, p: usize, n: i32): bool {
  if (s.length != n) return false;
  for (let i = 0; i < n; i++) if (s.charCodeAt(i) != <i32>load<u8>(p + i)) return false;
  return true;
}

/** A C string (an ASCII string's bytes) at p, if it fits before end; the end past its NUL, or 0. */
export function NETBASE_putStr(s: string, p: usize, end: usize): usize {
  const n = s.length;
  if (p + <usize>n + 1 > end) return 0;
  for (let i = 0; i < n; i++) store<u8>(p + i, <u8>s.charCodeAt(i));
  store<u8>(p + n, 0);
  return p + <usize>n + 1;
}

function protoMatches(f: string, proto: usize, plen: i32): bool { return proto == 0 || sameBytes(f, proto, plen); }

/** One services line, parsed once: its names (the official one first), port and protocol. */
class Service { constructor(public names: string[], public port: i32, public proto: string) {} }
let services: Service[] | null = null;
function table(): Service[] {
  let t = services;
  if (t === null) {
    t = [];
    for (let i = 0; i < NETBASE_SERVICES.length; i++) {
      const f = NETBASE_SERVICES[i].split(" ");
      const names = [f[0]];
      for (let j = 3; j < f.length; j++) names.push(f[j]);
      t.push(new Service(names, I32.parseInt(f[1]), f[2]));
    }
    services = t;
  }
  return t;
}

/** getservbyname(name, proto): the port, or -1. */
export function NETBASE_servByName(name: usize, len: i32, proto: usize, plen: i32): i32 {
  const t = table();
  for (let i = 0; i < t.length; i++) {
    const e = t[i];
    if (!protoMatches(e.proto, proto, plen)) continue;
    for (let j = 0; j < e.names.length; j++) if (sameBytes(e.names[j], name, len)) return e.port;
  }
  return -1;
}

/** getservbyport(port, proto): the name written at out (NUL-terminated); its length, or -1. */
export function NETBASE_servByPort(port: i32, proto: usize, plen: i32, out: usize, cap: i32): i32 {
  const t = table();
  for (let i = 0; i < t.length; i++) {
    const e = t[i];
    if (e.port != port || !protoMatches(e.proto, proto, plen)) continue;
    return NETBASE_putStr(e.names[0], out, out + <usize>cap) == 0 ? -1 : e.names[0].length;
  }
  return -1;
}

/** getprotobyname(name): the number, or -1 (names.json: 'TCP' is 6). */
export function NETBASE_protoByName(name: usize, len: i32): i32 {
  for (let i = 0; i < NETBASE_PROTOCOLS.length; i++) {
    const f = NETBASE_PROTOCOLS[i].split(" ");
    if (NETBASE_sameName(f[0], name, len)) return I32.parseInt(f[1]);
    for (let j = 2; j < f.length; j++) if (NETBASE_sameName(f[j], name, len)) return I32.parseInt(f[1]);
  }
  return -1;
}
