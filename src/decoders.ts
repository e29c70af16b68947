// Typed decoders of option values (and the encoders of those users set), built on `struct`.
// Each fixed layout is one struct.Struct, compiled on first use, plus the C field names
// without their prefixes (tcpi_, l_, imr_, ...). The option table (scripts/optiontable.py)
// names a decoder per struct-valued row; DECODERS holds one for every such name, and
// test/decoders.test.ts fails when the table names one that is missing here.
//
// Value rules (DESIGN.md): 8-byte integer codes give bigint, everything else number;
// in_addr / in6_addr fields are address strings, formatted by the core's address codec
// (the one getsockname() uses); sockaddr fields are objects {family, port, addr, ...}.
// Conformance: test/fixtures/struct-decoders.json (scripts/gen_struct_decoders.py) holds
// buffers read by CPython from live sockets and CPython's struct.unpack of them.
import { Struct } from './struct.js';
import { core } from './core.js';
import { readAddress, AF_INET, AF_INET6, AF_UNIX } from './address.js';
import { OSError } from './errors.js';
import { bytesLike, pyTypeName } from './args.js';
// The C layouts themselves: scripts/layouts.py, the one description the option table's formats
// and the oracle (scripts/gen_struct_decoders.py) share. This file is the engine only.
import { LAYOUTS } from './generated/layouts.js';

/** A decoder of one option-value layout. */
export interface Decoder<T = unknown> {
  /** The name the option table uses (OptionRow.decoder). */
  readonly name: string;
  /** The C type it reads. */
  readonly ctype: string;
  /** Bytes of the fixed part; for arrays and TLV lists, of one element or the header. */
  readonly size: number;
  /** Python struct format of the fixed part ('' for byte-parsed layouts). */
  readonly format: string;
  /** Field names of the result, in layout order (dotted for nested structs). */
  readonly fields: readonly string[];
  /**
   * Decodes a value as getsockopt returned it. An empty buffer (the kernel had no value,
   * e.g. TCP_CC_INFO under cubic) gives null, or [] for list layouts. Bytes beyond the
   * layout are ignored; a shorter buffer raises struct.error as struct.unpack_from would,
   * except for layouts the kernel truncates to the caller's buflen (tcp_info, sockaddrs),
   * which decode the fields wholly present.
   */
  decode(buffer: Uint8Array | ArrayBufferView | ArrayBuffer): T;
}

// ---------------------------------------------------------------- result types

export interface Linger { onoff: number; linger: number }
export interface Timeval { sec: bigint; usec: bigint }
export interface Ucred { pid: number; uid: number; gid: number }
export interface IpMreq { multiaddr: string; interface: string }
export interface IpMreqn { multiaddr: string; address: string; ifindex: number }
export interface IpMreqSource { multiaddr: string; interface: string; sourceaddr: string }
export interface Ipv6Mreq { multiaddr: string; interface: number }
export interface InPktinfo { ifindex: number; spec_dst: string; addr: string }
export interface In6Pktinfo { addr: string; ifindex: number }
export interface Meminfo {
  rmem_alloc: number; rcvbuf: number; wmem_alloc: number; sndbuf: number; fwd_alloc: number;
  wmem_queued: number; optmem: number; backlog: number; drops: number;
}
export interface TcpBbrInfo { bw_lo: number; bw_hi: number; min_rtt: number; pacing_gain: number; cwnd_gain: number; bw: bigint }
/** struct tcp_info (Linux 6.18, 280 bytes). Older kernels return a prefix: fields past it are absent. */
export interface TcpInfo {
  state: number; ca_state: number; retransmits: number; probes: number; backoff: number; options: number;
  snd_wscale: number; rcv_wscale: number; delivery_rate_app_limited: number; fastopen_client_fail: number;
  rto: number; ato: number; snd_mss: number; rcv_mss: number; unacked: number; sacked: number; lost: number;
  retrans: number; fackets: number; last_data_sent: number; last_ack_sent: number; last_data_recv: number;
  last_ack_recv: number; pmtu: number; rcv_ssthresh: number; rtt: number; rttvar: number; snd_ssthresh: number;
  snd_cwnd: number; advmss: number; reordering: number; rcv_rtt: number; rcv_space: number; total_retrans: number;
  pacing_rate?: bigint; max_pacing_rate?: bigint; bytes_acked?: bigint; bytes_received?: bigint;
  segs_out?: number; segs_in?: number; notsent_bytes?: number; min_rtt?: number; data_segs_in?: number;
  data_segs_out?: number; delivery_rate?: bigint; busy_time?: bigint; rwnd_limited?: bigint; sndbuf_limited?: bigint;
  delivered?: number; delivered_ce?: number; bytes_sent?: bigint; bytes_retrans?: bigint; dsack_dups?: number;
  reord_seen?: number; rcv_ooopack?: number; snd_wnd?: number; rcv_wnd?: number; rehash?: number;
  total_rto?: number; total_rto_recoveries?: number; total_rto_time?: number; received_ce?: number;
  delivered_e1_bytes?: number; delivered_e0_bytes?: number; delivered_ce_bytes?: number;
  received_e1_bytes?: number; received_e0_bytes?: number; received_ce_bytes?: number;
  accecn_fail_mode?: number; accecn_opt_seen?: number;
}
/** A decoded sockaddr: the fields of sockaddr_in / sockaddr_in6 / sockaddr_un present. */
export interface Sockaddr {
  family: number; port?: number; addr?: string; flowinfo?: number; scope_id?: number;
  /** AF_UNIX: a str path, or bytes for an abstract name (as getsockname() gives them). */
  path?: string | Uint8Array;
  /** Other families: the bytes after sa_family. */
  data?: Uint8Array;
}
export interface Cmsg { len: bigint; level: number; type: number; data: Uint8Array; value?: unknown }
export interface TlvOption { type: number; data: Uint8Array }

// ---------------------------------------------------------------- addresses

const utf8 = new TextDecoder();

/**
 * Formats (or parses) an address through the core's address codec: a sockaddr put in the
 * core's address scratch is decoded as getsockname() decodes it (makesockaddr/inet_ntop).
 */
function sockaddrOf(b: Uint8Array): Sockaddr | null {
  const n = b.length;
  if (n < 2) return null;
  const family = b[0] | (b[1] << 8);
  const c = core(), u8 = c.u8;
  u8.fill(0, c.ADDR, c.ADDR + 128);
  u8.set(n > 128 ? b.subarray(0, 128) : b, c.ADDR);
  const a = readAddress(c, Math.min(n, 128));
  // Only the fields wholly present (SO_PEERNAME copies just buflen bytes of the address).
  if (family === AF_INET && Array.isArray(a)) {
    const o: Sockaddr = { family };
    if (n >= 4) o.port = a[1] as number;
    if (n >= 8) o.addr = a[0] as string;
    return o;
  }
  if (family === AF_INET6 && Array.isArray(a)) {
    const o: Sockaddr = { family };
    if (n >= 4) o.port = a[1] as number;
    if (n >= 8) o.flowinfo = a[2] as number;
    if (n >= 24) o.addr = a[0] as string;
    if (n >= 28) o.scope_id = a[3] as number;
    return o;
  }
  if (family === AF_UNIX) return { family, path: a as string | Uint8Array };
  // Other families (AF_UNSPEC in an empty sockaddr_storage): sa_data, as makesockaddr() gives it.
  return { family, data: (a as [number, Uint8Array])[1] };
}

/** An in_addr (4 bytes, network order) as dotted text. */
function ip4(b: Uint8Array): string {
  const c = core(), u8 = c.u8, p = c.ADDR;
  u8[p] = AF_INET; u8[p + 1] = 0; u8[p + 2] = 0; u8[p + 3] = 0;
  u8.set(b.subarray(0, 4), p + 4);
  return (readAddress(c, 16) as [string, number])[0];
}

/** An in6_addr (16 bytes) as inet_ntop text. */
function ip6(b: Uint8Array): string {
  const c = core(), u8 = c.u8, p = c.ADDR;
  u8.fill(0, p, p + 28);
  u8[p] = AF_INET6;
  u8.set(b.subarray(0, 16), p + 8);
  return (readAddress(c, 28) as [string, number, number, number])[0];
}

const NUMERIC4 = /^[0-9][0-9a-fA-FxX.]*$/;

/**
 * The 4 or 16 bytes of a numeric address string (inet_aton / inet_pton rules, through the
 * core's address codec), or a bytes value as given (struct's 's' pads or cuts it).
 */
function addressBytes(v: unknown, family: number): unknown {
  if (typeof v !== 'string') {
    const b = bytesLike(v);
    if (b !== null) return b;
    throw new TypeError(family === AF_INET
      ? `inet_aton() argument 1 must be str, not ${pyTypeName(v)}`
      : `inet_pton() argument 2 must be str, not ${pyTypeName(v)}`);
  }
  const ok = family === AF_INET ? NUMERIC4.test(v) : v.includes(':') && !v.includes('%');
  if (ok) {
    const c = core();
    const n = c.putStr(new TextEncoder().encode(v));
    if (c.x.addr_encode(family, n, 0, 0, 0) > 0) {
      const at = c.ADDR + (family === AF_INET ? 4 : 8);
      return c.u8.slice(at, at + (family === AF_INET ? 4 : 16));
    }
  }
  throw new OSError(`illegal IP address string passed to ${family === AF_INET ? 'inet_aton' : 'inet_pton'}`);
}

// ---------------------------------------------------------------- fixed layouts

function bufferArg(v: unknown): Uint8Array {
  const b = bytesLike(v);
  if (b === null) throw new TypeError(`a bytes-like object is required, not '${pyTypeName(v)}'`);
  return b;
}

const be16 = (b: Uint8Array) => (b[0] << 8) | b[1];
const be32 = (b: Uint8Array) => ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
const cstr = (b: Uint8Array) => { const z = b.indexOf(0); return utf8.decode(z < 0 ? b : b.subarray(0, z)); };

/** Pseudo-codes: [struct code, conversion of the unpacked bytes]. */
const PSEUDO: Record<string, [string, (b: Uint8Array) => unknown]> = {
  in4: ['4s', ip4],
  in6: ['16s', ip6],
  be16: ['2s', be16],
  be32: ['4s', be32],
  ss: ['128s', sockaddrOf],       // struct __kernel_sockaddr_storage
  sin6: ['28s', sockaddrOf],      // struct sockaddr_in6
  z64: ['64s', cstr],             // char[64], NUL-terminated
  xaddr: ['16s', (b) => b],       // xfrm_address_t: formatted by the selector's family
};

interface Token {
  code: string;
  /** names of the values (one, or the parts of a bitfield word); empty for padding */
  names: string[][];
  bits: number[] | null;
  conv: ((b: Uint8Array) => unknown) | null;
}

interface Compiled {
  full: Struct;
  tokens: Token[];
  /** byte offset where token i ends */
  ends: number[];
  /** value-producing tokens among the first i tokens */
  values: number[];
  /** per number of tokens decoded: the struct of that prefix and the builder of its object */
  prefixes: Map<number, [Struct, Builder]>;
}

type Builder = (v: unknown[], conv: ((b: Uint8Array) => unknown)[]) => any;

/**
 * Compiles the function that turns the unpacked values of the first `ntok` tokens into the
 * result object, as one object literal. Measured on tcp_info (70 fields): storing the fields
 * one by one under computed names builds ~0.36 M objects/s (V8 turns such objects into
 * dictionaries); the literal keeps a fixed shape and runs near struct.unpack's own rate.
 */
function builder(tokens: Token[], ntok: number): Builder {
  // A tree of field name -> expression, nested by the dotted names, in layout order.
  type Tree = Map<string, string | Tree>;
  const root: Tree = new Map();
  const at = (path: string[], expr: string) => {
    let t = root;
    for (let i = 0; i < path.length - 1; i++) {
      let sub = t.get(path[i]);
      if (!(sub instanceof Map)) t.set(path[i], (sub = new Map()));
      t = sub;
    }
    t.set(path[path.length - 1], expr);
  };
  let k = 0;
  tokens.slice(0, ntok).forEach((t, i) => {
    if (!t.names.length) return;
    if (t.bits) {
      let shift = 0;
      t.names.forEach((path, j) => {
        const w = t.bits![j];
        at(path, w + shift >= 32 ? `v[${k}] >>> ${shift}` : `(v[${k}] >>> ${shift}) & ${2 ** w - 1}`);
        shift += w;
      });
    } else {
      at(t.names[0], t.conv ? `c[${i}](v[${k}])` : `v[${k}]`);
    }
    k++;
  });
  const lit = (t: Tree): string =>
    `{${[...t].map(([name, e]) => `${JSON.stringify(name)}: ${typeof e === 'string' ? e : lit(e)}`).join(', ')}}`;
  return new Function('v', 'c', `return ${lit(root)};`) as Builder;
}

/**
 * A fixed C struct: `spec` lists `name:code` items in layout order. A code is a struct
 * code ('I', '4x', '80s'), a pseudo-code from PSEUDO, and `a/4,b/4:B` splits a bitfield word
 * into parts from bit 0 up. Dotted names nest (`sel.daddr`); `_` names padding.
 */
class Layout<T> implements Decoder<T | null> {
  private c: Compiled | null = null;
  private convs: ((b: Uint8Array) => unknown)[] = [];
  readonly fields: readonly string[];

  constructor(
    readonly name: string,
    readonly ctype: string,
    private readonly order: '@' | '=',
    private readonly spec: string,
    private readonly opts: { prefix?: boolean; scalar?: boolean; post?: (o: any) => void } = {},
  ) {
    const f: string[] = [];
    for (const item of spec.trim().split(/\s+/)) {
      const [names] = splitItem(item);
      for (const n of names) if (n !== '_') f.push(n.split('/')[0]);
    }
    this.fields = f;
  }

  get format(): string { return this.compiled().full.format; }
  get size(): number { return this.compiled().full.size; }

  private compiled(): Compiled {
    if (this.c) return this.c;
    const tokens: Token[] = [];
    for (const item of this.spec.trim().split(/\s+/)) {
      const [names, code0] = splitItem(item);
      const pseudo = PSEUDO[code0];
      const code = pseudo ? pseudo[0] : code0;
      if (names.length === 1 && names[0] === '_') { tokens.push({ code, names: [], bits: null, conv: null }); continue; }
      const bitParts = names.length > 1 || names[0].includes('/');
      tokens.push({
        code,
        names: names.map((n) => n.split('/')[0].split('.')),
        bits: bitParts ? names.map((n) => Number(n.split('/')[1])) : null,
        conv: pseudo ? pseudo[1] : null,
      });
    }
    const ends: number[] = [], values: number[] = [0];
    let fmt = this.order;
    for (const t of tokens) {
      fmt += t.code;
      ends.push(new Struct(fmt).size);
      values.push(values[values.length - 1] + (t.names.length ? 1 : 0));
    }
    const full = new Struct(fmt);
    const c: Compiled = { full, tokens, ends, values, prefixes: new Map() };
    c.prefixes.set(tokens.length, [full, builder(tokens, tokens.length)]);
    this.convs = tokens.map((t) => t.conv!);
    return (this.c = c);
  }

  decode(buffer: Uint8Array | ArrayBufferView | ArrayBuffer): T | null {
    const b = bufferArg(buffer);
    if (b.length === 0) return null;
    const c = this.compiled();
    let ntok = c.tokens.length;
    if (b.length < c.full.size && this.opts.prefix) {
      // The kernel copied min(buflen, sizeof): decode the fields wholly present.
      ntok = 0;
      while (ntok < c.ends.length && c.ends[ntok] <= b.length) ntok++;
      if (c.values[ntok] === 0) return this.opts.scalar ? null : ({} as T);
    }
    let p = c.prefixes.get(ntok);
    if (p === undefined) {
      p = [new Struct(this.order + c.tokens.slice(0, ntok).map((t) => t.code).join('')), builder(c.tokens, ntok)];
      c.prefixes.set(ntok, p);
    }
    const vals = p[0].unpack_from(b);
    if (this.opts.scalar) {
      const t = c.tokens.find((x) => x.names.length)!;
      return (t.conv ? t.conv(vals[0] as Uint8Array) : vals[0]) as T;
    }
    const out = p[1](vals, this.convs);
    this.opts.post?.(out);
    return out as T;
  }
}

function splitItem(item: string): [string[], string] {
  const i = item.lastIndexOf(':');
  return [item.slice(0, i).split(','), item.slice(i + 1)];
}


/** An array of one layout: the complete elements present (a trailing partial one is dropped). */
class ArrayOf<T> implements Decoder<T[]> {
  constructor(readonly name: string, readonly ctype: string, private readonly elem: Layout<T>) {}
  get size(): number { return this.elem.size; }
  get format(): string { return this.elem.format; }
  get fields(): readonly string[] { return this.elem.fields; }
  decode(buffer: Uint8Array | ArrayBufferView | ArrayBuffer): T[] {
    const b = bufferArg(buffer), n = this.elem.size, out: T[] = [];
    for (let off = 0; off + n <= b.length; off += n) out.push(this.elem.decode(b.subarray(off, off + n)) as T);
    return out;
  }
}

/** A fixed header followed by `count` (or as many as fit) elements of another layout. */
class WithList<H, T> implements Decoder<(H & Record<string, unknown>) | null> {
  constructor(readonly name: string, readonly ctype: string, private readonly head: Layout<H>,
    private readonly list: string, private readonly elem: Layout<T>, private readonly count: string) {}
  get size(): number { return this.head.size; }
  get format(): string { return this.head.format; }
  get fields(): readonly string[] { return [...this.head.fields, this.list]; }
  decode(buffer: Uint8Array | ArrayBufferView | ArrayBuffer): (H & Record<string, unknown>) | null {
    const b = bufferArg(buffer);
    const h = this.head.decode(b) as any;
    if (h === null) return null;
    const items: T[] = [], n = this.elem.size, want = h[this.count] as number;
    for (let off = this.head.size; off + n <= b.length && items.length < want; off += n) items.push(this.elem.decode(b.subarray(off, off + n)) as T);
    h[this.list] = items;
    return h;
  }
}

/** A sockaddr of any family (SO_PEERNAME) or of one (SO_ORIGINAL_DST): fields wholly present. */
class SockaddrDecoder implements Decoder<Sockaddr | null> {
  readonly fields: readonly string[];
  /** `layout` gives the format of a one-family sockaddr (compiled when asked, not at load). */
  constructor(readonly name: string, readonly ctype: string, readonly size: number, fields: string[],
    private readonly layout: Layout<unknown> | null = null) {
    this.fields = fields;
  }
  get format(): string { return this.layout ? this.layout.format : ''; }
  decode(buffer: Uint8Array | ArrayBufferView | ArrayBuffer): Sockaddr | null {
    return sockaddrOf(bufferArg(buffer));
  }
}

/** Byte-parsed layouts (TLV lists, cmsg buffers). */
class Parsed<T> implements Decoder<T> {
  constructor(readonly name: string, readonly ctype: string, readonly size: number, readonly fields: readonly string[],
    private readonly parse: (b: Uint8Array) => T) {}
  get format(): string { return ''; }
  decode(buffer: Uint8Array | ArrayBufferView | ArrayBuffer): T { return this.parse(bufferArg(buffer)); }
}

// ---------------------------------------------------------------- the layouts

/** Key bytes past keylen are not part of the key. */
const cutKey = (o: any) => { if (o.key instanceof Uint8Array && typeof o.keylen === 'number') o.key = o.key.slice(0, o.keylen); };

/** The decoder of a generated layout, by its name; `post` finishes what a layout cannot say. */
function layout<T>(name: keyof typeof LAYOUTS, post?: (o: any) => void): Layout<T> {
  const l: { ctype: string; order: '@' | '='; spec: string; prefix?: boolean; scalar?: boolean } = LAYOUTS[name];
  return new Layout<T>(name, l.ctype, l.order, l.spec, { prefix: l.prefix, scalar: l.scalar, post });
}

const inPktinfo = layout<InPktinfo>('in_pktinfo');
const in6Pktinfo = layout<In6Pktinfo>('in6_pktinfo');
const inAddr = layout<string>('in_addr');
const int32 = layout<number>('int');
const uint8 = layout<number>('u8');
const tlvOpt = (b: Uint8Array, from: number, to: number, pad1: number): TlvOption[] => {
  const out: TlvOption[] = [];
  for (let i = from; i < to;) {
    const type = b[i];
    if (type === pad1) { out.push({ type, data: new Uint8Array(0) }); i++; continue; }
    if (i + 1 >= to) { out.push({ type, data: b.slice(i + 1, to) }); break; }
    const len = b[i + 1];
    out.push({ type, data: b.slice(i + 2, Math.min(to, i + 2 + len)) });
    i += 2 + len;
  }
  return out;
};

/** Known cmsg payloads (level, type) -> decoder, for IP_PKTOPTIONS / IPV6_2292PKTOPTIONS. */
const CMSG_VALUES: Record<string, Decoder> = {
  '0/8': inPktinfo,        // IP_PKTINFO
  '0/2': int32,            // IP_TTL
  '0/1': uint8,            // IP_TOS
  '41/50': in6Pktinfo,     // IPV6_PKTINFO
  '41/2': in6Pktinfo,      // IPV6_2292PKTINFO
  '41/52': int32,          // IPV6_HOPLIMIT
  '41/8': int32,           // IPV6_2292HOPLIMIT
  '41/67': int32,          // IPV6_TCLASS
};
const cmsgHeader = layout<{ len: bigint; level: number; type: number }>('cmsghdr');

function parseCmsgs(b: Uint8Array): Cmsg[] {
  const out: Cmsg[] = [];
  // struct cmsghdr is 16 bytes on x86_64; each message is padded to CMSG_ALIGN (8).
  for (let off = 0; off + 16 <= b.length;) {
    const h = cmsgHeader.decode(b.subarray(off, off + 16))!;
    const len = Number(h.len);
    if (len < 16 || off + len > b.length) break;
    const m: Cmsg = { len: h.len, level: h.level, type: h.type, data: b.slice(off + 16, off + len) };
    const d = CMSG_VALUES[`${h.level}/${h.type}`];
    if (d && m.data.length >= d.size) m.value = d.decode(m.data);
    out.push(m);
    off += (len + 7) & ~7;
  }
  return out;
}

function parseIpOptions(b: Uint8Array): TlvOption[] {
  // IPv4 options (RFC 791): EOL (0) ends the list, NOP (1) is one byte, others are
  // type, length (counting both), data.
  const out: TlvOption[] = [];
  for (let i = 0; i < b.length;) {
    const type = b[i];
    if (type === 0 || type === 1) { out.push({ type, data: new Uint8Array(0) }); i++; if (type === 0) break; continue; }
    const len = i + 1 < b.length ? b[i + 1] : 0;
    if (len < 2 || i + len > b.length) { out.push({ type, data: b.slice(Math.min(i + 2, b.length)) }); break; }
    out.push({ type, data: b.slice(i + 2, i + len) });
    i += len;
  }
  return out;
}

function parseOptHdr(b: Uint8Array): { nexthdr: number; hdrlen: number; options: TlvOption[] } | null {
  if (b.length < 2) return null;
  const end = Math.min(b.length, (b[1] + 1) * 8);
  return { nexthdr: b[0], hdrlen: b[1], options: tlvOpt(b, 2, end, 0) };
}

function parseRtHdr(b: Uint8Array): Record<string, unknown> | null {
  if (b.length < 4) return null;
  const end = Math.min(b.length, (b[1] + 1) * 8);
  const o: Record<string, unknown> = { nexthdr: b[0], hdrlen: b[1], type: b[2], segments_left: b[3], data: b.slice(4, end) };
  const addrs: string[] = [];
  for (let off = 8; off + 16 <= end; off += 16) addrs.push(ip6(b.subarray(off, off + 16)));
  if (b[2] === 4 && end >= 8) {
    // RFC 8754 segment routing header
    Object.assign(o, { last_entry: b[4], flags: b[5], tag: be16(b.subarray(6, 8)), segments: addrs });
  } else if (b[2] === 0 || b[2] === 2) {
    o.addresses = addrs;
  }
  return o;
}

const ipMreq = layout<IpMreq>('ip_mreq');
const ipMreqn = layout<IpMreqn>('ip_mreqn');
const ipv6Mreq = layout<Ipv6Mreq>('ipv6_mreq');

/**
 * Every decoder, keyed by the name the option table gives (OptionRow.decoder), plus
 * ip_mreqn and in_pktinfo (cmsg payloads and the extended IP_ADD_MEMBERSHIP form).
 */
export const DECODERS = {
  linger: layout<Linger>('linger'),
  timeval: layout<Timeval>('timeval'),
  ucred: layout<Ucred>('ucred'),
  u64: layout<bigint>('u64'),
  meminfo: layout<Meminfo>('meminfo'),
  in_addr: inAddr,
  tcp_info: layout<TcpInfo>('tcp_info'),
  tcp_bbr_info: layout<TcpBbrInfo>('tcp_bbr_info', (o) => { o.bw = (BigInt(o.bw_hi) << 32n) | BigInt(o.bw_lo); }),
  ip_mreq: ipMreq,
  ip_mreqn: ipMreqn,
  ip_mreq_source: layout<IpMreqSource>('ip_mreq_source'),
  ipv6_mreq: ipv6Mreq,
  in_pktinfo: inPktinfo,
  in6_pktinfo: in6Pktinfo,
  so_timestamping: layout<{ flags: number; bind_phc: number }>('so_timestamping'),
  sock_txtime: layout<{ clockid: number; flags: number }>('sock_txtime'),
  sock_fprog: layout<{ len: number; filter: bigint }>('sock_fprog'),
  sock_filter: new ArrayOf('sock_filter', 'struct sock_filter[]',
    layout<{ code: number; jt: number; jf: number; k: number }>('sock_filter')),
  dmabuf_token: layout<{ token_start: number; token_count: number }>('dmabuf_token'),
  gid_array: new ArrayOf('gid_array', 'gid_t[]', layout<number>('gid')),
  sockaddr: new SockaddrDecoder('sockaddr', 'struct sockaddr', 16, ['family', 'port', 'addr', 'flowinfo', 'scope_id', 'path', 'data']),
  sockaddr_in: new SockaddrDecoder('sockaddr_in', 'struct sockaddr_in', 16, ['family', 'port', 'addr'], layout('sockaddr_in')),
  sockaddr_in6: new SockaddrDecoder('sockaddr_in6', 'struct sockaddr_in6', 28, ['family', 'port', 'flowinfo', 'addr', 'scope_id'], layout('sockaddr_in6')),
  ip6_mtuinfo: layout<{ addr: Sockaddr; mtu: number }>('ip6_mtuinfo'),
  ip_options: new Parsed('ip_options', 'IPv4 options', 0, ['type', 'data'], parseIpOptions),
  cmsg: new Parsed('cmsg', 'struct cmsghdr[]', 16, ['len', 'level', 'type', 'data', 'value'], parseCmsgs),
  ipv6_opt_hdr: new Parsed('ipv6_opt_hdr', 'struct ipv6_opt_hdr', 2, ['nexthdr', 'hdrlen', 'options'], parseOptHdr),
  ipv6_rt_hdr: new Parsed('ipv6_rt_hdr', 'struct ipv6_rt_hdr', 4, ['nexthdr', 'hdrlen', 'type', 'segments_left', 'data'], parseRtHdr),
  group_req: layout<{ interface: number; group: Sockaddr }>('group_req'),
  group_source_req: layout<{ interface: number; group: Sockaddr; source: Sockaddr }>('group_source_req'),
  group_filter: new WithList('group_filter', 'struct group_filter',
    layout<{ interface: number; group: Sockaddr; fmode: number; numsrc: number }>('group_filter'),
    'slist', layout<Sockaddr>('sockaddr_storage'), 'numsrc'),
  ip_msfilter: new WithList('ip_msfilter', 'struct ip_msfilter',
    layout<{ multiaddr: string; interface: string; fmode: number; numsrc: number }>('ip_msfilter'),
    'slist', inAddr, 'numsrc'),
  in6_flowlabel_req: layout<Record<string, unknown>>('in6_flowlabel_req'),
  tcp_md5sig: layout<Record<string, unknown>>('tcp_md5sig', cutKey),
  tcp_repair_opt: new ArrayOf('tcp_repair_opt', 'struct tcp_repair_opt[]',
    layout<{ opt_code: number; opt_val: number }>('tcp_repair_opt')),
  tcp_repair_window: layout<Record<string, number>>('tcp_repair_window'),
  tcp_zerocopy_receive: layout<Record<string, unknown>>('tcp_zerocopy_receive'),
  // TCP-AO (include/uapi/linux/tcp.h, 6.7+): this kernel is built without CONFIG_TCP_AO,
  // so these layouts are checked against CPython on synthetic buffers only.
  tcp_ao_add: layout<Record<string, unknown>>('tcp_ao_add', cutKey),
  tcp_ao_del: layout<Record<string, unknown>>('tcp_ao_del'),
  tcp_ao_info_opt: layout<Record<string, unknown>>('tcp_ao_info_opt'),
  tcp_ao_getsockopt: layout<Record<string, unknown>>('tcp_ao_getsockopt', cutKey),
  tcp_ao_repair: layout<Record<string, unknown>>('tcp_ao_repair'),
  xfrm_userpolicy_info: layout<Record<string, unknown>>('xfrm_userpolicy_info', (o) => {
    // xfrm_address_t is a union: a4 or a6 by the selector's family.
    for (const k of ['daddr', 'saddr']) {
      const b = o.sel[k] as Uint8Array;
      o.sel[k] = o.sel.family === AF_INET ? ip4(b) : o.sel.family === AF_INET6 ? ip6(b) : b;
    }
  }),
} satisfies Record<string, Decoder>;

export type DecoderName = keyof typeof DECODERS;

/** Decodes `buffer` with the decoder the option table names (`OptionRow.decoder`). */
export function decode(name: string, buffer: Uint8Array | ArrayBufferView | ArrayBuffer): unknown {
  const d = (DECODERS as Record<string, Decoder>)[name];
  if (d === undefined) throw new Error(`wasock: no decoder named '${name}'`);
  return d.decode(buffer);
}

// ---------------------------------------------------------------- encoders

let S_II: Struct | null = null, S_LL: Struct | null = null, S_MREQ: Struct | null = null;
let S_MREQN: Struct | null = null, S_MREQ6: Struct | null = null;

/** struct linger for setsockopt(SOL_SOCKET, SO_LINGER, ...). */
export function encodeLinger(v: { onoff: unknown; linger: unknown }): Uint8Array {
  return (S_II ??= new Struct('@ii')).pack(v.onoff, v.linger);
}

/** struct timeval for SO_RCVTIMEO / SO_SNDTIMEO (both fields are C longs: number or bigint). */
export function encodeTimeval(v: { sec: unknown; usec: unknown }): Uint8Array {
  return (S_LL ??= new Struct('@ll')).pack(v.sec, v.usec);
}

/** struct ip_mreq for IP_ADD_MEMBERSHIP / IP_DROP_MEMBERSHIP; interface defaults to INADDR_ANY. */
export function encodeIpMreq(v: { multiaddr: unknown; interface?: unknown }): Uint8Array {
  return (S_MREQ ??= new Struct('@4s4s')).pack(addressBytes(v.multiaddr, AF_INET), addressBytes(v.interface ?? '0.0.0.0', AF_INET));
}

/** struct ip_mreqn (the form that names the interface by index); address defaults to INADDR_ANY. */
export function encodeIpMreqn(v: { multiaddr: unknown; address?: unknown; ifindex?: unknown }): Uint8Array {
  return (S_MREQN ??= new Struct('@4s4si')).pack(addressBytes(v.multiaddr, AF_INET), addressBytes(v.address ?? '0.0.0.0', AF_INET), v.ifindex ?? 0);
}

/** struct ipv6_mreq for IPV6_JOIN_GROUP / IPV6_LEAVE_GROUP; interface is an ifindex (0: any). */
export function encodeIpv6Mreq(v: { multiaddr: unknown; interface?: unknown }): Uint8Array {
  return (S_MREQ6 ??= new Struct('@16sI')).pack(addressBytes(v.multiaddr, AF_INET6), v.interface ?? 0);
}

/** Lower-case hex of bytes (no Buffer: the decoders load in a browser too). */
function hex(v: Uint8Array): string {
  let s = '';
  for (const x of v) s += x.toString(16).padStart(2, '0');
  return s;
}

/** Decoded values of any shape as one short line: `{onoff=1, linger=5}` (for `wasock probe`). */
export function formatDecoded(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) return `b'${hex(v)}'`;
  if (Array.isArray(v)) return `[${v.map(formatDecoded).join(', ')}]`;
  return `{${Object.entries(v as object).map(([k, x]) => `${k}=${formatDecoded(x)}`).join(', ')}}`;
}

/** A decoded value with JSON-safe leaves: bigint as a decimal string, bytes as hex. */
export function jsonDecoded(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return hex(v);
  if (Array.isArray(v)) return v.map(jsonDecoded);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonDecoded(x)]));
  return v;
}

