// wasi-p1 at its edges: fds that are no socket of the table, closed fds, EOF, resets, flags
// preview 1 cannot carry, the emulated network's "would wait forever", and the errno
// numbering both directions go through (WASI's witx numbers between the core and the p1
// functions, Linux's on either side).
import { describe, it, expect, afterEach } from 'vitest';
import { network as p1 } from '../src/wasi-p1.js';
import { network as linux } from '../src/linux.js';
import { network as emulated } from '../src/emulated.js';
import * as w from '../src/index.js';
import { OSError, BlockingIOError, ValueError, type socket } from '../src/index.js';
import { WASI_TO_LINUX_ERRNO } from '../host/wasi-p1/wasm/errno-table.js';
import { wasiErrno, P1Sockets } from '../host/wasi-p1/p1-sockets.js';

const L = linux();
const open: socket[] = [];
afterEach(() => { for (const s of open.splice(0)) { try { s.close(); } catch { /* closed by the test */ } } });
const enc = (t: string) => new TextEncoder().encode(t);

/** A connected pair: its server end pre-opened as guest fd 3 and adopted; the peer stays on Linux. */
function pair(): { net: ReturnType<typeof p1>; s: socket; peer: socket } {
  const lst = new L.socket(); lst.bind(['127.0.0.1', 0]); lst.listen();
  const peer = new L.socket(); peer.connect(lst.getsockname());
  const [conn] = lst.accept();
  lst.close();
  open.push(peer);
  const net = p1({ preopened: [conn] });
  const s = new net.socket(undefined, undefined, undefined, 3);
  open.push(s);
  return { net, s, peer };
}

function raises(run: () => unknown, cls: abstract new (...a: never[]) => Error, message: string): void {
  let err: unknown;
  try { run(); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(cls);
  expect((err as Error).message).toBe(message);
}

describe('wasi-p1 edge cases', () => {
  it('socket(fileno=9), an fd nobody pre-opened: [Errno 9] Bad file descriptor at once, as Linux (fd_fdstat_get, the sotype capability)', () => {
    const { net } = pair();
    raises(() => new net.socket(undefined, undefined, undefined, 9), OSError, '[Errno 9] Bad file descriptor');
    raises(() => new net.socket(w.AF_INET, w.SOCK_STREAM, 0, 9), OSError, '[Errno 9] Bad file descriptor');
  });

  it('socket(fileno=N) takes its type from the fd (SOCK_STREAM / SOCK_DGRAM filetypes), not a default', () => {
    const u = new L.socket(w.AF_INET, w.SOCK_DGRAM); u.bind(['127.0.0.1', 0]);
    const net = p1({ preopened: [u] });
    const s = new net.socket(undefined, undefined, undefined, 3);
    open.push(s);
    expect(s.type).toBe(w.SOCK_DGRAM);
    const { s: t } = pair();
    expect(t.type).toBe(w.SOCK_STREAM);
  });

  it('socket(fileno=-1) raises ValueError: negative file descriptor', () => {
    const { net } = pair();
    raises(() => new net.socket(undefined, undefined, undefined, -1), ValueError, 'negative file descriptor');
  });

  it("a closed guest fd: close() frees it; the number then is the runtime's own (wasmer's fd 3 is its pre-opened directory: ENOTSOCK)", () => {
    const { net, s } = pair();
    s.close();
    expect(net.host.sockets.open()).toEqual([]);
    raises(() => new net.socket(undefined, undefined, undefined, 3), OSError, '[Errno 88] Socket operation on non-socket');
  });

  it("stdin (fd 0, the runtime's own, a character device): socket(fileno=0) raises [Errno 88] ENOTSOCK, as Linux", () => {
    const { net } = pair();
    raises(() => new net.socket(undefined, undefined, undefined, 0), OSError, '[Errno 88] Socket operation on non-socket');
    raises(() => new net.socket(w.AF_INET, w.SOCK_STREAM, 0, 0), OSError, '[Errno 88] Socket operation on non-socket');
  });

  it('EOF: the peer closing is recv() == b"" (every time)', () => {
    const { s, peer } = pair();
    peer.close();
    expect(s.recv(10).length).toBe(0);
    expect(s.recv(10).length).toBe(0);
  });

  it('a reset connection: recv() raises ConnectionResetError [Errno 104] through both numberings', () => {
    const { s, peer } = pair();
    peer.setsockopt(w.SOL_SOCKET, w.SO_LINGER, new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]));
    peer.close();
    raises(() => s.recv(10), w.ConnectionResetError, '[Errno 104] Connection reset by peer');
  });

  it('sending after the peer is gone: BrokenPipeError or ConnectionResetError, as on Linux', () => {
    const { s, peer } = pair();
    peer.close();
    let err: unknown;
    try { for (let i = 0; i < 100; i++) s.send(new Uint8Array(65536)); } catch (e) { err = e; }
    expect(err instanceof w.BrokenPipeError || err instanceof w.ConnectionResetError).toBe(true);
  });

  it('recv() on a listening socket: [Errno 107] Transport endpoint is not connected', () => {
    const lst = new L.socket(); lst.bind(['127.0.0.1', 0]); lst.listen();
    const net = p1({ preopened: [lst] });
    const s = new net.socket(undefined, undefined, undefined, 3); open.push(s);
    raises(() => s.recv(1), OSError, '[Errno 107] Transport endpoint is not connected');
  });

  it('flags preview 1 cannot carry: send(MSG_OOB), recv(MSG_DONTWAIT) and sendto() raise [Errno 95] Operation not supported', () => {
    const { s } = pair();
    raises(() => s.send(enc('x'), w.MSG_OOB), OSError, '[Errno 95] Operation not supported');
    raises(() => s.recv(1, w.MSG_DONTWAIT), OSError, '[Errno 95] Operation not supported');
    // The adopted socket's family is unknown (-1: no getsockname), so sendto's address is
    // refused as CPython refuses it; with the family given, the host is asked and says no.
    raises(() => s.sendto(enc('x'), ['127.0.0.1', 9]), OSError, 'sendto(): bad family');
    const { net } = pair();
    const inet = new net.socket(w.AF_INET, w.SOCK_STREAM, 0, 3); open.push(inet);
    raises(() => inet.sendto(enc('x'), ['127.0.0.1', 9]), OSError, '[Errno 95] Operation not supported');
  });

  it('MSG_WAITALL reaches the backing socket (riflags WAITALL): recv waits for the whole count', () => {
    const { s, peer } = pair();
    peer.sendall(enc('abcd'));
    peer.shutdown(w.SHUT_WR);
    expect(new TextDecoder().decode(s.recv(4, w.MSG_WAITALL))).toBe('abcd');
  });

  it('a non-blocking send into full buffers raises BlockingIOError; the bytes sent so far arrive', () => {
    const { s, peer } = pair();
    s.setblocking(false);
    let sent = 0, err: unknown;
    try { for (;;) sent += s.send(new Uint8Array(65536)); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(BlockingIOError);
    expect(sent).toBeGreaterThan(0);
    let got = 0;
    peer.settimeout(1);
    while (got < sent) got += peer.recv(1 << 20).length;
    expect(got).toBe(sent);
  });

  it('emulated network: a blocking recv() nobody can satisfy is [Errno 35] at once, not a hang', () => {
    const E = emulated({ seed: 9 });
    const lst = new E.socket(); lst.bind(['127.0.0.1', 0]); lst.listen();
    const c = new E.socket(); c.connect(lst.getsockname());
    const [conn] = lst.accept();
    const net = p1({ preopened: [conn] });
    const s = new net.socket(undefined, undefined, undefined, 3);
    raises(() => s.recv(1), OSError, '[Errno 35] Resource deadlock avoided: recv() would wait forever: no other party in the emulated network can send to this socket (set a timeout, or let the other side act first)');
    s.close(); c.close(); lst.close();
  });

  it('a pre-opened connected UDP socket, adopted with its type given: datagrams keep their boundaries; recvfrom has no sender (None)', () => {
    const a = new L.socket(w.AF_INET, w.SOCK_DGRAM); a.bind(['127.0.0.1', 0]);
    const b = new L.socket(w.AF_INET, w.SOCK_DGRAM); b.bind(['127.0.0.1', 0]);
    a.connect(b.getsockname()); b.connect(a.getsockname());
    open.push(b);
    const net = p1({ preopened: [a] });
    const s = new net.socket(w.AF_INET, w.SOCK_DGRAM, 0, 3); open.push(s);
    expect(s.type).toBe(w.SOCK_DGRAM);
    b.send(enc('one')); b.send(enc('two'));
    expect(new TextDecoder().decode(s.recv(100))).toBe('one');
    const [d, addr] = s.recvfrom(100);
    expect([new TextDecoder().decode(d), addr]).toEqual(['two', null]);
    expect(s.send(enc('back'))).toBe(4);
    expect(new TextDecoder().decode(b.recv(100))).toBe('back');
  });

  it("maxPages limits the p1 core's memory (it imports env.memory and exports it for WASI): a send larger than it is MemoryError", () => {
    const lst = new L.socket(); lst.bind(['127.0.0.1', 0]); lst.listen();
    const peer = new L.socket(); peer.connect(lst.getsockname()); open.push(peer);
    const [conn] = lst.accept(); lst.close();
    const net = p1({ preopened: [conn], maxPages: 16 });
    const s = new net.socket(undefined, undefined, undefined, 3); open.push(s);
    expect(() => s.send(new Uint8Array(2 << 20))).toThrow(w.MemoryError);
    expect(s.send(new Uint8Array(1000))).toBe(1000);          // the core is still sound
    expect(peer.recv(2000).length).toBe(1000);
  });

  it('errno numbering: every WASI errno has one Linux errno and back (ENOTCAPABLE reads as EACCES)', () => {
    expect(WASI_TO_LINUX_ERRNO.length).toBe(77);
    const seen = new Map<number, number>();
    WASI_TO_LINUX_ERRNO.forEach((linux, wasi) => {
      if (wasi === 76) { expect(linux).toBe(13); return; }
      expect(seen.has(linux), `Linux ${linux} twice`).toBe(false);
      seen.set(linux, wasi);
      if (wasi > 0) expect(wasiErrno(new OSError(linux, 'x'))).toBe(wasi);
    });
    expect(wasiErrno(new OSError(200, 'no WASI number'))).toBe(29);   // EIO
    expect(wasiErrno(new TypeError('not an OSError'))).toBe(29);
    expect(wasiErrno(new RangeError('Offset is outside the bounds of the DataView'))).toBe(21);   // EFAULT
  });

  it('a guest pointer outside its memory: EFAULT, and an accepted connection is not left behind', () => {
    const lst = new L.socket(); lst.bind(['127.0.0.1', 0]); lst.listen();
    const c = new L.socket(); c.connect(lst.getsockname()); open.push(c);
    const table = new P1Sockets([lst]);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const f = table.imports({}, () => memory);
    expect((f.sock_accept as (...a: number[]) => number)(3, 0, 65536)).toBe(21);
    expect(table.open()).toEqual([3]);
    expect(c.recv(1).length).toBe(0);            // the accepted end was closed: EOF at the peer
    expect((f.sock_recv as (...a: number[]) => number)(3, 70000, 1, 0, 0, 0)).toBe(21);
    lst.close();
  });
});
