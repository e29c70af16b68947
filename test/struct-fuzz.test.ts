// Random formats, values and buffers thrown at every struct function and Struct method.
// Whatever happens, the caller gets a value or one of Python's exceptions whose text has the
// shape of a CPython 3.11 message (the shapes are taken from the oracle fixture, numbers and
// type names abstracted), never a Wasm trap, a RangeError or a JS engine TypeError. A success
// must also be self-consistent: pack's length is calcsize, its bytes unpack again, and
// pack_into and Struct.pack write the same bytes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { struct, OverflowError, ValueError } from '../src/index.js';

type Fn = (...a: unknown[]) => unknown;
type StructObject = Record<string, Fn> & { format: unknown; size: unknown };
const api = struct as unknown as Record<string, Fn> & { Struct: new (fmt: unknown) => StructObject };

// ---- message shapes from the fixture --------------------------------------------------------

/** A CPython message with numbers, quoted characters and type names abstracted. */
function shape(message: string): string {
  return message
    .replace(/'\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})'/g, "'C'")
    .replace(/-?\d+/g, '#')
    .replace(/, not '?[A-Za-z_][\w.]*'?$/, ', not T')
    .replace(/^'[A-Za-z_][\w.]*' object cannot/, "'T' object cannot")
    .replace(/unhashable type: '[A-Za-z_][\w.]*'/, "unhashable type: 'T'");
}

interface Case { result: { raises?: { type: string; message: string } } }
const fixture: { cases: Case[] } = JSON.parse(readFileSync(new URL('./fixtures/struct-cases.json', import.meta.url), 'utf8'));
const SHAPES = new Set<string>();
for (const c of fixture.cases) {
  if (c.result.raises) SHAPES.add(`${c.result.raises.type}: ${shape(c.result.raises.message)}`);
}

/** Python's class name for what was thrown, or null when it is not a Python exception. */
function pyType(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  if (e instanceof RangeError || e instanceof WebAssembly.RuntimeError) return null;
  if (e instanceof struct.error) return 'error';
  if (e instanceof OverflowError) return 'OverflowError';
  if (e instanceof ValueError) return e.name; // ValueError, UnicodeEncodeError
  if (e instanceof TypeError) return 'TypeError';
  // Python classes wasock may model without a shared base (see the fixture's raises.type).
  if (e.name === 'IndexError' || e.name === 'SystemError') return e.name;
  return null;
}

// ---- seeded randomness ----------------------------------------------------------------------

let seed = 0x57c7f022;
const rand = (): number => {
  // xorshift32
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 2 ** 32;
};
const int = (n: number): number => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const bytes = (n: number): Uint8Array => { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = int(256); return b; };

const PREFIXES = ['', '@', '=', '<', '>', '!'];
const CODES = 'xcbB?hHiIlLqQnNefdspP';
const WS = [' ', '\t', '\n', '\r', '\x0b', '\x0c'];
const COUNTS = ['', '', '', '0', '1', '2', '3', '7', '16', '255', '256'];
const HUGE_COUNTS = ['1000000', '123456789012', '4611686018427387904', '9223372036854775807', '99999999999999999999', '9007199254740993'];
const JUNK = [...CODES, ...'0123456789@=<>!', ...WS, 'a', 'z', 'Z', '$', '{', '\0', 'é', '\u20ac', '\ud83d\ude00', '\udcff', '\x7f', '\x1c'];

function format(): unknown {
  const k = rand();
  if (k < 0.6) {
    let f = pick(PREFIXES);
    for (let n = int(7); n > 0; n--) {
      if (rand() < 0.1) f += pick(WS);
      f += rand() < 0.03 ? pick(HUGE_COUNTS) : pick(COUNTS);
      f += pick([...CODES]);
    }
    return f;
  }
  if (k < 0.85) return Array.from({ length: 1 + int(8) }, () => pick(JUNK)).join('');
  if (k < 0.92) return rand() < 0.5 ? bytes(1 + int(4)) : new TextEncoder().encode(pick(['i', '<hq', '3s', ' 2 ', 'P', '<P', '2x?', '', 'i\0']));
  return pick<unknown>([0, 1, -1, 2n ** 70n, null, true, false, 1.5, NaN, [], ['i'], {}, new Uint8Array([0x69, 0]), bytes(3)]);
}

const INTS: unknown[] = [0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768, -32769, 65535, 65536,
  2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53, -(2 ** 53), 2 ** 63, 2 ** 64, 1e300,
  0n, 1n, -1n, 2n ** 63n - 1n, 2n ** 63n, -(2n ** 63n), -(2n ** 63n) - 1n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 1024n, -(2n ** 1100n)];

function double(): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setUint32(0, int(2 ** 32)); dv.setUint32(4, int(2 ** 32));
  if (rand() < 0.3) dv.setUint16(0, pick([0x7ff0, 0xfff0, 0x7ff8, 0x7ff4, 0x0000, 0x8000]) | (dv.getUint16(0) & 0xf));
  return dv.getFloat64(0);
}

function value(depth = 0): unknown {
  switch (int(14)) {
    case 0: case 1: case 2: case 3: return pick(INTS);
    case 4: return int(2 ** 16) - 2 ** 15;
    case 5: return BigInt(int(2 ** 30)) * BigInt(int(2 ** 30)) * (rand() < 0.5 ? -1n : 1n) * BigInt(1 + int(16));
    case 6: return double();
    case 7: return pick([NaN, Infinity, -Infinity, -0, 0.5, -1.5, 65519.5, 65520.5, 3.4028235677973366e38, 5e-324]);
    case 8: return pick([true, false, null]);
    case 9: return pick(['', 'a', 'ab', '\u20ac', '1']);
    case 10: case 11: return bytes(pick([0, 1, 1, 2, 3, 8, 255, 256, 300]));
    case 12: return depth < 2 ? Array.from({ length: int(3) }, () => value(depth + 1)) : [];
    default: return pick<unknown>([{}, Symbol('s'), new Int32Array(2), Buffer.from('ab'), () => 1, new Map()]);
  }
}

function buffer(size: number): unknown {
  const k = rand();
  if (k < 0.85) {
    const n = Math.max(0, pick([size, size, size, 0, size + 1, size - 1, 2 * size, 3 * size, size + int(9)]));
    const b = bytes(Math.min(n, 4096));
    return rand() < 0.1 ? Buffer.from(b) : b;
  }
  return pick<unknown>(['abcd', 4, null, [1, 2, 3, 4], true, 1.5, {}, new ArrayBuffer(4)]);
}

function offset(size: number, len: number): unknown {
  if (rand() < 0.85) return pick([0, 0, 1, -1, size, -size, len, -len, len + 1, -len - 1, len - size, int(len + 3), -int(len + 3)]);
  return pick<unknown>([1.5, NaN, null, '0', 2 ** 63, 2n ** 63n, -(2n ** 64n), 2n, true, [], 2 ** 53 + 2]);
}

function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'symbol') return v.toString();
  if (v instanceof Uint8Array) return `Uint8Array(${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')})`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  if (typeof v === 'function') return 'function';
  if (v && typeof v === 'object') return v.constructor?.name ?? 'object';
  return String(v);
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

describe('struct fuzz: values or Python exceptions with CPython-shaped messages only', () => {
  it('20,000 seeded random calls through every function and Struct method', () => {
    expect(SHAPES.size).toBeGreaterThan(40);
    const failures: string[] = [];
    const note = (what: string) => { if (failures.length < 40) failures.push(what); };

    /** Calls fn; a throw must be a Python exception with a known message shape. */
    const attempt = (label: string, fn: () => unknown): { ok: boolean; value?: unknown; type?: string | null } => {
      try {
        return { ok: true, value: fn() };
      } catch (e) {
        const type = pyType(e);
        if (type === null) note(`${label} threw ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : show(e)}`);
        else if (!SHAPES.has(`${type}: ${shape((e as Error).message)}`)) note(`${label} threw ${type}: ${(e as Error).message} (no such CPython message)`);
        return { ok: false, type };
      }
    };

    for (let i = 0; i < 20000; i++) {
      const fmt = format();
      // The size, if wasock accepts the format; pack of a huge struct is MemoryError territory.
      const sz = attempt(`#${i} calcsize(${show(fmt)})`, () => api.calcsize(fmt));
      // Sizes of 2**53 and more have no exact JS number: any number or bigint is accepted.
      const exact = sz.ok && Number.isSafeInteger(sz.value);
      if (sz.ok && !(exact && (sz.value as number) >= 0) && !(typeof sz.value === 'number' && sz.value >= 2 ** 53) && !(typeof sz.value === 'bigint' && sz.value >= 2n ** 53n)) {
        note(`#${i} calcsize(${show(fmt)}) returned ${show(sz.value)}`);
      }
      const size = exact ? sz.value as number : 8;
      const small = exact && size <= 1 << 16;
      const nvals = rand() < 0.8 ? int(6) : int(40);
      const vals = Array.from({ length: nvals }, () => value());
      const fn = pick(['pack', 'unpack', 'pack_into', 'unpack_from', 'iter_unpack', 'Struct'] as const);
      const L = `#${i} ${fn}(${show(fmt)}`;
      switch (fn) {
        case 'pack': {
          if (!small && sz.ok) break;
          const r = attempt(`${L}, ${vals.map(show).join(', ')})`, () => api.pack(fmt, ...vals));
          if (!r.ok) break;
          if (!sz.ok) { note(`${L}): pack succeeded where calcsize raised`); break; }
          const b = r.value as Uint8Array;
          if (!(b instanceof Uint8Array) || b.length !== size) { note(`${L}) returned ${show(b)}, calcsize ${size}`); break; }
          const u = attempt(`${L}) then unpack`, () => api.unpack(fmt, b));
          // CPython 3.11 raises SystemError unpacking a '0p' item (PyBytes_FromStringAndSize(-1)).
          if (!(u.ok && Array.isArray(u.value)) && u.type !== 'SystemError') { note(`${L}): its bytes do not unpack`); break; }
          const into = new Uint8Array(size + 2).fill(0xaa);
          const p = attempt(`${L}) then pack_into`, () => api.pack_into(fmt, into, 1, ...vals));
          if (!p.ok || hex(into.subarray(1, 1 + size)) !== hex(b) || into[0] !== 0xaa || into[size + 1] !== 0xaa) {
            note(`${L}, ${vals.map(show).join(', ')}): pack_into wrote ${hex(into)}, pack gave ${hex(b)}`);
          }
          const s = attempt(`${L}) then Struct.pack`, () => { const st = new api.Struct(fmt); return st.pack(...vals); });
          if (!s.ok || hex(s.value as Uint8Array) !== hex(b)) note(`${L}): Struct.pack differs from pack`);
          break;
        }
        case 'unpack': {
          const buf = buffer(size);
          const r = attempt(`${L}, ${show(buf)})`, () => api.unpack(fmt, buf));
          if (r.ok && !Array.isArray(r.value)) note(`${L}) returned ${show(r.value)}`);
          break;
        }
        case 'pack_into': {
          const buf = buffer(size);
          const len = buf instanceof Uint8Array ? buf.length : 4;
          const off = offset(size, len);
          const r = attempt(`${L}, ${show(buf)}, ${show(off)}, ${vals.map(show).join(', ')})`, () => api.pack_into(fmt, buf, off, ...vals));
          if (r.ok && r.value !== undefined) note(`${L}) returned ${show(r.value)}`);
          if (buf instanceof Uint8Array && buf.length !== len) note(`${L}) changed the buffer's length`);
          break;
        }
        case 'unpack_from': {
          const buf = buffer(size);
          const off = offset(size, buf instanceof Uint8Array ? buf.length : 4);
          const r = attempt(`${L}, ${show(buf)}, ${show(off)})`, () => api.unpack_from(fmt, buf, off));
          if (r.ok && !Array.isArray(r.value)) note(`${L}) returned ${show(r.value)}`);
          break;
        }
        case 'iter_unpack': {
          const buf = buffer(size);
          const r = attempt(`${L}, ${show(buf)})`, () => api.iter_unpack(fmt, buf));
          if (r.ok) attempt(`${L}, ${show(buf)}) iterating`, () => { for (const t of r.value as Iterable<unknown>) if (!Array.isArray(t)) note(`${L}) yielded ${show(t)}`); });
          break;
        }
        case 'Struct': {
          const r = attempt(`#${i} Struct(${show(fmt)})`, () => new api.Struct(fmt));
          if (!r.ok) break;
          if (!sz.ok) { note(`#${i} Struct(${show(fmt)}) succeeded where calcsize raised`); break; }
          const s = r.value as StructObject;
          if (typeof s.format !== 'string' || (exact && s.size !== size)) note(`#${i} Struct(${show(fmt)}): format ${show(s.format)}, size ${show(s.size)} (calcsize ${size})`);
          const buf = buffer(size);
          const len = buf instanceof Uint8Array ? buf.length : 4;
          const method = pick(['pack', 'unpack', 'pack_into', 'unpack_from', 'iter_unpack'] as const);
          const args: unknown[] = method === 'pack' ? vals
            : method === 'pack_into' ? [buf, offset(size, len), ...vals]
              : method === 'unpack_from' ? [buf, offset(size, len)] : [buf];
          if (method === 'pack' && !small) break;
          const m = attempt(`#${i} Struct(${show(fmt)}).${method}(${args.map(show).join(', ')})`, () => {
            const v = s[method](...args);
            return method === 'iter_unpack' ? [...(v as Iterable<unknown>)] : v;
          });
          if (m.ok && method === 'pack' && (m.value as Uint8Array).length !== size) note(`#${i} Struct(${show(fmt)}).pack: wrong length`);
          break;
        }
      }
    }

    // The core is still sound after all that.
    const p = attempt('final pack', () => api.pack('<iH?', -2, 65535, NaN));
    if (!p.ok || hex(p.value as Uint8Array) !== 'feffffffffff01') note(`final pack('<iH?', -2, 65535, NaN) gave ${show(p.value)}`);
    const u = attempt('final unpack', () => api.unpack('>q', new Uint8Array(8).fill(0xff)));
    if (!u.ok || show(u.value) !== '[-1n]') note(`final unpack('>q', ff*8) gave ${show(u.value)}`);
    expect(failures).toEqual([]);
  });
});
