// wasock/wasi-p1: the core as a WASI preview 1 reactor in @wasmer/wasi, its sockets those an
// embedder pre-opens (guest fds 3, 4, …), served by wasock's p1 functions over the Linux host's
// kernel sockets and over an emulated network. The same cases run on both backings.
import { describe, it, expect, afterEach } from 'vitest';
import { network as p1, type WasiP1Network } from '../src/wasi-p1.js';
import { network as linux } from '../src/linux.js';
import { network as emulated, type EmulatedNetwork } from '../src/emulated.js';
import { BlockingIOError, NotAvailableError, TimeoutError, SOCK_STREAM, SHUT_WR, MSG_PEEK, type socket } from '../src/index.js';
import { P1Sockets, type P1Imports } from '../host/wasi-p1/p1-sockets.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

interface Backing {
  name: string;
  /** A listener of the backing network, and a way to connect to it. */
  listener(): { lst: socket; connect(): socket };
  /** Seconds that pass while the core waits (wall time, or the emulated network's virtual clock). */
  elapsed(run: () => void): number;
}

function linuxBacking(): Backing {
  const L = linux();
  return {
    name: 'linux',
    listener() {
      const lst = new L.socket();
      lst.bind(['127.0.0.1', 0]);
      lst.listen();
      const port = (lst.getsockname() as [string, number])[1];
      return { lst, connect: () => { const c = new L.socket(); c.connect(['127.0.0.1', port]); return c; } };
    },
    elapsed(run) { const t = performance.now(); run(); return (performance.now() - t) / 1000; },
  };
}

function emulatedBacking(): Backing {
  const E: EmulatedNetwork = emulated({ seed: 1 });
  return {
    name: 'emulated',
    listener() {
      const lst = new E.socket();
      lst.bind(['127.0.0.1', 0]);
      lst.listen();
      const port = (lst.getsockname() as [string, number])[1];
      return { lst, connect: () => { const c = new E.socket(); c.connect(['127.0.0.1', port]); return c; } };
    },
    elapsed(run) { const t = E.clock.now(); run(); return E.clock.now() - t; },
  };
}

const open: socket[] = [];
const keep = <T extends socket>(s: T): T => { open.push(s); return s; };
afterEach(() => { for (const s of open.splice(0)) s.close(); });

/** A wasi-p1 network with a listener of the backing pre-opened as fd 3, adopted; and a client connected to it. */
function setup(b: Backing): { net: WasiP1Network; srv: socket; lst: socket; client(): socket } {
  const { lst, connect } = b.listener();
  const net = p1({ preopened: [lst] });
  const srv = keep(new net.socket(undefined, undefined, undefined, 3));
  return { net, srv, lst, client: () => keep(connect()) };
}

for (const make of [linuxBacking, emulatedBacking]) {
  const b = make();
  describe(`wasi-p1 over ${b.name} sockets`, () => {
    it('socket(fileno=3) adopts the pre-opened listener: fd 3, SOCK_STREAM, the default timeout (None)', () => {
      const { srv } = setup(b);
      expect(srv.fileno()).toBe(3);
      expect(srv.type).toBe(SOCK_STREAM);
      expect(srv.gettimeout()).toBe(null);
      expect(srv.getblocking()).toBe(true);
    });

    it('accept() returns the next guest fd and address None (sock_accept reports no peer)', () => {
      const { srv, client } = setup(b);
      client();
      const [conn, addr] = srv.accept();
      keep(conn);
      expect(conn.fileno()).toBe(4);
      expect(addr).toBe(null);
      expect(conn.type).toBe(SOCK_STREAM);
    });

    it('recv/send echo through sock_recv and sock_send', () => {
      const { srv, client } = setup(b);
      const c = client();
      const [conn] = srv.accept(); keep(conn);
      c.sendall(enc('ping'));
      const got = conn.recv(100);
      expect(dec(got)).toBe('ping');
      expect(conn.send(got)).toBe(4);
      expect(dec(c.recv(100))).toBe('ping');
    });

    it('recv_into() fills the buffer up to nbytes; MSG_PEEK leaves the data queued (riflags PEEK)', () => {
      const { srv, client } = setup(b);
      const c = client();
      const [conn] = srv.accept(); keep(conn);
      c.sendall(enc('abcdef'));
      expect(dec(conn.recv(3, MSG_PEEK))).toBe('abc');
      const buf = new Uint8Array(8);
      expect(conn.recv_into(buf, 4)).toBe(4);
      expect(dec(buf.subarray(0, 4))).toBe('abcd');
      expect(dec(conn.recv(10))).toBe('ef');
    });

    it('sendall() of 32 KiB arrives whole', () => {
      const { srv, client } = setup(b);
      const c = client();
      const [conn] = srv.accept(); keep(conn);
      const data = new Uint8Array(32 * 1024).map((_, i) => i * 7);
      conn.sendall(data);
      const got: Uint8Array[] = [];
      let n = 0;
      while (n < data.length) { const r = c.recv(65536); got.push(r); n += r.length; }
      expect(Buffer.concat(got).equals(Buffer.from(data))).toBe(true);
    });

    it('settimeout(0.2): recv() raises TimeoutError("timed out") after 0.2 s (poll_oneoff with a clock)', () => {
      const { srv, client } = setup(b);
      client();
      const [conn] = srv.accept(); keep(conn);
      conn.settimeout(0.2);
      expect(conn.gettimeout()).toBe(0.2);
      let err: unknown;
      const t = b.elapsed(() => { try { conn.recv(10); } catch (e) { err = e; } });
      expect(err).toBeInstanceOf(TimeoutError);
      expect((err as Error).message).toBe('timed out');
      expect(t).toBeGreaterThanOrEqual(0.19);
      expect(t).toBeLessThan(2);
    });

    it('settimeout(1): a recv whose data is there returns at once', () => {
      const { srv, client } = setup(b);
      const c = client();
      const [conn] = srv.accept(); keep(conn);
      conn.settimeout(1);
      c.sendall(enc('now'));
      expect(dec(conn.recv(10))).toBe('now');
    });

    it('setblocking(False): recv() with nothing queued raises BlockingIOError [Errno 11] (fd_fdstat_set_flags NONBLOCK)', () => {
      const { srv, client } = setup(b);
      client();
      const [conn] = srv.accept(); keep(conn);
      conn.setblocking(false);
      expect(conn.gettimeout()).toBe(0);
      expect(() => conn.recv(10)).toThrow(BlockingIOError);
      expect(() => conn.recv(10)).toThrow('[Errno 11] Resource temporarily unavailable');
    });

    it('a non-blocking accept() with no connection pending raises BlockingIOError', () => {
      const { srv } = setup(b);
      srv.setblocking(false);
      expect(() => srv.accept()).toThrow(BlockingIOError);
    });

    it('accept() with a timeout and no connection raises TimeoutError', () => {
      const { srv } = setup(b);
      srv.settimeout(0.1);
      expect(() => srv.accept()).toThrow(TimeoutError);
    });

    it('shutdown(SHUT_WR) reaches the peer as EOF (sock_shutdown); the peer closing is recv() == b""', () => {
      const { srv, client } = setup(b);
      const c = client();
      const [conn] = srv.accept(); keep(conn);
      conn.shutdown(SHUT_WR);
      expect(c.recv(10).length).toBe(0);
      c.close();
      expect(conn.recv(10).length).toBe(0);
    });

    it("makefile('rwb'): readline() and write()+flush() over the p1 functions", () => {
      const { srv, client } = setup(b);
      const c = client();
      const [conn] = srv.accept(); keep(conn);
      const f = conn.makefile('rwb') as { readline(): Uint8Array; write(b: Uint8Array): number; flush(): void; close(): void };
      c.sendall(enc('one\ntwo\n'));
      expect(dec(f.readline())).toBe('one\n');
      expect(dec(f.readline())).toBe('two\n');
      f.write(enc('reply\n'));
      f.flush();
      expect(dec(c.recv(100))).toBe('reply\n');
      f.close();
    });

    it('close() closes the backing socket and frees the guest fd (fd_close)', () => {
      const { net, srv, lst, client } = setup(b);
      client();
      const [conn] = srv.accept();
      expect(net.host.sockets.open()).toEqual([3, 4]);
      const backing = net.host.sockets.get(4)!;
      conn.close();
      expect(backing.fileno()).toBe(-1);
      srv.close();
      expect(lst.fileno()).toBe(-1);
      expect(net.host.sockets.open()).toEqual([]);
    });

    it('new net.socket() raises NotAvailableError naming WASI preview 1 (socket creation is "not WASI")', () => {
      const { net } = setup(b);
      let err: unknown;
      try { new net.socket(); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(NotAvailableError);
      expect((err as NotAvailableError).capability).toBe('socket.create');
      expect((err as Error).message).toBe("socket is not available on wasi-p1 (it needs the 'socket.create' capability): WASI preview 1 has no call for it (Python: Availability: not WASI)");
    });
  });
}

// poll_oneoff over several socket fds, called as a guest would: subscriptions in guest memory.
describe('poll_oneoff over several socket fds', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const SUBS = 1024, EVENTS = 2048, NEVENTS = 4000;
  const base: P1Imports = { poll_oneoff: () => 58 };
  /** Writes subscriptions (fd read waits, then a relative clock of `ns` unless null) and polls. */
  function poll(f: P1Imports, fds: number[], ns: bigint | null): { errno: number; events: { userdata: bigint; type: number; error: number }[] } {
    const d = new DataView(memory.buffer);
    new Uint8Array(memory.buffer).fill(0, SUBS, SUBS + 48 * 8);
    fds.forEach((fd, i) => { d.setBigUint64(SUBS + 48 * i, BigInt(100 + i), true); d.setUint8(SUBS + 48 * i + 8, 1); d.setUint32(SUBS + 48 * i + 16, fd, true); });
    let n = fds.length;
    if (ns !== null) {
      const at = SUBS + 48 * n++;
      d.setBigUint64(at, 999n, true); d.setUint8(at + 8, 0); d.setUint32(at + 16, 1, true); d.setBigUint64(at + 24, ns, true);
    }
    d.setUint32(NEVENTS, 0, true);
    const errno = (f.poll_oneoff as (...a: number[]) => number)(SUBS, EVENTS, n, NEVENTS);
    const events = [];
    for (let i = 0; errno === 0 && i < d.getUint32(NEVENTS, true); i++) {
      events.push({ userdata: d.getBigUint64(EVENTS + 32 * i, true), error: d.getUint16(EVENTS + 32 * i + 8, true), type: d.getUint8(EVENTS + 32 * i + 10) });
    }
    return { errno, events };
  }

  it('Linux: poll(2) over two connections reports the one with data; a clock event when none is ready', () => {
    const L = linux();
    const lst = keep(new L.socket()); lst.bind(['127.0.0.1', 0]); lst.listen();
    const addr = lst.getsockname() as [string, number];
    const a = keep(new L.socket()); a.connect(addr);
    const b2 = keep(new L.socket()); b2.connect(addr);
    const [sa] = lst.accept(); const [sb] = lst.accept();
    const table = new P1Sockets([sa, sb]);
    const f = table.imports(base, () => memory);
    expect(poll(f, [3, 4], 1_000_000n)).toEqual({ errno: 0, events: [{ userdata: 999n, type: 0, error: 0 }] });
    b2.sendall(enc('x'));
    expect(poll(f, [3, 4], 1_000_000_000n)).toEqual({ errno: 0, events: [{ userdata: 101n, type: 1, error: 0 }] });
    sa.close(); sb.close();
  });

  it('emulated: its kernel waits on several fds in virtual time: the clock fires, or the one a delayed peer writes to', () => {
    const E = emulated({ seed: 2, addresses: ['10.0.0.1'], machines: { peer: { addresses: ['10.0.0.2'] } } });
    const lst = keep(new E.socket()); lst.bind(['10.0.0.1', 0]); lst.listen();
    const addr = lst.getsockname() as [string, number];
    const P = E.machine('peer');
    const a = keep(new P.socket()); a.connect(addr);
    const b2 = keep(new P.socket()); b2.connect(addr);
    const [sa] = lst.accept(); const [sb] = lst.accept();
    const table = new P1Sockets([sa, sb]);
    const f = table.imports(base, () => memory);
    let t = E.clock.now();
    expect(poll(f, [3, 4], 5_000_000n)).toEqual({ errno: 0, events: [{ userdata: 999n, type: 0, error: 0 }] });
    expect(E.clock.now() - t).toBeCloseTo(0.005, 6);
    E.faults.latency('local', 'peer', 0.002);
    b2.sendall(enc('x'));                                  // arrives 2 ms from now
    t = E.clock.now();
    expect(poll(f, [3, 4], 1_000_000_000n)).toEqual({ errno: 0, events: [{ userdata: 101n, type: 1, error: 0 }] });
    expect(E.clock.now() - t).toBeCloseTo(0.002, 6);
    // Nothing left that could make either ready, and no clock: EDEADLK (WASI 16), not a hang.
    sb.recv(1);
    expect(poll(f, [3, 4], null).errno).toBe(16);
    sa.close(); sb.close();
  });

  it("clock_time_get(MONOTONIC): the emulated network's virtual clock when every socket is its; else the process's, in ns", () => {
    const clock = (f: P1Imports): bigint => {
      expect((f.clock_time_get as (...a: unknown[]) => number)(1, 1n, NEVENTS)).toBe(0);
      return new DataView(memory.buffer).getBigUint64(NEVENTS, true);
    };
    const E = emulated({ seed: 5 });
    const lst = keep(new E.socket()); lst.bind(['127.0.0.1', 0]); lst.listen();
    const onEmu = new P1Sockets([lst]).imports({ ...base, clock_time_get: () => 58 }, () => memory);
    const t0 = clock(onEmu);
    E.clock.advance(1.5);
    expect(clock(onEmu) - t0).toBe(1_500_000_000n);
    const L = linux();
    const l2 = keep(new L.socket());
    const onLinux = new P1Sockets([l2]).imports({ ...base, clock_time_get: () => 58 }, () => memory);
    const before = process.hrtime.bigint(), got = clock(onLinux), after = process.hrtime.bigint();
    expect(got >= before && got <= after).toBe(true);
    // Other clocks are the runtime's.
    expect((onLinux.clock_time_get as (...a: unknown[]) => number)(0, 1n, NEVENTS)).toBe(58);
  });

  it('subscriptions on none of our fds go to the runtime (wasmer) poll_oneoff', () => {
    const table = new P1Sockets([]);
    const f = table.imports(base, () => memory);
    expect(poll(f, [0], null).errno).toBe(58);
  });
});
