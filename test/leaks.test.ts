// Nothing is lost on a failing path: thousands of failing calls leave the process's fd
// count unchanged (counted in /proc/self/fd), and no Wasm trap or RangeError escapes.
import { openSync, closeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as w from '../src/index.js';
import { fdCount, failMany } from './helpers/fds.js';

describe('failing paths leak no fd', () => {
  it('getsockopt/setsockopt errors: 4 x 2,000 failing calls leave /proc/self/fd unchanged', () => {
    const s = new w.socket();
    const before = fdCount();
    failMany(2000, () => s.getsockopt(w.SOL_SOCKET, 9999));
    failMany(2000, () => s.getsockopt(w.SOL_SOCKET, w.SO_RCVBUF, 2000));
    failMany(2000, () => s.setsockopt(w.SOL_SOCKET, w.SO_LINGER, 1));
    failMany(2000, () => s.setsockopt(w.SOL_SOCKET, w.SO_RCVBUF, 2 ** 40));
    expect(fdCount()).toBe(before);
    s.close();
  });

  it('socket(): 2,000 failed creations and adoptions leave /proc/self/fd unchanged', () => {
    const before = fdCount();
    failMany(1000, () => new w.socket(12345, w.SOCK_STREAM));
    failMany(1000, () => new w.socket(w.AF_INET, w.SOCK_STREAM, 9999));
    const devnull = openSync('/dev/null', 'r');
    failMany(1000, () => new w.socket(-1, -1, -1, devnull));          // ENOTSOCK
    failMany(1000, () => w.fromfd(devnull, w.AF_INET, w.SOCK_STREAM)); // dup made, then refused
    closeSync(devnull);
    expect(fdCount()).toBe(before);
  });

  it('connect/bind/accept errors: 3 x 1,000 failing calls leave /proc/self/fd unchanged', () => {
    const refused = new w.socket();
    refused.bind(['127.0.0.1', 0]);            // bound, never listening: connects are refused
    const addr = refused.getsockname();
    const before = fdCount();
    for (let i = 0; i < 1000; i++) {
      const c = new w.socket();
      failMany(1, () => c.connect(addr));
      c.close();
    }
    const s = new w.socket();
    failMany(1000, () => s.bind(addr));         // EADDRINUSE
    failMany(1000, () => s.accept());           // EINVAL: not listening
    s.close();
    expect(fdCount()).toBe(before);
    refused.close();
  });

  it('closed and detached sockets: 2,000 calls raise EBADF and open nothing', () => {
    const s = new w.socket();
    s.close();
    const d = new w.socket();
    const fd = d.detach();
    const before = fdCount();
    failMany(1000, () => s.getsockopt(w.SOL_SOCKET, w.SO_TYPE));
    failMany(1000, () => d.setsockopt(w.SOL_SOCKET, w.SO_REUSEADDR, 1));
    expect(fdCount()).toBe(before);
    closeSync(fd);
  });

  it('socket + close cycles: 10,000 sockets opened and closed leave /proc/self/fd unchanged', () => {
    const before = fdCount();
    for (let i = 0; i < 10000; i++) new w.socket().close();
    expect(fdCount()).toBe(before);
  });
});
