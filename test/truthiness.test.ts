// Replays test/fixtures/truthiness.json (scripts/gen_truthiness.py): CPython's bool(x) of the
// Python values that have a JS twin, against src/args.ts pyTruthy, the one truthiness rule
// wasock applies wherever Python tests an argument for truth.
import { describe, expect, it } from 'vitest';
import { pyTruthy } from '../src/args.js';
import * as w from '../src/index.js';
import { jsArg, loadFixture, unhex, type Arg } from './helpers/replay.js';

interface TArg extends Arg { v?: unknown }
interface TCase { id: string; arg: TArg; truthy: boolean }

/** Python's object(): an instance of a class of its own. */
class PyObject {}

function twin(a: TArg): unknown {
  switch (a.t) {
    case 'tuple': return (a.v as TArg[]).map(twin);
    case 'dict': {
      const items = (a.v as [string, TArg][]).map(([k, x]) => [k, twin(x)] as const);
      if (a.as === 'map') return new Map(items);
      const o: Record<string, unknown> = a.as === 'nullproto' ? Object.create(null) : {};
      for (const [k, x] of items) o[k] = x;
      return o;
    }
    case 'set': return new Set((a.v as TArg[]).map(twin));
    case 'memoryview': { const b = unhex(a.hex!); return new DataView(b.buffer, b.byteOffset, b.byteLength); }
    case 'array_i': return new Int32Array(unhex(a.hex!).buffer);
    case 'object': return new PyObject();
    default: return jsArg(a);
  }
}

describe('pyTruthy matches CPython 3.11 bool()', () => {
  for (const c of loadFixture('truthiness.json').cases as unknown as TCase[]) {
    it(`bool(${c.id}) is ${c.truthy}`, () => expect(pyTruthy(twin(c.arg))).toBe(c.truthy));
  }
  // fcntl.readonly(buf) is Python bytes: as long as the bytes it holds
  it('a ReadOnlyBuffer is bytes: empty is false', () => {
    expect(pyTruthy(w.fcntl.readonly(new Uint8Array(0)))).toBe(false);
    expect(pyTruthy(w.fcntl.readonly(new Uint8Array(1)))).toBe(true);
  });
});
