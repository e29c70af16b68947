// The emulated network's name service (bindings/host.ts's name_* imports): a hosts table of
// its own — Debian's default /etc/hosts lines for localhost, then the embedder's `hosts` and
// the names of its machines (EMU_add_host) — searched as glibc's files module searches
// /etc/hosts; the services and protocols of netbase's /etc/services and /etc/protocols
// (host/netbase); and the interfaces a machine has: lo, and eth0 once it has an
// address besides loopback. No DNS: a name not in the table is EAI_NONAME / HOST_NOT_FOUND.


import { current, firstAddress } from "./kernel/net";
import { countHostCall } from "./host";

const AF_INET: i32 = 2, AF_INET6: i32 = 10;
const EAI_NONAME: i32 = -2;
const AI_CANONNAME: i32 = 2, AI_V4MAPPED: i32 = 8, AI_ALL: i32 = 0x10;
const HOST_NOT_FOUND: i32 = 1;

/** One hosts line: an address (IPv4 in the first 4 bytes) and its names, the official one first. */
class HostLine {
  constructor(public family: i32, public hi: u64, public lo: u64, public names: string[]) {}
}

const lines: HostLine[] = [];

function v4(a: u32): HostLine { return new HostLine(AF_INET, <u64>a, 0, []); }

function defaults(): void {
  // Debian's /etc/hosts as the netbase package writes it (the localhost lines).
  const l4 = v4(0x0100007f); l4.names = ["localhost"]; lines.push(l4);
  lines.push(new HostLine(AF_INET6, 0, 0x0100000000000000, ["localhost", "ip6-localhost", "ip6-loopback"]));
}
defaults();

/** A hosts line "<address in sockaddr sa> <name in p[0..n)>" after the others (network({ hosts }), machine names). */
export function EMU_add_host(p: usize, n: i32, sa: usize): void {
  const family = <i32>load<u16>(sa);
  const name = String.UTF8.decodeUnsafe(p, n);
  if (family == AF_INET) lines.push(new HostLine(AF_INET, <u64>load<u32>(sa + 4), 0, [name]));
  else if (family == AF_INET6) lines.push(new HostLine(AF_INET6, load<u64>(sa + 8), load<u64>(sa + 16), [name]));
}

// ---------------------------------------------------------------- matching

// Names compare and are written out as netbase's are (NETBASE_*: host/netbase, a library of
// this target).

function named(l: HostLine, p: usize, n: i32): bool {
  for (let i = 0; i < l.names.length; i++) if (NETBASE_sameName(l.names[i], p, n)) return true;
  return false;
}

/** Writes a line's address (4 or 16 bytes; `mapped`: IPv4 as ::ffff:a.b.c.d) at dst. */
function putAddr(l: HostLine, dst: usize, mapped: bool): void {
  if (l.family == AF_INET6) { store<u64>(dst, l.hi); store<u64>(dst + 8, l.lo); return; }
  if (!mapped) { store<u32>(dst, <u32>l.hi); return; }
  store<u64>(dst, 0); store<u32>(dst + 8, 0xffff0000); store<u32>(dst + 12, <u32>l.hi);
}

/**
 * RFC 6724's precedence of a destination (its rule 6, the one that orders a hosts file's
 * answers on a machine whose sources reach them all): ::1 50, IPv6 40, IPv4 35, 6to4 30,
 * Teredo 5, ULA 3, site-local and the rest 1. glibc sorts getaddrinfo's answers by it.
 */
function precedence(l: HostLine): i32 {
  if (l.family == AF_INET) return 35;
  const b0 = <u32>(l.hi & 0xff), b1 = <u32>((l.hi >> 8) & 0xff);
  if (l.hi == 0 && l.lo == 0x0100000000000000) return 50;
  if (b0 == 0x20 && b1 == 0x02) return 30;
  if (b0 == 0x20 && b1 == 0x01 && (l.hi & 0xffff0000) == 0) return 5;
  if ((b0 & 0xfe) == 0xfc) return 3;
  if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) return 1;
  return 40;
}

// ---------------------------------------------------------------- HOST_name_*

export function HOST_name_addrinfo(name: usize, len: i32, family: i32, flags: i32, out: usize, cap: i32): i32 {
  countHostCall();
  const found: HostLine[] = [];
  let haveV6 = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!named(l, name, len)) continue;
    if (l.family == AF_INET6) haveV6 = true;
    found.push(l);
  }
  const pick: HostLine[] = [];
  const mapped: bool[] = [];
  for (let i = 0; i < found.length; i++) {
    const l = found[i];
    if (family == 0 || family == l.family) { pick.push(l); mapped.push(false); }
    else if (family == AF_INET6 && (flags & AI_V4MAPPED) && (!haveV6 || (flags & AI_ALL))) { pick.push(l); mapped.push(true); }
  }
  if (pick.length == 0) return EAI_NONAME;
  // A stable sort by precedence, highest first.
  const order: i32[] = [];
  for (let i = 0; i < pick.length; i++) order.push(i);
  for (let i = 1; i < order.length; i++) {
    const k = order[i]; const pk = mapped[k] ? 35 : precedence(pick[k]);
    let j = i - 1;
    while (j >= 0 && (mapped[order[j]] ? 35 : precedence(pick[order[j]])) < pk) { order[j + 1] = order[j]; j--; }
    order[j + 1] = k;
  }
  const end = out + <usize>cap;
  let n = 0;
  for (let i = 0; i < order.length; i++) {
    const r = out + <usize>n * 20;
    if (r + 20 + 256 > end) break;
    const l = pick[order[i]];
    const m = mapped[order[i]];
    store<i32>(r, m ? AF_INET6 : l.family);
    memory.fill(r + 4, 0, 16);
    putAddr(l, r + 4, m);
    n++;
  }
  // The canonical name: the official name of the first line that matched (glibc's h_name).
  if (flags & AI_CANONNAME) NETBASE_putStr(found[0].names[0], out + <usize>n * 20, end);
  return n;
}

export function HOST_name_hostent(byAddr: i32, key: usize, len: i32, family: i32, out: usize, cap: i32): i32 {
  countHostCall();
  const end = out + <usize>cap;
  const match: HostLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.family != family) continue;
    if (byAddr) {
      const same = family == AF_INET ? <u32>l.hi == load<u32>(key)
                                      : l.hi == load<u64>(key) && l.lo == load<u64>(key + 8);
      if (same) { match.push(l); break; }     // the first line with the address
    } else if (named(l, key, len)) match.push(l);
  }
  if (match.length == 0) return -HOST_NOT_FOUND;
  const size: usize = family == AF_INET ? 4 : 16;
  const first = match[0];
  store<i32>(out, family);
  store<i32>(out + 4, match.length);
  store<i32>(out + 8, first.names.length);
  let p = out + 12;
  for (let i = 0; i < match.length; i++) { putAddr(match[i], p, false); p += size; }
  for (let i = 0; i < first.names.length; i++) {
    const q = NETBASE_putStr(first.names[i], p, end);
    if (q == 0) { store<i32>(out + 8, i); break; }
    p = q;
  }
  return <i32>(p - out);
}

export function HOST_name_servbyname(name: usize, len: i32, proto: usize, plen: i32): i32 { countHostCall(); return NETBASE_servByName(name, len, proto, plen); }
export function HOST_name_servbyport(port: i32, proto: usize, plen: i32, out: usize, cap: i32): i32 { countHostCall(); return NETBASE_servByPort(port, proto, plen, out, cap); }
export function HOST_name_protobyname(name: usize, len: i32): i32 { countHostCall(); return NETBASE_protoByName(name, len); }

const IFADDR: usize = memory.data(16, 8);

export function HOST_name_interfaces(out: usize, cap: i32): i32 {
  countHostCall();
  if (cap < 16) return -22;
  store<u32>(out, 1);
  let p = NETBASE_putStr("lo", out + 4, out + <usize>cap);
  // A machine with an address of its own has an Ethernet interface for it.
  if (firstAddress(current, false, IFADDR) || firstAddress(current, true, IFADDR)) {
    store<u32>(p, 2);
    NETBASE_putStr("eth0", p + 4, out + <usize>cap);
    return 2;
  }
  return 1;
}
