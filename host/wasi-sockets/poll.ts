// wasi:io/poll over wasock sockets: a pollable is a wait for events on a socket's fd, or for
// a deadline on the network's clock; block() and poll() wait in poll(2) (the emulated
// network's poll waits in virtual time), never in a worker. While the provider waits, output
// the kernel has not taken yet (streams.ts) is pushed as room appears: the registry of it
// lives here, since every wait must serve it.
import type { Backend } from './backend.js';
import { POLLOUT, WasiTrap } from './backend.js';

/** What a pollable waits on: ready now (events 0), or events on a socket's fd. */
export interface Waitable {
  /** @internal 0 when ready without waiting, else the poll events to wait for on _fd(). */
  _events(): number;
  /** @internal */
  _fd(): number;
}

/** A waitable that is always ready (name lookups, operations that finish at once). */
export const ALWAYS: Waitable = { _events: () => 0, _fd: () => -1 };

/** A stream with output the kernel has not taken yet: pushed whenever the provider waits. */
export interface Pending extends Waitable {
  /** @internal gives the kernel what it takes now; leaves `pending` once all is written. */
  _pump(): void;
}

/** Output the kernel has not taken yet, by stream. */
export const pending = new Set<Pending>();

export function pumpAll(): void {
  for (const o of pending) o._pump();
}

/** wasi:io/poll's pollable: a waitable on a backend, or a deadline on its clock. */
export class Pollable {
  /** @internal */
  constructor(readonly _b: Backend, readonly _src: Waitable | null, readonly _deadline: bigint = -1n) {}

  ready(): boolean {
    if (this._src === null) return this._b.now() >= this._deadline;
    if (pending.size !== 0) pumpAll();
    const ev = this._src._events();
    if (ev === 0) return true;
    one[0] = this._src._fd(); oneEv[0] = ev;
    return this._b.poll(one, oneEv, oneRe, 1, 0) > 0;
  }

  block(): void {
    if (this._src === null || pending.size !== 0) { pollList([this]); return; }
    const ev = this._src._events();
    if (ev === 0) return;
    one[0] = this._src._fd(); oneEv[0] = ev;
    this._b.poll(one, oneEv, oneRe, 1, -1);
  }

  [Symbol.dispose](): void { /* nothing to free: the socket owns its fd */ }
}

const one = new Int32Array(1), oneEv = new Int32Array(1), oneRe = new Int32Array(1);
let fds = new Int32Array(16), evs = new Int32Array(16), res = new Int32Array(16), idx = new Int32Array(16);

function room(n: number): void {
  if (fds.length >= n) return;
  const m = n * 2;
  fds = new Int32Array(m); evs = new Int32Array(m); res = new Int32Array(m); idx = new Int32Array(m);
}

/** wasi:io/poll's poll(): the indices of the pollables that are ready, waiting until one is. */
export function pollList(list: Pollable[]): Uint32Array {
  const n = list.length;
  if (n === 0) throw new WasiTrap('poll() of an empty list');
  const b = list[0]._b;
  for (;;) {
    if (pending.size !== 0) pumpAll();
    const now = b.now();
    const ready: number[] = [];
    let deadline = -1n, k = 0;
    room(n + pending.size);
    for (let i = 0; i < n; i++) {
      const p = list[i];
      // One wait covers one network: a real and an emulated socket cannot be polled together.
      if (p._b !== b) throw new WasiTrap('poll() of pollables of different networks');
      if (p._src === null) {
        if (now >= p._deadline) ready.push(i);
        else if (deadline < 0n || p._deadline < deadline) deadline = p._deadline;
        continue;
      }
      const ev = p._src._events();
      if (ev === 0) { ready.push(i); continue; }
      fds[k] = p._src._fd(); evs[k] = ev; idx[k] = i; k++;
    }
    if (k !== 0 && b.poll(fds, evs, res, k, 0) > 0) {
      for (let j = 0; j < k; j++) if (res[j] !== 0) ready.push(idx[j]);
    }
    if (ready.length !== 0) return Uint32Array.from(ready.sort((x, y) => x - y));
    // Nothing ready: wait for the sockets, the earliest deadline, or room for pending output.
    let w = k;
    for (const o of pending) { fds[w] = o._fd(); evs[w] = POLLOUT; w++; }
    const ns = deadline < 0n ? -1n : deadline - now;
    if (w === 0) {
      if (ns < 0n) throw new WasiTrap('poll() on pollables none of which can ever become ready');
      b.sleep(ns);
      continue;
    }
    b.poll(fds, evs, res, w, ns < 0n ? -1 : Number((ns + 999_999n) / 1_000_000n));
  }
}
