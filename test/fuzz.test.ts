// Random arguments thrown at every socket method: whatever happens, the caller sees a value
// or one of Python's exception classes, never a Wasm trap, a RangeError or an internal
// error, and no fd is left behind.
import { describe, expect, it } from 'vitest';
import * as w from '../src/index.js';
import { fdCount } from './helpers/fds.js';

let seed = 0x5eed1234;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const INTS = [0, 1, -1, 2, 4, 8, 13, 16, 255, 256, 1024, 1025, 65535, 65536, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53), 2n ** 63n, -(2n ** 64n)];
function value(depth = 0): unknown {
  switch (Math.floor(rand() * 12)) {
    case 0: case 1: case 2: return pick(INTS);
    case 3: return rand() * 100 - 50;
    case 4: return pick([NaN, Infinity, -Infinity, -0]);
    case 5: return pick([true, false, null, undefined]);
    case 6: return pick(['', 'x', '127.0.0.1', '::1', 'localhost', '<broadcast>', '\0abc', 'a'.repeat(200)]);
    case 7: return new Uint8Array(pick([0, 1, 4, 8, 16, 1024, 1025, 5000])).map(() => rand() * 256);
    case 8: return depth < 2 ? Array.from({ length: Math.floor(rand() * 5) }, () => value(depth + 1)) : [];
    case 9: return pick([{}, new Map(), Symbol('s'), () => 1]);
    case 10: return new Int32Array(pick([0, 1, 2, 4]));
    default: return [pick(['127.0.0.1', '::1', '', 'localhost']), pick([0, 1, 65535, 65536, -1])];
  }
}

const PYTHON_ERRORS = [w.OSError, TypeError, w.ValueError, w.OverflowError];
// Methods that could block forever on a fresh socket are left out (accept, recv* on stream).
const METHODS = ['getsockopt', 'setsockopt', 'bind', 'connect', 'connect_ex', 'listen', 'send', 'sendall', 'sendto', 'shutdown', 'getsockname', 'getpeername', 'fileno', 'detach', 'close', 'dup'] as const;

describe('fuzz: random arguments give values or Python exceptions only', () => {
  it('20,000 random calls on fresh sockets of every family: no trap, no RangeError, no fd left', () => {
    const before = fdCount();
    const made: w.socket[] = [];
    for (let i = 0; i < 20000; i++) {
      const fam = pick([w.AF_INET, w.AF_INET6, w.AF_UNIX]);
      const typ = pick([w.SOCK_STREAM, w.SOCK_DGRAM]);
      const s = i % 8 === 0 || made.length === 0 ? new w.socket(fam, typ) : made[made.length - 1];
      if (s !== made[made.length - 1]) made.push(s);
      const m = pick(METHODS);
      const args = Array.from({ length: Math.floor(rand() * 5) }, () => value());
      try {
        const r = (s as unknown as Record<string, (...a: unknown[]) => unknown>)[m](...args);
        if (m === 'dup') (r as w.socket).close();
        if (m === 'detach' && typeof r === 'number' && r >= 0) new w.socket(undefined, undefined, undefined, r).close();
      } catch (e) {
        const ok = PYTHON_ERRORS.some((cls) => e instanceof cls);
        if (!ok || e instanceof RangeError) throw new Error(`${m}(${args.map(String).join(', ')}) threw ${String(e)}`);
      }
    }
    for (const s of made) s.close();
    expect(fdCount()).toBe(before);
  });
});
