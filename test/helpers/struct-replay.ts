// Replays one case of a struct oracle fixture (scripts/gen_struct.py's schema, also used by
// scripts/gen_struct_fuzz.py) through wasock, with zero tolerance: ints by value and JS type
// (bigint exactly where CPython's code is q Q n N P or native l L), floats by their IEEE-754
// bits (NaN payloads and -0.0 included), exception class and str(e) word for word, and the
// bytes pack_into leaves in the caller's buffer (also after a failure: CPython writes item by
// item into the zeroed target range).
import { struct, OverflowError, ValueError } from '../../src/index.js';

export interface Arg { t: string; v?: unknown; hex?: string; as?: 'bigint' | 'number' }
export interface Val { t: string; v?: unknown; hex?: string; big?: boolean; format?: string; size?: number }
export interface Raises { type: string; message: string }
export interface Case {
  id: string;
  call: string;
  fmt: Arg;
  args: Arg[];
  result: { ok?: Val; raises?: Raises };
  buffer_after?: string;
}
export interface Fixture { generator: string; python: string; counts: { cases: number }; cases: Case[] }

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

function doubleFromHex(h: string): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, BigInt('0x' + h));
  return dv.getFloat64(0);
}
function doubleBits(x: number): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  return dv.getBigUint64(0).toString(16).padStart(16, '0');
}

/**
 * An array whose elements V8 keeps as tagged values. Arrays of doubles store NaN canonically
 * and set the quiet bit of a signalling NaN, so arguments travel in arrays made with a
 * non-number element first (elements kinds only ever generalise).
 */
export function taggedArray(): unknown[] {
  const a: unknown[] = [null];
  a.length = 0;
  return a;
}

/** The JS twin of a fixture ARG (scripts/gen_struct.py docstring). */
export function jsArg(a: Arg): unknown {
  switch (a.t) {
    case 'int': {
      const n = BigInt(a.v as string);
      if (a.as === 'bigint') return n;
      if (a.as === 'number') {
        const x = Number(n);
        if (BigInt(x) !== n) throw new Error(`fixture int ${a.v} marked "as":"number" is not exact`);
        return x;
      }
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    case 'float': return doubleFromHex(a.hex!);
    case 'bool': return a.v as boolean;
    case 'none': return null;
    case 'str': return a.v as string;
    case 'bytes': return unhex(a.hex!);
    case 'bytearray': return unhex(a.hex!);
    case 'dict': {
      // A plain object: Python's dict (args.ts pyTypeName / pyTruthy).
      const out: Record<string, unknown> = {};
      for (const [k, x] of a.v as [string, Arg][]) out[k] = jsArg(x);
      return out;
    }
    case 'list': {
      const out = taggedArray();
      for (const x of a.v as Arg[]) out.push(jsArg(x));
      return out;
    }
    default: throw new Error(`unknown ARG type ${a.t}`);
  }
}

type Fn = (...a: unknown[]) => unknown;
type StructObject = Record<string, Fn> & { format: unknown; size: unknown };
const api = struct as unknown as Record<string, Fn> & { Struct: new (fmt: unknown) => StructObject };

interface Outcome { value?: unknown; error?: unknown; phase?: 'call' | 'iterate' }

/** Runs one case; iter_unpack results are consumed here (CPython raises at the call). */
function run(c: Case, args: unknown[]): Outcome {
  let phase: 'call' | 'iterate' = 'call';
  try {
    const fmt = jsArg(c.fmt);
    let value: unknown;
    if (c.call === 'Struct') {
      value = new api.Struct(fmt);
    } else if (c.call.startsWith('Struct.')) {
      const s = new api.Struct(fmt);
      value = Reflect.apply(s[c.call.slice(7)], s, args);
    } else {
      const all = taggedArray();
      all.push(fmt, ...args);
      value = Reflect.apply(api[c.call], api, all);
    }
    if (c.call.endsWith('iter_unpack')) {
      phase = 'iterate';
      const items = taggedArray();
      for (const t of value as Iterable<unknown>) items.push(t);
      value = items;
    }
    return { value };
  } catch (error) {
    return { error, phase };
  }
}

function pyClassOk(e: unknown, type: string): boolean {
  switch (type) {
    case 'error': return e instanceof struct.error;
    case 'TypeError': return e instanceof TypeError && !(e instanceof struct.error);
    case 'OverflowError': return e instanceof OverflowError;
    case 'ValueError': return e instanceof ValueError && (e as Error).name === 'ValueError';
    // Python's UnicodeEncodeError is a ValueError subclass.
    case 'UnicodeEncodeError': return e instanceof ValueError && (e as Error).name === type;
    default: return e instanceof Error && e.name === type;
  }
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.constructor?.name ?? e.name}(name=${e.name}): ${e.message}`;
  return `non-Error thrown: ${String(e)}`;
}

export function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isNaN(v) ? `NaN(${doubleBits(v)})` : String(v);
  if (v instanceof Uint8Array) return `bytes(${hex(v)})`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

/** The first difference between CPython's value and wasock's, or null. */
function diff(want: Val, got: unknown, path = 'result'): string | null {
  switch (want.t) {
    case 'tuple':
    case 'list': {
      const w = want.v as Val[];
      if (!Array.isArray(got)) return `${path}: want array of ${w.length}, got ${show(got)}`;
      if (got.length !== w.length) return `${path}: want ${w.length} items, got ${got.length}: ${show(got)}`;
      for (let i = 0; i < w.length; i++) {
        const d = diff(w[i], got[i], `${path}[${i}]`);
        if (d) return d;
      }
      return null;
    }
    case 'int': {
      const n = BigInt(want.v as string);
      if (want.big) {
        return typeof got === 'bigint' && got === n ? null : `${path}: want bigint ${n}n, got ${typeof got} ${show(got)}`;
      }
      return typeof got === 'number' && Object.is(got, Number(n)) ? null : `${path}: want number ${n}, got ${typeof got} ${show(got)}`;
    }
    case 'float':
      return typeof got === 'number' && doubleBits(got) === want.hex
        ? null : `${path}: want float bits ${want.hex} (${show(doubleFromHex(want.hex!))}), got ${typeof got} ${typeof got === 'number' ? doubleBits(got) : ''} ${show(got)}`;
    case 'bool':
      return got === want.v ? null : `${path}: want ${String(want.v)}, got ${typeof got} ${show(got)}`;
    case 'bytes':
      return got instanceof Uint8Array && hex(got) === want.hex ? null : `${path}: want bytes(${want.hex}), got ${show(got)}`;
    case 'none':
      return got === undefined ? null : `${path}: want undefined (None), got ${show(got)}`;
    case 'struct': {
      if (!(got instanceof struct.Struct)) return `${path}: want a Struct, got ${show(got)}`;
      const s = got as unknown as StructObject;
      if (typeof s.format !== 'string' || s.format !== want.format) return `${path}.format: want ${JSON.stringify(want.format)}, got ${show(s.format)}`;
      if (typeof s.size !== 'number' || s.size !== want.size) return `${path}.size: want ${want.size}, got ${show(s.size)}`;
      return null;
    }
    default:
      return `${path}: unknown VAL type ${want.t} in the fixture`;
  }
}

/** Replays one case; returns a description of every difference (none: empty). */
export function check(c: Case): string[] {
  const args = taggedArray();
  for (const a of c.args) args.push(jsArg(a));
  const got = run(c, args);
  const out: string[] = [];
  const want = c.result;
  if (want.raises) {
    if (!('error' in got)) {
      out.push(`want ${want.raises.type}: ${want.raises.message}; got value ${show(got.value)}`);
    } else {
      // Argument and size errors come from the iter_unpack() call itself; an item that
      // cannot be unpacked (the '0p' SystemError) raises from next(), as in CPython (the
      // generator records list(iter_unpack(...)), which cannot tell the two apart).
      if (got.phase === 'iterate' && want.raises.type !== 'SystemError') {
        out.push('raised while iterating; CPython raises when iter_unpack is called');
      }
      const e = got.error as Error;
      if (!pyClassOk(e, want.raises.type) || !(e instanceof Error) || e.message !== want.raises.message) {
        out.push(`want ${want.raises.type}: ${want.raises.message}; got ${describeError(e)}`);
      }
    }
  } else if ('error' in got) {
    out.push(`want ${JSON.stringify(want.ok)}; got ${describeError(got.error)}${got.phase === 'iterate' ? ' (while iterating)' : ''}`);
  } else {
    const d = diff(want.ok!, got.value);
    if (d) out.push(d);
  }
  if (c.buffer_after !== undefined) {
    const buf = args[0] as Uint8Array;
    if (hex(buf) !== c.buffer_after) out.push(`buffer after the call: want ${c.buffer_after}, got ${hex(buf)}`);
  }
  return out.map((m) => `${c.id} [${c.call}(${show(jsArg(c.fmt))}${c.args.length ? ', ' : ''}${c.args.map((a) => show(jsArg(a))).join(', ')})]: ${m}`);
}

