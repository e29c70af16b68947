// The emulated network's socket options beyond the CPython replays (which run it as root):
// an unprivileged process, the values it synthesises, options the kernel's behaviour reads,
// and the status table src/generated/emulated-options.ts exports.
import { describe, expect, it } from 'vitest';
import { network } from '../src/emulated.js';
import * as w from '../src/index.js';
import { optionTable } from '../src/options.js';
import { EMULATED_OPTIONS } from '../src/generated/emulated-options.js';

/** A DataView over exactly the bytes of a result (results may be views into a shared pool). */
const view = (u: unknown) => { const b = u as Uint8Array; return new DataView(b.buffer, b.byteOffset, b.byteLength); };
const errno = (f: () => unknown): number | null => {
  try { f(); return null; } catch (e) { return (e as w.OSError).errno ?? null; }
};

describe('an unprivileged emulated process (the default)', () => {
  const net = network({ seed: 3 });
  it('privileged options answer as Linux does without CAP_NET_ADMIN / CAP_NET_RAW', () => {
    const s = new net.socket();
    expect(errno(() => s.setsockopt(w.SOL_SOCKET, w.SO_MARK, 5))).toBe(1);            // EPERM
    expect(errno(() => s.setsockopt(w.SOL_SOCKET, w.SO_PRIORITY, 7))).toBe(1);        // EPERM above 6
    s.setsockopt(w.SOL_SOCKET, w.SO_PRIORITY, 6);
    expect(errno(() => s.setsockopt(w.SOL_SOCKET, w.SO_DEBUG, 1))).toBe(13);          // EACCES
    expect(errno(() => s.setsockopt(w.SOL_SOCKET, 32, 300000))).toBe(1);              // SO_SNDBUFFORCE
    expect(errno(() => s.setsockopt(w.IPPROTO_TCP, 19, 1))).toBe(1);                  // TCP_REPAIR
    expect(errno(() => s.setsockopt(w.IPPROTO_TCP, w.TCP_CONGESTION, new TextEncoder().encode('cubic')))).toBe(1);
    s.setsockopt(w.IPPROTO_TCP, w.TCP_CONGESTION, new TextEncoder().encode('reno'));
    // The first device binding is anyone's; changing it needs CAP_NET_RAW.
    s.setsockopt(w.SOL_SOCKET, w.SO_BINDTODEVICE, new TextEncoder().encode('lo'));
    expect(errno(() => s.setsockopt(w.SOL_SOCKET, w.SO_BINDTODEVICE, new Uint8Array(0)))).toBe(1);
    s.close();
  });
  it('SO_PEERCRED of a socketpair is the network process (pid 1000, uid and gid 1000)', () => {
    const [a, b] = net.socketpair();
    const cred = view(a.getsockopt(w.SOL_SOCKET, w.SO_PEERCRED, 12));
    expect([cred.getInt32(0, true), cred.getInt32(4, true), cred.getInt32(8, true)]).toEqual([1000, 1000, 1000]);
    a.close(); b.close();
  });
});

describe('synthesised values', () => {
  const net = network({ seed: 4 });
  it('SO_COOKIE counts per network, from 1, on first read', () => {
    const a = new net.socket(), b = new net.socket();
    const cookie = (s: w.socket) => view(s.getsockopt(w.SOL_SOCKET, 57, 8)).getBigUint64(0, true);
    const cb = cookie(b), ca = cookie(a);
    expect(ca).toBe(cb + 1n);
    expect(cookie(a)).toBe(ca);
    a.close(); b.close();
  });
  it('an established TCP socket grows its send buffer as tcp_sndbuf_expand does, unless SO_SNDBUF was set', () => {
    const l = new net.socket(); l.bind(['127.0.0.1', 0]); l.listen();
    const c = new net.socket(); c.connect(l.getsockname());
    const pinned = new net.socket(); pinned.setsockopt(w.SOL_SOCKET, w.SO_SNDBUF, 8192); pinned.connect(l.getsockname());
    expect(c.getsockopt(w.SOL_SOCKET, w.SO_SNDBUF)).toBe(3939840);     // bbr: 3 x 10 x 131328
    expect(pinned.getsockopt(w.SOL_SOCKET, w.SO_SNDBUF)).toBe(16384);
    const info = c.getsockopt(w.IPPROTO_TCP, w.TCP_INFO, 280) as Uint8Array;
    expect(info[0]).toBe(1);                                               // TCP_ESTABLISHED
    for (const s of [c, pinned, l]) s.close();
    for (;;) { try { l.accept(); } catch { break; } }
  });
});

describe('options the emulated kernel applies', () => {
  it('SO_RCVBUF sizes the receive window (half of it carries payload, as Linux advertises): a sender fills exactly that much', () => {
    const net = network({ seed: 5 });
    const [a, b] = net.socketpair(w.AF_UNIX, w.SOCK_STREAM);
    const l = new net.socket(); l.bind(['127.0.0.1', 0]); l.listen();
    const c = new net.socket(); c.setsockopt(w.SOL_SOCKET, w.SO_SNDBUF, 0); c.connect(l.getsockname());
    const [p] = l.accept();
    p.setsockopt(w.SOL_SOCKET, w.SO_RCVBUF, 4096);                          // reads 8192
    expect(p.getsockopt(w.SOL_SOCKET, w.SO_RCVBUF)).toBe(8192);
    c.setblocking(false);
    let sent = 0;
    try { for (;;) sent += c.send(new Uint8Array(1024)); } catch (e) { expect((e as w.OSError).errno).toBe(11); }
    // Half the peer's SO_RCVBUF + three quarters of our SOCK_MIN_SNDBUF (stream.ts rcvWindow/sndSpace;
    // the Linux-behaviour backpressure scenario pins the same model against the real kernel).
    expect(sent).toBe(8192 / 2 + 4608 * 3 / 4);
    for (const s of [a, b, l, c, p]) s.close();
  });
  it('IPV6_V6ONLY cannot change once bound, and binding ::1 makes a socket v6-only', () => {
    const net = network({ seed: 6 });
    const s = new net.socket(w.AF_INET6);
    s.bind(['::1', 0]);
    expect(s.getsockopt(w.IPPROTO_IPV6, w.IPV6_V6ONLY)).toBe(1);
    expect(errno(() => s.setsockopt(w.IPPROTO_IPV6, w.IPV6_V6ONLY, 0))).toBe(22);
    s.close();
  });
  it('SO_RCVTIMEO is kept in jiffies (HZ 250) and read back rounded up', () => {
    const net = network({ seed: 7 });
    const s = new net.socket();
    s.setsockopt(w.SOL_SOCKET, w.SO_RCVTIMEO, new Uint8Array(new BigInt64Array([0n, 1n]).buffer));
    const tv = new BigInt64Array((s.getsockopt(w.SOL_SOCKET, w.SO_RCVTIMEO, 16) as Uint8Array).slice().buffer);
    expect([...tv]).toEqual([0n, 4000n]);
    s.close();
  });
});

describe('the status table', () => {
  it('names every row of the option table once, with a known status', () => {
    const rows = optionTable();
    expect(Object.keys(EMULATED_OPTIONS).length).toBe(rows.length);
    for (const v of Object.values(EMULATED_OPTIONS)) expect(['derived', 'applied', 'stored', 'absent']).toContain(v);
    expect(EMULATED_OPTIONS.SO_RCVBUF).toBe('applied');
    expect(EMULATED_OPTIONS.TCP_INFO).toBe('derived');
    expect(EMULATED_OPTIONS.SO_PEERSEC).toBe('absent');
  });
});
