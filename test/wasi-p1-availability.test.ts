// CPython-on-WASI's availability list, reproduced on wasock/wasi-p1. Python 3.11's
// documentation (library/socket.rst, `.. availability:: ... not WASI`) marks these absent on
// WASI: the socket methods bind, connect, connect_ex, dup, getsockopt, listen, setsockopt,
// shutdown and sendmsg (and recvmsg, recvmsg_into with it); the module functions gethostbyname, gethostbyname_ex, gethostname,
// gethostbyaddr, getnameinfo, getprotobyname, getservbyname, getservbyport, CMSG_LEN,
// CMSG_SPACE, if_nameindex, if_nametoindex, if_indextoname, send_fds and recv_fds; and a socket
// can only be made around an fd the runtime pre-opened (socket(fileno=N)). On wasi-p1 each
// such method raises NotAvailableError naming WASI preview 1 and the rule, whatever its
// arguments (CPython on WASI has no method to call, so no argument is ever looked at), and
// what stays works. One row differs by decision: shutdown, which preview 1 has (sock_shutdown)
// and wasi-libc implements; docs/decisions.md says why.
import { describe, it, expect, afterEach } from 'vitest';
import { network as p1 } from '../src/wasi-p1.js';
import { network as linux } from '../src/linux.js';
import * as w from '../src/index.js';
import { NotAvailableError, type socket } from '../src/index.js';

const L = linux();
const open: socket[] = [];
afterEach(() => { for (const s of open.splice(0)) s.close(); });

/** A wasi-p1 network with a connected pair's server end pre-opened as fd 3, adopted; and the peer. */
function adopted(): { net: ReturnType<typeof p1>; s: socket; peer: socket; listener: socket } {
  const lst = new L.socket(); lst.bind(['127.0.0.1', 0]); lst.listen();
  const peer = new L.socket(); peer.connect(lst.getsockname());
  const [conn] = lst.accept();
  const listener = new L.socket(); listener.bind(['127.0.0.1', 0]); listener.listen();
  open.push(peer, lst);
  const net = p1({ preopened: [conn, listener] });
  const s = new net.socket(undefined, undefined, undefined, 3);
  open.push(s);
  return { net, s, peer, listener: new net.socket(undefined, undefined, undefined, 4) };
}

function notAvailable(run: () => unknown, fn: string, cap: string): void {
  let err: unknown;
  try { run(); } catch (e) { err = e; }
  expect(err, `${fn} should raise NotAvailableError`).toBeInstanceOf(NotAvailableError);
  const e = err as NotAvailableError;
  expect(e.capability).toBe(cap);
  expect(e.host).toBe('wasi-p1');
  expect(e.message).toBe(`${fn} is not available on wasi-p1 (it needs the '${cap}' capability): WASI preview 1 has no call for it (Python: Availability: not WASI)`);
}

// [method, capability, calls with good arguments, calls with bad or missing arguments]
type Row = [string, string, ((s: socket) => unknown)[], ((s: socket) => unknown)[]];
const NOT_WASI_METHODS: Row[] = [
  ['bind', 'bind', [(s) => s.bind(['127.0.0.1', 0])], [(s) => s.bind('not an address' as never), (s) => (s.bind as unknown as () => void)(), (s) => s.bind(['127.0.0.1', 70000])]],
  ['connect', 'connect', [(s) => s.connect(['127.0.0.1', 9])], [(s) => s.connect(42 as never), (s) => (s.connect as unknown as () => void)()]],
  ['connect_ex', 'connect', [(s) => s.connect_ex(['127.0.0.1', 9])], [(s) => s.connect_ex(null as never), (s) => (s.connect_ex as unknown as () => void)()]],
  ['dup', 'dup', [(s) => s.dup()], [(s) => (s.dup as unknown as (x: number) => void)(1)]],
  ['getsockopt', 'getsockopt', [(s) => s.getsockopt(w.SOL_SOCKET, w.SO_TYPE), (s) => s.getsockopt(w.SOL_SOCKET, w.SO_LINGER, 8)],
    [(s) => s.getsockopt('x' as never, 1), (s) => (s.getsockopt as unknown as () => void)(), (s) => s.getsockopt(w.SOL_SOCKET, w.SO_LINGER, 'big' as never)]],
  ['listen', 'listen', [(s) => s.listen(), (s) => s.listen(5)], [(s) => s.listen('x' as never), (s) => (s.listen as unknown as (a: number, b: number) => void)(1, 2)]],
  ['setsockopt', 'setsockopt', [(s) => s.setsockopt(w.SOL_SOCKET, w.SO_REUSEADDR, 1), (s) => s.setsockopt(w.SOL_SOCKET, w.SO_LINGER, new Uint8Array(8))],
    [(s) => s.setsockopt(w.SOL_SOCKET, w.SO_REUSEADDR, 'x' as never), (s) => (s.setsockopt as unknown as () => void)()]],
  // Not marked "not WASI" by the documentation, but preview 1 has no call behind them and
  // wasi-libc 2022 no getsockname/getpeername: absent as in CPython built for WASI.
  ['getsockname', 'sockname', [(s) => s.getsockname()], [(s) => (s.getsockname as unknown as (x: number) => void)(1)]],
  ['getpeername', 'sockname', [(s) => s.getpeername()], [(s) => (s.getpeername as unknown as (x: number) => void)(1)]],
  ['sendmsg', 'sendmsg', [(s) => s.sendmsg([new Uint8Array(1)]), (s) => s.sendmsg([], [[w.SOL_SOCKET, w.SCM_RIGHTS, new Uint8Array(4)]])],
    [(s) => s.sendmsg(5 as never), (s) => (s.sendmsg as unknown as () => void)()]],
  ['recvmsg', 'sendmsg', [(s) => s.recvmsg(1), (s) => s.recvmsg(1, 24)], [(s) => s.recvmsg(-1), (s) => s.recvmsg('x' as never)]],
  ['recvmsg_into', 'sendmsg', [(s) => s.recvmsg_into([new Uint8Array(1)])], [(s) => s.recvmsg_into(5 as never)]],
];

describe('wasi-p1: the methods Python marks "Availability: not WASI" raise NotAvailableError', () => {
  for (const [fn, cap, good, bad] of NOT_WASI_METHODS) {
    it(`${fn}(): NotAvailableError('${cap}') with good arguments, with bad ones and with none; isAvailable('${fn}') is false`, () => {
      const { s } = adopted();
      for (const call of good) notAvailable(() => call(s), fn, cap);
      for (const call of bad) notAvailable(() => call(s), fn, cap);
      expect(s.isAvailable(fn)).toBe(false);
    });
  }


  it('socket creation: new net.socket() of every family and type raises NotAvailableError (socket.create)', () => {
    const { net } = adopted();
    for (const [f, t] of [[w.AF_INET, w.SOCK_STREAM], [w.AF_INET, w.SOCK_DGRAM], [w.AF_INET6, w.SOCK_STREAM], [w.AF_UNIX, w.SOCK_STREAM]]) {
      notAvailable(() => new net.socket(f, t), 'socket', 'socket.create');
    }
    notAvailable(() => new net.socket(), 'socket', 'socket.create');
  });

  it('socketpair(), fromfd(), create_connection(), create_server(): NotAvailableError', () => {
    const { net } = adopted();
    notAvailable(() => net.socketpair(), 'socketpair', 'socketpair');
    notAvailable(() => net.fromfd(3, w.AF_INET, w.SOCK_STREAM), 'fromfd', 'dup');
    notAvailable(() => net.create_connection(['127.0.0.1', 9]), 'socket', 'socket.create');
    notAvailable(() => net.create_server(['127.0.0.1', 0]), 'socket', 'socket.create');
  });

  it('fcntl.fcntl and fcntl.ioctl on a wasi-p1 socket: NotAvailableError (the fcntl module is "not WASI")', () => {
    const { s } = adopted();
    let err: unknown;
    try { w.fcntl.fcntl(s, w.fcntl.F_GETFL); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(NotAvailableError);
    err = undefined;
    try { w.fcntl.ioctl(s, w.fcntl.FIONREAD, 0); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(NotAvailableError);
  });

  it('the name-resolution and ancillary-data functions are not in the module (as on WASI: AttributeError)', () => {
    const { net } = adopted();
    for (const name of ['gethostbyname', 'gethostbyname_ex', 'gethostname', 'gethostbyaddr', 'getnameinfo', 'getprotobyname',
      'getservbyname', 'getservbyport', 'CMSG_LEN', 'CMSG_SPACE', 'if_nameindex', 'if_nametoindex', 'if_indextoname', 'send_fds', 'recv_fds']) {
      expect(name in net, name).toBe(false);
    }
  });

  it('shutdown: kept (preview 1 has sock_shutdown, wasi-libc a shutdown() over it), though the docs mark it "not WASI"', () => {
    const { s, peer } = adopted();
    expect(s.isAvailable('shutdown')).toBe(true);
    s.shutdown(w.SHUT_WR);
    expect(peer.recv(10).length).toBe(0);
  });
});

describe('wasi-p1: what is not marked "not WASI" works on socket(fileno=3)', () => {
  const enc = (t: string) => new TextEncoder().encode(t);
  const dec = (b: Uint8Array) => new TextDecoder().decode(b);

  it('accept() on a pre-opened listener', () => {
    const { listener, net } = adopted();
    const c = new L.socket(); c.connect(net.host.sockets.get(4)!.getsockname()); open.push(c);
    const [conn, addr] = listener.accept();
    open.push(conn, listener);
    expect(addr).toBe(null);
    expect(listener.isAvailable('accept')).toBe(true);
  });

  it('recv, recv_into, recvfrom, recvfrom_into', () => {
    const { s, peer } = adopted();
    peer.sendall(enc('abcdefgh'));
    expect(dec(s.recv(2))).toBe('ab');
    const b = new Uint8Array(2);
    expect(s.recv_into(b)).toBe(2);
    expect(dec(b)).toBe('cd');
    const [d, a] = s.recvfrom(2);
    expect([dec(d), a]).toEqual(['ef', null]);
    const [n, a2] = s.recvfrom_into(b);
    expect([n, dec(b), a2]).toEqual([2, 'gh', null]);
  });

  it('send, sendall', () => {
    const { s, peer } = adopted();
    expect(s.send(enc('x'))).toBe(1);
    s.sendall(enc('yz'));
    let got = '';
    while (got.length < 3) got += dec(peer.recv(10));
    expect(got).toBe('xyz');
  });

  it('close, detach, fileno', () => {
    const { s, net } = adopted();
    expect(s.fileno()).toBe(3);
    const d = new net.socket(undefined, undefined, undefined, 3);
    expect(d.detach()).toBe(3);
    s.close();
    expect(s.fileno()).toBe(-1);
    expect(net.host.sockets.open()).toEqual([4]);
  });

  it('getblocking, gettimeout, setblocking, settimeout', () => {
    const { s } = adopted();
    expect([s.getblocking(), s.gettimeout()]).toEqual([true, null]);
    s.settimeout(2.5);
    expect([s.getblocking(), s.gettimeout()]).toEqual([true, 2.5]);
    s.setblocking(false);
    expect([s.getblocking(), s.gettimeout()]).toEqual([false, 0]);
    s.setblocking(true);
    expect(s.gettimeout()).toBe(null);
  });

  it("makefile('rb') / makefile('w')", () => {
    const { s, peer } = adopted();
    peer.sendall(enc('line\n'));
    const r = s.makefile('rb') as { readline(): Uint8Array; close(): void };
    expect(dec(r.readline())).toBe('line\n');
    r.close();
    const t = s.makefile('w') as { write(x: string): number; flush(): void; close(): void };
    t.write('text\n'); t.flush(); t.close();
    expect(dec(peer.recv(10))).toBe('text\n');
  });

  it('struct, the option table, constants and errors need no host', () => {
    const { net } = adopted();
    expect(net.struct.unpack('ii', net.struct.pack('ii', 1, 2))).toEqual([1, 2]);
    expect(net.SO_KEEPALIVE).toBe(9);
    expect(net.decode('linger', new Uint8Array([1, 0, 0, 0, 5, 0, 0, 0]))).toEqual({ onoff: 1, linger: 5 });
    expect(String(new net.OSError(92, 'Protocol not available'))).toContain('[Errno 92]');
  });

  it('isAvailable answers the whole table without trying', () => {
    const { s } = adopted();
    const expected: Record<string, boolean> = {
      accept: true, recv: true, recv_into: true, recvfrom: true, recvfrom_into: true, send: true, sendall: true, sendto: true,
      shutdown: true, setblocking: true, settimeout: true, bind: false, connect: false, connect_ex: false, listen: false,
      getsockopt: false, setsockopt: false, dup: false, getsockname: false, getpeername: false, ioctl: false,
    };
    for (const [m, v] of Object.entries(expected)) expect(s.isAvailable(m), m).toBe(v);
  });
});
