// The emulated network's own behaviour, beyond what the CPython fixtures and the Linux
// scenarios pin: determinism across processes, no system call at all, time that is the
// network's (keep-alive, SYN retries, latency, bandwidth), faults, several machines, the
// policy with zero host calls, and the error for a wait nothing can end.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeFileSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { network, type EmulatedNetwork } from '../src/emulated.js';
import { policy, PermissionError, TimeoutError, ConnectionResetError, OSError } from '../src/index.js';

const transcript = fileURLToPath(new URL('./helpers/emulated-transcript.mjs', import.meta.url));
const run = (seed: number): string => execFileSync(process.execPath, [transcript, String(seed)], { encoding: 'utf8' });
const bytes = (s: string) => new TextEncoder().encode(s);

/** Two machines: local (10.0.0.1) and db (10.0.0.2), a listener on db:5432 and a connection to it. */
function twoMachines(seed = 1): { net: EmulatedNetwork; db: EmulatedNetwork; l: InstanceType<EmulatedNetwork['socket']> } {
  const net = network({ seed, addresses: ['10.0.0.1'], machines: { db: { addresses: ['10.0.0.2', 'fd00::2'] } } });
  const db = net.machine('db');
  const l = new db.socket(db.AF_INET, db.SOCK_STREAM);
  l.bind(['0.0.0.0', 5432]);
  l.listen();
  return { net, db, l };
}

describe('determinism', () => {
  it('a run prints the same transcript in two processes; another seed changes ports and fault draws', () => {
    const a = run(1), b = run(1), c = run(2);
    expect(a.split('\n').length).toBeGreaterThan(700);    // every option row of three sockets, and more
    expect(b).toBe(a);
    const ports = (t: string) => t.split('\n')[0];
    const udp = (t: string) => t.split('\n').find((l) => l.startsWith('udp received'));
    expect(ports(c)).not.toBe(ports(a));
    expect(udp(c)).not.toBe(udp(a));
  }, 60_000);
});

describe('no system call', () => {
  const TRACE = 'socket,socketpair,bind,connect,listen,accept,accept4,sendto,recvfrom,sendmsg,recvmsg,sendmmsg,recvmmsg,setsockopt,getsockopt,shutdown';
  const traced = (args: string[]): string => {
    const dir = mkdtempSync(join(tmpdir(), 'wasock-strace-'));
    try {
      const out = join(dir, 'trace');
      const r = spawnSync('strace', ['-f', '-qq', '-e', `trace=${TRACE}`, '-o', out, process.execPath, ...args], { encoding: 'utf8' });
      if (r.error) throw r.error;
      expect(r.status, r.stderr).toBe(0);
      return readFileSync(out, 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('an emulated exchange (TCP, UDP, faults, every option read) makes no socket system call', () => {
    // Node itself asks what its stdio fds are (getsockopt(0..2, SO_TYPE)) when they are
    // sockets, as under a test runner: those lines are Node's, on fds no socket of ours has.
    const node = /^\d+\s+getsockopt\([012], SOL_SOCKET, SO_TYPE,/;
    const lines = traced([transcript, '1']).split('\n').filter((l) => l !== '' && !node.test(l));
    expect(lines).toEqual([]);
  }, 60_000);

  it('control: the same strace sees the Linux host make them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasock-strace-'));
    try {
      const script = join(dir, 'linux.mjs');
      const dist = fileURLToPath(new URL('../dist/src/linux.js', import.meta.url));
      writeFileSync(script, `import { network } from ${JSON.stringify(dist)};\nconst net = network(); const s = new net.socket(); s.bind(['127.0.0.1', 0]); s.close();\n`);
      const t = traced([script]);
      expect(t).toMatch(/socket\(AF_INET, SOCK_STREAM/);
      expect(t).toMatch(/bind\(/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('virtual time', () => {
  it('keep-alive detects a partitioned peer at idle + intvl x cnt virtual seconds (ETIMEDOUT)', () => {
    const { net, l } = twoMachines();
    const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
    c.setsockopt(net.SOL_SOCKET, net.SO_KEEPALIVE, 1);
    c.setsockopt(net.IPPROTO_TCP, net.TCP_KEEPIDLE, 10);
    c.setsockopt(net.IPPROTO_TCP, net.TCP_KEEPINTVL, 5);
    c.setsockopt(net.IPPROTO_TCP, net.TCP_KEEPCNT, 3);
    c.connect(['10.0.0.2', 5432]);
    const [a] = l.accept();
    expect((c.getsockname() as [string, number])[0]).toBe('10.0.0.1');
    expect(a.getpeername()).toEqual(c.getsockname());
    net.faults.partition('local', 'db');
    const t0 = net.clock.now();
    let err: unknown;
    try { c.recv(10); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as OSError).errno).toBe(110);
    expect(net.clock.now() - t0).toBe(10 + 5 * 3);
    // The error is reported once; then the connection is gone (EPIPE), as on Linux.
    expect(() => c.send(bytes('x'))).toThrow('[Errno 32] Broken pipe');
    for (const s of [c, a, l]) s.close();
  });

  it('without keep-alive an idle connection across a partition waits: a timeout ends at its virtual deadline', () => {
    const { net, l } = twoMachines();
    const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
    c.connect(['10.0.0.2', 5432]);
    const [a] = l.accept();
    net.faults.partition('local', 'db');
    c.settimeout(3.5);
    const t0 = net.clock.now();
    expect(() => c.recv(10)).toThrow(TimeoutError);
    expect(net.clock.now() - t0).toBeCloseTo(3.5, 9);
    for (const s of [c, a, l]) s.close();
  });

  it('a connect across a partition retries its SYN and fails with ETIMEDOUT at 127 s (tcp_syn_retries = 6); a repair scheduled in time lets it through', () => {
    const { net, l } = twoMachines();
    net.faults.partition('local', 'db');
    const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
    const t0 = net.clock.now();
    expect(() => c.connect(['10.0.0.2', 5432])).toThrow('[Errno 110] Connection timed out');
    expect(net.clock.now() - t0).toBe(127);
    c.close();
    // Cut again, repaired at +5 s: the SYN retried at +7 s gets through.
    const t1 = net.clock.now();
    net.faults.partition('local', 'db', { until: t1 + 5 });
    const d = new net.socket(net.AF_INET, net.SOCK_STREAM);
    d.connect(['10.0.0.2', 5432]);
    expect(net.clock.now() - t1).toBe(7);
    d.close(); l.close();
  });

  it('latency delays bytes in virtual time; bandwidth limits them', () => {
    const { net, l } = twoMachines();
    net.faults.latency('local', 'db', 0.25);
    const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
    c.connect(['10.0.0.2', 5432]);
    const [a] = l.accept();
    const t0 = net.clock.now();
    a.sendall(bytes('hello'));
    expect(c.recv(10)).toEqual(bytes('hello'));
    expect(net.clock.now() - t0).toBeCloseTo(0.25, 9);
    net.faults.latency('local', 'db', 0);
    net.faults.bandwidth('db', 100_000);      // 100 kB/s from db
    const t1 = net.clock.now();
    a.sendall(new Uint8Array(10_000));
    let got = 0;
    while (got < 10_000) got += c.recv(65536).length;
    expect(net.clock.now() - t1).toBeCloseTo(0.1, 6);
    for (const s of [c, a, l]) s.close();
  });

  it('a blocking call nothing can satisfy fails at once, naming the call and why', () => {
    const net = network({ seed: 1 });
    const [x, y] = net.socketpair();
    let err: unknown;
    try { x.recv(10); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(OSError);
    expect((err as OSError).errno).toBe(35);
    expect((err as Error).message).toBe('[Errno 35] Resource deadlock avoided: recv() would wait forever: no other party in the emulated network can send to this socket (set a timeout, or let the other side act first)');
    expect(net.clock.now()).toBe(0);
    // The socket is unharmed: once the peer acts, the call works.
    y.send(bytes('ok'));
    expect(x.recv(10)).toEqual(bytes('ok'));
    x.close(); y.close();
  });
});

describe('faults', () => {
  it('a crashed machine resets its connections at the peers and frees its ports; restarted, it binds them again', () => {
    const { net, db, l } = twoMachines();
    const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
    c.connect(['10.0.0.2', 5432]);
    const [a] = l.accept();
    net.faults.crash('db');
    expect(() => c.recv(10)).toThrow(ConnectionResetError);
    const d = new net.socket(net.AF_INET, net.SOCK_STREAM);
    d.settimeout(2);
    expect(() => d.connect(['10.0.0.2', 5432])).toThrow(TimeoutError);   // a dead machine answers nothing
    net.faults.restart('db');
    const l2 = new db.socket(db.AF_INET, db.SOCK_STREAM);
    l2.bind(['0.0.0.0', 5432]);
    l2.listen();
    const e = new net.socket(net.AF_INET, net.SOCK_STREAM);
    e.connect(['10.0.0.2', 5432]);
    for (const s of [c, a, l, d, l2, e]) s.close();
  });

  it('an injected reset reaches both ends', () => {
    const { net, l } = twoMachines();
    const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
    c.connect(['10.0.0.2', 5432]);
    const [a] = l.accept();
    net.faults.reset(c);
    expect(() => c.recv(10)).toThrow(ConnectionResetError);
    expect(() => a.recv(10)).toThrow(ConnectionResetError);
    for (const s of [c, a, l]) s.close();
  });

  it('a one-way partition: datagrams go one way only', () => {
    const { net, db } = twoMachines();
    const u = new net.socket(net.AF_INET, net.SOCK_DGRAM); u.bind(['10.0.0.1', 7000]);
    const v = new db.socket(db.AF_INET, db.SOCK_DGRAM); v.bind(['10.0.0.2', 7000]);
    net.faults.partition('local', 'db', { oneWay: true });
    u.sendto(bytes('lost'), ['10.0.0.2', 7000]);
    v.sendto(bytes('arrives'), ['10.0.0.1', 7000]);
    u.settimeout(0.5); v.settimeout(0.5);
    expect(u.recvfrom(100)).toEqual([bytes('arrives'), ['10.0.0.2', 7000]]);
    expect(() => v.recvfrom(100)).toThrow(TimeoutError);
    u.close(); v.close();
  });
});

describe('policy on the emulated network', () => {
  it('each denial raises PermissionError with zero host calls; what is allowed reaches the kernel', () => {
    const p = policy().allowTcp().allow('connect', '10.0.0.0/8', 5432).allow('bind', '0.0.0.0/0').allowOption(6, 1);
    const { net: base } = twoMachines();
    void base;
    const net = network({ seed: 1, policy: p, addresses: ['10.0.0.1'], machines: { db: { addresses: ['10.0.0.2'] } } });
    const calls = () => (net.socket._core().x as unknown as { emu_host_calls(): number }).emu_host_calls();
    const s = new net.socket(net.AF_INET, net.SOCK_STREAM);
    let n = calls();
    expect(() => s.connect(['10.0.0.2', 80])).toThrow(PermissionError);
    expect(() => s.setsockopt(net.SOL_SOCKET, net.SO_REUSEADDR, 1)).toThrow(PermissionError);
    expect(() => new net.socket(net.AF_INET, net.SOCK_DGRAM)).toThrow(PermissionError);
    expect(calls()).toBe(n);
    s.setsockopt(6, 1, 1);                                       // TCP_NODELAY: allowed
    expect(calls()).toBe(n + 1);
    expect(() => s.connect(['10.0.0.2', 5432])).toThrow('[Errno 111] Connection refused');   // allowed: the kernel answers
    s.close();
  });
});

describe('several machines, names', () => {
  it('IPv6 between machines, and addresses nobody owns', () => {
    const net = network({ seed: 3, addresses: ['fd00::1'], machines: { db: { addresses: ['fd00::2'] } } });
    const db = net.machine('db');
    const l = new db.socket(db.AF_INET6, db.SOCK_STREAM);
    l.bind(['fd00::2', 8080]); l.listen();
    const c = new net.socket(net.AF_INET6, net.SOCK_STREAM);
    c.connect(['fd00::2', 8080]);
    const [a, peer] = l.accept();
    expect((peer as unknown[])[0]).toBe('fd00::1');
    expect(() => new net.socket(net.AF_INET, net.SOCK_STREAM).connect(['192.0.2.1', 80])).toThrow('[Errno 101] Network is unreachable');
    expect(() => new net.socket(net.AF_INET6, net.SOCK_STREAM).bind(['fd00::2', 0])).toThrow('[Errno 99] Cannot assign requested address');
    for (const s of [c, a, l]) s.close();
  });

  it('AF_UNIX paths are the network\'s own names: no directory is needed, a closed socket\'s path stays until unlinked', () => {
    const net = network({ seed: 1 });
    const s = new net.socket(net.AF_UNIX, net.SOCK_STREAM);
    s.bind('/no/such/dir/sock');            // Linux: FileNotFoundError (test/helpers/hosts.ts DIVERGES)
    s.close();
    const t = new net.socket(net.AF_UNIX, net.SOCK_STREAM);
    expect(() => t.bind('/no/such/dir/sock')).toThrow('[Errno 98] Address already in use');
    net.unlink('/no/such/dir/sock');
    t.bind('/no/such/dir/sock');
    expect(() => net.unlink('/nothing')).toThrow('[Errno 2] No such file or directory');
    t.close();
  });
});

describe('the windows profile (ioctl.windows)', () => {
  it("socket.ioctl's three controls take effect: SIO_KEEPALIVE_VALS drives keep-alive, SIO_LOOPBACK_FAST_PATH only before connect, SIO_RCVALL refused on a non-raw socket", () => {
    const net = network({ seed: 1, profile: 'windows', addresses: ['10.0.0.1'], machines: { db: { addresses: ['10.0.0.2'] } } });
    expect(net.host.capabilities.has('ioctl.windows')).toBe(true);
    const db = net.machine('db');
    const l = new db.socket(); l.bind(['10.0.0.2', 8080]); l.listen();
    const c = new net.socket();
    expect(c.ioctl(net.SIO_LOOPBACK_FAST_PATH, 1)).toBe(0);
    c.connect(['10.0.0.2', 8080]);
    const [a] = l.accept();
    const winError = (f: () => unknown) => { try { f(); } catch (e) { return [(e as Error).message, (e as OSError).errno, (e as { winerror?: number }).winerror]; } return null; };
    expect(winError(() => c.ioctl(net.SIO_LOOPBACK_FAST_PATH, 1))).toEqual(['[WinError 10022] An invalid argument was supplied', 22, 10022]);
    expect(winError(() => c.ioctl(net.SIO_RCVALL, net.RCVALL_ON))).toEqual(['[WinError 10022] An invalid argument was supplied', 22, 10022]);
    expect(c.ioctl(net.SIO_KEEPALIVE_VALS, [1, 3000, 500])).toBe(0);
    expect(c.getsockopt(net.SOL_SOCKET, net.SO_KEEPALIVE)).toBe(1);
    net.faults.partition('local', 'db');
    const t0 = net.clock.now();
    expect(() => c.recv(1)).toThrow('[Errno 110] Connection timed out');
    expect(net.clock.now() - t0).toBeCloseTo(3 + 0.5 * 10, 9);      // Windows sends 10 probes
    for (const s of [c, a, l]) s.close();
  });

  it('the default (linux) profile has no socket.ioctl, as CPython on Linux', () => {
    const net = network({ seed: 1 });
    const s = new net.socket();
    expect(() => s.ioctl(net.SIO_KEEPALIVE_VALS, [1, 3000, 500])).toThrow("ioctl is not available on emulated (it needs the 'ioctl.windows' capability)");
    s.close();
  });
});
