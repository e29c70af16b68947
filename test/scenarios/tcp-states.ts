// tcpi_state (TCP_INFO's first byte) through a connection's life, each state reached by a
// step that makes it certain rather than by timing:
// - SYN_SENT: a connect to a full accept queue (its SYN is dropped; retried after 1 s);
// - FIN_WAIT1: shutdown(SHUT_WR) while unsent data waits for the receiver's window, so the
//   FIN waits behind it (right after a plain shutdown the state is FIN_WAIT1 too, but only
//   until the peer's delayed ACK, 40 ms later: not a state to pin);
// - FIN_WAIT2: the peer's reads open the window, the data and FIN go out, the peer's window
//   update acknowledges them;
// - CLOSE_WAIT on the peer; CLOSE for both once the peer shuts down too (the FIN_WAIT2 side
//   moves to TIME_WAIT, which Linux keeps on a separate mini-socket: the socket itself
//   reads CLOSE).
import type { Network } from '../../src/linux.js';
import { Transcript, type Env } from './transcript.js';
import { LOCAL, tcpState } from './tools.js';

export function tcpInfoStates(net: Network, env: Env): string[] {
  const t = new Transcript();
  const st = (name: string, s: InstanceType<Network['socket']>) => t.value(`${name} tcpi_state`, tcpState(net, s));
  const l = new net.socket(net.AF_INET, net.SOCK_STREAM);
  st('fresh', l);
  l.setsockopt(net.SOL_SOCKET, net.SO_RCVBUF, 4096);
  l.bind([LOCAL, 0]);
  st('bound', l);
  l.listen(0);
  st('listening', l);
  const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
  c.setsockopt(net.SOL_SOCKET, net.SO_SNDBUF, 4096);
  c.connect(l.getsockname());
  st('client', c);
  const late = new net.socket(net.AF_INET, net.SOCK_STREAM);
  late.setblocking(false);
  t.do('late.connect(L)  # listen(0): the queue is full', () => late.connect(l.getsockname()));
  st('late', late);
  const [p] = l.accept();
  st('accepted', p);

  t.note('fill the window, then shut down: the FIN waits behind the data');
  c.setblocking(false);
  p.setblocking(false);
  const chunk = new Uint8Array(100_000);
  let sent = 0;
  for (;;) {
    try { sent += c.send(chunk); } catch { break; }
  }
  t.value('sent before EAGAIN', sent);
  t.do('c.shutdown(SHUT_WR)', () => c.shutdown(net.SHUT_WR));
  st('client', c);
  st('accepted', p);
  let got = 0;
  let end = '';
  for (;;) {
    try {
      const d = p.recv(65536);
      if (d.length === 0) { end = "b''"; break; }
      got += d.length;
    } catch (e) { end = (e as Error).name; break; }
  }
  t.value('accepted read', `${got} bytes, then ${end}`);
  st('client', c);
  st('accepted', p);
  t.do("p.send(b'x')", () => p.send(new Uint8Array([120])));
  st('client', c);
  t.do('p.shutdown(SHUT_WR)', () => p.shutdown(net.SHUT_WR));
  st('client', c);
  st('accepted', p);
  t.do('c.recv(10)', () => c.recv(10));
  t.do('c.recv(10)', () => c.recv(10));
  for (const s of [c, p, late, l]) s.close();
  return t.lines;
}
