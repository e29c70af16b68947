// UDP on loopback: datagram boundaries, truncation, empty datagrams, MSG_PEEK, a connected
// socket's filter on its peer, and ECONNREFUSED from the ICMP port-unreachable a send to a
// closed port draws (reported to a connected socket only, by its next call).
//
// recv(n, MSG_TRUNC) is left out: CPython returns a bytes object of the datagram's full
// length whose bytes past n are uninitialised memory. recv_into and recvfrom_into return
// the full length without that.
import type { Network } from '../../src/linux.js';
import { Transcript, type Env } from './transcript.js';
import { bytes, closedPort, ioctlInt, LOCAL, showFrom, showFromInto, type Sock } from './tools.js';

function udp(net: Network): Sock {
  const u = new net.socket(net.AF_INET, net.SOCK_DGRAM);
  u.bind([LOCAL, 0]);
  u.settimeout(0.05);
  return u;
}

export function udpDatagrams(net: Network, env: Env): string[] {
  const t = new Transcript();
  const a = udp(net), b = udp(net);
  const A = a.getsockname(), B = b.getsockname();
  t.value('A', env.addr(A));
  t.value('B', env.addr(B));
  const from = showFrom(env);
  t.value('b SIOCINQ', ioctlInt(net, b, net.fcntl.SIOCINQ));
  for (const d of ['one', 'two!', '', 'three']) t.do(`a.sendto(b'${d}', B)`, () => a.sendto(bytes(d), B));
  t.value('b SIOCINQ  # the first datagram only', ioctlInt(net, b, net.fcntl.SIOCINQ));
  t.do('b.recvfrom(100)', () => b.recvfrom(100), from);
  t.do('b.recv(100)', () => b.recv(100));
  t.value('b SIOCINQ  # an empty datagram is next', ioctlInt(net, b, net.fcntl.SIOCINQ));
  t.do('b.recvfrom(100)  # the empty datagram', () => b.recvfrom(100), from);
  t.do('b.recv(2)  # the rest is discarded', () => b.recv(2));
  t.do('b.recv(100)', () => b.recv(100));

  t.note('truncation');
  const buf = new Uint8Array(4);
  a.sendto(bytes('truncated'), B);
  t.do('b.recv_into(buf, 0, MSG_TRUNC)', () => b.recv_into(buf, 0, net.MSG_TRUNC));
  t.value('buf', buf);
  a.sendto(bytes('truncated'), B);
  t.do('b.recvfrom_into(buf, 0, MSG_TRUNC)', () => b.recvfrom_into(buf, 0, net.MSG_TRUNC), showFromInto(env));
  a.sendto(bytes('truncated'), B);
  t.do('b.recv_into(buf)  # without MSG_TRUNC', () => b.recv_into(buf));
  a.sendto(bytes('hello'), B);
  t.do('b.recv(0)  # CPython makes no call for 0 bytes', () => b.recv(0));
  t.do('b.recv(10)', () => b.recv(10));

  t.note('MSG_PEEK leaves the datagram queued');
  a.sendto(bytes('peek'), B);
  a.sendto(bytes('next'), B);
  t.do('b.recvfrom(2, MSG_PEEK)', () => b.recvfrom(2, net.MSG_PEEK), from);
  t.do('b.recv(10, MSG_PEEK)', () => b.recv(10, net.MSG_PEEK));
  t.do('b.recv(10)', () => b.recv(10));
  t.do('b.recv(10)', () => b.recv(10));
  t.do('b.recv(10, MSG_DONTWAIT)  # empty, timeout 0.05', () => b.recv(10, net.MSG_DONTWAIT));
  b.setblocking(false);
  t.do('b.recv(10)  # empty, non-blocking', () => b.recv(10));

  t.note('a datagram larger than 64 KiB - headers');
  t.do('a.sendto(65508 bytes, B)', () => a.sendto(new Uint8Array(65508), B));
  t.do('a.sendto(65507 bytes, B)', () => a.sendto(new Uint8Array(65507), B));
  t.do('len(b.recv(70000))', () => b.recv(70000).length);
  a.close(); b.close();
  return t.lines;
}

/** connect() on UDP: only the peer's datagrams are delivered; send needs no address. */
export function udpConnectedFilter(net: Network, env: Env): string[] {
  const t = new Transcript();
  const a = udp(net), b = udp(net), c = udp(net);
  const A = a.getsockname(), B = b.getsockname(), C = c.getsockname();
  for (const [n, x] of [['A', A], ['B', B], ['C', C]] as const) t.value(n, env.addr(x));
  const from = showFrom(env);
  t.do("c.sendto(b'early from c', B)  # before connect: queued", () => c.sendto(bytes('early from c'), B));
  t.do('b.connect(A)', () => b.connect(A));
  t.do('b.getpeername()', () => b.getpeername(), env.addr);
  t.do("c.sendto(b'from c', B)", () => c.sendto(bytes('from c'), B));
  t.do("a.sendto(b'from a', B)", () => a.sendto(bytes('from a'), B));
  t.do('b.recvfrom(100)', () => b.recvfrom(100), from);
  t.do('b.recvfrom(100)', () => b.recvfrom(100), from);
  t.do('b.recvfrom(100)', () => b.recvfrom(100), from);
  t.do("b.send(b'back')", () => b.send(bytes('back')));
  t.do('a.recvfrom(100)', () => a.recvfrom(100), from);
  t.do("b.sendto(b'to c', C)  # a connected socket may still sendto", () => b.sendto(bytes('to c'), C));
  t.do('c.recvfrom(100)', () => c.recvfrom(100), from);
  t.note("connect(('', 0)): Linux accepts it, getpeername sees no peer (port 0), send still has a destination");
  t.do("b.connect(('', 0))", () => b.connect(['', 0]));
  t.do('b.getpeername()', () => b.getpeername(), env.addr);
  t.do('b.getsockname()', () => b.getsockname(), env.addr);
  t.do("b.send(b'x')", () => b.send(bytes('x')));
  for (const s of [a, b, c]) s.close();
  return t.lines;
}

/**
 * A send to a closed port draws ICMP port-unreachable. A connected socket gets ECONNREFUSED
 * from its next call (send, recv, or SO_ERROR), once per ICMP; an unconnected one is told
 * nothing (Linux reports ICMP errors to unconnected UDP only with IP_RECVERR).
 */
export function udpRefused(net: Network, env: Env): string[] {
  const t = new Transcript();
  const port = closedPort(net, net.SOCK_DGRAM);
  const X: [string, number] = [LOCAL, port];
  t.value('X', env.addr(X));
  const e = udp(net);
  t.do('e.connect(X)', () => e.connect(X));
  t.do("e.send(b'1')", () => e.send(bytes('1')));
  t.do("e.send(b'2')", () => e.send(bytes('2')));
  t.do("e.send(b'3')", () => e.send(bytes('3')));
  t.do('e.recv(10)', () => e.recv(10));
  t.do('e.recv(10)', () => e.recv(10));
  t.do("e.send(b'4')", () => e.send(bytes('4')));
  t.value('e SO_ERROR', e.getsockopt(net.SOL_SOCKET, net.SO_ERROR));
  t.value('e SO_ERROR', e.getsockopt(net.SOL_SOCKET, net.SO_ERROR));
  t.do("e.send(b'5')", () => e.send(bytes('5')));
  t.do('e.recvfrom(10)', () => e.recvfrom(10), showFrom(env));
  e.close();
  const f = udp(net);
  t.do("f.sendto(b'x', X)  # unconnected", () => f.sendto(bytes('x'), X));
  t.do('f.recv(10)', () => f.recv(10));
  t.do("f.sendto(b'y', X)", () => f.sendto(bytes('y'), X));
  t.value('f SO_ERROR', f.getsockopt(net.SOL_SOCKET, net.SO_ERROR));
  t.do("f.send(b'z')", () => f.send(bytes('z')));
  t.do('f.getpeername()', () => f.getpeername(), env.addr);
  f.close();
  return t.lines;
}
