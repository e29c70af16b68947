// Node stream adapters for makefile()'s file objects: toReadable(file) and toWritable(file).
//
// The file objects are synchronous, as Python's are: on a blocking socket (timeout None, or a
// timeout > 0) a read or write waits inside the call, and so does Node's event loop. On a
// non-blocking socket (timeout 0, `sock.setblocking(false)`) the adapters never wait inside
// a call: "would block" (a null read, BlockingIOError from a write or flush) makes them try
// again later, first on setImmediate, then on timers backing off to `maxPollDelay` ms. Node
// has no public way to watch an arbitrary fd for readiness (libuv's uv_poll is not exposed),
// and reading the fd behind the file's back would bypass the core and the file's buffer, so
// retrying is the readiness signal (docs/decisions.md, "Node streams").
import { Readable, Writable } from 'node:stream';
import { BlockingIOError, OSError } from './errors.js';
import { pyTypeName } from './args.js';
import { SocketIO, BufferedReader, BufferedWriter, BufferedRWPair, TextIOWrapper, UnsupportedOperation } from './io.js';
// Members used beyond Python's io API (_nonBlocking, _reader, _decode, _getDecoded, _readnl)
// are the ones src/io/internals.ts declares and the io classes implement.
import type { ByteStream } from './io/text.js';

/** A file object socket.makefile() returns. */
export type FileObject = SocketIO | BufferedReader | BufferedWriter | BufferedRWPair | TextIOWrapper;

export interface StreamAdapterOptions {
  /** Node's highWaterMark (bytes; characters for a text Readable). Default: Node's. */
  highWaterMark?: number;
  /** Close the file object when the stream is destroyed (also after end/finish). Default true. */
  autoClose?: boolean;
  /** Longest wait (ms) between retries on a non-blocking socket with nothing to do. Default 10. */
  maxPollDelay?: number;
  signal?: AbortSignal;
}

// ---------------------------------------------------------------- the file's layers

type ByteLayer = SocketIO | BufferedReader | BufferedWriter | BufferedRWPair;

interface Layers {
  text: TextIOWrapper | null;
  bytes: ByteLayer;
  raw: SocketIO;
  reads: boolean;
  writes: boolean;
}

function layersOf(file: unknown): Layers {
  const text = file instanceof TextIOWrapper ? file : null;
  const bytes: unknown = text ? text.buffer : file;
  if (bytes instanceof SocketIO) {
    const m = bytes.mode;
    return { text, bytes, raw: bytes, reads: m.includes('r'), writes: m.includes('w') };
  }
  if (bytes instanceof BufferedReader) return { text, bytes, raw: bytes.raw, reads: true, writes: false };
  if (bytes instanceof BufferedWriter) return { text, bytes, raw: bytes.raw, reads: false, writes: true };
  if (bytes instanceof BufferedRWPair) {
    return { text, bytes, raw: bytes._reader.raw, reads: true, writes: true };
  }
  throw new TypeError(`expected a file object from socket.makefile(), not '${pyTypeName(file)}'`);
}

/** Retries after "would block": setImmediate first, then timers doubling up to max ms. */
class Retry {
  private delay = 0;
  private timeout: ReturnType<typeof setTimeout> | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;
  constructor(private readonly max: number) {}

  later(fn: () => void): void {
    const d = this.delay;
    this.delay = d === 0 ? 1 : Math.min(d * 2, this.max);
    if (d === 0) this.immediate = setImmediate(() => { this.immediate = null; fn(); });
    else this.timeout = setTimeout(() => { this.timeout = null; fn(); }, d);
  }
  /** Progress was made: the next wait starts short again. */
  reset(): void { this.delay = 0; }
  cancel(): void {
    if (this.immediate !== null) { clearImmediate(this.immediate); this.immediate = null; }
    if (this.timeout !== null) { clearTimeout(this.timeout); this.timeout = null; }
  }
}

function maxDelay(o: StreamAdapterOptions): number {
  const d = o.maxPollDelay ?? 10;
  if (typeof d !== 'number' || !(d >= 1)) throw new RangeError(`maxPollDelay must be a number >= 1, not ${String(d)}`);
  return d;
}

/** Closes the file for _destroy: the stream's own error wins over one from close(). */
function closeFile(file: FileObject, autoClose: boolean, err: Error | null, cb: (e: Error | null) => void): void {
  if (!autoClose) { cb(err); return; }
  try { file.close(); } catch (e) { cb(err ?? (e as Error)); return; }
  cb(err);
}

// ---------------------------------------------------------------- Readable

const EMPTY = new Uint8Array(0);

/**
 * One pull of at most n bytes: data, an empty array at EOF, or null when a non-blocking
 * socket has nothing yet. A blocking socket uses read1 (one raw read at most: the loop waits
 * only while nothing has come); a non-blocking one uses read(n), whose null means "would
 * block", where read1 gives b'' for both EAGAIN and EOF (CPython's rule).
 */
function pull(bytes: ByteLayer, n: number, nb: boolean): Uint8Array | null {
  if (bytes instanceof SocketIO) return bytes.read(n);
  const r = bytes as BufferedReader | BufferedRWPair;    // toReadable() took only readable files
  return nb ? r.read(n) : r.read1(n);
}

/**
 * A Readable over a readable makefile() file: Buffers for a binary file, strings for a text
 * file (decoded by the file's own TextIOWrapper decoder, so encoding, errors and newline act
 * as in readline()). Bytes the file had already buffered come first.
 */
export function toReadable(file: FileObject, options: StreamAdapterOptions = {}): Readable {
  const l = layersOf(file);
  if (!l.reads) throw new UnsupportedOperation('File or stream is not readable.');
  const autoClose = options.autoClose ?? true;
  const retry = new Retry(maxDelay(options));
  const text = l.text;
  let first = true;

  let size = 16384;

  /** Pulls once and pushes what came; "would block" schedules another try. */
  const fill = (r: Readable): void => {
    if (r.destroyed) return;
    try {
      for (;;) {
        const got = pull(l.bytes, size, l.raw._nonBlocking());
        if (got === null) { retry.later(() => fill(r)); return; }
        retry.reset();
        if (got.length === 0) {                       // EOF: the decoder's tail, then the end
          if (text) {
            const tail = text._decode(EMPTY, true);
            if (tail.length > 0) r.push(tail, 'utf8');
          }
          r.push(null);
          return;
        }
        if (!text) { r.push(got); return; }
        const s = text._decode(got, false);
        if (s.length > 0) { r.push(s, 'utf8'); return; }
        // only part of a character came: Node needs a push, so pull again
      }
    } catch (e) {
      r.destroy(e as Error);
    }
  };

  const r = new Readable({
    highWaterMark: options.highWaterMark,
    signal: options.signal,
    encoding: text ? 'utf8' : undefined,
    read(n: number) {
      size = n > 0 ? n : 16384;
      if (first && text) {
        first = false;
        // text an earlier readline() decoded ahead comes first
        let ahead: string;
        try { ahead = text._getDecoded(-1); } catch (e) { this.destroy(e as Error); return; }
        if (ahead.length > 0) { this.push(ahead, 'utf8'); return; }
      }
      fill(this);
    },
    destroy(err, cb) {
      retry.cancel();
      closeFile(file, autoClose, err, cb);
    },
  });
  return r;
}

// ---------------------------------------------------------------- Writable

/** Sends b[off..] once: bytes the file took (0 means "would block, try later"). */
function pushOnce(bytes: ByteLayer, b: Uint8Array): number {
  if (bytes instanceof SocketIO) return bytes.write(b) ?? 0;
  try {
    return bytes.write(b);
  } catch (e) {
    // BufferedWriter: what it buffered before the socket would block (io's characters_written)
    if (e instanceof BlockingIOError) return e.characters_written;
    throw e;
  }
}

/** A memory sink a shadow TextIOWrapper encodes into (makefile()'s text rules, no socket). */
class EncodedBytes implements ByteStream {
  chunks: Uint8Array[] = [];
  size = 0;
  closed = false;
  write(b: Uint8Array): number { this.chunks.push(b); this.size += b.length; return b.length; }
  take(): Uint8Array {
    const c = this.chunks;
    this.chunks = [];
    const n = this.size;
    this.size = 0;
    if (c.length === 1) return c[0];
    const out = new Uint8Array(n);
    let o = 0;
    for (const x of c) { out.set(x, o); o += x.length; }
    return out;
  }
  flush(): void {}
  close(): void { this.closed = true; }
  readable(): boolean { return false; }
  writable(): boolean { return true; }
  seekable(): boolean { return false; }
  isatty(): boolean { return false; }
  fileno(): number { throw new UnsupportedOperation('fileno'); }
  read(): Uint8Array { throw new UnsupportedOperation('read'); }
  read1(): Uint8Array { throw new UnsupportedOperation('read1'); }
}

/**
 * A Writable over a writable makefile() file. A binary file takes Buffers (strings are
 * encoded by Node first, as net.Socket does); a text file takes strings, encoded with the
 * file's encoding, errors and newline (a shadow TextIOWrapper over memory does the encoding,
 * so a non-blocking socket loses no text: the bytes are written with BlockingIOError's
 * characters_written honoured). end() flushes the file; with autoClose the file is then
 * closed (its socket closes for real only when it and every file are closed).
 */
export function toWritable(file: FileObject, options: StreamAdapterOptions = {}): Writable {
  const l = layersOf(file);
  if (!l.writes) throw new UnsupportedOperation('File or stream is not writable.');
  const autoClose = options.autoClose ?? true;
  const retry = new Retry(maxDelay(options));
  let encoder: TextIOWrapper | null = null;
  let encoded: EncodedBytes | null = null;
  if (l.text) {
    encoded = new EncodedBytes();
    encoder = new TextIOWrapper(encoded, l.text.encoding, l.text.errors, l.text._readnl);
  }
  let textFlushed = l.text === null;

  /** Writes all of b, retrying later while a non-blocking socket is full. */
  const writeAll = (b: Uint8Array, cb: (e?: Error | null) => void): void => {
    let off = 0;
    const step = (): void => {
      try {
        while (off < b.length) {
          const k = pushOnce(l.bytes, off === 0 ? b : b.subarray(off));
          if (k === 0) { retry.later(step); return; }
          retry.reset();
          off += k;
        }
      } catch (e) {
        cb(e as Error);
        return;
      }
      cb();
    };
    step();
  };

  /** flush(), retried while a non-blocking socket is full (the unsent rest stays buffered). */
  const flushAll = (cb: (e?: Error | null) => void): void => {
    const step = (): void => {
      try {
        l.bytes.flush();
      } catch (e) {
        if (e instanceof BlockingIOError) { retry.later(step); return; }
        cb(e as Error);
        return;
      }
      cb();
    };
    step();
  };

  return new Writable({
    highWaterMark: options.highWaterMark,
    signal: options.signal,
    decodeStrings: l.text === null,
    write(chunk: Uint8Array | string, _encoding, cb) {
      if (encoder === null) { writeAll(chunk as Uint8Array, cb); return; }
      let b: Uint8Array;
      try {
        // text written to the file before the adapter goes first
        if (!textFlushed) { l.text!.flush(); textFlushed = true; }
        encoder.write(chunk as string);
        encoder.flush();
        b = encoded!.take();
      } catch (e) {
        cb(e as Error);
        return;
      }
      writeAll(b, cb);
    },
    final(cb) {
      if (!textFlushed) {
        try { l.text!.flush(); textFlushed = true; } catch (e) { cb(e as Error); return; }
      }
      flushAll(cb);
    },
    destroy(err, cb) {
      retry.cancel();
      closeFile(file, autoClose, err, cb);
    },
  });
}
