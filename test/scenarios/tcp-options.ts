// Socket options: what accept() copies from the listener, and the read-only options across
// a socket's states (SO_ACCEPTCONN, SO_ERROR, SO_TYPE, SO_PROTOCOL, SO_DOMAIN).
import type { Network } from '../../src/linux.js';
import { Transcript, type Env } from './transcript.js';
import { closedPort, linger, listener, LOCAL, tcpState, type Sock } from './tools.js';

/** struct timeval {sec, usec} as struct.pack('ll', ...). */
const timeval = (sec: number, usec: number): Uint8Array => new Uint8Array(new BigInt64Array([BigInt(sec), BigInt(usec)]).buffer);

/**
 * Options set on the listener before listen(), read on the accepted socket. Linux copies
 * the socket (sk_clone_lock), so almost everything follows; the order of the list matters
 * (IP_TOS also sets SO_PRIORITY on the listener), and TCP_MAXSEG comes back minus the
 * timestamp option's 12 bytes. The accepted socket's timeout is the module default (None),
 * as in CPython, whatever the listener's.
 */
export function tcpAcceptInherits(net: Network, env: Env): string[] {
  const t = new Transcript();
  const opts: [string, number, number, number | Uint8Array, number?][] = [
    ['SO_RCVBUF', net.SOL_SOCKET, net.SO_RCVBUF, 8192],
    ['SO_SNDBUF', net.SOL_SOCKET, net.SO_SNDBUF, 8192],
    ['SO_KEEPALIVE', net.SOL_SOCKET, net.SO_KEEPALIVE, 1],
    ['SO_REUSEADDR', net.SOL_SOCKET, net.SO_REUSEADDR, 1],
    ['SO_OOBINLINE', net.SOL_SOCKET, net.SO_OOBINLINE, 1],
    ['SO_RCVLOWAT', net.SOL_SOCKET, net.SO_RCVLOWAT, 7],
    ['SO_PRIORITY', net.SOL_SOCKET, net.SO_PRIORITY, 3],
    ['SO_LINGER', net.SOL_SOCKET, net.SO_LINGER, linger(1, 5), 8],
    ['SO_RCVTIMEO', net.SOL_SOCKET, net.SO_RCVTIMEO, timeval(2, 500000), 16],
    ['SO_SNDTIMEO', net.SOL_SOCKET, net.SO_SNDTIMEO, timeval(3, 0), 16],
    ['TCP_NODELAY', net.IPPROTO_TCP, net.TCP_NODELAY, 1],
    ['TCP_KEEPIDLE', net.IPPROTO_TCP, net.TCP_KEEPIDLE, 60],
    ['TCP_KEEPINTVL', net.IPPROTO_TCP, net.TCP_KEEPINTVL, 10],
    ['TCP_KEEPCNT', net.IPPROTO_TCP, net.TCP_KEEPCNT, 4],
    ['TCP_MAXSEG', net.IPPROTO_TCP, net.TCP_MAXSEG, 1000],
    ['TCP_USER_TIMEOUT', net.IPPROTO_TCP, net.TCP_USER_TIMEOUT, 5000],
    ['TCP_CONGESTION', net.IPPROTO_TCP, net.TCP_CONGESTION, new TextEncoder().encode('reno'), 16],
    ['TCP_NOTSENT_LOWAT', net.IPPROTO_TCP, net.TCP_NOTSENT_LOWAT, 4096],
    ['IP_TOS', net.IPPROTO_IP, net.IP_TOS, 0x10],
    ['IP_TTL', net.IPPROTO_IP, net.IP_TTL, 9],
  ];
  const l = new net.socket(net.AF_INET, net.SOCK_STREAM);
  for (const [name, level, opt, v] of opts) t.do(`l.setsockopt(${name}, ${v instanceof Uint8Array ? 'bytes' : v})`, () => l.setsockopt(level, opt, v));
  l.settimeout(0.5);
  l.bind([LOCAL, 0]);
  l.listen();
  const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
  c.connect(l.getsockname());
  const [p] = l.accept();
  for (const [name, level, opt, , buflen] of opts) {
    const get = (s: Sock) => (buflen === undefined ? s.getsockopt(level, opt) : s.getsockopt(level, opt, buflen));
    t.do(`${name}: listener`, () => get(l));
    t.do(`${name}: accepted`, () => get(p));
  }
  t.do('listener gettimeout()', () => l.gettimeout());
  t.do('accepted gettimeout()', () => p.gettimeout());
  for (const s of [c, p, l]) s.close();
  return t.lines;
}

const READONLY = ['SO_ACCEPTCONN', 'SO_ERROR', 'SO_TYPE', 'SO_PROTOCOL', 'SO_DOMAIN'] as const;

/** One line per socket: its read-only SOL_SOCKET options, and tcpi_state for inet TCP. */
function matrixRow(t: Transcript, net: Network, name: string, s: Sock): void {
  const values = READONLY.map((o) => {
    try { return `${o}=${s.getsockopt(net.SOL_SOCKET, net[o])}`; } catch (e) { return `${o}=${(e as Error).name}(${(e as { errno?: number }).errno})`; }
  });
  const inetTcp = s.type === net.SOCK_STREAM && s.family !== net.AF_UNIX;
  t.value(name, values.join(' ') + (inetTcp ? ` tcpi_state=${tcpState(net, s)}` : ''));
}

export function tcpStateMatrix(net: Network, env: Env): string[] {
  const t = new Transcript();
  const f = new net.socket(net.AF_INET, net.SOCK_STREAM);
  matrixRow(t, net, 'tcp fresh', f);
  f.bind([LOCAL, 0]);
  matrixRow(t, net, 'tcp bound', f);
  f.listen();
  matrixRow(t, net, 'tcp listening', f);
  const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
  c.connect(f.getsockname());
  const [p] = f.accept();
  matrixRow(t, net, 'tcp connected', c);
  matrixRow(t, net, 'tcp accepted', p);
  for (const s of [c, p, f]) s.close();

  const port = closedPort(net, net.SOCK_STREAM);
  const r = new net.socket(net.AF_INET, net.SOCK_STREAM);
  r.setblocking(false);
  t.do('r.connect(closed port)', () => r.connect([LOCAL, port]));
  matrixRow(t, net, 'tcp refused', r);
  matrixRow(t, net, 'tcp refused, read again', r);
  r.close();

  const others: [string, () => Sock][] = [
    ['udp', () => new net.socket(net.AF_INET, net.SOCK_DGRAM)],
    ['tcp6', () => new net.socket(net.AF_INET6, net.SOCK_STREAM)],
    ['udp6', () => new net.socket(net.AF_INET6, net.SOCK_DGRAM)],
    ['unix stream', () => new net.socket(net.AF_UNIX, net.SOCK_STREAM)],
    ['unix dgram', () => new net.socket(net.AF_UNIX, net.SOCK_DGRAM)],
    ['unix seqpacket', () => new net.socket(net.AF_UNIX, net.SOCK_SEQPACKET)],
  ];
  for (const [name, make] of others) {
    const s = make();
    matrixRow(t, net, name, s);
    s.close();
  }
  const [a, b] = net.socketpair();
  matrixRow(t, net, 'socketpair()', a);
  a.close(); b.close();
  const u = new net.socket(net.AF_INET, net.SOCK_DGRAM);
  t.do('udp getsockopt(IPPROTO_TCP, TCP_INFO, 8)', () => u.getsockopt(net.IPPROTO_TCP, net.TCP_INFO, 8));
  t.do('udp getsockopt(IPPROTO_TCP, TCP_NODELAY)', () => u.getsockopt(net.IPPROTO_TCP, net.TCP_NODELAY));
  u.close();
  const x = new net.socket(net.AF_UNIX, net.SOCK_STREAM);
  t.do('unix getsockopt(IPPROTO_TCP, TCP_INFO, 8)', () => x.getsockopt(net.IPPROTO_TCP, net.TCP_INFO, 8));
  x.close();
  return t.lines;
}
