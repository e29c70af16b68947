// io.BufferedReader, io.BufferedWriter and io.BufferedRWPair over a SocketIO (Lib/_pyio.py's
// buffered layer), with CPython's window arithmetic and messages.
import { ownBytes } from '../core.js';
import { OSError, OverflowError, MemoryError, ValueError, errorFor } from '../errors.js';
import { bytesLike, pyTypeName } from '../args.js';
import { DEFAULT_BUFFER_SIZE, UnsupportedOperation, EAGAIN, EMPTY, ssizeArg, optSsizeArg, iterLines, readlinesOf, readlineOf, concat } from './base.js';
import type { SocketIO } from './raw.js';

/**
 * The pool's bytes as a Node Buffer (native indexOf and copy), or, in a page, which has no
 * Buffer, the Uint8Array itself: ownBytes() then copies by slice() and indexOf is the typed
 * array's (test/pyodide-browser.test.ts reads a makefile() in Chromium).
 */
const asBuffer = (u8: Uint8Array): Buffer =>
  (typeof Buffer === 'function' ? Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength) : u8) as Buffer;
import type { RWPairInternals } from './internals.js';

const SSIZE_MAX = 2n ** 63n - 1n;

/**
 * buffer_size as io's constructors take it (Argument Clinic's Py_ssize_t): an int (number
 * without fraction and not -0, bigint, boolean), OverflowError beyond ssize_t, ValueError
 * when not positive. A size beyond 2**53 cannot be allocated anyway: it stays a number
 * (inexact) and allocation raises MemoryError.
 */
function checkBufferSize(bufferSize: unknown): number {
  let n: number;
  if (typeof bufferSize === 'number' && Number.isInteger(bufferSize) && !Object.is(bufferSize, -0)) {
    if (bufferSize >= 2 ** 63 || bufferSize < -(2 ** 63)) {
      // a double at or beyond 2**63 is out of ssize_t's range (2**63 - 1 has no double)
      throw new OverflowError('Python int too large to convert to C ssize_t');
    }
    n = bufferSize;
  } else if (typeof bufferSize === 'bigint') {
    if (bufferSize > SSIZE_MAX || bufferSize < -SSIZE_MAX - 1n) throw new OverflowError('Python int too large to convert to C ssize_t');
    n = Number(bufferSize);
  } else if (typeof bufferSize === 'boolean') {
    n = bufferSize ? 1 : 0;
  } else {
    throw new TypeError(`'${pyTypeName(bufferSize)}' object cannot be interpreted as an integer`);
  }
  if (n <= 0) throw new ValueError('buffer size must be strictly positive');
  return n;
}

/**
 * `size` zero bytes, or CPython's MemoryError where PyMem_Malloc fails: V8 reserves large
 * buffers as malloc does (untouched pages cost nothing), so the same sizes fail on the same
 * machine (beyond the address space always). A typed array also has a length limit (2**32
 * in Node 20): beyond it wasock raises MemoryError where CPython may still allocate.
 */
function allocate(size: number): Uint8Array {
  try {
    return new Uint8Array(size);
  } catch (e) {
    if (e instanceof RangeError) throw new MemoryError();
    throw e;
  }
}

/** A reader's pool: 64 KiB, like a Node stream's chunk (or 4 buffers, if larger). */
const POOL_SIZE = 65536;

/**
 * io.BufferedReader over a SocketIO. Its buffer is a window that slides along a JavaScript
 * ArrayBuffer (the pool): the kernel receives straight into the window (the host passes the
 * pool's own storage to recv), and the bytes handed to the caller are views of the pool, so
 * a line costs no copy at all. Pool bytes once handed out are never written again: a new
 * window starts at the first unread byte, and a full pool is replaced by a fresh one (the
 * unread bytes move over). A kept result thus keeps its pool alive, as a Node Buffer keeps
 * its slab; see docs/decisions.md. Window arithmetic (where a fill starts, how much it
 * asks for) is CPython's, so raw read sizes, peek() and read1() results match.
 */
export class BufferedReader {
  readonly raw: SocketIO;
  private readonly _size: number;
  private _poolSize: number;
  private _pool: ArrayBuffer | null = null;
  private _p8: Uint8Array = EMPTY;
  private _pbuf: Buffer = asBuffer(EMPTY);   // the same bytes, for Buffer's native indexOf and copy
  private _ws = 0;            // window start (pool offset)
  private _pos = 0;           // next unread byte (pool offset)
  private _end = 0;           // end of buffered data (pool offset)

  constructor(raw: SocketIO, bufferSize: number = DEFAULT_BUFFER_SIZE) {
    this._size = checkBufferSize(bufferSize);
    this.raw = raw;
    this._poolSize = Math.max(POOL_SIZE, 4 * this._size);
    if (this._poolSize > POOL_SIZE) {
      // CPython mallocs buffer_size bytes here: a size no allocation can meet raises
      // MemoryError now, not at the first read. The first pool is made now; when four
      // windows do not fit, one window does (each fill then starts a fresh pool).
      try {
        this._newPool(0);
      } catch (e) {
        if (!(e instanceof MemoryError)) throw e;
        this._poolSize = this._size;
        this._newPool(0);
      }
    }
  }

  get closed(): boolean { return this.raw.closed; }
  get mode(): string { return this.raw.mode; }
  get name(): number { return this.raw.name; }
  fileno(): number { return this.raw.fileno(); }
  readable(): boolean { return this.raw.readable(); }
  /** IOBase.writable */
  writable(): boolean { return false; }
  seekable(): boolean { return this.raw.seekable(); }
  isatty(): boolean { return this.raw.isatty(); }

  private get _avail(): number { return this._end - this._pos; }

  /** CHECK_CLOSED: a closed stream still hands out what it had buffered. */
  private _checkClosed(message: string): void {
    if (this.raw.closed && this._end === this._pos) throw new ValueError(message);
  }

  /**
   * Makes room for a read of `len` bytes at _end: an empty buffer starts a new window at
   * _end (CPython resets to the buffer's start), a full one slides the window to the unread
   * bytes (CPython moves them to the front). Bytes from `keep` on survive a pool change.
   * Returns how many bytes the window has room for.
   */
  private _room(keep: number): number {
    if (this._pos === this._end || this._end === this._ws + this._size) this._ws = this._pos;
    if (this._pool === null || this._ws + this._size >= this._p8.length) this._newPool(keep);
    return this._ws + this._size - this._end;
  }

  private _newPool(keep: number): void {
    // Room for the kept bytes and a window; doubling keeps a very long line linear.
    const kept = this._end - keep;
    const size = Math.max(this._poolSize, 2 * kept + this._size);
    const p8 = allocate(size + 1);              // + 1: room for the scan sentinel
    const pool = p8.buffer as ArrayBuffer;
    p8[this._end - keep] = 10;                  // the sentinel, in case no read follows
    const shift = keep;
    if (kept > 0) p8.set(this._p8.subarray(keep, this._end));
    this._pool = pool;
    this._p8 = p8;
    this._pbuf = asBuffer(p8);
    this._ws -= shift; this._pos -= shift; this._end -= shift;
  }

  /** Reads once from the raw stream into the window's free tail: bytes, 0 EOF, null none. */
  private _fill(keep: number = this._pos): number | null {
    const room = this._room(keep);
    const r = this.raw._readIntoPool(this._p8, this._end, room);
    if (r !== null) this._end += r;
    this._p8[this._end] = 10;                   // readline's scan sentinel (never handed out)
    return r;
  }

  /** The next n buffered bytes, handed out as a view of the pool (never written again). */
  private _take(n: number): Uint8Array {
    const out = new Uint8Array(this._pool!, this._pos, n);
    this._pos += n;
    return out;
  }

  /** A copy of buffered bytes that stay buffered (peek): the caller may change its copy. */
  private _copy(from: number, to: number): Uint8Array {
    return ownBytes(this._p8, this._pbuf, from, to);
  }

  read(size?: unknown): Uint8Array | null {
    let n = optSsizeArg(size);
    this._checkClosed('read of closed file');
    if (n < -1) throw new ValueError('read length must be non-negative or -1');
    if (n === -1) return this._readall();
    if (n <= this._avail) return this._take(n);
    const chunks: Uint8Array[] = [];
    let got = 0;
    if (this._avail > 0) { const a = this._take(this._avail); chunks.push(a); got = a.length; }
    while (got < n) {
      const r = this._fill();
      if (r === null) { if (got === 0) return null; break; }
      if (r === 0) break;
      const k = Math.min(this._avail, n - got);
      chunks.push(this._take(k));
      got += k;
    }
    return concat(chunks, got);
  }

  private _readall(): Uint8Array | null {
    const chunks: Uint8Array[] = [];
    let got = 0;
    if (this._avail > 0) { const a = this._take(this._avail); chunks.push(a); got = a.length; }
    for (;;) {
      const r = this._fill();
      if (r === null) { if (got === 0) return null; break; }
      if (r === 0) break;
      const a = this._take(this._avail);
      chunks.push(a);
      got += a.length;
    }
    return concat(chunks, got);
  }

  /** read1(n): buffered bytes if there are any, else one raw read of up to n bytes. */
  read1(size?: unknown): Uint8Array {
    let n = ssizeArg(size, -1);
    if (n < 0) n = this._size;
    this._checkClosed('read of closed file');
    if (n === 0) return new Uint8Array(0);
    if (this._avail > 0) return this._take(Math.min(n, this._avail));
    if (n <= this._size) {
      // the empty buffer takes the raw read (straight from the kernel); the bytes leave at once
      this._room(this._pos);
      const r = this.raw._readIntoPool(this._p8, this._end, n);
      if (!r) return new Uint8Array(0);
      this._end += r;
      this._p8[this._end] = 10;
      return this._take(r);
    }
    const b = new Uint8Array(n);
    const r = this.raw.readinto(b);
    return r ? (r === n ? b : b.slice(0, r)) : new Uint8Array(0);
  }

  peek(size?: unknown): Uint8Array {
    ssizeArg(size, 0);
    this._checkClosed('peek of closed file');
    if (this._avail === 0) this._fill();
    return this._copy(this._pos, this._end);
  }

  readinto(b: Uint8Array | ArrayBufferView): number | null {
    const dst = bytesLike(b);
    if (dst === null) throw new TypeError(`readinto() argument must be read-write bytes-like object, not ${pyTypeName(b)}`);
    this._checkClosed('readinto of closed file');
    const data = this.read(dst.length);
    if (data === null) return null;
    dst.set(data);
    return data.length;
  }

  /**
   * readline(limit): up to and including b'\n' (CPython's _buffered_readline). Buffer's
   * native indexOf finds the newline; a sentinel newline just past the buffered bytes (in
   * the pool's unused tail, set by every fill) bounds the scan. A line that spans raw reads stays contiguous in
   * the pool (each read lands right after the previous one), so it is a single view too.
   */
  readline(limitArg?: unknown): Uint8Array {
    const limit = limitArg === undefined || limitArg === null ? -1 : optSsizeArg(limitArg);
    this._checkClosed('readline of closed file');
    let start = this._pos;
    for (;;) {
      const end = this._end;
      if (this._pos < end) {
        const nl = this._pbuf.indexOf(10, this._pos);
        const stop = limit >= 0 && start + limit < end ? start + limit : end;
        if (nl >= 0 && nl < stop) { this._pos = nl + 1; break; }
        this._pos = stop;
      }
      if (limit >= 0 && this._pos - start >= limit) break;
      // The buffered part joins the line; an empty buffer takes the next raw read.
      const len = this._pos - start;
      const r = this._fill(start);
      start = this._pos - len;                    // the pool may have changed
      if (r === null || r === 0) break;
    }
    return this._pos === start ? new Uint8Array(0) : new Uint8Array(this._pool!, start, this._pos - start);
  }

  readlines(hint?: unknown): Uint8Array[] { return readlinesOf(this, hint); }

  [Symbol.iterator](): Iterator<Uint8Array> { return iterLines(this); }

  /** BufferedIOBase.write */
  write(_b?: unknown): number { throw new UnsupportedOperation('write'); }

  /** Buffered.flush on a reader: the raw stream's flush (its closed check). */
  flush(): void { this.raw.flush(); }

  close(): void {
    if (!this.raw.closed) {
      try { this.flush(); } finally { this.raw.close(); }
    }
  }

  toString(): string { return `<_io.BufferedReader name=${this.name}>`; }
}

/** io.BufferedWriter over a SocketIO. */
export class BufferedWriter {
  readonly raw: SocketIO;
  private readonly _size: number;
  private _buf: Uint8Array;
  private _len = 0;

  constructor(raw: SocketIO, bufferSize: number = DEFAULT_BUFFER_SIZE) {
    this._size = checkBufferSize(bufferSize);
    this.raw = raw;
    this._buf = allocate(this._size);
  }

  get closed(): boolean { return this.raw.closed; }
  get mode(): string { return this.raw.mode; }
  get name(): number { return this.raw.name; }
  fileno(): number { return this.raw.fileno(); }
  /** IOBase.readable */
  readable(): boolean { return false; }
  writable(): boolean { return this.raw.writable(); }
  seekable(): boolean { return this.raw.seekable(); }
  isatty(): boolean { return this.raw.isatty(); }

  /** BufferedIOBase's read methods: a writer cannot read. */
  read(_n?: unknown): Uint8Array { throw new UnsupportedOperation('read'); }
  read1(_n?: unknown): Uint8Array { throw new UnsupportedOperation('read1'); }
  readinto(_b?: unknown): number { throw new UnsupportedOperation('read'); }
  readline(limit?: unknown): Uint8Array { return readlineOf(this, limit); }
  readlines(hint?: unknown): Uint8Array[] { return readlinesOf(this, hint); }
  [Symbol.iterator](): Iterator<Uint8Array> { return iterLines(this); }

  /** write(b): buffers b (sending when the buffer fills); returns len(b). */
  write(data: Uint8Array | ArrayBufferView): number {
    const b = bytesLike(data);
    if (b === null) throw new TypeError(`a bytes-like object is required, not '${pyTypeName(data)}'`);
    if (this.raw.closed) throw new ValueError('write to closed file');
    if (b.length <= this._size - this._len) {
      this._buf.set(b, this._len);
      this._len += b.length;
      return b.length;
    }
    // First send what is buffered.
    try {
      this._flushUnlocked();
    } catch (e) {
      if (!(e instanceof OSError) || e.errno !== EAGAIN || !('characters_written' in e)) throw e;
      // make room: the unsent bytes are at the front already; buffer what fits of b
      const avail = this._size - this._len;
      if (b.length <= avail) {
        this._buf.set(b, this._len);
        this._len += b.length;
        return b.length;
      }
      this._buf.set(b.subarray(0, avail), this._len);
      this._len += avail;
      throw blocked(avail);
    }
    // Then b itself, straight to the raw stream while it is larger than the buffer.
    let written = 0;
    let remaining = b.length;
    while (remaining > this._size) {
      const n = this.raw.write(b.subarray(written));
      if (n === null) {
        // can't buffer everything: buffer as much as possible
        this._buf.set(b.subarray(written, written + this._size), 0);
        this._len = this._size;
        written += this._size;
        throw blocked(written);
      }
      written += n;
      remaining -= n;
    }
    if (remaining > 0) this._buf.set(b.subarray(written), 0);
    this._len = remaining;
    return b.length;
  }

  /** _bufferedwriter_flush_unlocked: sends the buffer; what is left stays at its front. */
  private _flushUnlocked(): void {
    let off = 0;
    try {
      while (off < this._len) {
        const n = this.raw.write(this._buf.subarray(off, this._len));
        if (n === null) throw blocked(0);
        off += n;
      }
    } finally {
      if (off > 0) {
        this._buf.copyWithin(0, off, this._len);
        this._len -= off;
      }
    }
  }

  flush(): void {
    if (this.raw.closed) throw new ValueError('flush of closed file');
    this._flushUnlocked();
  }

  close(): void {
    if (this.raw.closed) return;
    try { this.flush(); } finally { this.raw.close(); }
  }

  toString(): string { return `<_io.BufferedWriter name=${this.name}>`; }
}

function blocked(written: number): OSError {
  const e = new (errorClassBlocking())(EAGAIN, 'write could not complete without blocking');
  (e as { characters_written?: number }).characters_written = written;
  return e;
}

let blockingClass: (new (...a: any[]) => OSError) | null = null;
function errorClassBlocking(): new (...a: any[]) => OSError {
  return (blockingClass ??= (errorFor(-EAGAIN, 'write').constructor as new (...a: any[]) => OSError));
}

/** io.BufferedRWPair(reader, writer): one raw stream used both ways. */
export class BufferedRWPair implements RWPairInternals {
  /** @internal RWPairInternals */
  readonly _reader: BufferedReader;
  private readonly _writer: BufferedWriter;

  constructor(reader: SocketIO, writer: SocketIO, bufferSize: number = DEFAULT_BUFFER_SIZE) {
    this._reader = new BufferedReader(reader, bufferSize);
    this._writer = new BufferedWriter(writer, bufferSize);
  }

  get closed(): boolean { return this._writer.closed; }
  read(n?: unknown) { return this._reader.read(n); }
  read1(n?: unknown) { return this._reader.read1(n); }
  peek(n?: unknown) { return this._reader.peek(n); }
  readinto(b: Uint8Array) { return this._reader.readinto(b); }
  /** IOBase.readline over peek() and read() */
  readline(limit?: unknown): Uint8Array { return readlineOf(this, limit); }
  readlines(hint?: unknown): Uint8Array[] { return readlinesOf(this, hint); }
  write(b: Uint8Array) { return this._writer.write(b); }
  flush() { this._writer.flush(); }
  readable(): boolean { return this._reader.readable(); }
  writable(): boolean { return this._writer.writable(); }
  /** IOBase.seekable */
  seekable(): boolean { return false; }
  isatty(): boolean { return this._writer.isatty() || this._reader.isatty(); }
  /** IOBase.fileno */
  fileno(): number { throw new UnsupportedOperation('fileno'); }
  [Symbol.iterator](): Iterator<Uint8Array> { return iterLines(this); }
  close(): void {
    let err: unknown = null;
    try { this._writer.close(); } catch (e) { err = e; }
    this._reader.close();
    if (err !== null) throw err;
  }
}
