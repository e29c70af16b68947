// struct.unpack builds its result array with a reader generated per layout (src/struct.ts,
// readerFor) and falls back to a loop where the runtime refuses `new Function`. The CPython
// fixtures check the generated readers; this pins that the fallback gives the same arrays.
import { describe, expect, it, vi } from 'vitest';
import * as w from '../src/index.js';

const CODES = ['b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'q', 'Q', '?'];

function randomFormat(rand: () => number, k: number): string {
  let f = ['<', '>', '=', '!', '@'][k % 5];
  const items = 3 + Math.floor(rand() * 12);
  for (let i = 0; i < items; i++) {
    const n = 1 + Math.floor(rand() * 4);
    f += `${n}${CODES[Math.floor(rand() * CODES.length)]}`;
  }
  return f;
}

describe('struct.unpack without generated readers', () => {
  it('gives the same values as with them, for 300 random integer/bool layouts', async () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    const formats = Array.from({ length: 300 }, (_, k) => randomFormat(rand, k));
    const buffers = formats.map((f) => Uint8Array.from({ length: w.struct.calcsize(f) }, () => Math.floor(rand() * 256)));
    const withReaders = formats.map((f, k) => new w.struct.Struct(f).unpack(buffers[k]));
    const saved = globalThis.Function;
    // A runtime without eval: `new Function` throws. A fresh module instance has no readers
    // cached, so every Struct made while Function is patched takes the loop.
    globalThis.Function = function () { throw new EvalError('code generation from strings disallowed'); } as unknown as FunctionConstructor;
    let without: unknown[][];
    try {
      vi.resetModules();
      const fresh = await import('../src/struct.js');
      without = formats.map((f, k) => {
        const s = new fresh.Struct(f);
        expect(s._reader).toBeNull();
        return s.unpack(buffers[k]);
      });
    } finally {
      globalThis.Function = saved;
    }
    expect(without).toEqual(withReaders);
  });
});
