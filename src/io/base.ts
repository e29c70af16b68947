// IOBase's generic methods and the helpers every layer shares (Lib/_pyio.py's IOBase and
// module-level functions): argument conversion as Argument Clinic does it, the closed-file
// error, and readline()/readlines()/iteration built on read() and peek().
import { OSError, ValueError } from '../errors.js';
import { pyTypeName } from '../args.js';
import { cpLength } from './codecs.js';

export const DEFAULT_BUFFER_SIZE = 8192;

/** io.UnsupportedOperation (an OSError and a ValueError in Python; an OSError here). */
export class UnsupportedOperation extends OSError {}

export const EAGAIN = 11;
export const EMPTY = new Uint8Array(0);

export function closedFile(): ValueError { return new ValueError('I/O operation on closed file.'); }

/** A Py_ssize_t argument (argument clinic): None is a TypeError. */
export function ssizeArg(v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' && Number.isInteger(v) && (v !== 0 || 1 / v > 0)) return v;   // -0 is a float
  throw new TypeError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`);
}

/** _Py_convert_optional_to_ssize_t: None means -1. */
export function optSsizeArg(v: unknown): number {
  if (v === undefined || v === null) return -1;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' && Number.isInteger(v) && (v !== 0 || 1 / v > 0)) return v;   // -0 is a float
  throw new TypeError(`argument should be integer or None, not '${pyTypeName(v)}'`);
}
interface LineSource {
  readonly closed: boolean;
  readline(limit?: unknown): Uint8Array | string;
  [Symbol.iterator](): Iterator<Uint8Array | string>;
}

/** IOBase.__iter__ + __next__: the closed check comes first, then readline() until empty. */
export function iterLines<T extends Uint8Array | string>(f: { readonly closed: boolean; readline(): T }): Iterator<T> {
  if (f.closed) throw closedFile();
  return (function* () {
    for (;;) {
      const line = f.readline();
      if (line.length <= 0) return;
      yield line;
    }
  })();
}

/** IOBase.readlines(hint): stops once the lines read so far exceed hint; hint <= 0 reads all. */
export function readlinesOf<T extends Uint8Array | string>(f: LineSource, hintArg: unknown): T[] {
  const hint = optSsizeArg(hintArg);
  const out: T[] = [];
  const it = f[Symbol.iterator]() as Iterator<T>;
  let length = 0;
  for (;;) {
    const r = it.next();
    if (r.done) break;
    out.push(r.value);
    if (hint <= 0) continue;
    const n = typeof r.value === 'string' ? cpLength(r.value) : r.value.length;
    if (n > hint - length) break;
    length += n;
  }
  return out;
}

/** IOBase.readline(limit): peek() (when there is one) and read(). */
export function readlineOf(f: { read(n: number): unknown; peek?(n: number): unknown }, limitArg: unknown): Uint8Array {
  const limit = optSsizeArg(limitArg);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const peek = typeof f.peek === 'function';
  while (limit < 0 || total < limit) {
    let nreadahead = 1;
    if (peek) {
      const ra = f.peek!(1);
      if (!(ra instanceof Uint8Array)) throw new OSError(`peek() should have returned a bytes object, not '${pyTypeName(ra)}'`);
      if (ra.length > 0) {
        let n = 0;
        for (;;) {
          if (n >= ra.length || (limit >= 0 && n >= limit)) break;
          if (ra[n++] === 10) break;
        }
        nreadahead = n;
      }
    }
    const b = f.read(nreadahead);
    if (!(b instanceof Uint8Array)) throw new OSError(`read() should have returned a bytes object, not '${pyTypeName(b)}'`);
    if (b.length === 0) break;
    chunks.push(b);
    total += b.length;
    if (b[b.length - 1] === 10) break;
  }
  return concat(chunks, total);
}

export function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}
