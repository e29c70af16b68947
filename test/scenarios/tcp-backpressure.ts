// Backpressure with small buffers: SO_RCVBUF 4096 on the listener (the accepted socket
// inherits it) and SO_SNDBUF 4096 on the client, both set before connect; the client is
// non-blocking and sends 100 000 bytes at a time until EAGAIN.
//
// Pinned: the doubled sizes, that a fill is a partial write then EAGAIN, how much the first
// fill takes (half of SO_RCVBUF in the receiver's window plus the sender's queue), what the
// receiver holds, that the reader drains every byte sent, and that sending resumes after the
// drain. Not pinned: how Linux splits a fill across send() calls and how much it takes after
// the drain, and SIOCOUTQ's count of bytes sent but not acknowledged: they follow skb truesize
// accounting and delayed ACKs, which the emulated network does not model (docs/decisions.md).
// On Linux loopback they were 6144, 2048, 2048 then EAGAIN; 6144 after the drain; SIOCOUTQ 8192.
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
  /** Sends until EAGAIN; the transcript shows whether it was a partial write then EAGAIN. */
  const fill = (): number => {
    let calls = 0, got = 0;
    for (;;) {
      try {
        got += c.send(chunk);
        calls++;
        if (calls > 10) throw new Error('the sender never met EAGAIN');
      } catch (e) {
        if ((e as Error).name !== 'BlockingIOError') throw e;
        t.value('partial writes, then BlockingIOError', calls > 0 && got < chunk.length * calls);
        sent += got;
        return got;
      }
    }
  };
  t.value('first fill', fill());
  t.value('c SIOCOUTQ > 0', ioctlInt(net, c, net.fcntl.SIOCOUTQ) > 0);
  t.value('p SIOCINQ', ioctlInt(net, p, net.fcntl.SIOCINQ));
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
  t.value('p drained everything sent', drain() === sent);
  t.note('the reader made room: sending resumes');
  const more = fill();
  t.value('sent again > 0', more > 0);
  t.value('p drained everything sent since', drain() === more);
  t.do('c.shutdown(SHUT_WR)', () => c.shutdown(net.SHUT_WR));
  t.do('p.recv(10)', () => p.recv(10));
  for (const s of [c, p, l]) s.close();
  return t.lines;
}
