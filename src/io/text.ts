// io.TextIOWrapper as makefile() builds it (Lib/_pyio.py's TextIOWrapper over a buffered
// stream), decoding and encoding through ./codecs.ts.
import { ValueError } from '../errors.js';
import { pyTypeName } from '../args.js';
import { UnsupportedOperation, EMPTY, closedFile, ssizeArg, optSsizeArg, iterLines, readlinesOf, concat } from './base.js';
import type { TextInternals } from './internals.js';
import { type Codec, codecOf, decode, encode, cpLength, splitCp } from './codecs.js';

export interface ByteStream {
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
  /** What TextIOWrapper.name reports (a makefile() buffer's fd; undefined for a pair). */
  readonly name?: unknown;
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
export class TextIOWrapper implements TextInternals {
  readonly buffer: ByteStream;
  readonly encoding: string;
  readonly errors: string;
  /** The exact mode string makefile() was given. */
  mode = 'r';
  private readonly _codec: Codec;
  private readonly _readuniversal: boolean;
  private readonly _readtranslate: boolean;
  /** @internal TextInternals */
  readonly _readnl: string | null;
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
  get name(): unknown { return this.buffer.name; }
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

  /** @internal TextInternals: the decoder (with IncrementalNewlineDecoder in universal mode). */
  _decode(input: Uint8Array | null, final: boolean): string {
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

  /** @internal TextInternals: up to n decoded chars (all when n < 0). */
  _getDecoded(n: number): string {
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
