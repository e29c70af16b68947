// The emulated network's own behaviour, on networks of its own (src/emulated.ts), in the
// default run: what the CPython replays cannot show on it (they run on WASOCK_TEST_HOST),
// the answers where it diverges from Linux by design (test/helpers/hosts.ts DIVERGES), and
// the kernel fixes the replays on `emulated` found, pinned so the default run keeps them.
import { describe, expect, it } from 'vitest';
import { network } from '../src/emulated.js';
import * as w from '../src/index.js';

const errno = (f: () => unknown): number | null => {
  try { f(); return null; } catch (e) { return (e as w.OSError).errno ?? null; }
};
const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);

/** Two machines 0.3 s apart: a peer on "far" that acts "later" in the network's virtual time. */
function twoMachines() {
  const net = network({ seed: 7, addresses: ['198.51.100.1'], machines: { far: { addresses: ['198.51.100.2'] } } });
  net.faults.latency('local', 'far', 0.3);
  return { net, far: net.machine('far') };
}

describe('a peer on another machine stands in for a peer process (timeouts.json io/recv/inet/data-during-wait)', () => {
  it('recv() under a timeout returns the bytes that arrive during its wait, after the link latency of virtual time', () => {
    const { net, far } = twoMachines();
    const l = new net.socket();
    l.bind(['198.51.100.1', 0]);
    l.listen();
    const c = new far.socket();
    c.connect(l.getsockname());
    const [conn, addr] = l.accept();
    // the peer's address is its machine's own, not 127.0.0.1 (the source address of its route)
    expect((addr as [string, number])[0]).toBe('198.51.100.2');
    expect((c.getsockname() as [string, number])[0]).toBe('198.51.100.2');
    c.sendall(new TextEncoder().encode('late data'));
    conn.settimeout(2.5);
    const t0 = net.clock.now();
    expect(new TextDecoder().decode(conn.recv(100))).toBe('late data');
    const dt = net.clock.now() - t0;
    expect(dt).toBeGreaterThanOrEqual(0.3);
    expect(dt).toBeLessThan(0.31);
    for (const s of [c, conn, l]) s.close();
  });

  it('a timeout shorter than the latency raises TimeoutError at its deadline; the bytes come after', () => {
    const { net, far } = twoMachines();
    const l = new net.socket();
    l.bind(['198.51.100.1', 0]);
    l.listen();
    const c = new far.socket();
    c.connect(l.getsockname());
    const [conn] = l.accept();
    c.sendall(new Uint8Array([1, 2, 3]));
    conn.settimeout(0.1);
    const t0 = net.clock.now();
    expect(() => conn.recv(10)).toThrow(w.TimeoutError);
    expect(net.clock.now() - t0).toBeCloseTo(0.1, 6);
    conn.settimeout(1);
    expect([...conn.recv(10)]).toEqual([1, 2, 3]);
    for (const s of [c, conn, l]) s.close();
  });

  it('without a peer that can act, a blocking recv() fails at once with EDEADLK instead of hanging', () => {
    const net = network({ seed: 7 });
    const [a, b] = net.socketpair();
    expect(errno(() => a.recv(1))).toBe(35);
    a.close(); b.close();
  });
});

describe('emulated kernel answers the replays on `emulated` pinned (Linux 6.x)', () => {
  it('a network holds 64 machines: one more is a TypeError, not a core out of its tables', () => {
    const names = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`m${i}`, { addresses: [`10.0.${i >> 8}.${(i & 255) + 1}`] }]));
    const net = network({ machines: names(63) });
    const s = new (net.machine('m62').socket)(w.AF_INET, w.SOCK_STREAM);
    s.bind(['10.0.0.63', 0]);
    s.close();
    expect(() => network({ machines: names(64) })).toThrow('wasock: an emulated network has at most 64 machines (local and 63 more)');
  });

  it("fcntl with a bytes or str argument runs the command (F_GETFD answers) and returns the buffer as it was", () => {
    const net = network({ seed: 1 });
    const s = new net.socket();
    expect([...(w.fcntl.fcntl(s, w.fcntl.F_GETFD, w.fcntl.readonly(new Uint8Array([97, 98, 99, 100]))) as Uint8Array)]).toEqual([97, 98, 99, 100]);
    expect([...(w.fcntl.fcntl(s, w.fcntl.F_GETFD, 'xy') as Uint8Array)]).toEqual([120, 121]);
    s.close();
  });

  it('F_DUPFD at or above RLIMIT_NOFILE (1024) is EINVAL', () => {
    const net = network({ seed: 1 });
    const s = new net.socket();
    expect(errno(() => w.fcntl.fcntl(s, w.fcntl.F_DUPFD, 1024))).toBe(22);
    const d = w.fcntl.fcntl(s, w.fcntl.F_DUPFD, 1000) as number;
    expect(d).toBe(1000);
    new net.socket(-1, -1, -1, d).close();
    s.close();
  });

  it('a UDP socket answers SIOCOUTQ; SIOCOUTQNSD and SIOCATMARK are ENOTTY (tcp_ioctl only)', () => {
    const net = network({ seed: 1 });
    const u = new net.socket(w.AF_INET, w.SOCK_DGRAM);
    u.bind(['127.0.0.1', 0]);
    expect([...(w.fcntl.ioctl(u, w.fcntl.SIOCOUTQ, w.fcntl.readonly(new Uint8Array(4))) as Uint8Array)]).toEqual([0, 0, 0, 0]);
    expect(errno(() => w.fcntl.ioctl(u, w.fcntl.SIOCOUTQNSD, w.fcntl.readonly(new Uint8Array(4))))).toBe(25);
    expect(errno(() => w.fcntl.ioctl(u, w.fcntl.SIOCATMARK, w.fcntl.readonly(new Uint8Array(4))))).toBe(25);
    u.close();
    const [a, b] = net.socketpair();
    expect(errno(() => w.fcntl.ioctl(a, w.fcntl.SIOCOUTQNSD, w.fcntl.readonly(new Uint8Array(4))))).toBe(25);
    a.close(); b.close();
  });

  it("a listener's TCP_INFO holds its accept queue (tcpi_unacked) and backlog (tcpi_sacked), as `ss` shows them on Linux", () => {
    const net = network({ seed: 1 });
    const l = new net.socket();
    l.bind(['127.0.0.1', 0]);
    for (const [req, want] of [[5, 5], [0, 0], [-1, 0], [5000, 4096]] as const) {
      l.listen(req);
      const info = l.getsockopt(w.IPPROTO_TCP, w.TCP_INFO, 104) as Uint8Array;
      expect([info[0], u32(info, 24), u32(info, 28)], `listen(${req})`).toEqual([10, 0, want]);
    }
    l.listen(5);
    const c = net.create_connection(l.getsockname() as [string, number]);
    expect(u32(l.getsockopt(w.IPPROTO_TCP, w.TCP_INFO, 104) as Uint8Array, 24)).toBe(1);
    c.close(); l.close();
  });

  it("makefile('rb', 2**31): a reader's window through core memory is one staging block, and readline works", () => {
    const net = network({ seed: 1 });
    const [a, b] = net.socketpair();
    const f = a.makefile('rb', 2 ** 31) as unknown as { readline(): Uint8Array; close(): void };
    b.sendall(new Uint8Array([97, 98, 10]));
    expect([...f.readline()]).toEqual([97, 98, 10]);
    f.close(); a.close(); b.close();
  });
});
