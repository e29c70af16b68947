// wasock/linux's network(): the module API on a Linux host of its own. Its sockets replay
// CPython's answers as the top-level module's do, its module state is its own, and a
// restricted capability set applies to its sockets only.
import { afterEach, describe, expect, it } from 'vitest';
import { network } from '../src/linux.js';
import * as w from '../src/index.js';
import { loadFixture, runCase } from './helpers/replay.js';

describe('network() replays CPython on its own core', () => {
  const net = network();
  // A slice across families, types and states: every 12th case of the option values.
  const cases = loadFixture('sockopt-values.json').cases.filter((_c, i) => i % 12 === 0);
  it('the slice is not empty and covers stream and datagram sockets', () => {
    expect(cases.length).toBeGreaterThan(20);
    expect(new Set(cases.map((c) => c.sock.type))).toEqual(new Set(['stream', 'dgram']));
  });
  for (const c of cases) it(c.id, () => runCase(c, net));
});

describe('network() has the module API, bound to its host', () => {
  it('its sockets, socketpair, create_server, create_connection and fromfd are on its core, as its socket class', () => {
    const net = network();
    const top = new w.socket();
    const s = new net.socket(w.AF_INET, w.SOCK_STREAM);
    expect(s).toBeInstanceOf(net.socket);
    expect(s).toBeInstanceOf(w.socket);          // the top-level class is every socket's base
    expect(top).not.toBeInstanceOf(net.socket);
    expect(s._c).not.toBe(top._c);
    expect(net.socket.name).toBe('socket');
    const [a, b] = net.socketpair();
    expect(a).toBeInstanceOf(net.socket);
    expect(a._c).toBe(s._c);
    a.sendall(new TextEncoder().encode('hi'));
    expect(new TextDecoder().decode(b.recv(10))).toBe('hi');
    const server = net.create_server(['127.0.0.1', 0]);
    const client = net.create_connection(server.getsockname() as [string, number], 5);
    const [peer] = server.accept();
    expect(server).toBeInstanceOf(net.socket);
    expect(client).toBeInstanceOf(net.socket);
    expect(client._c).toBe(s._c);
    expect(peer._c).toBe(s._c);
    expect(peer).toBeInstanceOf(net.socket);     // accept() makes the module's socket
    const d = peer.dup();
    expect(d).toBeInstanceOf(net.socket);        // dup() keeps the class (socket.py's __class__)
    d.close();
    expect(client.gettimeout()).toBe(5);
    const dup = net.fromfd(client.fileno(), w.AF_INET, w.SOCK_STREAM);
    expect(dup).toBeInstanceOf(net.socket);
    expect(dup.getpeername()).toEqual(client.getpeername());
    for (const x of [top, s, a, b, server, client, peer, dup]) x.close();
  });

  it('a network\'s plain sockets are plain sockets: one object shape for every network (src/socket.ts constructOn)', () => {
    const n1 = network(), n2 = network();
    const a = new n1.socket(w.AF_INET, w.SOCK_STREAM), b = new n2.socket(w.AF_INET, w.SOCK_STREAM);
    const [p, q] = n1.socketpair();
    // A prototype per network made socket.ts's methods megamorphic once a process had several networks.
    for (const x of [a, b, p, q]) expect(Object.getPrototypeOf(x)).toBe(w.socket.prototype);
    expect(a).toBeInstanceOf(n1.socket);
    expect(a).not.toBeInstanceOf(n2.socket);
    expect(b).toBeInstanceOf(n2.socket);
    expect(() => new (n1.socket as unknown as new (...a: unknown[]) => unknown)(1, 2, 3, null, 5)).toThrow('socket.__init__() takes from 1 to 5 positional arguments but 6 were given');
    // A subclass keeps its own class and its network's core; dup() keeps the class.
    class Mine extends n1.socket { hello() { return 'hi'; } }
    const m = new Mine(w.AF_INET, w.SOCK_STREAM);
    expect(m).toBeInstanceOf(Mine);
    expect(m).toBeInstanceOf(n1.socket);
    expect(a).not.toBeInstanceOf(Mine);
    expect(m._c).toBe(a._c);
    const md = m.dup();
    expect(md).toBeInstanceOf(Mine);
    expect((md as Mine).hello()).toBe('hi');
    for (const x of [a, b, p, q, m, md]) x.close();
  });

  it('carries the module names: constants, struct and errors are the top level\'s', () => {
    const net = network();
    expect(net.AF_INET).toBe(w.AF_INET);
    expect(net.struct).toBe(w.struct);
    expect(net.OSError).toBe(w.OSError);
    expect(net.host.name).toBe('linux');
    expect('useHost' in net).toBe(false);      // the top level's default host is not a network's
    expect(() => (net.socketpair as (...a: unknown[]) => unknown)(1, 2, 3, 4)).toThrow('socketpair() takes from 0 to 3 positional arguments but 4 were given');
  });
});

describe('two networks have independent module state', () => {
  afterEach(() => w.setdefaulttimeout(null));

  it('setdefaulttimeout on one changes neither the other nor the top level', () => {
    const n1 = network(), n2 = network();
    n1.setdefaulttimeout(2.5);
    expect(n1.getdefaulttimeout()).toBe(2.5);
    expect(n2.getdefaulttimeout()).toBeNull();
    expect(w.getdefaulttimeout()).toBeNull();
    w.setdefaulttimeout(7);
    n2.setdefaulttimeout(0);
    expect([n1.getdefaulttimeout(), n2.getdefaulttimeout(), w.getdefaulttimeout()]).toEqual([2.5, 0, 7]);
    // New sockets start with their own network's default.
    const [a, b, c] = [new n1.socket(), new n2.socket(), new w.socket()];
    expect([a.gettimeout(), b.gettimeout(), c.gettimeout()]).toEqual([2.5, 0, 7]);
    expect(b.getblocking()).toBe(false);
    for (const x of [a, b, c]) x.close();
  });

  it('setdefaulttimeout on a network validates as the top level does', () => {
    const net = network();
    expect(() => net.setdefaulttimeout(-1)).toThrow(w.ValueError);
    expect(() => net.setdefaulttimeout(-1)).toThrow('Timeout value out of range');
    expect(net.getdefaulttimeout()).toBeNull();
  });
});

describe('network({ capabilities }) is a restricted Linux host', () => {
  it('its sockets lack what it lacks; the top level and other networks keep everything', () => {
    const all = w.CAPABILITIES.filter((c) => c !== 'ioctl.windows');
    const net = network({ capabilities: all.filter((c) => c !== 'getsockopt'), name: 'linux-no-getsockopt' });
    const s = new net.socket();
    expect(s.isAvailable('getsockopt')).toBe(false);
    expect(() => s.getsockopt(w.SOL_SOCKET, w.SO_TYPE)).toThrow(/^getsockopt is not available on linux-no-getsockopt/);
    const t = new w.socket(), u = new (network().socket)();
    expect(t.getsockopt(w.SOL_SOCKET, w.SO_TYPE)).toBe(w.SOCK_STREAM);
    expect(u.getsockopt(w.SOL_SOCKET, w.SO_TYPE)).toBe(w.SOCK_STREAM);
    const noSockets = network({ capabilities: all.filter((c) => c !== 'socket.create'), name: 'no-sockets' });
    expect(() => new noSockets.socket()).toThrow(/socket is not available on no-sockets/);
    for (const x of [s, t, u]) x.close();
  });
});
