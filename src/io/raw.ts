// socket.SocketIO (Lib/socket.py): the raw stream makefile() puts under its buffered and
// text layers. Reads receive into the caller's buffer, or straight into a BufferedReader's
// pool (_readIntoPool); "would block" is None (null), a timeout poisons further reads.
import type { Core } from '../core.js';
import { OSError, TimeoutError, ValueError, errorFor } from '../errors.js';
import type { socket } from '../socket.js';
import type { RawInternals } from './internals.js';
import { ALLOC_MAX } from '../generated/contract.js';
import { DEFAULT_BUFFER_SIZE, UnsupportedOperation, EAGAIN, closedFile, ssizeArg, iterLines, readlinesOf, readlineOf, concat } from './base.js';

/** The part of a socket SocketIO uses (socket.ts provides it). */
interface SocketLike {
  _h: number;
  readonly _c: Core;
  fileno(): number;
  gettimeout(): number | null;
  recv_into(b: Uint8Array): number;
  send(b: Uint8Array): number;
  _decrefSocketios(): void;
}

/** socket.SocketIO: a raw stream over a socket (socket.py). */
export class SocketIO implements RawInternals {
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
    this._sock = sock;
    this._mode = mode.includes('b') ? mode : mode + 'b';
    this._reading = mode.includes('r');
    this._writing = mode.includes('w');
  }

  get closed(): boolean { return this._closed; }
  get mode(): string { return this._mode; }
  get name(): number { return this._closed ? -1 : this.fileno(); }

  /** @internal RawInternals */
  _nonBlocking(): boolean {
    const s = this._sock;
    return s !== null && s.gettimeout() === 0;
  }

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
    // no socket receive reaches anyway (CPython's ssize_t read gets the same bytes). Through
    // core memory (a host without js_buffers) the window is at most one staging block
    // (ALLOC_MAX, 1 GiB - 4 KiB), which no receive fills either.
    const n = len > 0x7fffffff ? 0x7fffffff : len;
    // A js_buffers host receives into the pool itself; any other through core memory.
    const staged = n > ALLOC_MAX ? ALLOC_MAX : n;
    const at = j === null ? c.area(staged) : 0;
    const r = j !== null ? c.x.sock_recv(s._h, j.lend(pool), off, n, 0, 1) : c.x.sock_recv(s._h, at, 0, staged, 0, 0);
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
