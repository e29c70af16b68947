// Backpressure with small buffers: SO_RCVBUF 4096 on the listener (the accepted socket
// inherits it) and SO_SNDBUF 4096 on the client, both set before connect; the client is
// non-blocking and sends 100 000 bytes at a time until EAGAIN.
//
// The counts come from Linux's buffer accounting (the kernel doubles both sizes, charges
// each skb's truesize, and the receive window follows the receiver's free space), so an
// emulated network must model the same arithmetic to agree. On loopback they are stable:
// every segment is delivered and acknowledged before send() returns, and the receiver's
// reads send their window updates before recv() returns. If a kernel ever makes them vary,
// the properties to keep are: a partial write, then EAGAIN; the drain reads everything
// sent; after it, sending resumes.
import type { Network } from '../../src/linux.js';
import { Transcript, type Env } from './transcript.js';
import { ioctlInt, LOCAL } from './tools.js';

export function tcpBackpressure(net: Network, env: Env): string[] {
  const t = new Transcript();
  const l = new net.socket(net.AF_INET, net.SOCK_STREAM);
  t.do('l.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)', () => l.setsockopt(net.SOL_SOCKET, net.SO_RCVBUF, 4096));
  l.bind([LOCAL, 0]);
  l.listen();
  const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
  t.do('c.setsockopt(SOL_SOCKET, SO_SNDBUF, 4096)', () => c.setsockopt(net.SOL_SOCKET, net.SO_SNDBUF, 4096));
  c.connect(l.getsockname());
  const [p] = l.accept();
  t.value('c SO_SNDBUF', c.getsockopt(net.SOL_SOCKET, net.SO_SNDBUF));
  t.value('p SO_RCVBUF', p.getsockopt(net.SOL_SOCKET, net.SO_RCVBUF));
  c.setblocking(false);
  p.setblocking(false);
  const chunk = new Uint8Array(100_000).fill(120);
  let sent = 0;
  const fill = (): void => {
    for (let i = 0; i < 10; i++) {
      const n = t.do('c.send(100000 bytes)', () => c.send(chunk));
      if (n === undefined) return;
      sent += n;
    }
    throw new Error('the sender never met EAGAIN');
  };
  fill();
  t.value('c SIOCOUTQ', ioctlInt(net, c, net.fcntl.SIOCOUTQ));
  t.value('p SIOCINQ', ioctlInt(net, p, net.fcntl.SIOCINQ));
  t.value('sent', sent);
  const drain = (): number => {
    let got = 0;
    for (;;) {
      try {
        got += p.recv(65536).length;
      } catch (e) {
        t.value('drain ended with', (e as Error).name);
        return got;
      }
    }
  };
  t.value('p drained', drain());
  t.note('the reader made room: sending resumes');
  fill();
  t.value('p drained', drain());
  t.value('sent', sent);
  t.do('c.shutdown(SHUT_WR)', () => c.shutdown(net.SHUT_WR));
  t.do('p.recv(10)', () => p.recv(10));
  for (const s of [c, p, l]) s.close();
  return t.lines;
}
