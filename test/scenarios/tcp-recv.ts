// Reading a TCP stream: MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL with the data already there,
// recv_into, and the queue sizes ioctl reports (SIOCINQ = FIONREAD: unread bytes;
// SIOCOUTQ: bytes sent or queued but not yet acknowledged; loopback acknowledges what fits
// the window before send returns, so it reads 0 here; see tcp-backpressure.ts for a full one).
//
// CPython's rule for a socket with a timeout shows here: it waits for readiness itself
// (poll) before calling recv, so MSG_DONTWAIT on an empty socket with timeout 0.05 is a
// TimeoutError after 0.05 s, and MSG_WAITALL returns what is there. Without a timeout
// (blocking), MSG_DONTWAIT is the kernel's EAGAIN.
import type { Network } from '../../src/linux.js';
import { Transcript, type Env } from './transcript.js';
import { bytes, ioctlInt, listener, tcpPair } from './tools.js';

export function tcpRecvFlags(net: Network, env: Env): string[] {
  const t = new Transcript();
  const [l, c, p] = tcpPair(net);
  const inq = () => ioctlInt(net, p, net.fcntl.SIOCINQ);
  const outq = () => ioctlInt(net, c, net.fcntl.SIOCOUTQ);
  p.settimeout(0.05);
  t.value('p SIOCINQ', inq());
  t.value('c SIOCOUTQ', outq());
  t.do("c.sendall(b'hello world')", () => c.sendall(bytes('hello world')));
  t.value('p SIOCINQ', inq());
  t.value('p FIONREAD', ioctlInt(net, p, net.fcntl.FIONREAD));
  t.value('c SIOCOUTQ  # loopback acknowledged it already', outq());
  t.do('p.recv(5, MSG_PEEK)', () => p.recv(5, net.MSG_PEEK));
  t.do('p.recv(100, MSG_PEEK)', () => p.recv(100, net.MSG_PEEK));
  t.value('p SIOCINQ', inq());
  t.do('p.recv(5)', () => p.recv(5));
  t.do('p.recv(3, MSG_DONTWAIT)', () => p.recv(3, net.MSG_DONTWAIT));
  const buf = new Uint8Array(10);
  t.do('p.recv_into(buf, 4)  # 3 bytes left', () => p.recv_into(buf, 4));
  t.value('buf', buf);
  t.do('p.recv_into(buf)', () => p.recv_into(buf));
  t.do('p.recv(3, MSG_DONTWAIT)  # empty, timeout 0.05', () => p.recv(3, net.MSG_DONTWAIT));
  t.do('p.recv(3, MSG_PEEK)  # empty, timeout 0.05', () => p.recv(3, net.MSG_PEEK));
  t.do('p.recv(0)', () => p.recv(0));

  t.note('MSG_WAITALL with the data already there');
  t.do("c.sendall(b'abc'); c.sendall(b'def')", () => { c.sendall(bytes('abc')); c.sendall(bytes('def')); });
  t.do('p.recv(6, MSG_WAITALL)', () => p.recv(6, net.MSG_WAITALL));
  t.do("c.sendall(b'abc')", () => c.sendall(bytes('abc')));
  t.do('p.recv(6, MSG_WAITALL)  # only 3 there, timeout 0.05', () => p.recv(6, net.MSG_WAITALL));
  t.do("c.sendall(b'xy')", () => c.sendall(bytes('xy')));
  t.do('p.recv(1, MSG_WAITALL | MSG_PEEK)', () => p.recv(1, net.MSG_WAITALL | net.MSG_PEEK));
  t.do('p.recv_into(buf, 0, MSG_PEEK)', () => p.recv_into(buf, 0, net.MSG_PEEK));
  t.do('p.recv_into(buf, 1)', () => p.recv_into(buf, 1));
  t.value('buf', buf);

  t.note('blocking (no timeout): MSG_DONTWAIT is the kernel EAGAIN');
  p.settimeout(null);
  t.do('p.recv(3, MSG_DONTWAIT)', () => p.recv(3, net.MSG_DONTWAIT));
  t.do('p.recv(3, MSG_DONTWAIT)', () => p.recv(3, net.MSG_DONTWAIT));
  p.setblocking(false);
  t.do('p.recv(3, MSG_PEEK)  # non-blocking', () => p.recv(3, net.MSG_PEEK));

  t.note('after EOF');
  t.do("c.sendall(b'end')", () => c.sendall(bytes('end')));
  t.do('c.close()', () => c.close());
  t.value('p SIOCINQ', inq());
  t.do('p.recv(10, MSG_PEEK)', () => p.recv(10, net.MSG_PEEK));
  t.do('p.recv(10, MSG_WAITALL)', () => p.recv(10, net.MSG_WAITALL));
  t.do('p.recv(10, MSG_PEEK)', () => p.recv(10, net.MSG_PEEK));
  t.value('p SIOCINQ', inq());
  p.close(); l.close();
  return t.lines;
}

/** SIOCINQ/SIOCOUTQ on sockets that are not connected: a fresh socket reads 0, a listener is EINVAL. */
export function tcpIoctlStates(net: Network, env: Env): string[] {
  const t = new Transcript();
  const s = new net.socket(net.AF_INET, net.SOCK_STREAM);
  t.do('fresh SIOCINQ', () => ioctlInt(net, s, net.fcntl.SIOCINQ));
  t.do('fresh SIOCOUTQ', () => ioctlInt(net, s, net.fcntl.SIOCOUTQ));
  s.close();
  const l = listener(net);
  t.do('listening SIOCINQ', () => ioctlInt(net, l, net.fcntl.SIOCINQ));
  t.do('listening SIOCOUTQ', () => ioctlInt(net, l, net.fcntl.SIOCOUTQ));
  l.close();
  const ro = new net.socket(net.AF_INET, net.SOCK_STREAM);
  t.do('fcntl.ioctl(s, FIONREAD, 0)  # an int is passed by value: EFAULT', () => net.fcntl.ioctl(ro, net.fcntl.FIONREAD, 0));
  t.do('fcntl.ioctl(s, FIONREAD, readonly(4 bytes))', () => net.fcntl.ioctl(ro, net.fcntl.FIONREAD, net.fcntl.readonly(new Uint8Array(4))));
  ro.close();
  return t.lines;
}
