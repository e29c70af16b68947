// A full accept queue. Linux queues backlog + 1 established connections; a SYN that finds the
// queue full is dropped (not refused), so the client keeps retrying it: a timed connect times
// out (TimeoutError, no errno) and a non-blocking one stays EINPROGRESS in SYN_SENT.
//
// The SYN is retransmitted after one second; nothing here accepts a second connection or
// looks at a dropped one after the first accept(), so the transcript never depends on
// whether a retransmission has happened.
import type { Network } from '../../src/linux.js';
import { Transcript, type Env } from './transcript.js';
import { listener, tcpState, type Sock } from './tools.js';

function backlogFull(net: Network, env: Env, backlog: number): string[] {
  const t = new Transcript();
  const l = listener(net, backlog);
  const L = l.getsockname();
  t.value('L', env.addr(L));
  t.note(`listen(${backlog}), then timed connects (0.05 s) until one does not fit`);
  const socks: Sock[] = [];
  for (let i = 0; i < backlog + 2; i++) {
    const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
    c.settimeout(0.05);
    socks.push(c);
    t.do(`c${i}.connect(L)`, () => c.connect(L));
    t.value(`c${i} tcpi_state`, tcpState(net, c));
  }
  const late = socks[socks.length - 1];
  t.note('the timed-out socket is still connecting');
  t.do('late.connect(L)', () => late.connect(L));
  t.do('late.connect_ex(L)', () => late.connect_ex(L));
  t.do('late.getpeername()', () => late.getpeername(), env.addr);

  t.note('a non-blocking connect to the full queue');
  const n = new net.socket(net.AF_INET, net.SOCK_STREAM);
  n.setblocking(false);
  socks.push(n);
  t.do('n.connect(L)', () => n.connect(L));
  t.value('n SO_ERROR', n.getsockopt(net.SOL_SOCKET, net.SO_ERROR));
  t.value('n tcpi_state', tcpState(net, n));
  t.do('n.getpeername()', () => n.getpeername(), env.addr);
  t.do("n.send(b'x')", () => n.send(new Uint8Array([120])));
  t.do('n.recv(1)', () => n.recv(1));
  t.do('n.connect_ex(L)', () => n.connect_ex(L));

  t.note('accept() takes the first connection, in order');
  const [p, addr] = l.accept();
  t.value('accept() peer', env.addr(addr));
  t.value('c0.getsockname()', env.addr(socks[0].getsockname()));
  t.value('p.getsockname()', env.addr(p.getsockname()));
  for (const s of [...socks, p, l]) s.close();
  return t.lines;
}

export const tcpBacklog0 = (net: Network, env: Env): string[] => backlogFull(net, env, 0);
export const tcpBacklog1 = (net: Network, env: Env): string[] => backlogFull(net, env, 1);

/** A non-blocking connect with room in the queue: EINPROGRESS, even on loopback. */
export function tcpNonBlockingConnect(net: Network, env: Env): string[] {
  const t = new Transcript();
  const l = listener(net, 1);
  const L = l.getsockname();
  t.value('L', env.addr(L));
  const n = new net.socket(net.AF_INET, net.SOCK_STREAM);
  n.setblocking(false);
  t.do('n.connect(L)', () => n.connect(L));
  t.value('n SO_ERROR', n.getsockopt(net.SOL_SOCKET, net.SO_ERROR));
  t.value('n tcpi_state', tcpState(net, n));
  t.do('n.connect(L)', () => n.connect(L));
  t.do('n.connect(L)', () => n.connect(L));
  t.do('n.connect_ex(L)', () => n.connect_ex(L));
  t.do('n.getpeername()', () => n.getpeername(), env.addr);
  const [p, addr] = l.accept();
  t.value('accept() peer', env.addr(addr));
  t.do('p.gettimeout()', () => p.gettimeout());
  for (const s of [n, p, l]) s.close();
  return t.lines;
}
