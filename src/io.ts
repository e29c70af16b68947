// Python's io stack as socket.makefile() builds it: SocketIO (raw) under BufferedReader,
// BufferedWriter, BufferedRWPair and TextIOWrapper, with CPython 3.11's results and
// messages. The read buffer lives in core memory, where the kernel fills it (recv straight
// into it, no extra copy); bytes handed to the caller are copied out of it once.
import type { Core } from './core.js';
import { OSError, TimeoutError, ValueError, errorFor } from './errors.js';
import { bytesLike, pyTypeName } from './args.js';
import type { socket } from './socket.js';

export const DEFAULT_BUFFER_SIZE = 8192;

/** io.UnsupportedOperation (an OSError and a ValueError in Python; an OSError here). */
export class UnsupportedOperation extends OSError {}

const EAGAIN = 11;

function closedFile(): ValueError { return new ValueError('I/O operation on closed file.'); }

/** The part of a socket SocketIO uses (socket.ts provides it). */
interface SocketLike {
  _h: number;
  readonly _c: Core;
  fileno(): number;
  recv_into(b: Uint8Array): number;
  send(b: Uint8Array): number;
  _decrefSocketios(): void;
}

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

  /** @internal readinto for a core buffer: the host receives straight into core memory. */
  _readIntoCore(ptr: number, len: number): number | null {
    this._checkReadable();
    if (this._timeoutOccurred) throw new OSError('cannot read from timed out object');
    const s = this._sock!;
    const r = s._c.x.sock_recv(s._h, ptr, 0, len, 0);
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
  read(n: number = -1): Uint8Array | null {
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
      if (data === null || data.length === 0) {
        if (total === 0) return data;
        break;
      }
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

  [Symbol.iterator](): Iterator<Uint8Array> { return lines(this); }
  readline(limit: number = -1): Uint8Array {
    // RawIOBase.readline: byte by byte (IOBase's peek-less path).
    const out: number[] = [];
    while (limit < 0 || out.length < limit) {
      const b = this.read(1);
      if (!b || b.length === 0) break;
      out.push(b[0]);
      if (b[0] === 10) break;
    }
    return Uint8Array.from(out);
  }
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

function* lines(f: { readline(): Uint8Array | string }): Iterator<any> {
  for (;;) {
    const line = f.readline();
    if (line.length === 0) return;
    yield line;
  }
}

/** Frees a BufferedReader's core buffer when the reader is collected unclosed. */
const buffers = new FinalizationRegistry<[Core, number]>(([c, ptr]) => c.x.core_free(ptr));

/** io.BufferedReader over a SocketIO; its buffer is in core memory. */
export class BufferedReader {
  readonly raw: SocketIO;
  private readonly _size: number;
  private readonly _c: Core;
  private _ptr: number;       // core address of the buffer
  private _pos = 0;           // next unread byte
  private _end = 0;           // end of buffered data

  constructor(raw: SocketIO, bufferSize: number = DEFAULT_BUFFER_SIZE) {
    if (typeof bufferSize !== 'number' || !Number.isInteger(bufferSize)) {
      throw new TypeError(`'${pyTypeName(bufferSize)}' object cannot be interpreted as an integer`);
    }
    if (bufferSize <= 0) throw new ValueError('buffer size must be strictly positive');
    this.raw = raw;
    this._size = bufferSize;
    this._c = (raw as unknown as { _sock: SocketLike })._sock!._c;
    this._ptr = this._c.x.core_alloc(bufferSize);
    buffers.register(this, [this._c, this._ptr], this);
  }

  get closed(): boolean { return this.raw.closed; }
  get mode(): string { return this.raw.mode; }
  get name(): number { return this.raw.name; }
  fileno(): number { return this.raw.fileno(); }
  readable(): boolean { return this.raw.readable(); }
  writable(): boolean { return this.raw.writable(); }
  seekable(): boolean { return this.raw.seekable(); }
  isatty(): boolean { return this.raw.isatty(); }

  private get _avail(): number { return this._end - this._pos; }

  /** CHECK_CLOSED: a closed stream still hands out what it had buffered. */
  private _checkClosed(what: string): void {
    if (this.raw.closed && this._avail === 0) throw new ValueError(`${what} of closed file`);
  }

  /** Reads once from the raw stream into the buffer's free tail: bytes, 0 EOF, null none. */
  private _fill(): number | null {
    if (this._pos === this._end) { this._pos = 0; this._end = 0; }
    else if (this._end === this._size) {
      // compact: move the unread tail to the front
      const u8 = this._c.u8;
      u8.copyWithin(this._ptr, this._ptr + this._pos, this._ptr + this._end);
      this._end -= this._pos;
      this._pos = 0;
    }
    const r = this.raw._readIntoCore(this._ptr + this._end, this._size - this._end);
    if (r !== null) this._end += r;
    return r;
  }

  /** Takes n buffered bytes out (a copy the caller owns). */
  private _take(n: number): Uint8Array {
    const out = this._c.copyOut(this._ptr + this._pos, n);
    this._pos += n;
    return out;
  }

  read(n: number = -1): Uint8Array | null {
    if (n === undefined || n === null) n = -1;
    this._checkClosed('read');
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

  read1(n: number = -1): Uint8Array {
    this._checkClosed('read');
    if (n < 0) n = this._size;
    if (n === 0) return new Uint8Array(0);
    if (this._avail > 0) return this._take(Math.min(n, this._avail));
    const r = this._fill();
    if (r === null || r === 0) return new Uint8Array(0);
    return this._take(Math.min(n, this._avail));
  }

  peek(n: number = 0): Uint8Array {
    this._checkClosed('peek');
    if (this._avail === 0) this._fill();
    return this._c.copyOut(this._ptr + this._pos, this._avail);
  }

  readinto(b: Uint8Array | ArrayBufferView): number | null {
    const dst = bytesLike(b);
    if (dst === null) throw new TypeError(`readinto() argument must be read-write bytes-like object, not ${pyTypeName(b)}`);
    const data = this.read(dst.length);
    if (data === null) return null;
    dst.set(data);
    return data.length;
  }

  /** readline(limit): up to and including b'\n' (scanned in core memory). */
  readline(limit: number = -1): Uint8Array {
    if (limit === undefined || limit === null) limit = -1;
    this._checkClosed('readline');
    const base = this._ptr;
    // Fast path: the whole line is already buffered (memchr over core memory).
    const end = limit >= 0 ? Math.min(this._end, this._pos + limit) : this._end;
    const nl = this._c.bytes(base + this._pos, base + end).indexOf(10);
    if (nl >= 0) return this._take(nl + 1);
    if (limit >= 0 && this._avail >= limit) return this._take(limit);
    const chunks: Uint8Array[] = [];
    let got = 0;
    for (;;) {
      if (this._avail > 0) {
        const room = limit >= 0 ? limit - got : Infinity;
        const u = this._c.u8;
        let k = 0, found = false;
        const stop = Math.min(this._avail, room);
        for (; k < stop; k++) if (u[base + this._pos + k] === 10) { k++; found = true; break; }
        const part = this._take(k);
        chunks.push(part);
        got += part.length;
        if (found || (limit >= 0 && got >= limit)) break;
      }
      const r = this._fill();
      if (r === null || r === 0) break;
    }
    return concat(chunks, got);
  }

  readlines(hint: number = -1): Uint8Array[] {
    const out: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const line = this.readline();
      if (line.length === 0) break;
      out.push(line);
      total += line.length;
      if (hint > 0 && total >= hint) break;
    }
    return out;
  }

  [Symbol.iterator](): Iterator<Uint8Array> { return lines(this); }

  flush(): void { if (this.raw.closed) throw new ValueError('flush of closed file'); }

  close(): void {
    if (!this.raw.closed) this.raw.close();
    this._release();     // also when a BufferedRWPair's writer closed the shared raw first
  }

  private _release(): void {
    if (this._ptr !== 0) {
      buffers.unregister(this);
      this._c.x.core_free(this._ptr);
      this._ptr = 0;
      this._pos = this._end = 0;
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
    if (typeof bufferSize !== 'number' || !Number.isInteger(bufferSize)) {
      throw new TypeError(`'${pyTypeName(bufferSize)}' object cannot be interpreted as an integer`);
    }
    if (bufferSize <= 0) throw new ValueError('buffer size must be strictly positive');
    this.raw = raw;
    this._size = bufferSize;
    this._buf = new Uint8Array(bufferSize);
  }

  get closed(): boolean { return this.raw.closed; }
  get mode(): string { return this.raw.mode; }
  get name(): number { return this.raw.name; }
  fileno(): number { return this.raw.fileno(); }
  readable(): boolean { return this.raw.readable(); }
  writable(): boolean { return this.raw.writable(); }
  seekable(): boolean { return this.raw.seekable(); }
  isatty(): boolean { return this.raw.isatty(); }

  /** write(b): buffers b (sending when the buffer fills); returns len(b). */
  write(data: Uint8Array | ArrayBufferView): number {
    if (this.raw.closed) throw new ValueError('write to closed file');
    const b = bytesLike(data);
    if (b === null) throw new TypeError(`a bytes-like object is required, not '${pyTypeName(data)}'`);
    if (this._len + b.length <= this._size) {
      this._buf.set(b, this._len);
      this._len += b.length;
      return b.length;
    }
    // Send what is buffered, then either buffer b or send it straight away.
    this._flushSome(b.length);
    if (this._len + b.length <= this._size) {
      this._buf.set(b, this._len);
      this._len += b.length;
      return b.length;
    }
    let off = 0;
    while (off < b.length) {
      const n = this.raw.write(b.subarray(off));
      if (n === null) {
        // keep what fits in the buffer; report the rest as not written
        const keep = Math.min(this._size - this._len, b.length - off);
        this._buf.set(b.subarray(off, off + keep), this._len);
        this._len += keep;
        off += keep;
        if (off < b.length) throw blocked(off);
        return b.length;
      }
      off += n;
    }
    return b.length;
  }

  private _flushSome(_incoming: number): void {
    let off = 0;
    while (off < this._len) {
      const n = this.raw.write(this._buf.subarray(off, this._len));
      if (n === null) {
        this._buf.copyWithin(0, off, this._len);
        this._len -= off;
        throw blocked(0);
      }
      off += n;
    }
    this._len = 0;
  }

  flush(): void {
    if (this.raw.closed) throw new ValueError('flush of closed file');
    let off = 0;
    while (off < this._len) {
      const n = this.raw.write(this._buf.subarray(off, this._len));
      if (n === null) {
        this._buf.copyWithin(0, off, this._len);
        this._len -= off;
        throw blocked(0);
      }
      off += n;
    }
    this._len = 0;
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
  read(n: number = -1) { return this._reader.read(n); }
  read1(n: number = -1) { return this._reader.read1(n); }
  peek(n: number = 0) { return this._reader.peek(n); }
  readinto(b: Uint8Array) { return this._reader.readinto(b); }
  readline(limit: number = -1) { return this._reader.readline(limit); }
  readlines(hint: number = -1) { return this._reader.readlines(hint); }
  write(b: Uint8Array) { return this._writer.write(b); }
  flush() { this._writer.flush(); }
  readable(): boolean { return this._reader.readable(); }
  writable(): boolean { return this._writer.writable(); }
  seekable(): boolean { return false; }
  isatty(): boolean { return this._writer.isatty(); }
  fileno(): number { return this._reader.fileno(); }
  [Symbol.iterator](): Iterator<Uint8Array> { return lines(this._reader); }
  close(): void {
    try { this._writer.close(); } finally { this._reader.close(); }
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

/**
 * Decodes bytes[0..n) with Python's codec rules and error handlers. Without `final`, an
 * incomplete UTF-8 sequence at the end is left over (its length returned in `rest`).
 */
function decode(codec: Codec, bytes: Uint8Array, errors: string, final: boolean): { text: string; rest: number } {
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
  if (codec === 'utf-8') return new TextEncoder().encode(text);
  const limit = codec === 'ascii' ? 0x80 : 0x100;
  const cps = Array.from(text);
  const out: number[] = [];
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i].codePointAt(0)!;
    if (cp < limit) { out.push(cp); continue; }
    if (errors === 'strict') {
      let j = i;
      while (j < cps.length && cps[j].codePointAt(0)! >= limit) j++;
      const ch = cp <= 0xff ? `\\x${hex2(cp)}` : cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
      const range = codec === 'ascii' ? 'ordinal not in range(128)' : 'ordinal not in range(256)';
      throw new UnicodeEncodeErrorIo(j - i > 1
        ? `'${codec}' codec can't encode characters in position ${i}-${j - 1}: ${range}`
        : `'${codec}' codec can't encode character '${ch}' in position ${i}: ${range}`);
    }
    if (errors === 'replace') out.push(0x3f);
    else if (errors === 'backslashreplace') {
      const esc = cp <= 0xff ? `\\x${hex2(cp)}` : cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
      for (const ch of esc) out.push(ch.charCodeAt(0));
    } else if (errors !== 'ignore') throw new LookupError(`unknown error handler name '${errors}'`);
  }
  return Uint8Array.from(out);
}

/** Python's UnicodeEncodeError for text writes. */
export class UnicodeEncodeErrorIo extends ValueError {
  override get name(): string { return 'UnicodeEncodeError'; }
}

interface ByteStream {
  read(n?: number): Uint8Array | null;
  read1(n?: number): Uint8Array;
  write(b: Uint8Array): number;
  flush(): void;
  close(): void;
  readonly closed: boolean;
  fileno(): number;
  readable(): boolean;
  writable(): boolean;
}

/**
 * io.TextIOWrapper as makefile() builds it: never line-buffered (text is sent on flush() or
 * close()), universal newlines on input when newline is null, '\n' translated on output when
 * newline is '\r' or '\r\n'.
 */
export class TextIOWrapper {
  readonly buffer: ByteStream;
  readonly encoding: string;
  readonly errors: string;
  /** The exact mode string makefile() was given. */
  mode = 'r';
  private readonly _codec: Codec;
  private readonly _newline: string | null;
  private _pending = '';       // decoded, not yet returned
  private _rest: Uint8Array = new Uint8Array(0);   // bytes of an incomplete character
  private _eof = false;
  private _pendingCR = false;  // universal newlines: a '\r' whose '\n' may come next

  constructor(buffer: ByteStream, encoding: string | null = null, errors: string | null = null, newline: string | null = null) {
    if (newline !== null && newline !== undefined && !['', '\n', '\r', '\r\n'].includes(newline)) {
      throw new ValueError(`illegal newline value: ${newline}`);
    }
    this.buffer = buffer;
    this.encoding = encoding ?? 'utf-8';
    this._codec = codecOf(this.encoding);
    this.errors = errors ?? 'strict';
    this._newline = newline ?? null;
  }

  get closed(): boolean { return this.buffer.closed; }
  get name(): unknown { return (this.buffer as unknown as { name: unknown }).name; }
  fileno(): number { return this.buffer.fileno(); }
  readable(): boolean { return this.buffer.readable(); }
  writable(): boolean { return this.buffer.writable(); }
  seekable(): boolean { return false; }

  private _check(): void { if (this.buffer.closed) throw new ValueError('I/O operation on closed file.'); }

  /** Pulls one chunk from the buffer into _pending; false at EOF or when nothing came. */
  private _more(): boolean {
    if (this._eof) return false;
    const chunk = this.buffer.read1(8192);
    let bytes = chunk;
    if (this._rest.length) { bytes = new Uint8Array(this._rest.length + chunk.length); bytes.set(this._rest); bytes.set(chunk, this._rest.length); }
    const final = chunk.length === 0;
    if (final) this._eof = true;
    const { text, rest } = decode(this._codec, bytes, this.errors, final);
    this._rest = rest ? bytes.slice(bytes.length - rest) : new Uint8Array(0);
    this._pending += this._translate(text, final);
    return chunk.length > 0;
  }

  /** Universal newlines (newline None): '\r\n' and '\r' become '\n', across chunks. */
  private _translate(text: string, final: boolean): string {
    if (this._newline !== null) return text;
    if (this._pendingCR) { text = '\r' + text; this._pendingCR = false; }
    if (!final && text.endsWith('\r')) { this._pendingCR = true; text = text.slice(0, -1); }
    return text.replace(/\r\n?/g, '\n');
  }

  read(n: number = -1): string {
    this._check();
    if (n === null || n === undefined || n < 0) {
      while (this._more()) { /* to EOF */ }
      if (!this._eof) this._more();
      const out = this._pending;
      this._pending = '';
      return out;
    }
    while (cpLength(this._pending) < n && this._more()) { /* more */ }
    const [head, tail] = splitCp(this._pending, n);
    this._pending = tail;
    return head;
  }

  readline(size: number = -1): string {
    this._check();
    for (;;) {
      const end = this._lineEnd();
      if (end >= 0 && (size < 0 || cpLength(this._pending.slice(0, end)) <= size)) {
        const line = this._pending.slice(0, end);
        this._pending = this._pending.slice(end);
        return line;
      }
      if (size >= 0 && cpLength(this._pending) >= size) {
        const [head, tail] = splitCp(this._pending, size);
        this._pending = tail;
        return head;
      }
      if (!this._more()) {
        if (!this._eof && this._pending.length === 0) return '';
        const line = this._pending;
        this._pending = '';
        return line;
      }
    }
  }

  /** Where the first line of _pending ends (after its terminator), or -1. */
  private _lineEnd(): number {
    const p = this._pending;
    switch (this._newline) {
      case null: case '\n': { const i = p.indexOf('\n'); return i < 0 ? -1 : i + 1; }
      case '\r': { const i = p.indexOf('\r'); return i < 0 ? -1 : i + 1; }
      case '\r\n': { const i = p.indexOf('\r\n'); return i < 0 ? -1 : i + 2; }
    }
    // newline '': any of \r, \n, \r\n ends a line; a final '\r' may be the start of '\r\n'
    for (let i = 0; i < p.length; i++) {
      const ch = p[i];
      if (ch === '\n') return i + 1;
      if (ch === '\r') {
        if (i + 1 < p.length) return p[i + 1] === '\n' ? i + 2 : i + 1;
        return this._eof ? i + 1 : -1;
      }
    }
    return -1;
  }

  readlines(hint: number = -1): string[] {
    const out: string[] = [];
    let total = 0;
    for (;;) {
      const line = this.readline();
      if (line.length === 0) break;
      out.push(line);
      total += cpLength(line);
      if (hint > 0 && total >= hint) break;
    }
    return out;
  }

  [Symbol.iterator](): Iterator<string> { return lines(this); }

  /** write(s): encodes s into the buffer; returns len(s). Not sent before flush()/close(). */
  write(s: string): number {
    if (this.buffer.closed) throw new ValueError('I/O operation on closed file.');
    if (typeof s !== 'string') throw new TypeError(`write() argument must be str, not ${pyTypeName(s)}`);
    let text = s;
    if (this._newline === '\r' || this._newline === '\r\n') text = text.replace(/\n/g, this._newline);
    this.buffer.write(encode(this._codec, text, this.errors));
    return cpLength(s);
  }

  flush(): void { this._check(); this.buffer.flush(); }

  close(): void {
    if (this.buffer.closed) return;
    try { this.buffer.flush(); } finally { this.buffer.close(); }
  }

  toString(): string { return `<_io.TextIOWrapper name=${String(this.name)} mode='${this.mode}' encoding='${this.encoding}'>`; }
}

function cpLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); if (c < 0xd800 || c > 0xdbff) n++; }
  return n;
}

function splitCp(s: string, n: number): [string, string] {
  let i = 0, k = 0;
  while (i < s.length && k < n) { const c = s.charCodeAt(i); i += c >= 0xd800 && c <= 0xdbff ? 2 : 1; k++; }
  return [s.slice(0, i), s.slice(i)];
}
