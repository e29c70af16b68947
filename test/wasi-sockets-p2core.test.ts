// The p2 core (wasock/wasi-p2: the core compiled with host/wasi-p2 into a component whose only
// imports are wasi:*) on wasock's own wasi:sockets provider instead of preview2-shim: the same
// module API, served by real kernel sockets or by the emulated network through the provider,
// in this thread (no worker). What crosses two layers is checked here: units (keep-alive
// seconds <-> ns, buffer sizes halved by the provider and doubled back by the core as Python
// sees them), timeouts through pollables and the provider's clock, errors (p2 error-code ->
// errno -> Python's exception), and the provider network's policy.
import { describe, expect, it } from 'vitest';
import { network as p2network } from '../src/wasi-p2.js';
import { wasiSockets } from '../src/wasi-sockets.js';
import { network as linuxNetwork } from '../src/linux.js';
import { network as emulatedNetwork } from '../src/emulated.js';
import { policy } from '../src/policy.js';
import * as w from '../src/index.js';
import type { Network } from '../src/network.js';

const BACKINGS: Record<string, () => Network> = {
  linux: () => linuxNetwork(),
  emulated: () => emulatedNetwork({ seed: 11 }),
};
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

for (const [backing, make] of Object.entries(BACKINGS)) {
  describe(`the p2 core on wasock's provider, backed by ${backing}`, () => {
    const provider = wasiSockets({ network: make() });
    const net = p2network({ provider: provider.imports() });

    function pair(family = w.AF_INET) {
      const host = family === w.AF_INET ? '127.0.0.1' : '::1';
      const srv = new net.socket(family);
      srv.bind([host, 0]);
      srv.listen();
      const c = new net.socket(family);
      c.connect(srv.getsockname());
      const [a, peer] = srv.accept();
      return { srv, c, a, peer };
    }

    it('TCP over IPv4 and IPv6: connect, accept, data both ways, addresses, EOF after SHUT_WR', () => {
      for (const family of [w.AF_INET, w.AF_INET6]) {
        const { srv, c, a, peer } = pair(family);
        expect(peer).toEqual(c.getsockname());
        expect(c.getpeername()).toEqual(srv.getsockname());
        c.sendall(enc('ping'));
        expect(dec(a.recv(16))).toBe('ping');
        a.sendall(enc('pong'));
        expect(dec(c.recv(16))).toBe('pong');
        c.shutdown(w.SHUT_WR);
        expect(a.recv(16).length).toBe(0);
        for (const s of [a, c, srv]) s.close();
      }
    });

    it('options cross both layers in their units: TCP_KEEPIDLE seconds, SO_RCVBUF as Linux reports it (doubled), IP_TTL', () => {
      const { srv, c, a } = pair();
      c.setsockopt(w.SOL_SOCKET, w.SO_KEEPALIVE, 1);
      c.setsockopt(w.IPPROTO_TCP, w.TCP_KEEPIDLE, 42);
      c.setsockopt(w.IPPROTO_TCP, w.TCP_KEEPINTVL, 7);
      c.setsockopt(w.IPPROTO_TCP, w.TCP_KEEPCNT, 5);
      c.setsockopt(w.SOL_SOCKET, w.SO_RCVBUF, 65536);
      c.setsockopt(w.IPPROTO_IP, w.IP_TTL, 33);
      expect(c.getsockopt(w.SOL_SOCKET, w.SO_KEEPALIVE)).toBe(1);
      expect(c.getsockopt(w.IPPROTO_TCP, w.TCP_KEEPIDLE)).toBe(42);
      expect(c.getsockopt(w.IPPROTO_TCP, w.TCP_KEEPINTVL)).toBe(7);
      expect(c.getsockopt(w.IPPROTO_TCP, w.TCP_KEEPCNT)).toBe(5);
      expect(c.getsockopt(w.SOL_SOCKET, w.SO_RCVBUF)).toBe(131072);
      expect(c.getsockopt(w.IPPROTO_IP, w.IP_TTL)).toBe(33);
      for (const s of [a, c, srv]) s.close();
    });

    it('a recv timeout waits on a pollable and the provider\'s clock (virtual time on the emulated network), then TimeoutError', () => {
      const { srv, c, a } = pair();
      c.settimeout(0.2);
      const t0 = provider.monotonicClock.now();
      expect(() => c.recv(4)).toThrow(w.TimeoutError);
      const waited = Number(provider.monotonicClock.now() - t0) / 1e9;
      expect(waited).toBeGreaterThanOrEqual(0.19);
      expect(waited).toBeLessThan(backing === 'emulated' ? 0.21 : 2);
      c.settimeout(0);
      expect(() => c.recv(4)).toThrow(w.BlockingIOError);
      for (const s of [a, c, srv]) s.close();
    });

    it('a connect to a port nobody listens on is ConnectionRefusedError', () => {
      const probe = new net.socket();
      probe.bind(['127.0.0.1', 0]);
      const addr = probe.getsockname();
      probe.close();
      const c = new net.socket();
      expect(() => c.connect(addr)).toThrow(w.ConnectionRefusedError);
      c.close();
    });

    it('UDP: sendto and recvfrom with the sender\'s address, an empty datagram kept', () => {
      // Each side sends first: the p2 core makes a UDP socket's datagram streams on its first
      // send (a receive before that waits on nothing: see the report of issue 12's provider).
      const a = new net.socket(w.AF_INET, w.SOCK_DGRAM), b = new net.socket(w.AF_INET, w.SOCK_DGRAM);
      a.bind(['127.0.0.1', 0]); b.bind(['127.0.0.1', 0]);
      a.sendto(enc('hello'), b.getsockname());
      a.sendto(new Uint8Array(0), b.getsockname());
      b.sendto(enc('back'), a.getsockname());
      const [d1, from] = b.recvfrom(64);
      expect(dec(d1)).toBe('hello');
      expect(from).toEqual(a.getsockname());
      expect(b.recvfrom(64)[0].length).toBe(0);
      const [d2, from2] = a.recvfrom(64);
      expect(dec(d2)).toBe('back');
      expect(from2).toEqual(b.getsockname());
      a.close(); b.close();
    });
  });
}

describe('the p2 core on the provider under the provider network\'s policy', () => {
  it('a connect the policy denies reaches the core as access-denied: PermissionError (EACCES)', () => {
    const provider = wasiSockets({ network: linuxNetwork({ policy: policy().allowTcp().allow('bind', '0.0.0.0', 0) }) });
    const net = p2network({ provider: provider.imports() });
    const s = new net.socket();
    let e: unknown = null;
    try { s.connect(['127.0.0.1', 9]); } catch (x) { e = x; }
    expect(e).toBeInstanceOf(w.PermissionError);
    expect((e as w.OSError).errno).toBe(13);
    s.close();
  });
});
