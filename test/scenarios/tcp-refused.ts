// ECONNREFUSED: connecting to a loopback port nobody listens on. Blocking, timed and
// connect_ex report it at once (loopback's RST arrives inside connect()); a non-blocking
// connect says EINPROGRESS and leaves ECONNREFUSED in SO_ERROR, or for the next connect().
import type { Network } from '../../src/linux.js';
import { Transcript, type Env } from './transcript.js';
import { closedPort, LOCAL, tcpState } from './tools.js';

export function tcpRefused(net: Network, env: Env): string[] {
  const t = new Transcript();
  const port = closedPort(net, net.SOCK_STREAM);
  const A: [string, number] = [LOCAL, port];
  t.value('A', env.addr(A));
  const tcp = () => new net.socket(net.AF_INET, net.SOCK_STREAM);

  const b = tcp();
  t.do('b.connect(A)', () => b.connect(A));
  t.do('b.connect(A)', () => b.connect(A));
  t.do('b.getsockname()  # the port connect() picked stays visible', () => b.getsockname(), env.addr);
  t.value('b tcpi_state', tcpState(net, b));
  b.close();

  const x = tcp();
  t.do('x.connect_ex(A)', () => x.connect_ex(A));
  x.close();

  const w = tcp();
  w.settimeout(0.05);
  t.do('w.connect(A)  # timeout 0.05', () => w.connect(A));
  w.close();

  t.note('non-blocking: EINPROGRESS, then the error in SO_ERROR, read once');
  const n = tcp();
  n.setblocking(false);
  t.do('n.connect(A)', () => n.connect(A));
  t.value('n SO_ERROR', n.getsockopt(net.SOL_SOCKET, net.SO_ERROR));
  t.value('n SO_ERROR', n.getsockopt(net.SOL_SOCKET, net.SO_ERROR));
  t.value('n tcpi_state', tcpState(net, n));
  t.do('n.connect(A)  # the error was consumed: ECONNABORTED', () => n.connect(A));
  t.do('n.connect(A)  # a new attempt', () => n.connect(A));
  t.do('n.recv(1)', () => n.recv(1));
  n.close();

  t.note('non-blocking: the next connect() reports the error');
  const m = tcp();
  m.setblocking(false);
  t.do('m.connect(A)', () => m.connect(A));
  t.do('m.connect(A)', () => m.connect(A));
  t.do('m.connect(A)', () => m.connect(A));
  t.do('m.connect(A)', () => m.connect(A));
  m.close();

  const e = tcp();
  e.setblocking(false);
  t.do('e.connect_ex(A)', () => e.connect_ex(A));
  t.do('e.connect_ex(A)', () => e.connect_ex(A));
  t.do("e.send(b'x')", () => e.send(new Uint8Array([120])));
  e.close();
  return t.lines;
}
