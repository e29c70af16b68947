// EADDRINUSE on 127.0.0.1:port for two TCP sockets, with SO_REUSEADDR and SO_REUSEPORT set
// on neither, one or both, the first one listening or only bound, the second then
// listening. Then TIME_WAIT: the active closer's port can be bound again only when both
// the old socket and the new one set SO_REUSEADDR.
import type { Network } from '../../src/linux.js';
import { Transcript, type Env } from './transcript.js';
import { LOCAL, type Sock } from './tools.js';

const COMBOS: [string, ('SO_REUSEADDR' | 'SO_REUSEPORT')[]][] = [
  ['none', []], ['RA', ['SO_REUSEADDR']], ['RP', ['SO_REUSEPORT']], ['RA+RP', ['SO_REUSEADDR', 'SO_REUSEPORT']],
];

function withOpts(net: Network, opts: ('SO_REUSEADDR' | 'SO_REUSEPORT')[]): Sock {
  const s = new net.socket(net.AF_INET, net.SOCK_STREAM);
  for (const o of opts) s.setsockopt(net.SOL_SOCKET, net[o], 1);
  return s;
}

export function tcpAddrInUse(net: Network, env: Env): string[] {
  const t = new Transcript();
  for (const firstListens of [true, false]) {
    for (const [n1, o1] of COMBOS) {
      for (const [n2, o2] of COMBOS) {
        const a = withOpts(net, o1);
        a.bind([LOCAL, 0]);
        if (firstListens) a.listen();
        const port = (a.getsockname() as [string, number])[1];
        const b = withOpts(net, o2);
        const what = `a(${n1}, ${firstListens ? 'listening' : 'bound'}) b(${n2})`;
        if (t.ok(`${what} b.bind(a's address)`, () => b.bind([LOCAL, port]))) t.do(`${what} b.listen()`, () => b.listen());
        a.close(); b.close();
      }
    }
  }
  t.note('two sockets bound with SO_REUSEADDR: the first to listen takes the port');
  const a = withOpts(net, ['SO_REUSEADDR']);
  a.bind([LOCAL, 0]);
  const port = (a.getsockname() as [string, number])[1];
  const b = withOpts(net, ['SO_REUSEADDR']);
  t.do('b.bind(P)', () => b.bind([LOCAL, port]));
  t.do('b.listen()', () => b.listen());
  t.do('a.listen()', () => a.listen());
  const c = withOpts(net, ['SO_REUSEADDR']);
  t.do("c.bind(('0.0.0.0', P))", () => c.bind(['0.0.0.0', port]));
  const d = withOpts(net, []);
  t.do("d.bind(('127.0.0.2', P))  # another address", () => d.bind(['127.0.0.2', port]));
  for (const s of [a, b, c, d]) s.close();
  return t.lines;
}

/** After an active close, the closer's port is in TIME_WAIT (60 s) and blocks bind(). */
export function tcpTimeWait(net: Network, env: Env): string[] {
  const t = new Transcript();
  for (const oldRA of [0, 1]) {
    for (const newRA of [0, 1]) {
      t.note(`server side: the accepted socket closes first; listener SO_REUSEADDR=${oldRA}, new socket SO_REUSEADDR=${newRA}`);
      const l = new net.socket(net.AF_INET, net.SOCK_STREAM);
      l.setsockopt(net.SOL_SOCKET, net.SO_REUSEADDR, oldRA);
      l.bind([LOCAL, 0]);
      l.listen();
      const L = l.getsockname() as [string, number];
      const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
      c.connect(L);
      const [p] = l.accept();
      t.do('p.close()', () => p.close());
      t.do('c.recv(10)', () => c.recv(10));
      c.close();
      l.close();
      const n = new net.socket(net.AF_INET, net.SOCK_STREAM);
      n.setsockopt(net.SOL_SOCKET, net.SO_REUSEADDR, newRA);
      t.do(`n.bind(L=${env.port(L[1])})`, () => n.bind(L));
      t.do('n.getsockname()', () => n.getsockname(), env.addr);
      n.close();
    }
  }
  for (const oldRA of [0, 1]) {
    for (const newRA of [0, 1]) {
      t.note(`client side: the client closes first; client SO_REUSEADDR=${oldRA}, new socket SO_REUSEADDR=${newRA}`);
      const l = new net.socket(net.AF_INET, net.SOCK_STREAM);
      l.bind([LOCAL, 0]);
      l.listen();
      const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
      c.setsockopt(net.SOL_SOCKET, net.SO_REUSEADDR, oldRA);
      c.connect(l.getsockname());
      const C = c.getsockname() as [string, number];
      const [p] = l.accept();
      t.do('c.close()', () => c.close());
      t.do('p.recv(10)', () => p.recv(10));
      p.close();
      const n = new net.socket(net.AF_INET, net.SOCK_STREAM);
      n.setsockopt(net.SOL_SOCKET, net.SO_REUSEADDR, newRA);
      t.do(`n.bind(C=${env.port(C[1])})`, () => n.bind(C));
      n.close();
      l.close();
    }
  }
  return t.lines;
}
