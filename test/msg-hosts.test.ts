// sendmsg / recvmsg beyond the CPython replay (test/msg.test.ts): the capability and policy
// checks made before any host call, the emulated network's SCM_RIGHTS lifetimes, and the
// RuntimeWarning path. The values asserted are Linux's (the kernel's, or CPython's fixtures).
import { afterEach, describe, expect, it } from 'vitest';
import * as w from '../src/index.js';
import { bindNetwork } from '../src/network.js';
import { network as emulated } from '../src/emulated.js';
import { CountingHost } from './helpers/counting-host.js';
import { fdCount } from './helpers/fds.js';

const open: w.socket[] = [];
afterEach(() => { for (const s of open.splice(0)) s.close(); });
function keep<T extends w.socket>(s: T): T { open.push(s); return s; }
const bytes = (s: string) => new TextEncoder().encode(s);

describe('capabilities: refused before any host call', () => {
  it("a host without 'sendmsg': NotAvailableError naming it for the three methods, no import called", () => {
    const caps = [...new w.LinuxHost().capabilities].filter((c) => c !== 'sendmsg');
    const host = new CountingHost(caps, 'linux-without-sendmsg');
    const net = bindNetwork(host);
    const [a, b] = net.socketpair();
    keep(a); keep(b);
    expect(a.isAvailable('sendmsg')).toBe(false);
    host.reset();
    for (const f of [() => a.sendmsg([bytes('x')]), () => b.recvmsg(1), () => b.recvmsg_into([new Uint8Array(1)])]) {
      let err: unknown = null;
      try { f(); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(w.NotAvailableError);
      expect((err as w.NotAvailableError).capability).toBe('sendmsg');
      expect((err as Error).message).toMatch(/^(sendmsg|recvmsg|recvmsg_into) is not available on linux-without-sendmsg/);
    }
    expect(host.counts).toEqual({});
  });

  it("a host without 'ancillary' sends SCM_RIGHTS but refuses the kernel's own items (IP_TTL) unsent", () => {
    const caps = [...new w.LinuxHost().capabilities].filter((c) => c !== 'ancillary');
    const host = new CountingHost(caps, 'linux-without-ancillary');
    const net = bindNetwork(host);
    const u = keep(new net.socket(w.AF_INET, w.SOCK_DGRAM));
    u.bind(['127.0.0.1', 0]);
    host.reset();
    expect(() => u.sendmsg([bytes('x')], [[w.IPPROTO_IP, w.IP_TTL, w.struct.pack('i', 64)]], 0, u.getsockname())).toThrow(/ancillary/);
    expect(host.counts).toEqual({ getsockname: 1 });
    const [a, b] = net.socketpair();
    keep(a); keep(b);
    const [x, y] = net.socketpair();
    keep(x); keep(y);
    expect(a.sendmsg([bytes('x')], [[w.SOL_SOCKET, w.SCM_RIGHTS, w.struct.pack('i', x.fileno())]])).toBe(1);
    const [, anc] = b.recvmsg(1, w.CMSG_SPACE(4));
    keep(new net.socket(-1, -1, -1, w.struct.unpack('i', anc[0][2])[0] as number));
  });
});

describe('policy', () => {
  it('sendmsg with an address is the send use (as sendto): denied before the host; allowed, one sendmsg import', () => {
    const host = new CountingHost();
    const net = bindNetwork(host, { policy: w.policy().allowUdp().allow('bind', '127.0.0.1').allow('send', '127.0.0.1', 9) });
    const u = keep(new net.socket(w.AF_INET, w.SOCK_DGRAM));
    u.bind(['127.0.0.1', 0]);
    host.reset();
    let err: unknown = null;
    try { u.sendmsg([bytes('ab')], [], 0, ['10.0.0.1', 9]); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(w.PermissionError);
    expect((err as w.PermissionError).strerror).toBe('send to 10.0.0.1 port 9 denied by policy: no rule allows send to this address');
    expect(host.counts).toEqual({});
    expect(u.sendmsg([bytes('ab'), bytes('c')], [], 0, ['127.0.0.1', 9])).toBe(3);
    expect(host.counts).toEqual({ sendmsg: 1 });
  });
});

describe('the emulated network: SCM_RIGHTS passes its own sockets', () => {
  it('the passed socket outlives the sender closing its copy; a receiver closed unread releases it (the peer sees EOF)', () => {
    const net = emulated({ seed: 3 });
    const [a, b] = net.socketpair();
    const [x, y] = net.socketpair();
    a.sendmsg([bytes('1')], [[w.SOL_SOCKET, w.SCM_RIGHTS, w.struct.pack('i', x.fileno())]]);
    x.close();                                   // the message still holds x's socket
    y.setblocking(false);
    expect(() => y.recv(1)).toThrow(w.BlockingIOError);   // not EOF: x lives on in flight
    const [data, anc, flags] = b.recvmsg(10, w.CMSG_SPACE(4));
    expect([data, flags]).toEqual([bytes('1'), 0]);
    const z = new net.socket(-1, -1, -1, w.struct.unpack('i', anc[0][2])[0] as number);
    z.sendall(bytes('via z'));
    expect(y.recv(10)).toEqual(bytes('via z'));
    // Again, and this time the receiver closes without reading: the file goes with it.
    a.sendmsg([bytes('2')], [[w.SOL_SOCKET, w.SCM_RIGHTS, w.struct.pack('i', z.fileno())]]);
    z.close();
    b.close();
    expect(y.recv(10)).toEqual(new Uint8Array(0));   // EOF: the last reference to x's socket is gone
    a.close(); y.close();
  });

  it('SCM_RIGHTS with an fd that is not open is EBADF, and nothing is sent', () => {
    const net = emulated({ seed: 4 });
    const [a, b] = net.socketpair();
    expect(() => a.sendmsg([bytes('x')], [[w.SOL_SOCKET, w.SCM_RIGHTS, w.struct.pack('i', 999)]])).toThrow(/Bad file descriptor/);
    b.setblocking(false);
    expect(() => b.recvmsg(1)).toThrow(w.BlockingIOError);
    a.close(); b.close();
  });
});

describe('the Linux host', () => {
  it('no fd leaks: fds received and wrapped, fds received and never wrapped but closed by the caller', () => {
    const before = fdCount();
    for (let i = 0; i < 20; i++) {
      const [a, b] = w.socketpair();
      const [x, y] = w.socketpair();
      a.sendmsg([bytes('x')], [[w.SOL_SOCKET, w.SCM_RIGHTS, w.struct.pack('ii', x.fileno(), y.fileno())]]);
      const [, anc] = b.recvmsg(1, w.CMSG_SPACE(8));
      for (const fd of w.struct.unpack('ii', anc[0][2]) as number[]) new w.socket(-1, -1, -1, fd).close();
      for (const s of [a, b, x, y]) s.close();
    }
    expect(fdCount()).toBe(before);
  });

  it("a control message cut short: CPython's RuntimeWarning; a handler that raises has the received fds closed first", async () => {
    const msg = await import('../src/msg.js');
    // Linux never cuts an item so that CPython warns (put_cmsg shortens cmsg_len to what fits):
    // a host that reports 4 bytes less control data than the item's cmsg_len claims stands in
    // for the systems that do, so the core's walk (get_cmsg_data_len's rule) meets it.
    class Cutting extends CountingHost {
      override imports(memory: WebAssembly.Memory) {
        const real = super.imports(memory);
        return { ...real, recvmsg: (fd: number, m: number, fl: number) => {
          const r = real.recvmsg!(fd, m, fl);
          const u32 = new Uint32Array(memory.buffer);
          const ctl = u32[(m + 16) >> 2], len = u32[(m + 20) >> 2];
          if (r >= 0 && len >= 24) { u32[(m + 20) >> 2] = 20; u32[ctl >> 2] = 24; }
          return r;
        } };
      }
    }
    const net = bindNetwork(new Cutting());
    const saved = msg.warnTruncated;
    const warnings: string[] = [];
    try {
      const [a, b] = net.socketpair();
      keep(a); keep(b);
      const [x, y] = net.socketpair();
      keep(x); keep(y);
      msg.setTruncatedWarning((m) => { warnings.push(m); });
      a.sendmsg([bytes('1')], [[w.SOL_SOCKET, w.SCM_RIGHTS, w.struct.pack('i', x.fileno())]]);
      const [, anc] = b.recvmsg(1, w.CMSG_SPACE(4));
      expect(warnings).toEqual(['received malformed or improperly-truncated ancillary data']);
      expect(anc.map(([l, t, d]) => [l, t, d.length])).toEqual([[1, 1, 4]]);    // what the buffer holds
      keep(new net.socket(-1, -1, -1, w.struct.unpack('i', anc[0][2])[0] as number));
      // A handler that raises (Python's warnings filter 'error'): the fd is closed, then it propagates.
      msg.setTruncatedWarning(() => { throw new Error('RuntimeWarning as an error'); });
      const before = fdCount();
      a.sendmsg([bytes('2')], [[w.SOL_SOCKET, w.SCM_RIGHTS, w.struct.pack('i', x.fileno())]]);
      expect(() => b.recvmsg(1, w.CMSG_SPACE(4))).toThrow('RuntimeWarning as an error');
      expect(fdCount()).toBe(before);
    } finally { msg.setTruncatedWarning(saved); }
  });
});
