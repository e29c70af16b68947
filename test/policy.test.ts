// The sandbox policy (issue 11, part 2): deny by default, checked in the core before any host
// call. Every denial is proved twice: a counting host sees no host call at all, and strace
// sees no socket syscall. A refused inbound peer is reset and never returned by accept; a
// refused datagram is dropped and never returned by a receive.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectNoSocketCallsBetweenMarkers } from './helpers/strace.js';
import * as w from '../src/index.js';
import * as browser from '../src/browser.js';
import { network } from '../src/linux.js';
import { bindNetwork, type Network } from '../src/network.js';
import { CountingHost } from './helpers/counting-host.js';
import {
  AF_INET, AF_INET6, AF_UNIX, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOL_SOCKET, SO_RCVBUF, SO_REUSEADDR,
  SO_LINGER, IPPROTO_TCP, TCP_NODELAY, MSG_PEEK, OSError, PermissionError, ConnectionResetError,
  ConnectionRefusedError, FileNotFoundError, TimeoutError, ValueError, policy, type Policy,
  type PolicyDecision, type PolicyRequest,
} from '../src/index.js';

const open: w.socket[] = [];
afterEach(() => { for (const s of open.splice(0)) s.close(); });
/** Sockets closed after each test. */
function keep<T extends w.socket>(s: T): T { open.push(s); return s; }

/** A network on a counting Linux host under `p`. */
function counted(p: Policy): { net: Network; host: CountingHost } {
  const host = new CountingHost();
  return { net: bindNetwork(host, { policy: p }), host };
}

/** `f` raises PermissionError (errno 1) and reaches no host import at all; returns the error. */
function denied(host: CountingHost, f: () => unknown): PermissionError {
  host.reset();
  let err: unknown = null;
  try { f(); } catch (e) { err = e; }
  expect(host.counts).toEqual({});
  expect(err).toBeInstanceOf(PermissionError);
  const e = err as PermissionError;
  expect(e).toBeInstanceOf(OSError);
  expect(e.errno).toBe(1);
  expect(e.message).toBe(`[Errno 1] ${e.strerror}`);
  return e;
}

/** The message of `denied`. */
const msg = (host: CountingHost, f: () => unknown) => denied(host, f).strerror;

describe('protocols', () => {
  it('socket creation of a protocol not allowed is denied before the host is asked; socketpair is AF_UNIX', () => {
    const { net, host } = counted(policy().allowTcp());
    expect(msg(host, () => new net.socket(AF_INET, SOCK_DGRAM))).toBe('socket(AF_INET, SOCK_DGRAM) denied by policy: udp sockets are not allowed');
    expect(msg(host, () => new net.socket(AF_INET6, SOCK_DGRAM))).toBe('socket(AF_INET6, SOCK_DGRAM) denied by policy: udp sockets are not allowed');
    expect(msg(host, () => new net.socket(AF_UNIX, SOCK_STREAM))).toBe('socket(AF_UNIX, SOCK_STREAM) denied by policy: unix sockets are not allowed');
    expect(msg(host, () => net.socketpair())).toBe('socketpair(AF_UNIX, SOCK_STREAM) denied by policy: unix sockets are not allowed');
    expect(msg(host, () => new net.socket(AF_INET, SOCK_RAW, 1))).toBe('socket(AF_INET, SOCK_RAW, 1) denied by policy: only tcp, udp and unix sockets can be allowed');
    host.reset();
    keep(new net.socket(AF_INET, SOCK_STREAM));
    expect(host.counts.socket).toBe(1);
  });

  it('an empty policy denies TCP too; each protocol is its own switch', () => {
    const { net, host } = counted(policy());
    expect(msg(host, () => new net.socket())).toBe('socket(AF_INET, SOCK_STREAM) denied by policy: tcp sockets are not allowed');
    const udp = network({ policy: policy().allowUdp() });
    keep(new udp.socket(AF_INET, SOCK_DGRAM));
    expect(() => new udp.socket()).toThrow(PermissionError);
    const unix = network({ policy: policy().allowUnix() });
    const [a, b] = unix.socketpair();
    keep(a); keep(b);
    expect(() => new unix.socket(AF_INET, SOCK_DGRAM)).toThrow(PermissionError);
  });

  it('socket(fileno=) and fromfd adopt an fd as a socket of its protocol', () => {
    const [a, b] = w.socketpair();       // the top level: no policy
    keep(a); keep(b);
    const net = network({ policy: policy().allowTcp() });
    expect(() => new net.socket(-1, -1, -1, a.fileno())).toThrow('socket(AF_UNIX, SOCK_STREAM) denied by policy: unix sockets are not allowed');
    expect(() => net.fromfd(a.fileno(), AF_UNIX, SOCK_STREAM)).toThrow('fromfd(AF_UNIX, SOCK_STREAM) denied by policy');
    expect(a.fileno()).toBeGreaterThanOrEqual(0);         // the caller's fd is untouched
  });
});

describe('address rules', () => {
  const base = () => policy().allowTcp().allowUdp();

  it('connect, bind and listen are separate uses; a denial names the address, the port and the reason', () => {
    const { net, host } = counted(base().allow('bind', '127.0.0.1').allow('connect', '127.0.0.0/8', [1, 1023]));
    const s = keep(new net.socket());
    expect(msg(host, () => s.connect(['10.0.0.1', 80]))).toBe('connect to 10.0.0.1 port 80 denied by policy: no rule allows connect to this address');
    expect(msg(host, () => s.connect(['127.0.0.1', 8080]))).toBe('connect to 127.0.0.1 port 8080 denied by policy: no rule allows connect to this address');
    expect(msg(host, () => s.bind(['0.0.0.0', 0]))).toBe('bind to 0.0.0.0 port 0 denied by policy: no rule allows bind to this address');
    host.reset();
    s.bind(['127.0.0.1', 0]);
    expect(host.counts).toEqual({ bind: 1 });
    expect(msg(host, () => s.listen())).toBe('listen on 127.0.0.1 port 0 denied by policy: no rule allows listen on this address');
    // an allowed connect reaches the kernel (nothing listens on port 1 of 127.0.0.5)
    host.reset();
    expect(() => s.connect(['127.0.0.5', 1])).toThrow(ConnectionRefusedError);
    expect(host.counts.connect).toBe(1);
  });

  it('connect_ex returns EPERM for a denial, as connect(2) behind a firewall; the audit hook still sees it', () => {
    const seen: PolicyDecision[] = [];
    const { net, host } = counted(base().allow(['bind', 'connect'], '127.0.0.1').audit((d) => seen.push(d)));
    const s = keep(new net.socket());
    host.reset();
    expect(s.connect_ex(['10.0.0.1', 80])).toBe(1);
    expect(host.counts).toEqual({});
    expect(seen.at(-1)).toMatchObject({ use: 'connect', api: 'connect_ex', address: '10.0.0.1', port: 80, allowed: false });
  });

  it('an implicit bind (connect, sendto or listen on an unbound socket) is a bind of the wildcard address, port 0', () => {
    const { net, host } = counted(base().allow(['connect', 'send', 'listen'], '127.0.0.1').allow('connect', '::1'));
    const s = keep(new net.socket());
    expect(msg(host, () => s.connect(['127.0.0.1', 1]))).toBe('connect(): implicit bind to 0.0.0.0 port 0 denied by policy: no rule allows bind to this address');
    const u = keep(new net.socket(AF_INET, SOCK_DGRAM));
    expect(msg(host, () => u.sendto(new Uint8Array(1), ['127.0.0.1', 9]))).toBe('sendto(): implicit bind to 0.0.0.0 port 0 denied by policy: no rule allows bind to this address');
    const l = keep(new net.socket());
    expect(msg(host, () => l.listen())).toBe('listen(): implicit bind to 0.0.0.0 port 0 denied by policy: no rule allows bind to this address');
    const six = keep(new net.socket(AF_INET6));
    expect(msg(host, () => six.connect(['::1', 1]))).toBe('connect(): implicit bind to :: port 0 denied by policy: no rule allows bind to this address');
    // allowed as the wildcard's bind: the connect reaches the kernel
    const { net: net2, host: host2 } = counted(base().allow('connect', '127.0.0.1').allow('bind', '0.0.0.0', 0));
    const t = keep(new net2.socket());
    host2.reset();
    expect(() => t.connect(['127.0.0.1', 1])).toThrow(ConnectionRefusedError);
    expect(host2.counts.connect).toBe(1);
  });

  it('an explicitly bound socket needs no implicit bind; sendto is the send use', () => {
    const { net, host } = counted(base().allow('bind', '127.0.0.1').allow('send', '127.0.0.1', 9));
    const u = keep(new net.socket(AF_INET, SOCK_DGRAM));
    expect(msg(host, () => u.sendto(new Uint8Array(1), ['10.0.0.1', 9]))).toBe('send to 10.0.0.1 port 9 denied by policy: no rule allows send to this address');
    u.bind(['127.0.0.1', 0]);
    expect(msg(host, () => u.sendto(new Uint8Array(1), ['127.0.0.1', 10]))).toBe('send to 127.0.0.1 port 10 denied by policy: no rule allows send to this address');
    host.reset();
    expect(u.sendto(new Uint8Array(3), ['127.0.0.1', 9])).toBe(3);
    expect(host.counts.sendto_js).toBe(1);
  });

  it('IPv6 rules and CIDRs; an IPv4-mapped address is matched as the IPv4 address it is', () => {
    const { net, host } = counted(base().allow('bind', '::/0').allow('connect', '::1/128').allow('connect', '10.0.0.0/8', 80));
    const s = keep(new net.socket(AF_INET6));
    expect(msg(host, () => s.connect(['::2', 80]))).toBe('connect to ::2 port 80 denied by policy: no rule allows connect to this address');
    expect(msg(host, () => s.connect(['::ffff:192.168.0.1', 80]))).toBe('connect to 192.168.0.1 port 80 denied by policy: no rule allows connect to this address');
    expect(msg(host, () => s.connect(['::ffff:10.0.0.1', 81]))).toBe('connect to 10.0.0.1 port 81 denied by policy: no rule allows connect to this address');
    host.reset();
    expect(() => s.connect(['::1', 1])).toThrow(ConnectionRefusedError);
    expect(host.counts.connect).toBe(1);
  });

  it('unix paths: exact paths, prefix rules ending in *, abstract names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasock-policy-'));
    try {
      const p = policy().allowUnix().allow('connect', `${dir}/*`).allow('bind', `${dir}/server`).allow('connect', '\0wasock-policy-*');
      const { net, host } = counted(p);
      const s = keep(new net.socket(AF_UNIX));
      expect(msg(host, () => s.connect('/etc/passwd'))).toBe(`connect to '/etc/passwd' denied by policy: no rule allows connect to this address`);
      expect(msg(host, () => s.bind(`${dir}/other`))).toBe(`bind to '${dir}/other' denied by policy: no rule allows bind to this address`);
      expect(msg(host, () => s.connect('\0other'))).toBe(`connect to '\\x00other' denied by policy: no rule allows connect to this address`);
      expect(msg(host, () => s.connect(dir))).toContain('denied by policy');          // the prefix needs its '/'
      host.reset();
      expect(() => s.connect(`${dir}/missing`)).toThrow(FileNotFoundError);           // allowed: the kernel answers
      expect(host.counts.connect).toBe(1);
      const b = keep(new net.socket(AF_UNIX));
      b.bind(`${dir}/server`);
      expect(existsSync(`${dir}/server`)).toBe(true);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('rules are validated when they are written: ValueError, before any network exists', () => {
    expect(() => policy().allow('connect', '10.0.0.0/33')).toThrow(ValueError);
    expect(() => policy().allow('connect', 'example.com')).toThrow('invalid policy address "example.com"');
    expect(() => policy().allow('connect', '10.0.0.1/')).toThrow(ValueError);
    expect(() => policy().allow('connect', '::1', 70000)).toThrow(ValueError);
    expect(() => policy().allow('connect', '::1', [9, 8])).toThrow(ValueError);
    expect(() => policy().allow('connect', '/run/x', 80)).toThrow('a unix address takes no ports');
    expect(() => policy().allow('fly' as 'bind', '::1')).toThrow('policy use must be one of bind, listen, accept, connect, send, receive');
    expect(() => policy().allowOption(SOL_SOCKET, SO_RCVBUF, { min: 10, max: 1 })).toThrow(ValueError);
  });

  it('a network keeps the policy as it was: rules added later apply to networks made later', () => {
    const p = policy().allowTcp().allow('bind', '127.0.0.1');
    const before = network({ policy: p });
    p.allow('bind', '0.0.0.0');
    const s = keep(new before.socket());
    expect(() => s.bind(['0.0.0.0', 0])).toThrow(PermissionError);
    const after = network({ policy: p });
    keep(new after.socket()).bind(['0.0.0.0', 0]);
  });
});

describe('inbound peers and datagrams', () => {
  it('accept resets a refused peer (it sees ConnectionResetError) and returns the next allowed one, or times out', () => {
    const net = network({ policy: policy().allowTcp().allow(['bind', 'listen'], '127.0.0.1').allow('accept', '127.0.0.1') });
    const l = keep(new net.socket());
    l.bind(['127.0.0.1', 0]);
    l.listen();
    const port = (l.getsockname() as [string, number])[1];
    const refused = keep(new w.socket());        // the top level: no policy
    refused.bind(['127.0.0.2', 0]);
    refused.connect(['127.0.0.1', port]);
    const allowed = keep(new w.socket());
    allowed.bind(['127.0.0.1', 0]);
    allowed.connect(['127.0.0.1', port]);
    l.settimeout(5);
    const [conn, addr] = l.accept();
    keep(conn);
    expect(addr).toEqual(allowed.getsockname());
    refused.settimeout(5);
    expect(() => refused.recv(10)).toThrow(ConnectionResetError);
    conn.sendall(new Uint8Array([7]));
    expect([...allowed.recv(10)]).toEqual([7]);
    // only refused peers come: accept waits them out under its timeout
    const again = keep(new w.socket());
    again.bind(['127.0.0.3', 0]);
    again.connect(['127.0.0.1', port]);
    l.settimeout(0.3);
    const t0 = Date.now();
    expect(() => l.accept()).toThrow(TimeoutError);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    l.setblocking(false);
    expect(() => l.accept()).toThrow(w.BlockingIOError);
  });

  it('a refused sender\'s datagram is dropped: recvfrom, recv (unconnected UDP) and recv_into never return it', () => {
    const seen: PolicyDecision[] = [];
    const net = network({ policy: policy().allowUdp().allow('bind', '127.0.0.1').allow('receive', '127.0.0.1').audit((d) => seen.push(d)) });
    const r = keep(new net.socket(AF_INET, SOCK_DGRAM));
    r.bind(['127.0.0.1', 0]);
    const to = r.getsockname();
    const bad = keep(new w.socket(AF_INET, SOCK_DGRAM));
    bad.bind(['127.0.0.2', 0]);
    const good = keep(new w.socket(AF_INET, SOCK_DGRAM));
    good.bind(['127.0.0.1', 0]);
    const send = (s: w.socket, text: string) => s.sendto(new TextEncoder().encode(text), to);
    r.settimeout(5);
    send(bad, 'refused 1'); send(good, 'allowed 1');
    const [data, from] = r.recvfrom(100);
    expect(new TextDecoder().decode(data)).toBe('allowed 1');
    expect(from).toEqual(good.getsockname());
    send(bad, 'refused 2'); send(good, 'allowed 2');
    expect(new TextDecoder().decode(r.recv(100, MSG_PEEK))).toBe('allowed 2');   // a peek screens too
    expect(new TextDecoder().decode(r.recv(100))).toBe('allowed 2');
    send(bad, 'refused 3'); send(good, 'allowed 3');
    const buf = new Uint8Array(100).fill(0xee);
    const n = r.recv_into(buf);
    expect(new TextDecoder().decode(buf.subarray(0, n))).toBe('allowed 3');
    expect(buf[n]).toBe(0xee);                 // nothing of a refused datagram touched the buffer
    send(bad, 'refused 4');
    r.settimeout(0.2);
    expect(() => r.recvfrom(100)).toThrow(TimeoutError);
    r.setblocking(false);
    expect(() => r.recv(100)).toThrow(w.BlockingIOError);   // refused 4 was dropped, not left queued
    const refusals = seen.filter((d) => d.use === 'receive' && !d.allowed);
    expect(refusals.map((d) => d.address)).toEqual(['127.0.0.2', '127.0.0.2', '127.0.0.2', '127.0.0.2']);
    expect(refusals[0]).toMatchObject({ api: 'recvfrom', port: (bad.getsockname() as [string, number])[1], reason: 'no rule allows receive from this address' });
  });

  it('a UDP socket connected under the policy receives from its checked peer without receive rules', () => {
    const net = network({ policy: policy().allowUdp().allow(['bind', 'connect'], '127.0.0.1') });
    const peer = keep(new w.socket(AF_INET, SOCK_DGRAM));
    peer.bind(['127.0.0.1', 0]);
    const r = keep(new net.socket(AF_INET, SOCK_DGRAM));
    r.bind(['127.0.0.1', 0]);
    r.connect(peer.getsockname());
    peer.sendto(new Uint8Array([1, 2]), r.getsockname());
    r.settimeout(5);
    expect([...r.recv(10)]).toEqual([1, 2]);
  });
});

describe('the option policy', () => {
  it('setsockopt of a pair not allowed, or an int out of bounds, reaches no host; an allowed one reaches it, never cached', () => {
    const { net, host } = counted(policy().allowTcp().allowOption(SOL_SOCKET, SO_RCVBUF, { min: 4096, max: 65536 }).allowOption(IPPROTO_TCP, TCP_NODELAY));
    const s = keep(new net.socket());
    expect(msg(host, () => s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1))).toBe('setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) denied by policy: no rule allows this option');
    expect(msg(host, () => s.setsockopt(SOL_SOCKET, SO_LINGER, new Uint8Array(8)))).toBe('setsockopt(SOL_SOCKET, SO_LINGER, <8 bytes>) denied by policy: no rule allows this option');
    expect(msg(host, () => s.setsockopt(SOL_SOCKET, SO_REUSEADDR, null, 4))).toBe('setsockopt(SOL_SOCKET, SO_REUSEADDR, None) denied by policy: no rule allows this option');
    expect(msg(host, () => s.setsockopt(SOL_SOCKET, SO_RCVBUF, 1 << 20))).toBe('setsockopt(SOL_SOCKET, SO_RCVBUF, 1048576) denied by policy: value 1048576 is outside [4096, 65536]');
    expect(msg(host, () => s.setsockopt(SOL_SOCKET, SO_RCVBUF, new Uint8Array(new Int32Array([100]).buffer)))).toBe('setsockopt(SOL_SOCKET, SO_RCVBUF, <4 bytes>) denied by policy: value 100 is outside [4096, 65536]');
    expect(msg(host, () => s.setsockopt(SOL_SOCKET, SO_RCVBUF, new Uint8Array(8)))).toBe('setsockopt(SOL_SOCKET, SO_RCVBUF, <8 bytes>) denied by policy: the option takes an int within [4096, 65536]');
    host.reset();
    s.setsockopt(SOL_SOCKET, SO_RCVBUF, 8192);
    s.setsockopt(SOL_SOCKET, SO_RCVBUF, new Uint8Array(new Int32Array([16384]).buffer));
    s.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
    expect(host.counts).toEqual({ setsockopt: 3 });
    expect(s.getsockopt(SOL_SOCKET, SO_RCVBUF)).toBe(32768);         // the kernel's answer (doubled)
    expect(s.getsockopt(IPPROTO_TCP, TCP_NODELAY)).toBe(1);
  });
});

describe('check callbacks and audit hooks', () => {
  it('a check is consulted after the rules allow: a string is the reason, false the default one, a throw denies', () => {
    const asked: PolicyRequest[] = [];
    const p = policy().allowTcp().allow(['bind', 'connect'], '127.0.0.0/8').allow('bind', '0.0.0.0', 0).check((req) => {
      asked.push(req);
      if (req.port === 22) return 'ssh is off limits';
      if (req.port === 23) return false;
      if (req.port === 24) throw new Error('boom');
      return true;
    });
    const { net, host } = counted(p);
    const s = keep(new net.socket());
    expect(msg(host, () => s.connect(['127.0.0.1', 22]))).toBe('connect to 127.0.0.1 port 22 denied by policy: ssh is off limits');
    expect(asked.at(-1)).toEqual({
      use: 'connect', api: 'connect', family: AF_INET, type: SOCK_STREAM, proto: 0, protocol: 'tcp',
      address: '127.0.0.1', port: 22, implicit: false, level: null, option: null, value: null,
    });
    expect(msg(host, () => s.connect(['127.0.0.1', 23]))).toBe('connect to 127.0.0.1 port 23 denied by policy: refused by the check callback');
    expect(msg(host, () => s.connect(['127.0.0.1', 24]))).toBe('connect to 127.0.0.1 port 24 denied by policy: the check callback raised Error: boom');
    const before = asked.length;
    expect(msg(host, () => s.connect(['10.0.0.1', 22]))).toContain('no rule allows connect');
    expect(asked.length).toBe(before);         // the rules denied: the check is not asked
    expect(() => s.connect(['127.0.0.1', 1])).toThrow(ConnectionRefusedError);
  });

  it('the audit hook sees every decision, allowed and denied, as plain objects', () => {
    const seen: PolicyDecision[] = [];
    const p = policy().allowTcp().allow('bind', '127.0.0.1').allowOption(SOL_SOCKET, SO_RCVBUF, { max: 1 << 16 })
      .audit((d) => seen.push(d)).audit(() => { throw new Error('an observer cannot change anything'); });
    const net = network({ policy: p });
    const s = keep(new net.socket());
    s.bind(['127.0.0.1', 0]);
    expect(() => s.setsockopt(SOL_SOCKET, SO_RCVBUF, 1 << 20)).toThrow(PermissionError);
    expect(() => new net.socket(AF_INET, SOCK_DGRAM)).toThrow(PermissionError);
    expect(seen.map((d) => [d.use, d.allowed])).toEqual([['socket', true], ['bind', true], ['setsockopt', false], ['socket', false]]);
    expect(seen[1]).toEqual({
      use: 'bind', api: 'bind', family: AF_INET, type: SOCK_STREAM, proto: 0, protocol: 'tcp', address: '127.0.0.1',
      port: 0, implicit: false, level: null, option: null, value: null, allowed: true, reason: null,
    });
    expect(seen[2]).toMatchObject({ level: SOL_SOCKET, option: SO_RCVBUF, value: 1 << 20, reason: 'value 1048576 is outside [-Infinity, 65536]' });
    expect(seen[3]).toMatchObject({ api: 'socket', family: AF_INET, type: SOCK_DGRAM, protocol: 'udp', reason: 'udp sockets are not allowed' });
    expect(Object.getPrototypeOf(seen[0])).toBe(Object.prototype);
  });
});

describe('the API', () => {
  it('policy() is in the module API of every entry and network; without a policy nothing changes', () => {
    expect(w.policy).toBe(policy);
    expect(browser.policy).toBe(policy);
    const net = network();
    expect(net.policy).toBe(policy);
    const s = keep(new net.socket());
    s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    s.bind(['127.0.0.1', 0]);
    s.listen();
  });

  it('PermissionError is what CPython makes of errno 1 and a text: same class chain, str, errno and strerror', () => {
    const py = execFileSync('python3', ['-c', [
      "e = PermissionError(1, 'connect to 10.0.0.1 port 80 denied by policy: x')",
      "print(type(e).__mro__[1].__name__, e.errno, repr(e.strerror), str(e), sep='|')",
    ].join('\n')], { encoding: 'utf8' }).trim().split('|');
    const { net } = counted(policy().allowTcp().allow('bind', '0.0.0.0/0'));
    let e: PermissionError | null = null;
    try { keep(new net.socket()).connect(['10.0.0.1', 80]); } catch (x) { e = x as PermissionError; }
    expect(e!.name).toBe('PermissionError');
    expect([Object.getPrototypeOf(PermissionError.prototype).constructor.name, e!.errno, `'${e!.strerror!.split(': no rule')[0]}: x'`]).toEqual(
      [py[0], Number(py[1]), py[2]]);
    expect(e!.message.replace(/: no rule.*/, ': x')).toBe(py[3]);
  });
});

describe('strace: a denied call makes no socket syscall', () => {
  const strace = '/usr/bin/strace';
  it('denials between the markers make none; an allowed connect after them makes one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasock-strace-'));
    try {
      const dist = new URL('../dist/src/', import.meta.url).pathname;
      const script = join(dir, 'denied.mjs');
      writeFileSync(script, `
        import { writeSync } from 'node:fs';
        import { policy, AF_INET, AF_UNIX, SOCK_DGRAM, SOL_SOCKET, SO_REUSEADDR, SO_RCVBUF } from '${dist}index.js';
        import { network } from '${dist}linux.js';
        const net = network({ policy: policy().allowTcp().allowUdp().allow('connect', '127.0.0.1')
          .allowOption(SOL_SOCKET, SO_RCVBUF, { max: 65536 }).check((r) => r.port !== 2 || 'no') });
        const s = new net.socket();
        const u = new net.socket(AF_INET, SOCK_DGRAM);
        const tries = [
          () => new net.socket(AF_UNIX), () => net.socketpair(), () => s.connect(['10.0.0.1', 80]),
          () => s.connect(['127.0.0.1', 1]), () => s.bind(['127.0.0.1', 0]), () => s.listen(),
          () => u.sendto(new Uint8Array(1), ['127.0.0.1', 9]), () => s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1),
          () => s.setsockopt(SOL_SOCKET, SO_RCVBUF, 1 << 20), () => s.connect_ex(['10.0.0.1', 80]),
        ];
        writeSync(1, 'WASOCK-BEGIN\\n');
        let denied = 0;
        for (const f of tries) { try { const r = f(); if (r === 1) denied++; } catch (e) { if (e.errno === 1) denied++; } }
        writeSync(1, 'WASOCK-END\\n');
        const t = new (network({ policy: policy().allowTcp().allow(['bind', 'connect'], '0.0.0.0/0') }).socket)();
        t.connect_ex(['127.0.0.1', 1]);
        writeSync(1, 'denied ' + denied + '\\n');
      `);
      expect(expectNoSocketCallsBetweenMarkers(strace, script)).toContain('denied 10');
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
