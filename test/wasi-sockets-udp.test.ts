// wasmtime's p2 UDP test programs (crates/test-programs/src/bin/p2_udp_*.rs), their assertions
// ported to JS and driven through wasock's wasi:sockets provider, on the Linux host and on the
// emulated network, for IPv4 and IPv6. Each `it` is one of the programs' test functions.
import { afterEach, describe, expect, it } from 'vitest';
import type { Provider, UdpSocket, IpAddressFamily, IpAddress } from '../src/wasi-sockets.js';
import { wasiSockets } from '../src/wasi-sockets.js';
import { network as linuxNetwork } from '../src/linux.js';
import { network as emulatedNetwork } from '../src/emulated.js';
import { policy, type Policy } from '../src/policy.js';
import {
  BACKINGS, SOME_PORT, FAMILIES, RESERVED, keep, disposeKept, err, sockAddr, loopback, unspecified, ipOf, portOf, udpBind, udpSend, udpReceive, attemptRandomPort, bytes,
  V4_LOOPBACK, V4_MAPPED_LOOPBACK,
} from './helpers/wasi-sockets.js';

afterEach(disposeKept);

for (const [backing, make] of Object.entries(BACKINGS)) {
  describe(`wasi:sockets udp on ${backing}`, () => {
    const p: Provider = make();
    const udp = (f: IpAddressFamily): UdpSocket => keep(p.udpCreateSocket.createUdpSocket(f));
    const net = p.defaultNetwork;
    const bindUnspecified = (s: UdpSocket): void => udpBind(p, s, sockAddr(unspecified(s.addressFamily()), 0));

    for (const family of FAMILIES) {
      const other: IpAddressFamily = family === 'ipv4' ? 'ipv6' : 'ipv4';

      describe(`${family}: p2_udp_bind`, () => {
        for (const ip of [loopback(family), unspecified(family)]) {
          const what = ip.val.every((x) => x === 0) ? 'unspecified' : 'loopback';
          it(`test_udp_bind_ephemeral_port (${what})`, () => {
            const s = udp(family);
            udpBind(p, s, sockAddr(ip, 0));
            const bound = s.localAddress();
            expect(ipOf(bound)).toEqual(ip);
            expect(portOf(bound)).not.toBe(0);
          });
          it(`test_udp_bind_specific_port (${what})`, () => {
            const s = udp(family);
            const a = attemptRandomPort(ip, (x) => udpBind(p, s, x));
            expect(ipOf(s.localAddress())).toEqual(ip);
            expect(portOf(s.localAddress())).toBe(portOf(a));
          });
          it(`test_udp_bind_addrinuse (${what})`, () => {
            const s1 = udp(family);
            udpBind(p, s1, sockAddr(ip, 0));
            expect(err(() => udpBind(p, udp(family), s1.localAddress()))).toBe('address-in-use');
          });
        }
        it('test_udp_bind_addrnotavail', () => {
          expect(err(() => udpBind(p, udp(family), sockAddr(RESERVED[family], 0)))).toBe('address-not-bindable');
        });
        it('test_udp_bind_wrong_family', () => {
          expect(err(() => udpBind(p, udp(family), sockAddr(loopback(other), 0)))).toBe('invalid-argument');
        });
        if (family === 'ipv6') {
          it('test_udp_bind_dual_stack: an IPv4-mapped address on a v6-only socket is invalid-argument', () => {
            expect(err(() => udpBind(p, udp('ipv6'), sockAddr(V4_MAPPED_LOOPBACK, 0)))).toBe('invalid-argument');
          });
        }
      });

      describe(`${family}: p2_udp_connect`, () => {
        it('test_udp_connect_disconnect_reconnect', () => {
          const remote1 = sockAddr(loopback(family), 4321), remote2 = sockAddr(loopback(family), 4320);
          const c = udp(family);
          bindUnspecified(c);
          c.stream(undefined);
          expect(err(() => c.remoteAddress())).toBe('invalid-state');
          c.stream(undefined);
          expect(err(() => c.remoteAddress())).toBe('invalid-state');
          c.stream(remote1);
          expect(c.remoteAddress()).toEqual(remote1);
          c.stream(remote1);
          expect(c.remoteAddress()).toEqual(remote1);
          c.stream(remote2);
          expect(c.remoteAddress()).toEqual(remote2);
          c.stream(undefined);
          expect(err(() => c.remoteAddress())).toBe('invalid-state');
          c.stream(remote1);
          expect(c.remoteAddress()).toEqual(remote1);
        });
        it('test_udp_disconnect_local_address: stream(none) keeps the socket bound', () => {
          const c = udp(family);
          bindUnspecified(c);
          c.stream(sockAddr(loopback(family), 4321));
          c.stream(undefined);
          expect(err(() => c.localAddress())).toBe('ok');
          expect(portOf(c.localAddress())).not.toBe(0);
        });
        it('test_udp_connect_unspec', () => {
          const s = udp(family);
          bindUnspecified(s);
          expect(err(() => s.stream(sockAddr(unspecified(family), SOME_PORT)))).toBe('invalid-argument');
        });
        it('test_udp_connect_port_0', () => {
          const s = udp(family);
          bindUnspecified(s);
          expect(err(() => s.stream(sockAddr(loopback(family), 0)))).toBe('invalid-argument');
        });
        it('test_udp_connect_wrong_family', () => {
          const s = udp(family);
          bindUnspecified(s);
          expect(err(() => s.stream(sockAddr(loopback(other), SOME_PORT)))).toBe('invalid-argument');
        });
        it('test_udp_connect_without_bind: stream() of an unbound socket is invalid-state', () => {
          expect(err(() => udp(family).stream(sockAddr(loopback(family), SOME_PORT)))).toBe('invalid-state');
        });
        it('test_udp_connect_and_send (32 rounds): a ready outgoing stream sends', () => {
          for (let i = 0; i < 32; i++) {
            const remote = sockAddr(loopback(family), 4320);
            const c = udp(family);
            udpBind(p, c, sockAddr(loopback(family), 0));
            const [, tx] = c.stream(remote);
            expect(c.remoteAddress()).toEqual(remote);
            tx.subscribe().block();
            expect(tx.checkSend()).toBeGreaterThan(0n);
            expect(tx.send([{ data: bytes('hello') }])).toBe(1n);
          }
        });
        if (family === 'ipv6') {
          it('test_udp_connect_dual_stack: an IPv6 socket refuses IPv4 and IPv4-mapped peers', () => {
            const v4 = udp('ipv4');
            udpBind(p, v4, sockAddr(V4_LOOPBACK, 0));
            const v4addr = v4.localAddress();
            const v6 = udp('ipv6');
            bindUnspecified(v6);
            expect(err(() => v6.stream(v4addr))).toBe('invalid-argument');
            expect(err(() => v6.stream(sockAddr(V4_MAPPED_LOOPBACK, portOf(v4addr))))).toBe('invalid-argument');
          });
        }
      });

      describe(`${family}: p2_udp_states`, () => {
        function optionsWork(s: UdpSocket): void {
          expect(err(() => s.unicastHopLimit())).toBe('ok');
          expect(err(() => s.setUnicastHopLimit(255))).toBe('ok');
          expect(err(() => s.receiveBufferSize())).toBe('ok');
          expect(err(() => s.setReceiveBufferSize(16000n))).toBe('ok');
          expect(err(() => s.sendBufferSize())).toBe('ok');
          expect(err(() => s.setSendBufferSize(16000n))).toBe('ok');
        }
        it('test_udp_unbound_state_invariants', () => {
          const s = udp(family);
          expect(err(() => s.finishBind())).toBe('not-in-progress');
          expect(err(() => s.stream(undefined))).toBe('invalid-state');
          expect(err(() => s.localAddress())).toBe('invalid-state');
          expect(err(() => s.remoteAddress())).toBe('invalid-state');
          expect(s.addressFamily()).toBe(family);
          optionsWork(s);
        });
        it('test_udp_bound_state_invariants', () => {
          const bind = sockAddr(loopback(family), 0);
          const s = udp(family);
          udpBind(p, s, bind);
          expect(err(() => s.startBind(net, bind))).toBe('invalid-state');
          expect(err(() => s.finishBind())).toBe('not-in-progress');
          expect(err(() => s.localAddress())).toBe('ok');
          expect(err(() => s.remoteAddress())).toBe('invalid-state');
          expect(s.addressFamily()).toBe(family);
          optionsWork(s);
        });
        it('test_udp_connected_state_invariants', () => {
          const bind = sockAddr(loopback(family), 0);
          const s = udp(family);
          udpBind(p, s, bind);
          s.stream(sockAddr(loopback(family), 54321));
          expect(err(() => s.startBind(net, bind))).toBe('invalid-state');
          expect(err(() => s.finishBind())).toBe('not-in-progress');
          expect(err(() => s.localAddress())).toBe('ok');
          expect(err(() => s.remoteAddress())).toBe('ok');
          expect(s.addressFamily()).toBe(family);
          optionsWork(s);
        });
      });

      describe(`${family}: p2_udp_sockopts`, () => {
        it('test_udp_sockopt_defaults', () => {
          const s = udp(family);
          expect(s.addressFamily()).toBe(family);
          expect(s.unicastHopLimit()).toBeGreaterThan(0);
          expect(s.receiveBufferSize()).toBeGreaterThan(0n);
          expect(s.sendBufferSize()).toBeGreaterThan(0n);
        });
        it('test_udp_sockopt_input_ranges', () => {
          const s = udp(family);
          expect(err(() => s.setUnicastHopLimit(0))).toBe('invalid-argument');
          expect(err(() => s.setUnicastHopLimit(1))).toBe('ok');
          expect(err(() => s.setUnicastHopLimit(255))).toBe('ok');
          expect(err(() => s.setReceiveBufferSize(0n))).toBe('invalid-argument');
          expect(err(() => s.setReceiveBufferSize(1n))).toBe('ok');
          expect(err(() => s.setReceiveBufferSize(2n ** 64n - 1n))).toBe('ok');
          expect(err(() => s.setSendBufferSize(0n))).toBe('invalid-argument');
          expect(err(() => s.setSendBufferSize(1n))).toBe('ok');
          expect(err(() => s.setSendBufferSize(2n ** 64n - 1n))).toBe('ok');
        });
        it('test_udp_sockopt_readback', () => {
          const s = udp(family);
          s.setUnicastHopLimit(42);
          expect(s.unicastHopLimit()).toBe(42);
          s.setReceiveBufferSize(0x10000n);
          expect(s.receiveBufferSize()).toBe(0x10000n);
          s.setSendBufferSize(0x10000n);
          expect(s.sendBufferSize()).toBe(0x10000n);
        });
      });

      describe(`${family}: p2_udp_stream, p2_udp_sample_application, p2_udp_send_*`, () => {
        it('test_udp_send_receive_multiple: two datagrams sent at once, received at once', () => {
          const dest = udp(family);
          udpBind(p, dest, sockAddr(loopback(family), 0));
          const src = udp(family);
          udpBind(p, src, sockAddr(loopback(family), 0));
          const [, out] = src.stream(dest.localAddress());
          expect(out.checkSend()).toBeGreaterThanOrEqual(2n);
          expect(out.send([{ data: bytes('1') }, { data: bytes('2') }])).toBe(2n);
          const [inc] = dest.stream(src.localAddress());
          inc.subscribe().block();
          const got = inc.receive(2n);
          expect(got.length).toBe(2);
          expect(Buffer.from(got[0].data).toString()).toBe('1');
          expect(Buffer.from(got[1].data).toString()).toBe('2');
        });
        it('test_udp_receive_after_connect: datagrams other peers queued before the connect are filtered', () => {
          const dest = udp(family);
          udpBind(p, dest, sockAddr(loopback(family), 0));
          const destAddr = dest.localAddress();
          const a = udp(family), b = udp(family);
          udpBind(p, a, sockAddr(loopback(family), 0));
          udpBind(p, b, sockAddr(loopback(family), 0));
          const [, outA] = a.stream(destAddr);
          const [, outB] = b.stream(destAddr);
          udpSend(p, outA, [{ data: bytes('A') }]);
          udpSend(p, outB, [{ data: bytes('B') }]);
          udpSend(p, outA, [{ data: bytes('A') }]);
          const [inc] = dest.stream(b.localAddress());
          const d = udpReceive(p, inc, 1, 100)[0];
          expect(Buffer.from(d.data).toString()).toBe('B');
          expect(d.remoteAddress).toEqual(b.localAddress());
          expect(d.remoteAddress).not.toEqual(a.localAddress());
        });
        it('test_udp_sample_application: an empty datagram and two messages from two clients', () => {
          const server = udp(family);
          udpBind(p, server, sockAddr(loopback(family), 0));
          const [serverIn] = server.stream(undefined);
          const addr = server.localAddress();
          const c1 = udp(family);
          bindUnspecified(c1);
          const [, out1] = c1.stream(addr);
          udpSend(p, out1, [{ data: new Uint8Array(0) }, { data: bytes('Hello, world!'), remoteAddress: addr }]);
          const c1addr = c1.localAddress();
          const got = udpReceive(p, serverIn, 2, 100);
          expect(got.length).toBe(2);
          expect(got[0].data.length).toBe(0);
          expect(got[0].remoteAddress).toEqual(c1addr);
          expect(Buffer.from(got[1].data).toString()).toBe('Hello, world!');
          expect(got[1].remoteAddress).toEqual(c1addr);
          const c2 = udp(family);
          bindUnspecified(c2);
          const [, out2] = c2.stream(undefined);
          udpSend(p, out2, [{ data: bytes('Greetings, planet!'), remoteAddress: addr }]);
          const got2 = udpReceive(p, serverIn, 1, 100);
          expect(got2.length).toBe(1);
          expect(Buffer.from(got2[0].data).toString()).toBe('Greetings, planet!');
        });
        it('test_send_to_closed_receiver: the receive after a send to a closed port is connection-refused', () => {
          const sender = udp(family);
          udpBind(p, sender, sockAddr(loopback(family), 0));
          const receiver = p.udpCreateSocket.createUdpSocket(family);
          udpBind(p, receiver, sockAddr(loopback(family), 0));
          const raddr = receiver.localAddress();
          receiver[Symbol.dispose]();
          const [rx, tx] = sender.stream(raddr);
          udpSend(p, tx, [{ data: bytes('hello') }]);
          const deadline = p.monotonicClock.now() + 5_000_000_000n;
          let outcome: unknown = null;
          while (outcome === null) {
            const r = err(() => { const d = rx.receive(1n); if (d.length !== 0) throw 'got datagrams'; });
            if (r !== 'ok') { outcome = r; break; }
            const ready = p.poll.poll([rx.subscribe(), p.monotonicClock.subscribeInstant(deadline)]);
            if (ready[0] === 1) outcome = 'timed out';
          }
          expect(['connection-refused', 'connection-reset']).toContain(outcome);
        });
        it('test_udp_send_too_much: sending more datagrams than check-send allowed traps', () => {
          const c = udp(family);
          udpBind(p, c, sockAddr(loopback(family), 0));
          const [, tx] = c.stream(sockAddr(loopback(family), 4320));
          tx.subscribe().block();
          const permits = tx.checkSend();
          expect(permits).toBeGreaterThan(0n);
          const e = err(() => tx.send(Array.from({ length: Number(permits) + 1 }, () => ({ data: bytes('hello') }))));
          expect(e).toBeInstanceOf(Error);
          expect(typeof e).not.toBe('string');
        });
        it('a datagram to another address than the connected one is invalid-argument; none on an unconnected socket too', () => {
          const c = udp(family);
          udpBind(p, c, sockAddr(loopback(family), 0));
          const [, tx] = c.stream(sockAddr(loopback(family), 4320));
          tx.checkSend();
          expect(err(() => tx.send([{ data: bytes('x'), remoteAddress: sockAddr(loopback(family), 4321) }]))).toBe('invalid-argument');
          const [, tx2] = c.stream(undefined);
          tx2.checkSend();
          expect(err(() => tx2.send([{ data: bytes('x') }]))).toBe('invalid-argument');
          // The streams of an earlier stream() call are closed.
          expect(err(() => tx.checkSend())).toBe('invalid-state');
        });
        it('a datagram larger than UDP carries is datagram-too-large', () => {
          const c = udp(family);
          udpBind(p, c, sockAddr(loopback(family), 0));
          const [, tx] = c.stream(sockAddr(loopback(family), 4320));
          tx.checkSend();
          expect(err(() => tx.send([{ data: new Uint8Array(70000) }]))).toBe('datagram-too-large');
        });
      });
    }
  });
}

describe('wasi:sockets udp under a wasock policy', () => {
  for (const [backing, mk] of Object.entries({
    linux: (pol: Policy) => linuxNetwork({ policy: pol }),
    emulated: (pol: Policy) => emulatedNetwork({ seed: 3, policy: pol }),
  })) {
    it(`${backing}: a send to a denied destination is access-denied; after stream(none) a denied sender's datagrams are screened out again`, () => {
      let allowedSender = -1;
      const pol = policy().allowUdp().allow(['bind', 'connect', 'send', 'receive'], '127.0.0.1')
        .check((req) => req.use !== 'receive' || req.port === allowedSender || 'not the allowed sender');
      const p = wasiSockets({ network: mk(pol) });
      const udp = (): UdpSocket => keep(p.udpCreateSocket.createUdpSocket('ipv4'));
      const rx = udp(), a = udp(), b = udp();
      for (const s of [rx, a, b]) udpBind(p, s, sockAddr(V4_LOOPBACK, 0));
      allowedSender = portOf(a.localAddress());
      const [, outA] = a.stream(undefined);
      expect(outA.checkSend()).toBeGreaterThan(0n);
      expect(err(() => outA.send([{ data: bytes('x'), remoteAddress: sockAddr({ tag: 'ipv4', val: [127, 0, 0, 2] }, 9) }]))).toBe('access-denied');
      // Connected to the allowed sender, then disconnected: B's datagram must not get through.
      rx.stream(a.localAddress());
      const [inc] = rx.stream(undefined);
      const [, outB] = b.stream(undefined);
      udpSend(p, outB, [{ data: bytes('from b'), remoteAddress: rx.localAddress() }]);
      udpSend(p, outA, [{ data: bytes('from a'), remoteAddress: rx.localAddress() }]);
      const got = udpReceive(p, inc, 1, 10);
      expect(got.map((d) => Buffer.from(d.data).toString())).toEqual(['from a']);
    });
  }
});
