// wasi:io/streams for a TCP connection over a wasock socket. Output the kernel does not take
// at once is kept and pushed whenever the provider waits (poll.ts; wasmtime writes it in a
// background task): a write never blocks, a shutdown(send) loses nothing, and a peer in the
// same thread can read it while this side waits.
import { POLLIN, POLLOUT } from './backend.js';
import type { Backend } from './backend.js';
import { OSError } from '../../src/exceptions.js';
import type { socket } from '../../src/socket.js';
import { IoError } from './io-error.js';
import { Pollable, pollList, pending, type Waitable } from './poll.js';

export type StreamError = { tag: 'closed' } | { tag: 'last-operation-failed'; val: IoError };
const CLOSED: StreamError = Object.freeze({ tag: 'closed' }) as StreamError;

function failed(e: unknown): StreamError {
  if (e instanceof OSError) return { tag: 'last-operation-failed', val: new IoError(e.message, e.errno) };
  throw e;
}

const one = new Int32Array(1), oneEv = new Int32Array(1), oneRe = new Int32Array(1);

/** A TCP connection's state shared by its socket resource and its two streams. */
export class Conn {
  /** Local shutdown(receive), or the peer's FIN seen: reads are closed. */
  rdClosed = false;
  /** Local shutdown(send): writes are closed (the kernel's shutdown may wait for `out`). */
  wrClosed = false;
  /** shutdown(SHUT_WR) still to do once `out` is written. */
  shutAfter = false;
  /** Bytes written by the guest that the kernel has not taken yet. */
  out: Uint8Array | null = null;
  /** A failure of a write or of pending output: reported once by the next output operation. */
  werr: IoError | null = null;
  /** The socket resource was dropped (its fd closed). */
  dropped = false;
  readonly fd: number;
  constructor(readonly b: Backend, readonly sock: socket) { this.fd = sock.fileno(); }
}

/** The most one read returns (blocking-read-to-end asks for 1 MiB at a time). */
const MAX_READ = 1 << 20;
/** What check-write allows when the socket is writable and nothing is pending. */
const WRITE_PERMIT = 65536n;
const EMPTY = new Uint8Array(0);

export class InputStream implements Waitable {
  /** @internal */
  constructor(readonly _c: Conn) {}
  /** @internal */
  _events(): number { return this._c.rdClosed || this._c.dropped ? 0 : POLLIN; }
  /** @internal */
  _fd(): number { return this._c.fd; }

  read(len: bigint): Uint8Array {
    const c = this._c;
    if (c.rdClosed || c.dropped) throw CLOSED;
    if (len === 0n) return EMPTY;
    one[0] = c.fd; oneEv[0] = POLLIN;
    if (c.b.poll(one, oneEv, oneRe, 1, 0) === 0) return EMPTY;
    return this._recv(len);
  }

  blockingRead(len: bigint): Uint8Array {
    const c = this._c;
    for (;;) {
      if (c.rdClosed || c.dropped) throw CLOSED;
      if (len === 0n) return EMPTY;
      if (pending.size !== 0) pollList([this.subscribe()]);
      else { one[0] = c.fd; oneEv[0] = POLLIN; c.b.poll(one, oneEv, oneRe, 1, -1); }
      const d = this._recv(len);
      if (d.length !== 0) return d;
    }
  }

  skip(len: bigint): bigint { return BigInt(this.read(len).length); }
  blockingSkip(len: bigint): bigint { return BigInt(this.blockingRead(len).length); }
  subscribe(): Pollable { return new Pollable(this._c.b, this); }
  [Symbol.dispose](): void { /* the socket owns the fd */ }

  /** recv() once the socket polled readable: data, [] on a spurious wakeup, or the stream's end. */
  private _recv(len: bigint): Uint8Array {
    const c = this._c;
    let d: Uint8Array;
    try {
      d = c.sock.recv(len > BigInt(MAX_READ) ? MAX_READ : Number(len));
    } catch (e) {
      if (e instanceof OSError && e.errno === 11) return EMPTY;
      c.rdClosed = true;
      throw failed(e);
    }
    if (d.length === 0) { c.rdClosed = true; throw CLOSED; }
    return d;
  }
}

export class OutputStream implements Waitable {
  /** @internal */
  constructor(readonly _c: Conn) {}
  /** @internal */
  _events(): number {
    const c = this._c;
    if (c.wrClosed || c.dropped || c.werr !== null) return 0;
    if (c.out !== null) this._pump();
    return POLLOUT;
  }
  /** @internal */
  _fd(): number { return this._c.fd; }

  /** The error or end an output operation reports now, if any (an error once, then closed). */
  private _check(): void {
    const c = this._c;
    if (c.werr !== null) { const e = c.werr; c.werr = null; c.wrClosed = true; throw { tag: 'last-operation-failed', val: e }; }
    if (c.wrClosed || c.dropped) throw CLOSED;
  }

  checkWrite(): bigint {
    this._check();
    const c = this._c;
    if (c.out !== null) { this._pump(); this._check(); if (c.out !== null) return 0n; }
    one[0] = c.fd; oneEv[0] = POLLOUT;
    return c.b.poll(one, oneEv, oneRe, 1, 0) > 0 ? WRITE_PERMIT : 0n;
  }

  write(contents: Uint8Array): void {
    this._check();
    const c = this._c;
    if (contents.length === 0) return;
    if (c.out !== null) { c.out = concat(c.out, contents); return; }
    let n = 0;
    try {
      n = c.sock.send(contents);
    } catch (e) {
      if (!(e instanceof OSError && e.errno === 11)) { c.wrClosed = true; throw failed(e); }
    }
    if (n < contents.length) { c.out = contents.slice(n); pending.add(this); }
  }

  blockingWriteAndFlush(contents: Uint8Array): void {
    this.write(contents);
    this.blockingFlush();
  }

  flush(): void {
    this._check();
    if (this._c.out !== null) this._pump();
  }

  blockingFlush(): void {
    this._check();
    const c = this._c;
    while (c.out !== null) {
      pollList([this.subscribe()]);
      this._pump();
      this._check();
    }
  }

  writeZeroes(len: bigint): void { this.write(new Uint8Array(Number(len))); }
  blockingWriteZeroesAndFlush(len: bigint): void { this.blockingWriteAndFlush(new Uint8Array(Number(len))); }

  splice(src: InputStream, len: bigint): bigint {
    this._check();
    const d = src.read(len);
    this.write(d);
    return BigInt(d.length);
  }

  blockingSplice(src: InputStream, len: bigint): bigint {
    this._check();
    const d = src.blockingRead(len);
    this.blockingWriteAndFlush(d);
    return BigInt(d.length);
  }

  subscribe(): Pollable { return new Pollable(this._c.b, this); }
  [Symbol.dispose](): void { /* pending output stays queued until written or the socket is dropped */ }

  /** @internal Gives the kernel what it takes of the pending output; then a deferred shutdown. */
  _pump(): void {
    const c = this._c;
    if (c.out !== null && !c.dropped) {
      one[0] = c.fd; oneEv[0] = POLLOUT;
      if (c.b.poll(one, oneEv, oneRe, 1, 0) > 0) {
        try {
          const n = c.sock.send(c.out);
          c.out = n >= c.out.length ? null : c.out.subarray(n);
        } catch (e) {
          if (!(e instanceof OSError && e.errno === 11)) {
            c.out = null;
            c.werr = e instanceof OSError ? new IoError(e.message, e.errno) : new IoError(String(e));
          }
        }
      }
    }
    if (c.out === null || c.dropped) {
      pending.delete(this);
      c.out = null;
      if (c.shutAfter && !c.dropped) { c.shutAfter = false; try { c.sock.shutdown(1); } catch { /* the connection is gone */ } }
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const r = new Uint8Array(a.length + b.length);
  r.set(a); r.set(b, a.length);
  return r;
}

/** Pushes a connection's pending output as far as the kernel takes it now (before a shutdown or drop). */
export function pumpConn(c: Conn): void {
  for (const o of pending) if (o instanceof OutputStream && o._c === c) o._pump();
}
