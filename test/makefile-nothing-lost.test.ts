// Nothing lost through makefile(): 100 MB byte-identical from makefile('wb') in one process
// to makefile('rb') in another, no fd left after 10,000 makefile and accept cycles, and a
// timed-out read keeps every byte the kernel gets.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as w from '../src/index.js';
import { fdCount } from './helpers/fds.js';

const dist = new URL('../dist/src/index.js', import.meta.url).href;

/** The deterministic 64 KiB blocks both sides agree on (a counter mixed into every word). */
function block(i: number): Uint8Array {
  const b = new Uint32Array(16384);
  let x = (i + 1) * 2654435761;
  for (let k = 0; k < b.length; k++) { x = (x ^ (x << 13)) >>> 0; x = (x ^ (x >>> 17)) >>> 0; x = (x ^ (x << 5)) >>> 0; b[k] = x; }
  return new Uint8Array(b.buffer);
}

describe('makefile: nothing lost', () => {
  it("100 MB written through makefile('wb') in a child process arrive byte-identical through makefile('rb')", async () => {
    const BLOCKS = 1600;                                   // 1600 x 64 KiB = 100 MiB
    const l = new w.socket();
    l.bind(['127.0.0.1', 0]);
    l.listen();
    const port = (l.getsockname() as [string, number])[1];
    const writer = `
      const w = await import(${JSON.stringify(dist)});
      ${block.toString()}
      const s = w.create_connection(['127.0.0.1', ${port}]);
      const f = s.makefile('wb');
      for (let i = 0; i < ${BLOCKS}; i++) f.write(block(i));
      f.close(); s.close();`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', writer], { stdio: ['ignore', 'ignore', 'inherit'] });
    l.settimeout(30);
    const [a] = l.accept();
    a.settimeout(30);
    const f = a.makefile('rb');
    const got = createHash('sha256'), want = createHash('sha256');
    let total = 0;
    for (;;) {
      const chunk = f.read(65536 + 123);                   // sizes that straddle the buffer
      if (chunk === null || chunk.length === 0) break;
      got.update(chunk);
      total += chunk.length;
    }
    for (let i = 0; i < BLOCKS; i++) want.update(block(i));
    expect(total).toBe(BLOCKS * 65536);
    expect(got.digest('hex')).toBe(want.digest('hex'));
    f.close(); a.close(); l.close();
    await new Promise((r) => child.on('exit', r));
  }, 120_000);

  it('10,000 makefile() open/close cycles leave no fd and no reference', () => {
    const [a, b] = w.socketpair();
    const before = fdCount();
    for (let i = 0; i < 10000; i++) {
      const f = a.makefile(i % 2 ? 'rb' : 'r') as { close(): void };
      f.close();
    }
    expect(fdCount()).toBe(before);
    expect(a._io_refs).toBe(0);
    a.close(); b.close();
  });

  it('10,000 connect/accept/close cycles leave /proc/self/fd unchanged', () => {
    const l = new w.socket();
    l.bind(['127.0.0.1', 0]);
    l.listen();
    const addr = l.getsockname();
    const rst = new Uint8Array(new Int32Array([1, 0]).buffer);   // no TIME_WAIT pile-up
    const before = fdCount();
    for (let i = 0; i < 10000; i++) {
      const c = new w.socket();
      c.connect(addr);
      const [s] = l.accept();
      c.setsockopt(w.SOL_SOCKET, w.SO_LINGER, rst);
      s.close(); c.close();
    }
    expect(fdCount()).toBe(before);
    l.close();
  });

  it('a read that times out keeps the bytes the kernel receives: the next read gets them all', () => {
    const [a, b] = w.socketpair();
    const f = a.makefile('rb', 0);
    a.settimeout(0.05);
    expect(() => f.read(10)).toThrow(w.TimeoutError);
    b.sendall(new Uint8Array([1, 2, 3, 4, 5]));
    // The timed-out file is done (CPython's sticky rule); the socket loses nothing.
    expect(() => f.read(10)).toThrow('cannot read from timed out object');
    expect(Array.from(a.recv(10))).toEqual([1, 2, 3, 4, 5]);
    f.close(); a.close(); b.close();
  });
});
