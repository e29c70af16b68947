// Typed option decoders and encoders (src/decoders.ts). The replay half decodes buffers that
// CPython read from live loopback sockets (and packed itself, for options no socket here can
// read) and compares with CPython's struct.unpack of the same bytes
// (test/fixtures/struct-decoders.json, from scripts/gen_struct_decoders.py). The live half reads
// real sockets through socket.getsockoptDecoded().
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as w from '../src/index.js';
import { DECODERS, decode, encodeIpMreq, encodeIpMreqn, encodeIpv6Mreq, encodeLinger, encodeTimeval, type Decoder, type TcpInfo } from '../src/decoders.js';
import { optionTable } from '../src/options.js';
import { jsArg, unhex } from './helpers/replay.js';

interface Value { t: string; v?: any; hex?: string }
interface DecoderCase { id: string; decoder: string; source: 'live' | 'synthetic'; how: string; hex: string; fields: Value }
interface EncoderCase {
  id: string; encoder: string; value: Record<string, Value>;
  result: { ok?: Value; raises?: { type: string; message: string } };
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/struct-decoders.json', import.meta.url), 'utf8')) as {
  decoders: string[]; congestion_control: string; cases: DecoderCase[]; encoders: EncoderCase[];
};
const REG = DECODERS as Record<string, Decoder>;

/** A typed fixture value as the JS value the decoder must produce. */
function js(v: Value): unknown {
  switch (v.t) {
    case 'int': {
      const n = Number(v.v);
      if (!Number.isSafeInteger(n)) throw new Error(`fixture int ${v.v} is not a safe integer`);
      return n;
    }
    case 'bigint': return BigInt(v.v);
    case 'str': return v.v;
    case 'bytes': return unhex(v.hex!);
    case 'none': return null;
    case 'list': return (v.v as Value[]).map(js);
    case 'obj': return Object.fromEntries(Object.entries(v.v as Record<string, Value>).map(([k, x]) => [k, js(x)]));
  }
  throw new Error(`unknown fixture value type ${v.t}`);
}

const ENCODERS: Record<string, (v: any) => Uint8Array> = {
  linger: encodeLinger, timeval: encodeTimeval, ip_mreq: encodeIpMreq, ip_mreqn: encodeIpMreqn, ipv6_mreq: encodeIpv6Mreq,
};

describe('decoder registry', () => {
  it('every decoder the option table names exists in DECODERS', () => {
    const named = new Set(optionTable().map((r) => r.decoder).filter((d) => d !== ''));
    const missing = [...named].filter((d) => !(d in DECODERS));
    expect(missing).toEqual([]);
    expect(named.size).toBeGreaterThan(30);
  });

  it('DECODERS and the generator decode the same set of layouts', () => {
    expect(Object.keys(DECODERS).sort()).toEqual([...fixture.decoders].sort());
  });

  it('every decoder has at least one fixture case', () => {
    const covered = new Set(fixture.cases.map((c) => c.decoder));
    expect(Object.keys(DECODERS).filter((d) => !covered.has(d))).toEqual([]);
  });

  it('struct rows: the decoder reads the row\'s natural size', () => {
    for (const r of optionTable()) {
      if (r.kind !== 'struct' || !r.decoder) continue;
      expect(REG[r.decoder].size, `${r.name} (${r.decoder})`).toBe(r.size);
    }
  });

  it('decode(name, b) looks a decoder up by its table name, and refuses unknown names', () => {
    expect(decode('linger', encodeLinger({ onoff: 1, linger: 2 }))).toEqual({ onoff: 1, linger: 2 });
    expect(() => decode('nosuch', new Uint8Array(8))).toThrow(/no decoder named 'nosuch'/);
  });
});

describe('decoders against CPython (struct-decoders.json)', () => {
  it.each(fixture.cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const got = REG[c.decoder].decode(unhex(c.hex));
    expect(got).toStrictEqual(js(c.fields));
  });

  it('covers live buffers for the main layouts', () => {
    const live = new Set(fixture.cases.filter((c) => c.source === 'live').map((c) => c.decoder));
    for (const d of ['linger', 'timeval', 'ucred', 'tcp_info', 'meminfo', 'u64', 'in_addr', 'sockaddr', 'cmsg', 'in_pktinfo', 'in6_pktinfo']) {
      expect(live.has(d), d).toBe(true);
    }
    if (fixture.congestion_control === 'bbr') expect(live.has('tcp_bbr_info')).toBe(true);
  });

  it('tcp_info: short buffers (104, 232, 248 bytes) decode exactly the fields wholly present', () => {
    const full = fixture.cases.find((c) => c.id === 'tcp_info/client-280')!;
    const b = unhex(full.hex);
    const all = DECODERS.tcp_info.decode(b)!;
    expect(Object.keys(all)).toEqual(DECODERS.tcp_info.fields);
    expect(Object.keys(all)).toHaveLength(70);
    const last = (n: number) => Object.keys(DECODERS.tcp_info.decode(b.subarray(0, n))!).at(-1);
    expect(last(104)).toBe('total_retrans');
    expect(last(111)).toBe('total_retrans');
    expect(last(112)).toBe('pacing_rate');
    expect(last(232)).toBe('snd_wnd');
    expect(last(248)).toBe('total_rto_time');
    expect(last(6)).toBe('options');
    expect(last(7)).toBe('rcv_wscale');          // byte 6 holds both wscale nibbles
    expect(DECODERS.tcp_info.decode(new Uint8Array(0))).toBe(null);
  });

  it('fixed layouts: an empty buffer is null, a short one raises struct.error, extra bytes are ignored', () => {
    expect(DECODERS.tcp_bbr_info.decode(new Uint8Array(0))).toBe(null);
    expect(() => DECODERS.linger.decode(new Uint8Array(4))).toThrow(w.struct.error);
    expect(() => DECODERS.linger.decode(new Uint8Array(4))).toThrow(
      'unpack_from requires a buffer of at least 8 bytes for unpacking 8 bytes at offset 0 (actual buffer size is 4)');
    expect(DECODERS.linger.decode(new Uint8Array([1, 0, 0, 0, 9, 0, 0, 0, 0xff]))).toEqual({ onoff: 1, linger: 9 });
    expect(DECODERS.gid_array.decode(new Uint8Array(0))).toEqual([]);
    expect(() => DECODERS.linger.decode('ab' as any)).toThrow(TypeError);
  });
});

describe('encoders against CPython struct.pack', () => {
  it.each(fixture.encoders.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const arg = Object.fromEntries(Object.entries(c.value).map(([k, v]) => [k, jsArg(v as any)]));
    const run = () => ENCODERS[c.encoder](arg);
    if (c.result.ok) {
      const b = run();
      expect(b).toStrictEqual(unhex(c.result.ok.hex!));
      // and back: the decoder of the same layout reads what the encoder wrote
      const back = REG[c.encoder].decode(b) as Record<string, unknown>;
      expect(Object.keys(back)).toEqual(Object.keys(c.value));
    } else {
      const r = c.result.raises!;
      let err: unknown;
      try { run(); } catch (e) { err = e; }
      expect(err, 'should raise').toBeInstanceOf(Error);
      expect((err as Error).name).toBe(r.type);
      expect((err as Error).message).toBe(r.message);
      if (r.type === 'error') expect(err).toBeInstanceOf(w.struct.error);
      if (r.type === 'OSError') expect(err).toBeInstanceOf(w.OSError);
    }
  });

  it('defaults: ip_mreq interface and ip_mreqn address are INADDR_ANY, ipv6_mreq interface 0', () => {
    expect(encodeIpMreq({ multiaddr: '224.0.0.1' })).toStrictEqual(unhex('e000000100000000'));
    expect(encodeIpMreqn({ multiaddr: '224.0.0.1', ifindex: 1 })).toStrictEqual(unhex('e00000010000000001000000'));
    expect(encodeIpv6Mreq({ multiaddr: 'ff02::1' })).toStrictEqual(unhex('ff02000000000000000000000000000100000000'));
    expect(() => encodeIpMreq({ multiaddr: 1234 })).toThrow('inet_aton() argument 1 must be str, not int');
  });
});

// ---------------------------------------------------------------- live sockets

function tcpPair(family = w.AF_INET): { l: w.socket; c: w.socket; a: w.socket; close(): void } {
  const l = new w.socket(family, w.SOCK_STREAM);
  l.bind(family === w.AF_INET ? ['127.0.0.1', 0] : ['::1', 0, 0, 0]);
  l.listen();
  const c = new w.socket(family, w.SOCK_STREAM);
  c.connect(l.getsockname());
  const [a] = l.accept();
  return { l, c, a, close() { c.close(); a.close(); l.close(); } };
}

function exchange(c: w.socket, a: w.socket, n: number): void {
  c.sendall(new Uint8Array(n).fill(0x71));
  let got = 0;
  while (got < n) got += a.recv(65536).length;
}

// Linux options CPython 3.11 does not export (so neither does wasock's constant list).
const SO_PEERNAME = 28, SO_MEMINFO = 55, SO_COOKIE = 57, TCP_CC_INFO = 26, TCP_SAVED_SYN = 28, IPV6_2292PKTOPTIONS = 6;
const ccNow = readFileSync('/proc/sys/net/ipv4/tcp_congestion_control', 'utf8').trim();

describe('getsockoptDecoded() on live sockets', () => {
  it('TCP_INFO: state 1 (ESTABLISHED) on both ends, bytes_acked grows with traffic', () => {
    const p = tcpPair();
    try {
      const before = p.c.getsockoptDecoded(w.IPPROTO_TCP, w.TCP_INFO) as TcpInfo;
      expect(before.state).toBe(1);
      expect((p.a.getsockoptDecoded(w.IPPROTO_TCP, w.TCP_INFO) as TcpInfo).state).toBe(1);
      expect(typeof before.bytes_acked).toBe('bigint');
      expect(typeof before.rtt).toBe('number');
      exchange(p.c, p.a, 50000);
      // The peer has read everything, but its last ACK may be delayed (up to ~40 ms).
      let after = p.c.getsockoptDecoded(w.IPPROTO_TCP, w.TCP_INFO) as TcpInfo;
      for (let i = 0; i < 200 && after.bytes_acked! - before.bytes_acked! < 50000n; i++) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        after = p.c.getsockoptDecoded(w.IPPROTO_TCP, w.TCP_INFO) as TcpInfo;
      }
      expect(after.bytes_acked! - before.bytes_acked!).toBe(50000n);
      expect(after.bytes_sent).toBe(50000n);
      expect((p.a.getsockoptDecoded(w.IPPROTO_TCP, w.TCP_INFO) as TcpInfo).bytes_received).toBe(50000n);
      expect(Object.keys(after)).toEqual(DECODERS.tcp_info.fields);
    } finally { p.close(); }
  });

  it('TCP_INFO on a fresh socket is TCP_CLOSE (7), on a listener TCP_LISTEN (10)', () => {
    const s = new w.socket();
    const l = new w.socket();
    try {
      expect((s.getsockoptDecoded(w.IPPROTO_TCP, w.TCP_INFO) as TcpInfo).state).toBe(7);
      l.bind(['127.0.0.1', 0]); l.listen();
      expect((l.getsockoptDecoded(w.IPPROTO_TCP, w.TCP_INFO) as TcpInfo).state).toBe(10);
    } finally { s.close(); l.close(); }
  });

  it('SO_PEERCRED on a socketpair is this process; on TCP (0, 2**32-1, 2**32-1)', () => {
    const [a, b] = w.socketpair();
    const s = new w.socket();
    try {
      expect(a.getsockoptDecoded(w.SOL_SOCKET, w.SO_PEERCRED)).toEqual({ pid: process.pid, uid: process.getuid!(), gid: process.getgid!() });
      expect(s.getsockoptDecoded(w.SOL_SOCKET, w.SO_PEERCRED)).toEqual({ pid: 0, uid: 4294967295, gid: 4294967295 });
    } finally { a.close(); b.close(); s.close(); }
  });

  it('SO_LINGER round trip: encodeLinger -> setsockopt -> getsockoptDecoded', () => {
    const s = new w.socket();
    try {
      expect(s.getsockoptDecoded(w.SOL_SOCKET, w.SO_LINGER)).toEqual({ onoff: 0, linger: 0 });
      s.setsockopt(w.SOL_SOCKET, w.SO_LINGER, encodeLinger({ onoff: 1, linger: 5 }));
      expect(s.getsockoptDecoded(w.SOL_SOCKET, w.SO_LINGER)).toEqual({ onoff: 1, linger: 5 });
      s.setsockopt(w.SOL_SOCKET, w.SO_LINGER, encodeLinger({ onoff: 7, linger: 30 }));
      expect(s.getsockoptDecoded(w.SOL_SOCKET, w.SO_LINGER)).toEqual({ onoff: 1, linger: 30 });   // l_onoff normalised
    } finally { s.close(); }
  });

  it('SO_RCVTIMEO / SO_SNDTIMEO round trip through encodeTimeval (bigint fields, jiffy rounding)', () => {
    const s = new w.socket();
    try {
      s.setsockopt(w.SOL_SOCKET, w.SO_RCVTIMEO, encodeTimeval({ sec: 1, usec: 500000 }));
      expect(s.getsockoptDecoded(w.SOL_SOCKET, w.SO_RCVTIMEO)).toStrictEqual({ sec: 1n, usec: 500000n });
      s.setsockopt(w.SOL_SOCKET, w.SO_SNDTIMEO, encodeTimeval({ sec: 1n, usec: 999999n }));
      expect(s.getsockoptDecoded(w.SOL_SOCKET, w.SO_SNDTIMEO)).toStrictEqual({ sec: 2n, usec: 0n });
    } finally { s.close(); }
  });

  it('TCP_CC_INFO decodes tcp_bbr_info under bbr and is null under reno', () => {
    const p = tcpPair();
    const r = new w.socket();
    try {
      const cc = p.c.getsockoptDecoded(w.IPPROTO_TCP, w.TCP_CONGESTION);
      expect(cc).toBe(ccNow);
      const info = p.c.getsockoptDecoded(w.IPPROTO_TCP, TCP_CC_INFO) as Record<string, unknown> | null;
      if (ccNow === 'bbr') {
        expect(Object.keys(info!)).toEqual(['bw_lo', 'bw_hi', 'min_rtt', 'pacing_gain', 'cwnd_gain', 'bw']);
        expect(info!.bw).toBe((BigInt(info!.bw_hi as number) << 32n) | BigInt(info!.bw_lo as number));
      }
      r.setsockopt(w.IPPROTO_TCP, w.TCP_CONGESTION, new TextEncoder().encode('reno'));
      expect(r.getsockoptDecoded(w.IPPROTO_TCP, w.TCP_CONGESTION)).toBe('reno');
      expect(r.getsockoptDecoded(w.IPPROTO_TCP, TCP_CC_INFO)).toBe(null);
    } finally { p.close(); r.close(); }
  });

  it('SO_PEERNAME matches getpeername(); SO_COOKIE is a bigint; SO_MEMINFO has the nine SK_MEMINFO fields', () => {
    const p = tcpPair();
    try {
      const [host, port] = p.c.getpeername() as [string, number];
      expect(p.c.getsockoptDecoded(w.SOL_SOCKET, SO_PEERNAME)).toEqual({ family: w.AF_INET, port, addr: host });
      const cookie = p.c.getsockoptDecoded(w.SOL_SOCKET, SO_COOKIE);
      expect(typeof cookie).toBe('bigint');
      expect(p.c.getsockoptDecoded(w.SOL_SOCKET, SO_COOKIE)).toBe(cookie);
      expect(Object.keys(p.c.getsockoptDecoded(w.SOL_SOCKET, SO_MEMINFO) as object)).toEqual(
        ['rmem_alloc', 'rcvbuf', 'wmem_alloc', 'sndbuf', 'fwd_alloc', 'wmem_queued', 'optmem', 'backlog', 'drops']);
    } finally { p.close(); }
  });

  it('IP_MULTICAST_IF reads an address string; ip_mreq, ip_mreqn and ipv6_mreq joins succeed', () => {
    const u = new w.socket(w.AF_INET, w.SOCK_DGRAM);
    const u6 = new w.socket(w.AF_INET6, w.SOCK_DGRAM);
    try {
      expect(u.getsockoptDecoded(w.IPPROTO_IP, w.IP_MULTICAST_IF)).toBe('0.0.0.0');
      u.setsockopt(w.IPPROTO_IP, w.IP_MULTICAST_IF, encodeIpMreq({ multiaddr: '127.0.0.1' }).subarray(0, 4));
      expect(u.getsockoptDecoded(w.IPPROTO_IP, w.IP_MULTICAST_IF)).toBe('127.0.0.1');
      u.setsockopt(w.IPPROTO_IP, w.IP_ADD_MEMBERSHIP, encodeIpMreq({ multiaddr: '224.0.0.251', interface: '127.0.0.1' }));
      u.setsockopt(w.IPPROTO_IP, w.IP_ADD_MEMBERSHIP, encodeIpMreqn({ multiaddr: '224.0.0.252', ifindex: 1 }));
      u.setsockopt(w.IPPROTO_IP, w.IP_DROP_MEMBERSHIP, encodeIpMreq({ multiaddr: '224.0.0.251', interface: '127.0.0.1' }));
      u6.setsockopt(w.IPPROTO_IPV6, w.IPV6_JOIN_GROUP, encodeIpv6Mreq({ multiaddr: 'ff02::fb', interface: 1 }));
      u6.setsockopt(w.IPPROTO_IPV6, w.IPV6_LEAVE_GROUP, encodeIpv6Mreq({ multiaddr: 'ff02::fb', interface: 1 }));
    } finally { u.close(); u6.close(); }
  });

  it('int and bool rows read in int mode; bytes rows without a decoder stay bytes; kernel errors propagate', () => {
    const s = new w.socket();
    try {
      expect(s.getsockoptDecoded(w.SOL_SOCKET, w.SO_TYPE)).toBe(w.SOCK_STREAM);
      expect(s.getsockoptDecoded(w.SOL_SOCKET, w.SO_REUSEADDR)).toBe(0);
      expect(s.getsockoptDecoded(w.IPPROTO_TCP, TCP_SAVED_SYN)).toStrictEqual(new Uint8Array(0));
      let err: unknown;
      try { s.getsockoptDecoded(w.IPPROTO_IPV6, w.IPV6_V6ONLY); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(w.OSError);
      expect((err as w.OSError).errno).toBe(95);
      // not in the table: plain getsockopt(level, optname), here the kernel's ENOPROTOOPT
      expect(() => s.getsockoptDecoded(w.SOL_SOCKET, 9999)).toThrow('[Errno 92] Protocol not available');
    } finally { s.close(); }
  });

  it('IPV6_2292PKTOPTIONS: cmsgs with in6_pktinfo of the last received segment', () => {
    const p = tcpPair(w.AF_INET6);
    try {
      p.a.setsockopt(w.IPPROTO_IPV6, w.IPV6_RECVPKTINFO, 1);
      exchange(p.c, p.a, 1000);
      const msgs = p.a.getsockoptDecoded(w.IPPROTO_IPV6, IPV6_2292PKTOPTIONS) as { level: number; type: number; value?: unknown }[];
      expect(msgs.find((m) => m.level === w.IPPROTO_IPV6 && m.type === w.IPV6_PKTINFO)?.value).toEqual({ addr: '::1', ifindex: 1 });
    } finally { p.close(); }
  });
});

describe('wasock probe prints decoded values', () => {
  const bin = new URL('../dist/src/cli.js', import.meta.url).pathname;
  const probe = (...args: string[]) => execFileSync('node', [bin, 'probe', ...args], { encoding: 'utf8' });

  it('--json: a decoded field per row (bigint as a decimal string, bytes as hex), null without a decoder', () => {
    const out = JSON.parse(probe('--json', '--state', 'connected')) as { options: { name: string; bytes: string | null; decoded: any }[] };
    const m = new Map(out.options.map((o) => [o.name, o]));
    expect(m.get('TCP_INFO')!.decoded.state).toBe(1);
    expect(m.get('TCP_INFO')!.bytes!.slice(0, 2)).toBe('01');
    expect(m.get('TCP_INFO')!.decoded.bytes_acked).toMatch(/^[0-9]+$/);
    expect(m.get('SO_LINGER')!.decoded).toEqual({ onoff: 0, linger: 0 });
    expect(m.get('SO_RCVTIMEO')!.decoded).toEqual({ sec: '0', usec: '0' });
    expect(m.get('SO_COOKIE')!.decoded).toMatch(/^[0-9]+$/);
    expect(m.get('SO_PEERNAME')!.decoded).toMatchObject({ family: 2, addr: '127.0.0.1' });
    expect(m.get('TCP_CONGESTION')!.decoded).toBe(ccNow);
    expect(m.get('SO_TYPE')!.decoded).toBe(null);
  });

  it('table: a short decoded value replaces the hex, a long one follows it', () => {
    const text = probe('--state', 'connected');
    expect(text).toMatch(/SOL_SOCKET\s+SO_LINGER\s+\{onoff=0, linger=0\}\n/);
    expect(text).toMatch(/IPPROTO_TCP\s+TCP_INFO\s+01[0-9a-f]+… \(280 bytes\)\s+\[=8B24I4Q6I4Q2I2Q6I2H8I2H\]\s+\{state=1, ca_state=0, /);
    expect(text).toMatch(/SOL_SOCKET\s+SO_PEERCRED\s+\{pid=0, uid=4294967295, gid=4294967295\}\n/);
  });
});
