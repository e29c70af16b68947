// What a closed (or detached) socket still remembers -- its timeout and its makefile() count
// -- is kept by the core (assembly/sockets.ts retire): in a closed record of the socket's own
// while it has something to remember, or in the record every other closed socket shares.
// Expected values are CPython 3.11's (python3 -c, noted per case).
import { describe, expect, it } from 'vitest';
import * as w from '../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
const tick = () => new Promise((r) => setTimeout(r, 10));

describe('a closed socket keeps its own timeout and makefile() count', () => {
  it('close() keeps the timeout: gettimeout(), timeout, getblocking() (CPython: 2.5 2.5 True)', () => {
    const s = new w.socket();
    s.settimeout(2.5);
    s.close();
    expect([s.gettimeout(), s.timeout, s.getblocking()]).toEqual([2.5, 2.5, true]);
  });

  it('settimeout() on a closed socket stores the value and raises EBADF; other closed sockets still report None', () => {
    const a = new w.socket(), b = new w.socket();
    a.close();
    b.close();
    expect(() => b.settimeout(3)).toThrow(expect.objectContaining({ errno: 9 }));
    expect(() => b.settimeout(0)).toThrow(w.OSError);
    expect([b.gettimeout(), b.getblocking()]).toEqual([0, false]);   // CPython: 0.0 False
    expect([a.gettimeout(), a.getblocking()]).toEqual([null, true]);
    const c = new w.socket();
    c.close();
    expect(c.gettimeout()).toBeNull();
  });

  it('makefile() on a closed socket counts, and the file gives its reference back (CPython: 1 then 0)', () => {
    const s = new w.socket();
    s.close();
    const f = s.makefile('rb');
    expect(s._io_refs).toBe(1);
    f.close();
    expect(s._io_refs).toBe(0);
    expect(s.gettimeout()).toBeNull();
  });

  it('detach() keeps the timeout and the count of files still open (CPython: 1 1.0, then 0 1.0)', () => {
    const s = new w.socket();
    s.settimeout(1);
    const f = s.makefile('rb');
    const fd = s.detach();
    expect([s._io_refs, s.gettimeout()]).toEqual([1, 1]);
    f.close();
    expect([s._io_refs, s.gettimeout()]).toEqual([0, 1]);
    new w.socket(w.AF_INET, w.SOCK_STREAM, 0, fd).close();
  });

  it('close() with a file open waits; the last file closes the fd, the timeout stays (CPython: 1 True, then 0 -1 4.0)', () => {
    const s = new w.socket();
    const f = s.makefile('rb');
    s.settimeout(4);
    s.close();
    expect([s._io_refs, s._closed, s.fileno() >= 0]).toEqual([1, true, true]);
    f.close();
    expect([s._io_refs, s.fileno(), s.gettimeout()]).toEqual([0, -1, 4]);
  });

  it('a closed socket with a record of its own answers every other call as one without', () => {
    const outcome = (f: () => unknown): string => {
      try { return `ok ${String(f())}`; } catch (e) { return `${(e as Error).constructor.name}: ${(e as Error).message}`; }
    };
    const calls: [string, (s: w.socket) => unknown][] = [
      ['fileno', (s) => s.fileno()],
      ['getsockopt', (s) => s.getsockopt(w.SOL_SOCKET, w.SO_TYPE)],
      ['setsockopt', (s) => s.setsockopt(w.SOL_SOCKET, w.SO_REUSEADDR, 1)],
      ['getsockname', (s) => s.getsockname()],
      ['bind', (s) => s.bind(['127.0.0.1', 0])],
      ['connect', (s) => s.connect(['127.0.0.1', 9])],
      ['listen', (s) => s.listen()],
      ['recv', (s) => s.recv(1)],
      ['send', (s) => s.send(new Uint8Array(1))],
      ['shutdown', (s) => s.shutdown(w.SHUT_RDWR)],
      ['dup', (s) => s.dup()],
      ['fcntl', (s) => w.fcntl.fcntl(s, w.fcntl.F_GETFL)],
      ['toNodeSocket', (s) => w.toNodeSocket(s)],
      ['close', (s) => s.close()],
      ['detach', (s) => s.detach()],
    ];
    for (const [name, call] of calls) {
      const plain = new w.socket(), kept = new w.socket();
      kept.settimeout(0);
      plain.close();
      kept.close();
      expect(kept._h, name).not.toBe(0);
      expect(outcome(() => call(kept)), name).toBe(outcome(() => call(plain)));
    }
  });

  it('a closed socket with nothing to remember frees its slot at once (handle 0, no record)', () => {
    const s = new w.socket();
    s.close();
    expect(s._h).toBe(0);
    const t = new w.socket();
    t.settimeout(1);
    t.close();
    expect(t._h).not.toBe(0);
  });
});

describe.runIf(gc)('a closed record is freed with its object', () => {
  it('the record of a collected closed socket is freed (its slot is no longer in use)', async () => {
    let s: w.socket | null = new w.socket();
    s.settimeout(1);
    s.close();
    const c = s._c, h = s._h;
    expect(c.x.sock_handle(h)).toBe(h);
    s = null;
    for (let i = 0; i < 10; i++) { gc!(); await tick(); }
    expect(c.x.sock_handle(h)).toBe(0);
  });
});
