// Datagram sockets (UDP and AF_UNIX datagrams): boundaries kept, truncation, connected
// filtering, the receive buffer as a byte budget (a datagram that does not fit is dropped,
// as Linux drops it), and the seeded UDP faults between machines.
//
// A datagram is one heap block: [payload length i32][sender's name length i32][sender's
// name, ADDR_MAX bytes][payload].

import { Sock, sockAt, ADDR_MAX } from "./sock";
import { now, schedule, EV_DATAGRAM } from "./clock";
import { isCut, isCrashed, arrival, anyFaults, chance, udpLoss, udpDup, udpReorder } from "./net";
import { TCP_ESTABLISHED } from "./defs";

const HDR: usize = 8 + <usize>ADDR_MAX;
/** What a queued datagram costs against SO_RCVBUF besides its payload (an skb's truesize overhead). */
export const DGRAM_OVERHEAD: i32 = 768;
/** net.unix.max_dgram_qlen: a unix datagram queue is full past this many (unix_recvq_full). */
export const MAX_DGRAM_QLEN: i32 = 10;

/** A unix datagram (need -1) or record (need: its bytes) found r's queue full. */
export function blockOn(s: Sock, r: Sock, need: i32): void { s.blockedOn = r.id; s.blockedGen = r.gen; s.blockedNeed = need; }

/**
 * Whether the receiver that last refused s has room again (or is gone). poll's POLLOUT and
 * waits for writing use it: a sender told EAGAIN is not polled writable while the queue is
 * still full (unix_dgram_poll), so a send with a timeout waits in virtual time, not in a spin.
 */
export function roomAtReceiver(s: Sock): bool {
  if (s.blockedOn < 0) return true;
  const r = sockAt(s.blockedOn);
  if (!r.live || r.gen != s.blockedGen || r.dqLen() == 0) return true;
  return s.blockedNeed < 0 ? r.dqLen() <= MAX_DGRAM_QLEN : r.dqBytes + s.blockedNeed + DGRAM_OVERHEAD <= r.o.rcvbuf;
}

export function dgramReadable(s: Sock): bool { return s.dqLen() > 0 || s.err != 0 || s.rdShut; }

export function makeDatagram(src: usize, n: i32, from: usize, fromLen: i32): usize {
  const b = heap.alloc(HDR + <usize>n);
  store<i32>(b, n);
  store<i32>(b + 4, fromLen);
  memory.copy(b + 8, from, <usize>fromLen);
  memory.copy(b + HDR, src, <usize>n);
  return b;
}
@inline export function dgLen(b: usize): i32 { return load<i32>(b); }
@inline export function dgFromLen(b: usize): i32 { return load<i32>(b + 4); }
@inline export function dgFrom(b: usize): usize { return b + 8; }
@inline export function dgData(b: usize): usize { return b + HDR; }

/** Queues the datagram at r, or drops it when r's receive budget is spent. */
export function enqueue(r: Sock, b: usize): void {
  const n = dgLen(b);
  if (r.dqBytes + n + DGRAM_OVERHEAD > r.o.rcvbuf && r.dqLen() > 0) { heap.free(b); return; }
  // Compact the queue's array when its head has moved far.
  if (r.dqHead > 64 && r.dqHead * 2 > r.dq.length) {
    const live = r.dq.length - r.dqHead;
    for (let i = 0; i < live; i++) r.dq[i] = r.dq[r.dqHead + i];
    r.dq.length = live; r.dqHead = 0;
  }
  r.dq.push(b);
  r.dqBytes += n + DGRAM_OVERHEAD;
  r.bytesRecv += <u64>n; r.segsIn++;
}

/**
 * Sends the datagram from s to r (the caller found r): on loopback it is queued at once;
 * between machines it may be lost, duplicated, delayed or reordered by the seeded faults.
 */
export function deliver(s: Sock, r: Sock, b: usize): void {
  s.bytesSent += <u64>dgLen(b); s.segsOut++;
  if (s.machine == r.machine || !anyFaults) { enqueue(r, b); return; }
  if (isCut(s.machine, r.machine) || isCrashed(r.machine) || chance(udpLoss)) { heap.free(b); return; }
  let at = arrival(now, s.machine, r.machine, dgLen(b));
  // Reordering: this one waits a little, so the next overtakes it.
  if (chance(udpReorder)) at += 1_000_000;
  if (chance(udpDup)) {
    const copy = heap.alloc(HDR + <usize>dgLen(b));
    memory.copy(copy, b, HDR + <usize>dgLen(b));
    schedule(at, EV_DATAGRAM, r.id, r.gen, <i64>copy);
  }
  if (at <= now) enqueue(r, b); else schedule(at, EV_DATAGRAM, r.id, r.gen, <i64>b);
}

export function onDatagram(id: i32, gen: i32, b: usize): void {
  const r = sockAt(id);
  if (!r.live || r.gen != gen) { heap.free(b); return; }
  enqueue(r, b);
}

/** The oldest queued datagram (0 when none). */
export function front(s: Sock): usize { return s.dqLen() > 0 ? s.dq[s.dqHead] : 0; }

export function dropFront(s: Sock): void {
  const b = s.dq[s.dqHead];
  s.dqBytes -= dgLen(b) + DGRAM_OVERHEAD;
  heap.free(b);
  s.dqHead++;
  if (s.dqHead == s.dq.length) { s.dq.length = 0; s.dqHead = 0; }
}

/** Frees every queued datagram (close). */
export function drain(s: Sock): void {
  while (s.dqLen() > 0) dropFront(s);
}

/** Whether r accepts a datagram from the name `from` (a connected socket takes only its peer's). */
export function accepts(r: Sock, from: usize, fromLen: i32): bool {
  if (r.state != TCP_ESTABLISHED) return true;
  if (r.remoteLen == 0) return true;
  // Compare family, port and address (IPv4 sockaddr_in: 8 bytes; IPv6: port + address).
  const fam = <i32>load<u16>(r.remote);
  if (fam == 1) return fromLen == r.remoteLen && memory.compare(from, r.remote, <usize>fromLen) == 0;
  if (<i32>load<u16>(from) != fam) return false;
  if (fam == 2) return load<u64>(from) == load<u64>(r.remote);
  return load<u16>(from + 2) == load<u16>(r.remote + 2) && memory.compare(from + 8, r.remote + 8, 16) == 0;
}
