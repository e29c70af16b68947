// The core's errno table against CPython (test/fixtures/errno.json, from
// scripts/gen_constants.py): every errno's strerror text, the PEP 3151 class CPython picks,
// and the exact str() of OSError(errno, strerror).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromErrno } from '../src/errors.js';
import * as w from '../src/index.js';

const fx = JSON.parse(readFileSync(new URL('./fixtures/errno.json', import.meta.url), 'utf8')) as {
  errno: Record<string, { name: string; text: string; class: string }>;
  messages: { errno: number; class: string; message: string }[];
};

describe('errno table matches CPython 3.11 on Linux', () => {
  it('every errno 1..max: strerror text and OSError subclass as CPython picks them', () => {
    for (const [n, want] of Object.entries(fx.errno)) {
      if (n === '0') continue;
      const e = fromErrno(Number(n));
      expect({ n, cls: e.name, text: e.strerror, errno: e.errno }).toEqual({ n, cls: want.class, text: want.text, errno: Number(n) });
      expect(e).toBeInstanceOf(w.OSError);
    }
  });

  it('str(OSError(n, strerror)) is "[Errno n] text" word for word', () => {
    for (const m of fx.messages) {
      const e = fromErrno(m.errno);
      expect([e.name, e.message]).toEqual([m.class, m.message]);
    }
  });

  it('PEP 3151 hierarchy: ConnectionRefusedError is a ConnectionError is an OSError; timeout is TimeoutError', () => {
    expect(fromErrno(111)).toBeInstanceOf(w.ConnectionRefusedError);
    expect(fromErrno(111)).toBeInstanceOf(w.ConnectionError);
    expect(fromErrno(32)).toBeInstanceOf(w.BrokenPipeError);
    expect(w.timeout).toBe(w.TimeoutError);
    expect(w.error).toBe(w.OSError);
  });
});
