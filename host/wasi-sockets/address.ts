// wasi:sockets/network's ip-address and ip-socket-address (jco's JS shape: variants as
// {tag, val}, IPv4 as 4 numbers, IPv6 as 8 u16 groups) <-> wasock's [host, port(, flowinfo,
// scope_id)], and the checks p2 makes on addresses before any call (wasmtime's
// crates/wasi/src/sockets: validate_unicast, validate_remote_address, validate_address_family).
import type { Address } from '../../src/address.js';

export type IpAddress = { tag: 'ipv4'; val: [number, number, number, number] } | { tag: 'ipv6'; val: number[] };
export interface Ipv4SocketAddress { port: number; address: [number, number, number, number] }
export interface Ipv6SocketAddress { port: number; flowInfo: number; address: number[]; scopeId: number }
export type IpSocketAddress = { tag: 'ipv4'; val: Ipv4SocketAddress } | { tag: 'ipv6'; val: Ipv6SocketAddress };
export type IpAddressFamily = 'ipv4' | 'ipv6';

/** A p2 socket address as wasock's address tuple. */
export function toWasock(a: IpSocketAddress): Address {
  if (a.tag === 'ipv4') return [a.val.address.join('.'), a.val.port];
  return [a.val.address.map((g) => g.toString(16)).join(':'), a.val.port, a.val.flowInfo >>> 0, a.val.scopeId >>> 0];
}

/** wasock's address tuple (getsockname, recvfrom) as a p2 socket address. */
export function fromWasock(a: Address): IpSocketAddress {
  const t = a as [string, number] | [string, number, number, number];
  if (t.length === 2) return { tag: 'ipv4', val: { port: t[1], address: parseIpv4(t[0])! } };
  return { tag: 'ipv6', val: { port: t[1], flowInfo: t[2], address: parseIpv6(t[0])!, scopeId: t[3] } };
}

export function parseIpv4(s: string): [number, number, number, number] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (m === null) return null;
  const v = [+m[1], +m[2], +m[3], +m[4]];
  return v.every((x) => x <= 255) ? (v as [number, number, number, number]) : null;
}

/** RFC 4291 text (with '::' and an embedded dotted quad) as 8 groups, or null. */
export function parseIpv6(s: string): number[] | null {
  let tail: number[] = [];
  const dq = /(^|:)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(s);
  if (dq !== null) {
    const v4 = parseIpv4(dq[2]);
    if (v4 === null) return null;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    s = s.slice(0, s.length - dq[2].length);
    if (s === '') return null;
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const group = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = group(halves[0]);
  if (head === null) return null;
  const want = 8 - tail.length;
  if (halves.length === 1) return head.length === want ? [...head, ...tail] : null;
  const rest = group(halves[1]);
  if (rest === null || head.length + rest.length > want - 1) return null;
  return [...head, ...new Array<number>(want - head.length - rest.length).fill(0), ...rest, ...tail];
}

export function familyOf(a: { tag: string }): IpAddressFamily { return a.tag === 'ipv4' ? 'ipv4' : 'ipv6'; }

function isV4Mapped(g: number[]): boolean {
  return g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff;
}

function isMulticastOrBroadcast(a: IpSocketAddress): boolean {
  if (a.tag === 'ipv4') {
    const [x, y, z, w] = a.val.address;
    return (x >= 224 && x <= 239) || (x === 255 && y === 255 && z === 255 && w === 255);
  }
  return (a.val.address[0] & 0xff00) === 0xff00;
}

function isUnspecified(a: IpSocketAddress): boolean {
  return a.tag === 'ipv4' ? a.val.address.every((x) => x === 0) : a.val.address.every((x) => x === 0);
}

function wellFormed(a: unknown): a is IpSocketAddress {
  const t = a as IpSocketAddress;
  if (t === null || typeof t !== 'object' || t.val === null || typeof t.val !== 'object') return false;
  if (t.tag === 'ipv4') return Array.isArray(t.val.address) && t.val.address.length === 4;
  if (t.tag === 'ipv6') return Array.isArray(t.val.address) && t.val.address.length === 8;
  return false;
}

/**
 * The checks before a bind: the socket's family, no IPv4-mapped address on an (always
 * v6-only) IPv6 socket, a unicast address. null, or the error-code.
 */
export function checkLocal(family: IpAddressFamily, a: unknown): 'invalid-argument' | null {
  if (!wellFormed(a) || familyOf(a) !== family) return 'invalid-argument';
  if (a.tag === 'ipv6' && isV4Mapped(a.val.address)) return 'invalid-argument';
  if (isMulticastOrBroadcast(a)) return 'invalid-argument';
  return null;
}

/** The checks before a connect (or a datagram's destination): as checkLocal, and neither the unspecified address nor port 0. */
export function checkRemote(family: IpAddressFamily, a: unknown): 'invalid-argument' | null {
  const local = checkLocal(family, a);
  if (local !== null) return local;
  const s = a as IpSocketAddress;
  if (isUnspecified(s) || s.val.port === 0) return 'invalid-argument';
  return null;
}

export function sameAddress(a: IpSocketAddress, b: IpSocketAddress): boolean {
  if (a.tag !== b.tag || a.val.port !== b.val.port) return false;
  const x = a.val.address, y = b.val.address;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
