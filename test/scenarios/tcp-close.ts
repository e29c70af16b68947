// How a TCP connection ends: close() with unread data and SO_LINGER {1, 0} reset it (RST, the
// peer's next recv raises ECONNRESET once, then reads EOF); shutdown(SHUT_WR) is a FIN the
// peer reads as b'' while the other direction keeps working; SHUT_RD; writing to a peer that
// has closed (the first send is accepted, the peer's RST makes the next one EPIPE).
//
// Loopback delivers each segment before the sending call returns, so every step below sees
// the previous one's effect without waiting. Timeouts (0.05 s) only bound reads that must
// find nothing.
import type { Network } from '../../src/linux.js';
import { Transcript, type Env } from './transcript.js';
import { bytes, linger, tcpPair, tcpState } from './tools.js';

/** close() with data the application never read sends RST instead of FIN. */
export function tcpCloseUnreadRst(net: Network, env: Env): string[] {
  const t = new Transcript();
  const [l, c, p] = tcpPair(net);
  c.settimeout(0.05);
  t.do("c.sendall(b'hello')", () => c.sendall(bytes('hello')));
  t.do('p.close()  # 5 bytes unread', () => p.close());
  t.value('c tcpi_state', tcpState(net, c));
  t.do('c.recv(10)', () => c.recv(10));
  t.do('c.recv(10)', () => c.recv(10));
  t.do("c.send(b'x')", () => c.send(bytes('x')));
  t.do('c.getpeername()', () => c.getpeername(), env.addr);
  t.value('c SO_ERROR', c.getsockopt(net.SOL_SOCKET, net.SO_ERROR));
  c.close(); l.close();
  return t.lines;
}

/** SO_LINGER {l_onoff=1, l_linger=0}: close() aborts with RST; SO_ERROR holds ECONNRESET until read. */
export function tcpLingerZeroRst(net: Network, env: Env): string[] {
  const t = new Transcript();
  const [l, c, p] = tcpPair(net);
  c.settimeout(0.05);
  t.do('p.setsockopt(SOL_SOCKET, SO_LINGER, {1, 0})', () => p.setsockopt(net.SOL_SOCKET, net.SO_LINGER, linger(1, 0)));
  t.do('p.close()', () => p.close());
  t.value('c tcpi_state', tcpState(net, c));
  t.value('c SO_ERROR', c.getsockopt(net.SOL_SOCKET, net.SO_ERROR));
  t.value('c SO_ERROR', c.getsockopt(net.SOL_SOCKET, net.SO_ERROR));
  t.do('c.recv(10)  # the error was taken by SO_ERROR', () => c.recv(10));
  t.do("c.send(b'x')", () => c.send(bytes('x')));
  c.close();

  t.note('the same, reading first');
  const [l2, c2, p2] = tcpPair(net);
  c2.settimeout(0.05);
  p2.setsockopt(net.SOL_SOCKET, net.SO_LINGER, linger(1, 0));
  t.do('p2.close()', () => p2.close());
  t.do('c2.recv(10)', () => c2.recv(10));
  t.do('c2.recv(10)', () => c2.recv(10));
  t.do('c2.getpeername()', () => c2.getpeername(), env.addr);
  t.value('c2 SO_ERROR', c2.getsockopt(net.SOL_SOCKET, net.SO_ERROR));
  c2.close(); l.close(); l2.close();
  return t.lines;
}

/** shutdown(SHUT_WR): the peer reads EOF (again and again) and can still send back. */
export function tcpHalfClose(net: Network, env: Env): string[] {
  const t = new Transcript();
  const [l, c, p] = tcpPair(net);
  c.settimeout(0.05);
  p.settimeout(0.05);
  t.do("c.sendall(b'last')", () => c.sendall(bytes('last')));
  t.do('c.shutdown(SHUT_WR)', () => c.shutdown(net.SHUT_WR));
  t.do('p.recv(10)', () => p.recv(10));
  t.do('p.recv(10)', () => p.recv(10));
  t.do('p.recv(10)', () => p.recv(10));
  t.value('p tcpi_state', tcpState(net, p));
  t.do("p.sendall(b'back')", () => p.sendall(bytes('back')));
  t.value('c tcpi_state  # the data acknowledged the FIN', tcpState(net, c));
  t.do('c.recv(10)', () => c.recv(10));
  t.do("c.send(b'x')", () => c.send(bytes('x')));
  t.do('c.shutdown(SHUT_WR)', () => c.shutdown(net.SHUT_WR));
  t.do('p.shutdown(SHUT_WR)', () => p.shutdown(net.SHUT_WR));
  t.do('c.recv(10)', () => c.recv(10));
  t.value('c tcpi_state', tcpState(net, c));
  t.value('p tcpi_state', tcpState(net, p));
  t.do('c.getpeername()', () => c.getpeername(), env.addr);
  t.do('p.getpeername()', () => p.getpeername(), env.addr);
  t.do('p.shutdown(SHUT_RDWR)', () => p.shutdown(net.SHUT_RDWR));
  for (const s of [c, p, l]) s.close();
  return t.lines;
}

/** shutdown(SHUT_RD): Linux sends nothing; recv reads b'' while nothing is queued, yet data the peer sends later is still delivered. */
export function tcpShutRd(net: Network, env: Env): string[] {
  const t = new Transcript();
  const [l, c, p] = tcpPair(net);
  c.settimeout(0.05);
  p.settimeout(0.05);
  t.do('c.shutdown(SHUT_RD)', () => c.shutdown(net.SHUT_RD));
  t.do('c.recv(10)', () => c.recv(10));
  t.do("p.send(b'data')", () => p.send(bytes('data')));
  t.do('c.recv(10)', () => c.recv(10));
  t.do('c.recv(10)', () => c.recv(10));
  t.do("c.send(b'up')", () => c.send(bytes('up')));
  t.do('p.recv(10)', () => p.recv(10));
  t.value('c tcpi_state', tcpState(net, c));
  t.value('p tcpi_state', tcpState(net, p));
  t.do('c.shutdown(SHUT_RD)', () => c.shutdown(net.SHUT_RD));
  t.do('c.shutdown(7)', () => c.shutdown(7));
  for (const s of [c, p, l]) s.close();
  t.do('c.shutdown(SHUT_RD)  # closed', () => c.shutdown(net.SHUT_RD));
  const fresh = new net.socket(net.AF_INET, net.SOCK_STREAM);
  t.do('fresh.shutdown(SHUT_RD)', () => fresh.shutdown(net.SHUT_RD));
  fresh.close();
  return t.lines;
}

/**
 * Writing to a closed peer: the FIN only says the peer stops sending, so the first send is
 * accepted; it draws the peer's RST, and every later send is EPIPE. recv after the EOF keeps
 * reading b''.
 */
export function tcpSendAfterPeerClosed(net: Network, env: Env): string[] {
  const t = new Transcript();
  const [l, c, p] = tcpPair(net);
  c.settimeout(0.05);
  t.do('p.close()', () => p.close());
  t.value('c tcpi_state', tcpState(net, c));
  t.do("c.send(b'a')", () => c.send(bytes('a')));
  t.value('c tcpi_state', tcpState(net, c));
  t.do("c.send(b'b')", () => c.send(bytes('b')));
  t.do("c.send(b'c')", () => c.send(bytes('c')));
  t.do('c.recv(10)', () => c.recv(10));
  t.do("c.sendall(b'd')", () => c.sendall(bytes('d')));
  c.close();

  t.note('reading the EOF first changes nothing');
  const [l2, c2, p2] = tcpPair(net);
  c2.settimeout(0.05);
  t.do('p2.close()', () => p2.close());
  t.do('c2.recv(10)', () => c2.recv(10));
  t.do("c2.send(b'a')", () => c2.send(bytes('a')));
  t.do('c2.recv(10)  # the RST is not reported to recv after EOF', () => c2.recv(10));
  t.value('c2 SO_ERROR', c2.getsockopt(net.SOL_SOCKET, net.SO_ERROR));
  t.do("c2.send(b'b')", () => c2.send(bytes('b')));
  c2.close();
  t.note('the RST that meets CLOSE_WAIT leaves EPIPE (not ECONNRESET) in SO_ERROR, read once; sends fail either way');
  const [l3, c3, p3] = tcpPair(net);
  c3.settimeout(0.05);
  p3.close();
  t.do("c3.send(b'a')", () => c3.send(bytes('a')));
  t.value('c3 SO_ERROR', c3.getsockopt(net.SOL_SOCKET, net.SO_ERROR));
  t.value('c3 SO_ERROR', c3.getsockopt(net.SOL_SOCKET, net.SO_ERROR));
  t.do("c3.send(b'b')", () => c3.send(bytes('b')));
  c3.close();
  for (const s of [l, l2, l3]) s.close();
  return t.lines;
}
