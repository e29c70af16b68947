// AF_UNIX: stream sockets on paths and on Linux abstract names, datagram sockets, and
// socketpair() in its three types. Paths live under env.dir and abstract names carry a
// per-run prefix (both normalised by the Env); nothing here unlinks a path: a closed
// socket's file stays, which is part of what is pinned.
import type { Network } from '../../src/linux.js';
import { Transcript, type Env } from './transcript.js';
import { bytes, showFrom, type Sock } from './tools.js';

const unix = (net: Network, type?: number): Sock => new net.socket(net.AF_UNIX, type ?? net.SOCK_STREAM);

export function unixStreamPath(net: Network, env: Env): string[] {
  const t = new Transcript();
  const path = env.path('srv');
  const l = unix(net);
  t.do('l.getsockname()  # unbound', () => l.getsockname(), env.addr);
  t.do('l.bind($DIR/srv)', () => l.bind(path));
  t.do('l.getsockname()', () => l.getsockname(), env.addr);
  t.do('l.listen(1)', () => l.listen(1));
  const other = unix(net);
  t.do('other.bind($DIR/srv)', () => other.bind(path));
  other.close();
  // Not here: bind() under a directory that does not exist (FileNotFoundError on Linux). The
  // emulated network has no directories (docs/decisions.md); test/emulated.test.ts pins its answer.

  t.note('the accept queue holds backlog + 1; a connect that does not fit is EAGAIN, with or without a timeout');
  const c = unix(net);
  c.settimeout(0.05);
  t.do('c.connect($DIR/srv)', () => c.connect(path));
  t.do('c.getsockname()', () => c.getsockname(), env.addr);
  t.do('c.getpeername()', () => c.getpeername(), env.addr);
  const c2 = unix(net);
  c2.settimeout(0.05);
  t.do('c2.connect($DIR/srv)', () => c2.connect(path));
  const c3 = unix(net);
  c3.settimeout(0.05);
  t.do('c3.connect($DIR/srv)  # timeout 0.05', () => c3.connect(path));
  c3.setblocking(false);
  t.do('c3.connect($DIR/srv)  # non-blocking', () => c3.connect(path));
  const [a, addr] = l.accept();
  t.value('accept() peer', env.addr(addr));
  t.do('a.getsockname()', () => a.getsockname(), env.addr);
  t.do('a.getpeername()', () => a.getpeername(), env.addr);
  a.settimeout(0.05);

  t.note('a byte stream: sends coalesce; SHUT_WR is EOF; close() with unread data resets');
  c.sendall(bytes('hello'));
  c.sendall(bytes(' world'));
  t.do('a.recv(100)', () => a.recv(100));
  t.do("c.sendall(b'more')", () => c.sendall(bytes('more')));
  t.do('c.shutdown(SHUT_WR)', () => c.shutdown(net.SHUT_WR));
  t.do('a.recv(100)', () => a.recv(100));
  t.do('a.recv(100)', () => a.recv(100));
  t.do("a.send(b'back')", () => a.send(bytes('back')));
  t.do('c.recv(100)', () => c.recv(100));
  t.do("c.send(b'x')", () => c.send(bytes('x')));
  t.do("a.send(b'bye')", () => a.send(bytes('bye')));
  t.do('a.close()', () => a.close());
  t.do('c.recv(100)  # data sent before close is still read', () => c.recv(100));
  t.do('c.recv(100)', () => c.recv(100));
  const [a2] = l.accept();
  t.do("c2.send(b'unread')", () => c2.send(bytes('unread')));
  t.do("a2.send(b'to c2')", () => a2.send(bytes('to c2')));
  t.do('a2.close()  # 6 bytes unread', () => a2.close());
  t.do('c2.recv(100)', () => c2.recv(100));
  t.do('c2.recv(100)', () => c2.recv(100));
  t.do('c2.recv(100)', () => c2.recv(100));
  t.do("c2.send(b'x')", () => c2.send(bytes('x')));
  for (const s of [c, c2, c3, l]) s.close();

  t.note('the socket file outlives the socket');
  const s1 = unix(net);
  t.do('connect($DIR/srv)  # nobody listens', () => s1.connect(path));
  s1.close();
  const s2 = unix(net);
  t.do('connect($DIR/nothing)', () => s2.connect(env.path('nothing')));
  s2.close();
  const s3 = unix(net);
  t.do('bind($DIR/srv)  # the file is still there', () => s3.bind(path));
  s3.close();
  return t.lines;
}

export function unixStreamAbstract(net: Network, env: Env): string[] {
  const t = new Transcript();
  const name = env.abstract('srv');
  const l = unix(net);
  t.do("l.bind(b'\\x00@srv')", () => l.bind(name));
  t.do('l.getsockname()', () => l.getsockname(), env.addr);
  l.listen();
  const dup = unix(net);
  t.do("dup.bind(b'\\x00@srv')", () => dup.bind(name));
  t.do("dup.bind('\\x00@srv')  # the same name as str", () => dup.bind(new TextDecoder().decode(name)));
  dup.close();
  const c = unix(net);
  t.do("c.connect(b'\\x00@srv')", () => c.connect(name));
  const [a, addr] = l.accept();
  t.value('accept() peer', env.addr(addr));
  t.do('c.getpeername()', () => c.getpeername(), env.addr);
  t.do('c.getsockname()', () => c.getsockname(), env.addr);
  t.do('a.getsockname()', () => a.getsockname(), env.addr);
  for (const s of [c, a, l]) s.close();

  t.note('an abstract name goes with its socket');
  const gone = unix(net);
  t.do("gone.connect(b'\\x00@srv')", () => gone.connect(name));
  gone.close();
  const again = unix(net);
  t.do("again.bind(b'\\x00@srv')", () => again.bind(name));
  again.close();

  t.note("autobind: bind('') picks an abstract name of five hex digits");
  const auto = unix(net);
  t.do("auto.bind('')", () => auto.bind(''));
  t.do('auto.getsockname()', () => auto.getsockname(), env.addr);
  t.do('auto.listen()', () => auto.listen());
  const ac = unix(net);
  t.do('ac.connect(auto.getsockname())', () => ac.connect(auto.getsockname()));
  t.do('ac.getpeername()', () => ac.getpeername(), env.addr);
  const [aa] = auto.accept();
  for (const s of [ac, aa, auto]) s.close();
  return t.lines;
}

export function unixDgram(net: Network, env: Env): string[] {
  const t = new Transcript();
  const from = showFrom(env);
  const pa = env.path('a'), pb = env.path('b');
  const a = unix(net, net.SOCK_DGRAM), b = unix(net, net.SOCK_DGRAM);
  a.bind(pa); b.bind(pb);
  a.settimeout(0.05); b.settimeout(0.05);
  t.do("a.sendto(b'one', $DIR/b)", () => a.sendto(bytes('one'), pb));
  t.do("a.sendto(b'', $DIR/b)", () => a.sendto(bytes(''), pb));
  t.do("a.sendto(b'three', $DIR/b)", () => a.sendto(bytes('three'), pb));
  t.do('b.recvfrom(100)', () => b.recvfrom(100), from);
  t.do('b.recvfrom(100)', () => b.recvfrom(100), from);
  t.do('b.recv(2)  # the rest is discarded', () => b.recv(2));
  t.do('b.recv(100)', () => b.recv(100));
  a.sendto(bytes('truncated'), pb);
  const buf = new Uint8Array(4);
  t.do('b.recv_into(buf, 0, MSG_TRUNC)', () => b.recv_into(buf, 0, net.MSG_TRUNC));
  t.value('buf', buf);
  a.sendto(bytes('peek'), pb);
  t.do('b.recvfrom(10, MSG_PEEK)', () => b.recvfrom(10, net.MSG_PEEK), from);
  t.do('b.recvfrom(10)', () => b.recvfrom(10), from);

  const anon = unix(net, net.SOCK_DGRAM);
  t.do("anon.sendto(b'anon', $DIR/b)  # unbound sender", () => anon.sendto(bytes('anon'), pb));
  t.do('b.recvfrom(100)', () => b.recvfrom(100), from);
  t.do('anon.getsockname()', () => anon.getsockname(), env.addr);
  anon.close();
  t.do("a.sendto(b'x', $DIR/nothing)", () => a.sendto(bytes('x'), env.path('nothing')));

  t.note('a connected datagram socket refuses other senders');
  const c = unix(net, net.SOCK_DGRAM);
  c.bind(env.path('c'));
  t.do('b.connect($DIR/a)', () => b.connect(pa));
  t.do("c.sendto(b'from c', $DIR/b)", () => c.sendto(bytes('from c'), pb));
  t.do("a.sendto(b'from a', $DIR/b)", () => a.sendto(bytes('from a'), pb));
  t.do('b.recvfrom(100)', () => b.recvfrom(100), from);
  t.do('b.recvfrom(100)', () => b.recvfrom(100), from);
  t.do("b.send(b'to a')", () => b.send(bytes('to a')));
  t.do('a.recvfrom(100)', () => a.recvfrom(100), from);
  t.do('a.close()', () => a.close());
  t.do("b.send(b'x')  # the peer is gone", () => b.send(bytes('x')));
  t.do("b.send(b'x')", () => b.send(bytes('x')));
  t.do('b.getpeername()', () => b.getpeername(), env.addr);

  t.note('the receive queue holds net.unix.max_dgram_qlen + 1 = 11 datagrams from other sockets');
  c.setblocking(false);
  let n = 0;
  for (; n < 100; n++) {
    try { c.sendto(bytes('q'), pb); } catch (e) { t.value(`c.sendto after ${n} datagrams`, `${(e as Error).name}: ${(e as Error).message}`); break; }
  }
  t.do('b.recv(10)', () => b.recv(10));
  t.do("c.sendto(b'q', $DIR/b)", () => c.sendto(bytes('q'), pb));
  t.do("c.sendto(b'q', $DIR/b)", () => c.sendto(bytes('q'), pb));
  c.close(); b.close();
  return t.lines;
}

export function unixSocketpair(net: Network, env: Env): string[] {
  const t = new Transcript();
  const [x, y] = net.socketpair();
  x.settimeout(0.05); y.settimeout(0.05);
  t.value('socketpair() family, type, proto', `${x.family} ${x.type} ${x.proto}`);
  t.do('x.getsockname()', () => x.getsockname(), env.addr);
  t.do('x.getpeername()', () => x.getpeername(), env.addr);
  x.sendall(bytes('ab'));
  x.sendall(bytes('cd'));
  t.do('y.recv(10)', () => y.recv(10));
  t.do('y.shutdown(SHUT_RD)', () => y.shutdown(net.SHUT_RD));
  t.do("x.send(b'z')  # the peer shut its reading side", () => x.send(bytes('z')));
  t.do('y.recv(10)', () => y.recv(10));
  t.do("y.send(b'up')", () => y.send(bytes('up')));
  t.do('x.recv(10)', () => x.recv(10));
  x.close();
  t.do('y.recv(10)  # the peer closed', () => y.recv(10));
  t.do("y.send(b'z')", () => y.send(bytes('z')));
  y.close();

  t.note('SOCK_DGRAM: boundaries kept, no EOF');
  const [dx, dy] = net.socketpair(net.AF_UNIX, net.SOCK_DGRAM);
  dx.settimeout(0.05); dy.settimeout(0.05);
  for (const d of ['ab', 'cd', '']) dx.send(bytes(d));
  t.do('dy.recv(10)', () => dy.recv(10));
  t.do('dy.recv(10)', () => dy.recv(10));
  t.do('dy.recv(10)', () => dy.recv(10));
  t.do('dy.recv(10)', () => dy.recv(10));
  dx.close();
  t.do('dy.recv(10)  # the peer closed', () => dy.recv(10));
  t.do("dy.send(b'z')", () => dy.send(bytes('z')));
  dy.close();

  t.note('SOCK_SEQPACKET: boundaries kept, a short read discards the rest, EOF on close');
  const [sx, sy] = net.socketpair(net.AF_UNIX, net.SOCK_SEQPACKET);
  sx.settimeout(0.05); sy.settimeout(0.05);
  t.value('type', sx.type);
  sx.send(bytes('ab'));
  sx.send(bytes('cd'));
  t.do('sy.recv(1)', () => sy.recv(1));
  t.do('sy.recv(10)', () => sy.recv(10));
  t.do('sy.recv(10)', () => sy.recv(10));
  sx.close();
  t.do('sy.recv(10)  # the peer closed', () => sy.recv(10));
  t.do("sy.send(b'z')", () => sy.send(bytes('z')));
  sy.close();
  return t.lines;
}
