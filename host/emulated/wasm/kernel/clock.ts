// The network's virtual clock and its timers. Time moves only when a blocking call has
// something to wait for (a timer below its deadline) or reaches its deadline: a run is a
// function of its calls and the seed, never of the machine it runs on.

export let now: i64 = 0;

// A binary min-heap of timers ordered by (time, sequence): equal times fire in the order
// they were set, so the order is deterministic.
const evT = new Array<i64>();
const evSeq = new Array<i64>();
const evKind = new Array<i32>();
const evSock = new Array<i32>();
const evGen = new Array<i32>();
const evArg = new Array<i64>();
let seq: i64 = 0;

export const EV_SYN_RETRY: i32 = 1;   // a connect's SYN retransmission (listener queue full, or a partition)
export const EV_KEEPALIVE: i32 = 3;   // a keep-alive timer of a connection
export const EV_DELIVER: i32 = 4;     // a stream's sent bytes reach the peer (latency)
export const EV_DATAGRAM: i32 = 5;    // a datagram in flight arrives (arg: its block)
export const EV_FAULT: i32 = 6;       // a scheduled fault starts or ends (arg: its index)
export const EV_RETRANSMIT: i32 = 7;   // unacknowledged data during a partition: tcp_retries2's timeout
// (2 was a TIME_WAIT timer: TIME_WAIT records now end lazily, net.ts sweep.)

function less(i: i32, j: i32): bool {
  const a = unchecked(evT[i]), b = unchecked(evT[j]);
  return a < b || (a == b && unchecked(evSeq[i]) < unchecked(evSeq[j]));
}
function swap(i: i32, j: i32): void {
  let t = evT[i]; evT[i] = evT[j]; evT[j] = t;
  t = evSeq[i]; evSeq[i] = evSeq[j]; evSeq[j] = t;
  let k = evKind[i]; evKind[i] = evKind[j]; evKind[j] = k;
  k = evSock[i]; evSock[i] = evSock[j]; evSock[j] = k;
  k = evGen[i]; evGen[i] = evGen[j]; evGen[j] = k;
  t = evArg[i]; evArg[i] = evArg[j]; evArg[j] = t;
}

export function schedule(at: i64, kind: i32, sock: i32, gen: i32, arg: i64): void {
  let i = evT.length;
  evT.push(at); evSeq.push(seq++); evKind.push(kind); evSock.push(sock); evGen.push(gen); evArg.push(arg);
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!less(i, p)) break;
    swap(i, p); i = p;
  }
}

export function pending(): i32 { return evT.length; }
/** The next timer's time; i64.MAX_VALUE when none is set. */
export function nextAt(): i64 { return evT.length > 0 ? unchecked(evT[0]) : i64.MAX_VALUE; }

// The timer being fired (popNext's outputs).
export let firedKind: i32 = 0;
export let firedSock: i32 = 0;
export let firedGen: i32 = 0;
export let firedArg: i64 = 0;

/** Takes the earliest timer off, moving the clock to its time. */
export function popNext(): void {
  const t = evT[0];
  if (t > now) now = t;
  firedKind = evKind[0]; firedSock = evSock[0]; firedGen = evGen[0]; firedArg = evArg[0];
  const last = evT.length - 1;
  if (last > 0) swap(0, last);
  evT.pop(); evSeq.pop(); evKind.pop(); evSock.pop(); evGen.pop(); evArg.pop();
  let i = 0;
  const n = evT.length;
  for (;;) {
    const l = 2 * i + 1, r = l + 1;
    let m = i;
    if (l < n && less(l, m)) m = l;
    if (r < n && less(r, m)) m = r;
    if (m == i) break;
    swap(i, m); i = m;
  }
}

/** Moves the clock forward to t (never back). */
export function advanceTo(t: i64): void { if (t > now) now = t; }
