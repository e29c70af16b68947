// Python's io stack as socket.makefile() builds it: SocketIO (raw) under BufferedReader,
// BufferedWriter, BufferedRWPair and TextIOWrapper, with CPython 3.11's results and
// messages. The read buffer lives in a JavaScript ArrayBuffer the kernel fills directly
// (the host hands its storage to recv, no extra copy), and bytes handed to the caller are
// views of it: no copy at all (see BufferedReader).
import { ownBytes, type Core } from './core.js';
import { OSError, OverflowError, MemoryError, TimeoutError, ValueError, UnicodeEncodeError, errorFor } from './errors.js';
import { bytesLike, pyTypeName } from './args.js';
import type { socket } from './socket.js';

export const DEFAULT_BUFFER_SIZE = 8192;

/** io.UnsupportedOperation (an OSError and a ValueError in Python; an OSError here). */
export class UnsupportedOperation extends OSError {}

const EAGAIN = 11;
const EMPTY = new Uint8Array(0);

function closedFile(): ValueError { return new ValueError('I/O operation on closed file.'); }

/** A Py_ssize_t argument (argument clinic): None is a TypeError. */
function ssizeArg(v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' && Number.isInteger(v) && (v !== 0 || 1 / v > 0)) return v;   // -0 is a float
  throw new TypeError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`);
}

/** _Py_convert_optional_to_ssize_t: None means -1. */
function optSsizeArg(v: unknown): number {
  if (v === undefined || v === null) return -1;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' && Number.isInteger(v) && (v !== 0 || 1 / v > 0)) return v;   // -0 is a float
  throw new TypeError(`argument should be integer or None, not '${pyTypeName(v)}'`);
}

/** The part of a socket SocketIO uses (socket.ts provides it). */
interface SocketLike {
  _h: number;
  readonly _c: Core;
  fileno(): number;
  recv_into(b: Uint8Array): number;
  send(b: Uint8Array): number;
  _decrefSocketios(): void;
}

// ---------------------------------------------------------------- IOBase's generic methods

interface LineSource {
  readonly closed: boolean;
  readline(limit?: unknown): Uint8Array | string;
  [Symbol.iterator](): Iterator<Uint8Array | string>;
}

/** IOBase.__iter__ + __next__: the closed check comes first, then readline() until empty. */
function iterLines<T extends Uint8Array | string>(f: { readonly closed: boolean; readline(): T }): Iterator<T> {
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
function readlinesOf<T extends Uint8Array | string>(f: LineSource, hintArg: unknown): T[] {
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
function readlineOf(f: { read(n: number): unknown; peek?(n: number): unknown }, limitArg: unknown): Uint8Array {
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

// ---------------------------------------------------------------- raw

/** socket.SocketIO: a raw stream over a socket (socket.py). */
export class SocketIO {
  private _sock: SocketLike | null;
  private readonly _mode: string;
  private readonly _reading: boolean;
  private readonly _writing: boolean;
  private _timeoutOccurred = false;
  private _closed = false;

  constructor(sock: socket, mode: string) {
    if (!['r', 'w', 'rw', 'rb', 'wb', 'rwb'].includes(mode as string)) {
      throw new ValueError(`invalid mode: ${pyRepr(mode)}`);
    }
    this._sock = sock as unknown as SocketLike;
    this._mode = mode.includes('b') ? mode : mode + 'b';
    this._reading = mode.includes('r');
    this._writing = mode.includes('w');
  }

  get closed(): boolean { return this._closed; }
  get mode(): string { return this._mode; }
  get name(): number { return this._closed ? -1 : this.fileno(); }

  /** @internal the core the socket lives in */
  get _core(): Core { return this._sock!._c; }

  /** readinto(b): bytes read, 0 at EOF, null when a non-blocking socket has nothing. */
  readinto(b: Uint8Array): number | null {
    this._checkReadable();
    if (this._timeoutOccurred) throw new OSError('cannot read from timed out object');
    try {
      return this._sock!.recv_into(b);
    } catch (e) {
      return this._recvFailed(e);
    }
  }

  /** @internal readinto for a reader's pool: the host receives straight into it. */
  _readIntoPool(pool: Uint8Array, off: number, len: number): number | null {
    this._checkReadable();
    if (this._timeoutOccurred) throw new OSError('cannot read from timed out object');
    const s = this._sock!, c = s._c, j = c.jsb;
    // The core takes a C int: a window of 2**31 bytes or more asks for 2**31 - 1, which
    // no socket receive reaches anyway (CPython's ssize_t read gets the same bytes).
    const n = len > 0x7fffffff ? 0x7fffffff : len;
    // A js_buffers host receives into the pool itself; any other through core memory.
    const at = j === null ? c.area(n) : 0;
    const r = j !== null ? c.x.sock_recv(s._h, j.lend(pool), off, n, 0, 1) : c.x.sock_recv(s._h, at, 0, n, 0, 0);
    if (r > 0 && j === null) pool.set(c.u8.subarray(at, at + r), off);
    if (r >= 0) return r;
    return this._recvFailed(errorFor(r, 'recv_into', s._c));
  }

  private _recvFailed(e: unknown): null {
    if (e instanceof TimeoutError && e.errno === null) { this._timeoutOccurred = true; throw e; }
    if (e instanceof OSError && e.errno === EAGAIN) return null;
    throw e;
  }

  /** write(b): bytes sent (maybe fewer), null when a non-blocking socket is full. */
  write(b: Uint8Array | ArrayBufferView): number | null {
    if (this._closed) throw closedFile();
    if (!this._writing) throw new UnsupportedOperation('File or stream is not writable.');
    try {
      return this._sock!.send(b as Uint8Array);
    } catch (e) {
      if (e instanceof OSError && e.errno === EAGAIN) return null;
      throw e;
    }
  }

  /** RawIOBase.read(n=-1) */
  read(size?: unknown): Uint8Array | null {
    const n = ssizeArg(size, -1);
    if (n < 0) return this.readall();
    const b = new Uint8Array(n);
    const r = this.readinto(b);
    if (r === null) return null;
    return r === n ? b : b.slice(0, r);
  }

  /** RawIOBase.readall(): to EOF; null if nothing came before the socket would block. */
  readall(): Uint8Array | null {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const data = this.read(DEFAULT_BUFFER_SIZE);
      if (data === null) {
        if (chunks.length === 0) return null;
        break;
      }
      if (data.length === 0) break;
      chunks.push(data);
      total += data.length;
    }
    return concat(chunks, total);
  }

  readable(): boolean {
    if (this._closed) throw new ValueError('I/O operation on closed socket.');
    return this._reading;
  }
  writable(): boolean {
    if (this._closed) throw new ValueError('I/O operation on closed socket.');
    return this._writing;
  }
  seekable(): boolean {
    if (this._closed) throw new ValueError('I/O operation on closed socket.');
    return false;
  }
  isatty(): boolean {
    if (this._closed) throw closedFile();
    return false;
  }
  fileno(): number {
    if (this._closed) throw closedFile();
    return this._sock!.fileno();
  }
  flush(): void {
    if (this._closed) throw closedFile();
  }

  /** Closes the file; the socket loses one makefile reference (and may close for real). */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    const s = this._sock!;
    this._sock = null;
    s._decrefSocketios();
  }

  private _checkReadable(): void {
    if (this._closed) throw closedFile();
    if (!this._reading) throw new UnsupportedOperation('File or stream is not readable.');
  }

  [Symbol.iterator](): Iterator<Uint8Array> { return iterLines(this); }
  /** IOBase.readline: byte by byte (a raw stream has no peek). */
  readline(limit?: unknown): Uint8Array { return readlineOf(this, limit); }
  readlines(hint?: unknown): Uint8Array[] { return readlinesOf(this, hint); }
}

function pyRepr(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (v instanceof Uint8Array) return `b'${String.fromCharCode(...v)}'`;
  if (v === null || v === undefined) return 'None';
  return String(v);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

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
  private _pbuf: Buffer = Buffer.alloc(0);   // the same bytes, for Buffer's native indexOf and copy
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
    this._pbuf = Buffer.from(pool);
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
export class BufferedRWPair {
  private readonly _reader: BufferedReader;
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

// ---------------------------------------------------------------- text

/** Python's UnicodeDecodeError (a ValueError). */
export class UnicodeDecodeError extends ValueError {
  override get name(): string { return 'UnicodeDecodeError'; }
}
/** Python's LookupError (unknown encodings). */
export class LookupError extends Error {
  override get name(): string { return 'LookupError'; }
}

type Codec = 'utf-8' | 'latin-1' | 'ascii';
const CODECS: Record<string, Codec> = {
  'utf-8': 'utf-8', utf8: 'utf-8', 'utf_8': 'utf-8', u8: 'utf-8',
  'latin-1': 'latin-1', latin1: 'latin-1', 'latin_1': 'latin-1', 'iso-8859-1': 'latin-1', 'iso8859-1': 'latin-1', l1: 'latin-1',
  ascii: 'ascii', 'us-ascii': 'ascii', 'us_ascii': 'ascii',
};

function codecOf(encoding: string): Codec {
  const c = CODECS[encoding.toLowerCase().replace(/ /g, '_')];
  if (!c) throw new LookupError(`unknown encoding: ${encoding}`);
  return c;
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes bytes[0..n) with Python's codec rules and error handlers. Valid input (every
 * handler gives the same text for it) goes through the native decoders; anything else,
 * and every error message, through decodeExact().
 */
function decode(codec: Codec, bytes: Uint8Array, errors: string, final: boolean): { text: string; rest: number } {
  const n = bytes.length;
  if (codec === 'latin-1') {
    return { text: Buffer.from(bytes.buffer, bytes.byteOffset, n).toString('latin1'), rest: 0 };
  }
  let cut = n;
  if (codec === 'utf-8' && !final) cut = completePrefix(bytes);
  if (cut < n) {
    // The tail must be the valid start of a character, or Python reports it now.
    try {
      if (decodeExact(codec, bytes.subarray(cut), 'strict', false).rest !== n - cut) cut = -1;
    } catch { cut = -1; }
  }
  if (cut >= 0) {
    let text: string | null = null;
    try { text = UTF8.decode(cut === n ? bytes : bytes.subarray(0, cut)); } catch { /* invalid */ }
    if (text !== null && (codec === 'utf-8' || text.length === cut)) return { text, rest: n - cut };
  }
  return decodeExact(codec, bytes, errors, final);
}

/** Where the bytes stop holding only whole UTF-8 sequences (a cut inside the last one). */
function completePrefix(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const b = bytes[i];
    if (b < 0x80) return n;
    if (b >= 0xc0) return i + (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) <= n ? n : i;
  }
  return n;
}

/**
 * Decodes bytes[0..n) with Python's codec rules and error handlers, byte by byte. Without
 * `final`, an incomplete UTF-8 sequence at the end is left over (its length in `rest`).
 */
function decodeExact(codec: Codec, bytes: Uint8Array, errors: string, final: boolean): { text: string; rest: number } {
  let out = '';
  const n = bytes.length;
  const fail = (start: number, end: number, reason: string): void => {
    if (errors === 'strict') {
      const where = end - start === 1 ? `byte 0x${hex2(bytes[start])} in position ${start}` : `bytes in position ${start}-${end - 1}`;
      throw new UnicodeDecodeError(`'${codec}' codec can't decode ${where}: ${reason}`);
    }
    if (errors === 'replace') out += '\ufffd';
    else if (errors === 'backslashreplace') for (let k = start; k < end; k++) out += `\\x${hex2(bytes[k])}`;
    else if (errors !== 'ignore' && errors !== 'surrogateescape') throw new LookupError(`unknown error handler name '${errors}'`);
    else if (errors === 'surrogateescape') for (let k = start; k < end; k++) out += String.fromCharCode(0xdc00 + bytes[k]);
  };
  if (codec === 'latin-1') {
    for (let i = 0; i < n; i++) out += String.fromCharCode(bytes[i]);
    return { text: out, rest: 0 };
  }
  if (codec === 'ascii') {
    for (let i = 0; i < n; i++) {
      if (bytes[i] < 0x80) out += String.fromCharCode(bytes[i]);
      else fail(i, i + 1, 'ordinal not in range(128)');
    }
    return { text: out, rest: 0 };
  }
  let i = 0;
  while (i < n) {
    const b0 = bytes[i];
    if (b0 < 0x80) { out += String.fromCharCode(b0); i++; continue; }
    let need: number, lo = 0x80, hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
    else if (b0 >= 0xe0 && b0 <= 0xef) { need = 2; if (b0 === 0xe0) lo = 0xa0; if (b0 === 0xed) hi = 0x9f; }
    else if (b0 >= 0xf0 && b0 <= 0xf4) { need = 3; if (b0 === 0xf0) lo = 0x90; if (b0 === 0xf4) hi = 0x8f; }
    else { fail(i, i + 1, 'invalid start byte'); i++; continue; }
    let k = 1, cp = b0 & (0x3f >> need);
    for (; k <= need; k++) {
      if (i + k >= n) break;
      const b = bytes[i + k];
      if (b < (k === 1 ? lo : 0x80) || b > (k === 1 ? hi : 0xbf)) break;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (k > need) { out += String.fromCodePoint(cp); i += k; continue; }
    // ED A0..BF (a surrogate's start) cut by the end of the data waits for more, as in
    // CPython: its decoder checks surrogates only on the whole sequence (for surrogatepass).
    if (!final && b0 === 0xed && k === 1 && i + 2 === n && bytes[i + 1] >= 0xa0 && bytes[i + 1] <= 0xbf) {
      return { text: out, rest: n - i };
    }
    if (i + k >= n) {                       // ran out of data inside a sequence
      if (!final) return { text: out, rest: n - i };
      fail(i, n, 'unexpected end of data');
      i = n;
      continue;
    }
    fail(i, i + k, 'invalid continuation byte');
    i += k;
  }
  return { text: out, rest: 0 };
}

/** Encodes text with Python's codec rules and error handlers. */
function encode(codec: Codec, text: string, errors: string): Uint8Array {
  if (codec === 'utf-8' && !/\p{Cs}/u.test(text)) return new TextEncoder().encode(text);
  const limit = codec === 'ascii' ? 0x80 : 0x100;
  const bad = codec === 'utf-8' ? (cp: number) => cp >= 0xd800 && cp <= 0xdfff : (cp: number) => cp >= limit;
  const cps = Array.from(text);
  const out: number[] = [];
  const put = (cp: number): void => {
    if (codec !== 'utf-8' || cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  };
  const esc = (cp: number): string => cp <= 0xff ? `\\x${hex2(cp)}` : cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i].codePointAt(0)!;
    if (!bad(cp)) { put(cp); continue; }
    let j = i;
    while (j < cps.length && bad(cps[j].codePointAt(0)!)) j++;
    const fail = (): never => {
      const reason = codec === 'utf-8' ? 'surrogates not allowed' : codec === 'ascii' ? 'ordinal not in range(128)' : 'ordinal not in range(256)';
      throw new UnicodeEncodeError(j - i > 1
        ? `'${codec}' codec can't encode characters in position ${i}-${j - 1}: ${reason}`
        : `'${codec}' codec can't encode character '${esc(cp)}' in position ${i}: ${reason}`);
    };
    const run = cps.slice(i, j).map((c) => c.codePointAt(0)!);
    switch (errors) {
      case 'strict': fail(); break;
      case 'replace': for (const _ of run) out.push(0x3f); break;
      case 'ignore': break;
      case 'backslashreplace': for (const c of run) for (const ch of esc(c)) out.push(ch.charCodeAt(0)); break;
      case 'xmlcharrefreplace': for (const c of run) for (const ch of `&#${c};`) out.push(ch.charCodeAt(0)); break;
      case 'surrogateescape':
        if (run.some((c) => c < 0xdc80 || c > 0xdcff)) fail();
        for (const c of run) out.push(c - 0xdc00);
        break;
      case 'surrogatepass':
        if (codec !== 'utf-8') fail();
        for (const c of run) put(c);
        break;
      default: throw new LookupError(`unknown error handler name '${errors}'`);
    }
    i = j - 1;
  }
  return Uint8Array.from(out);
}

interface ByteStream {
  read(n?: unknown): Uint8Array | null;
  read1(n?: unknown): Uint8Array;
  write(b: Uint8Array): number;
  flush(): void;
  close(): void;
  readonly closed: boolean;
  fileno(): number;
  readable(): boolean;
  writable(): boolean;
  seekable(): boolean;
  isatty(): boolean;
}

/** TextIOWrapper's _CHUNK_SIZE: pending text bytes kept before they go to the buffer. */
const CHUNK_SIZE = 8192;

/** A 'str or None' argument of TextIOWrapper(). */
function strOrNone(name: string, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw new TypeError(`TextIOWrapper() argument '${name}' must be str or None, not ${pyTypeName(v)}`);
  return v;
}

/**
 * io.TextIOWrapper as makefile() builds it: never line-buffered (written text waits in the
 * wrapper, up to _CHUNK_SIZE bytes, then in the buffer, until flush() or close()), universal
 * newlines on input when newline is null, '\n' translated on output when newline is '\r' or
 * '\r\n'.
 */
export class TextIOWrapper {
  readonly buffer: ByteStream;
  readonly encoding: string;
  readonly errors: string;
  /** The exact mode string makefile() was given. */
  mode = 'r';
  private readonly _codec: Codec;
  private readonly _readuniversal: boolean;
  private readonly _readtranslate: boolean;
  private readonly _readnl: string | null;
  private readonly _writenl: string | null;
  private readonly _hasDecoder: boolean;
  private readonly _hasEncoder: boolean;
  private _decoded = '';       // decoded chars not yet returned
  private _rest: Uint8Array = EMPTY;   // bytes of an incomplete character
  private _pendingCR = false;  // IncrementalNewlineDecoder: a '\r' whose '\n' may come next
  private _lastInputLen = 0;  // the last chunk, for b2cratio (computed only when read(n) asks)
  private _lastChunk = '';
  private _pendingBytes: Uint8Array[] = [];    // encoded text not yet passed to the buffer
  private _pendingCount = 0;

  constructor(buffer: ByteStream, encoding: unknown = null, errors: unknown = null, newline: unknown = null) {
    const enc = strOrNone('encoding', encoding);
    const nl = strOrNone('newline', newline);
    if (errors !== null && errors !== undefined && typeof errors !== 'string') {
      throw new TypeError(`TextIOWrapper() argument 'errors' must be str or None, not ${pyTypeName(errors)}`);
    }
    if (nl !== null && !['', '\n', '\r', '\r\n'].includes(nl)) {
      throw new ValueError(`illegal newline value: ${nl}`);
    }
    this.buffer = buffer;
    this.encoding = enc ?? 'utf-8';
    this._codec = codecOf(this.encoding);
    this.errors = (errors as string | null | undefined) ?? 'strict';
    this._readuniversal = nl === null || nl === '';
    this._readtranslate = nl === null;
    this._readnl = nl;
    this._writenl = !this._readuniversal && nl !== '\n' ? nl : null;
    this._hasDecoder = buffer.readable();
    this._hasEncoder = buffer.writable();
  }

  get closed(): boolean { return this.buffer.closed; }
  get name(): unknown { return (this.buffer as unknown as { name: unknown }).name; }
  fileno(): number { return this.buffer.fileno(); }
  readable(): boolean { return this.buffer.readable(); }
  writable(): boolean { return this.buffer.writable(); }
  seekable(): boolean { return this.buffer.seekable(); }
  isatty(): boolean { return this.buffer.isatty(); }

  private _checkClosed(): void { if (this.buffer.closed) throw closedFile(); }

  /** _textiowrapper_writeflush: the pending text goes to the buffer (dropped if that fails). */
  private _writeflush(): void {
    if (this._pendingBytes.length === 0) return;
    const b = concat(this._pendingBytes, this._pendingCount);
    this._pendingBytes = [];
    this._pendingCount = 0;
    this.buffer.write(b);
  }

  /** The decoder (with IncrementalNewlineDecoder in universal mode). */
  private _decode(input: Uint8Array | null, final: boolean): string {
    if (input === null) {
      throw new TypeError(this._codec === 'utf-8' ? "can't concat NoneType to bytes" : "a bytes-like object is required, not 'NoneType'");
    }
    let bytes = input;
    if (this._rest.length) {
      bytes = new Uint8Array(this._rest.length + input.length);
      bytes.set(this._rest);
      bytes.set(input, this._rest.length);
    }
    const { text, rest } = decode(this._codec, bytes, this.errors, final);
    this._rest = rest ? bytes.slice(bytes.length - rest) : EMPTY;
    if (!this._readuniversal) return text;
    let out = text;
    if (this._pendingCR && (final || out.length > 0)) { out = '\r' + out; this._pendingCR = false; }
    if (!final && out.endsWith('\r')) { out = out.slice(0, -1); this._pendingCR = true; }
    return this._readtranslate && out.indexOf('\r') >= 0 ? out.replace(/\r\n?/g, '\n') : out;
  }

  /** Up to n decoded chars (all when n < 0). */
  private _getDecoded(n: number): string {
    if (n < 0) { const s = this._decoded; this._decoded = ''; return s; }
    const [head, tail] = splitCp(this._decoded, n);
    this._decoded = tail;
    return head;
  }

  /** CPython's b2cratio: bytes per character of the last chunk (0 when it had none). */
  private _b2cratio(): number {
    const nchars = cpLength(this._lastChunk);
    return nchars > 0 ? this._lastInputLen / nchars : 0;
  }

  /** textiowrapper_read_chunk: one read1() decoded into _decoded; false at EOF (or no data). */
  private _readChunk(sizeHint: number): boolean {
    if (!this._hasDecoder) throw new UnsupportedOperation('not readable');
    if (sizeHint > 0) sizeHint = Math.trunc(Math.max(this._b2cratio(), 1.0) * sizeHint);
    const input = this.buffer.read1(Math.max(CHUNK_SIZE, sizeHint));
    if (!(input instanceof Uint8Array)) {
      throw new TypeError(`underlying read1() should have returned a bytes object, not '${pyTypeName(input)}'`);
    }
    let eof = input.length === 0;
    const decoded = this._decode(input, eof);
    this._lastInputLen = input.length;
    this._lastChunk = decoded;
    if (decoded.length > 0) eof = false;
    this._decoded = decoded;
    return !eof;
  }

  read(size?: unknown): string {
    const n = optSsizeArg(size);
    this._checkClosed();
    if (!this._hasDecoder) throw new UnsupportedOperation('not readable');
    this._writeflush();
    if (n < 0) {
      const decoded = this._decode(this.buffer.read(), true);
      const result = this._getDecoded(-1);
      return result + decoded;
    }
    let result = this._getDecoded(n);
    let remaining = n - cpLength(result);
    while (remaining > 0) {
      if (!this._readChunk(remaining)) break;
      const more = this._getDecoded(remaining);
      result += more;
      remaining -= cpLength(more);
    }
    return result;
  }

  /** Where a line ends in s (after its terminator), or -1 with the chars that can be set aside. */
  private _findLineEnding(s: string): { end: number; consumed: number } {
    if (this._readtranslate) {
      const i = s.indexOf('\n');
      return { end: i < 0 ? -1 : i + 1, consumed: s.length };
    }
    if (this._readuniversal) {
      for (let i = 0; i < s.length; i++) {
        const ch = s.charCodeAt(i);
        if (ch === 10) return { end: i + 1, consumed: 0 };
        if (ch === 13) return { end: s.charCodeAt(i + 1) === 10 ? i + 2 : i + 1, consumed: 0 };
      }
      return { end: -1, consumed: s.length };
    }
    const nl = this._readnl!;
    const i = s.indexOf(nl);
    if (i >= 0) return { end: i + nl.length, consumed: 0 };
    if (nl.length > 1 && s.endsWith(nl[0])) return { end: -1, consumed: s.length - 1 };
    return { end: -1, consumed: s.length };
  }

  /** _textiowrapper_readline */
  readline(size?: unknown): string {
    const limit = ssizeArg(size, -1);
    this._checkClosed();
    this._writeflush();
    let chunks = '';
    let chunked = 0;
    let remaining = '';
    for (;;) {
      let res = true;
      while (this._decoded.length === 0) {
        res = this._readChunk(0);
        if (!res) break;
      }
      if (!res) {         // end of file
        this._decoded = '';
        return chunks + remaining;
      }
      const line = remaining + this._decoded;
      remaining = '';
      const { end, consumed } = this._findLineEnding(line);
      let endpos = end >= 0 ? end : consumed;
      const cut = limit >= 0 && cpLength(line.slice(0, endpos)) + chunked >= limit;
      if (end >= 0 || cut) {
        if (cut) endpos = splitCp(line, limit - chunked)[0].length;
        this._decoded = line.slice(endpos);
        return chunks + line.slice(0, endpos);
      }
      if (endpos > 0) {
        const s = line.slice(0, endpos);
        chunks += s;
        chunked += cpLength(s);
      }
      remaining = line.slice(endpos);
      this._decoded = '';
    }
  }

  readlines(hint?: unknown): string[] { return readlinesOf(this, hint); }

  [Symbol.iterator](): Iterator<string> { return iterLines(this); }

  /** write(s): encodes s; the bytes wait (up to _CHUNK_SIZE) before going to the buffer. */
  write(s: string): number {
    if (typeof s !== 'string') throw new TypeError(`write() argument must be str, not ${pyTypeName(s)}`);
    this._checkClosed();
    if (!this._hasEncoder) throw new UnsupportedOperation('not writable');
    const textlen = cpLength(s);
    const text = this._writenl !== null && s.includes('\n') ? s.replace(/\n/g, this._writenl) : s;
    const b = encode(this._codec, text, this.errors);
    if (this._pendingCount + b.length > CHUNK_SIZE) this._writeflush();
    this._pendingBytes.push(b);
    this._pendingCount += b.length;
    if (this._pendingCount >= CHUNK_SIZE) this._writeflush();
    // a write drops the decoded text read ahead and resets the decoder
    this._decoded = '';
    this._rest = EMPTY;
    this._pendingCR = false;
    return textlen;
  }

  flush(): void {
    this._checkClosed();
    this._writeflush();
    this.buffer.flush();
  }

  close(): void {
    if (this.buffer.closed) return;
    let err: unknown = null;
    try { this.flush(); } catch (e) { err = e; }
    this.buffer.close();
    if (err !== null) throw err;
  }

  toString(): string { return `<_io.TextIOWrapper name=${String(this.name)} mode='${this.mode}' encoding='${this.encoding}'>`; }
}

/** len(s) in code points (a lone surrogate counts as one, as in Python). */
const SURROGATE = /[\ud800-\udfff]/;

function cpLength(s: string): number {
  let n = s.length;
  if (!SURROGATE.test(s)) return n;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; }
    }
  }
  return n;
}

function splitCp(s: string, n: number): [string, string] {
  let i = 0, k = 0;
  while (i < s.length && k < n) {
    const c = s.charCodeAt(i), d = s.charCodeAt(i + 1);
    i += c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
    k++;
  }
  return [s.slice(0, i), s.slice(i)];
}

// ---------------------------------------------------------------- makefile()'s types

/** makefile()'s keyword arguments (text files only; Python rejects them for binary files). */
export interface MakefileOptions { encoding?: string | null; errors?: string | null; newline?: string | null }

// The mode strings, by the file makefile() builds for them. makefile() looks at set(mode), so
// order does not matter; other strings of r, w and b (repeats, such as 'rrb') fall to the
// general signature, and any other character is a ValueError at run time.
/** Binary, read only: a BufferedReader ('b' alone reads, as in Python). */
export type ReadBinaryMode = 'rb' | 'br' | 'b';
/** Binary, write only: a BufferedWriter. */
export type WriteBinaryMode = 'wb' | 'bw';
/** Binary, both ways: a BufferedRWPair. */
export type ReadWriteBinaryMode = 'rwb' | 'rbw' | 'wrb' | 'wbr' | 'brw' | 'bwr';
/** Text (the default 'r'): a TextIOWrapper over the matching buffered file. */
export type TextMode = 'r' | 'w' | 'rw' | 'wr' | '';

/**
 * A binary makefile()'s result for buffering B: buffering 0 gives the raw SocketIO; a B that
 * may be 0 (a plain `number`) may give either, so the type says so rather than guess.
 */
export type BufferedOrRaw<B, File> = [B] extends [0] ? SocketIO : 0 extends B ? File | SocketIO : File;
