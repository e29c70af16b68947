// Bytes results (getsockopt buffers, struct.pack, recv) are Python bytes: each is a value of
// its own. Small ones are views of a shared pool (src/core.ts copyOut), so these tests pin
// that no result ever sees another call's writes.
import { describe, expect, it } from 'vitest';
import * as w from '../src/index.js';
import { core } from '../src/core.js';

describe('bytes results are independent values', () => {
  it('getsockopt(SOL_SOCKET, SO_LINGER, 8) results: mutating one changes no other result', () => {
    const s = new w.socket();
    try {
      const first = s.getsockopt(w.SOL_SOCKET, w.SO_LINGER, 8) as Uint8Array;
      const copy = Uint8Array.from(first);
      first.fill(0xee);
      s.setsockopt(w.SOL_SOCKET, w.SO_LINGER, w.struct.pack('ii', 1, 7));
      const second = s.getsockopt(w.SOL_SOCKET, w.SO_LINGER, 8) as Uint8Array;
      expect([...second]).toEqual([...w.struct.pack('ii', 1, 7)]);
      expect(first.every((b) => b === 0xee)).toBe(true);
      expect(copy.length).toBe(8);
    } finally { s.close(); }
  });

  it('thousands of small results of every length 0..64 keep their own bytes', () => {
    const kept: [Uint8Array, number[]][] = [];
    for (let i = 0; i < 5000; i++) {
      const n = i % 65;
      const fmt = `${n}s`;
      const src = Uint8Array.from({ length: n }, (_, k) => (i * 31 + k * 7) & 0xff);
      const packed = w.struct.pack(fmt, src);
      expect(packed.length).toBe(n);
      kept.push([packed, [...src]]);
    }
    for (const [packed, want] of kept) expect([...packed]).toEqual(want);
  });

  it("a result's bytes beyond its length are never another call's scratch data", () => {
    // A 5-byte getsockopt result is copied a word at a time; the scratch area it comes from
    // holds the whole 8-byte linger, but the pool bytes after the result stay zero.
    const s = new w.socket();
    try {
      s.setsockopt(w.SOL_SOCKET, w.SO_LINGER, w.struct.pack('ii', 0x01010101, 0x02020202));
      const r = s.getsockopt(w.SOL_SOCKET, w.SO_LINGER, 5) as Uint8Array;
      expect([...r]).toEqual([...w.struct.pack('ii', 1, 0x02020202).subarray(0, 5)]);   // l_onoff reads back as 1
      const around = new Uint8Array(r.buffer, r.byteOffset, Math.min(8, r.buffer.byteLength - r.byteOffset));
      expect([...around.subarray(5)].every((b) => b === 0)).toBe(true);
    } finally { s.close(); }
  });

  it('copyOut: a 5-byte result copied a word at a time from scratch holding 8 bytes shows none of the other 3', () => {
    // The core's scratch keeps whatever an earlier call left; the word copy of the last,
    // partial word must mask it out, so the pool bytes after the result stay zero.
    const c = core();
    c.u8.set([1, 2, 3, 4, 5, 0xaa, 0xbb, 0xcc], c.VAL);
    const r = c.copyOut(c.VAL, 5);
    expect([...r]).toEqual([1, 2, 3, 4, 5]);
    expect(r.buffer.byteLength).toBeGreaterThanOrEqual(r.byteOffset + 8);   // a pool view
    expect([...new Uint8Array(r.buffer, r.byteOffset, 8)]).toEqual([1, 2, 3, 4, 5, 0, 0, 0]);
  });
});
