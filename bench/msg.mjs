// sendmsg([4 bytes]) + recvmsg(4) over a unix socketpair: CPython (bench/msg.py) and wasock
// on the Linux host and on the emulated network, alternating rounds in one run; medians and
// the ratio wasock / CPython (>= 1.0: wasock at least as fast); Python's own loop in Pyodide on
// wasock's _socket (Linux host) against native CPython too. Also the same pair of calls as
// two bare koffi calls (libc sendmsg/recvmsg with a prepared msghdr): wasock's own cost.
// `node bench/msg.mjs` (BENCH_ROUNDS, default 7); run under `taskset -c 1` on a shared machine.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as w from '../dist/src/index.js';
import { network as emulated } from '../dist/src/emulated.js';
import { loadPyodide } from 'pyodide';
import { installIntoPyodide } from '../dist/src/pyodide.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const N = 200_000;
const py = fileURLToPath(new URL('./msg.py', import.meta.url));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const fmt = (x) => `${(x / 1e3).toFixed(1)} k/s`;

function timed(n, once) {
  for (let i = 0; i < n / 10; i++) once();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) once();
  return n / (Number(process.hrtime.bigint() - t) / 1e9);
}

function wasock(net) {
  const [a, b] = net.socketpair();
  const data = [new Uint8Array([1, 2, 3, 4])];
  try {
    return timed(N, () => { a.sendmsg(data); b.recvmsg(4); });
  } finally { a.close(); b.close(); }
}

function koffiBare() {
  const koffi = createRequire(import.meta.url)('koffi');
  const lib = koffi.load('libc.so.6');
  const sendmsg = lib.func('intptr_t sendmsg(int, void *, int)');
  const recvmsg = lib.func('intptr_t recvmsg(int, void *, int)');
  const socketpair = lib.func('int socketpair(int, int, int, _Out_ int *)');
  const close = lib.func('int close(int)');
  const addressOf = lib.func('intptr_t memmove(void *, void *, size_t)');
  const fds = [0, 0];
  socketpair(1, 1, 0, fds);
  const buf = new Uint8Array(8), hdr = new Uint8Array(56), iov = new Uint8Array(16);
  const dv = new DataView(hdr.buffer), iv = new DataView(iov.buffer);
  iv.setBigUint64(0, BigInt(addressOf(buf, null, 0)), true);
  iv.setBigUint64(8, 4n, true);
  dv.setBigUint64(16, BigInt(addressOf(iov, null, 0)), true);
  dv.setBigUint64(24, 1n, true);
  try {
    return timed(N, () => { sendmsg(fds[0], hdr, 0); recvmsg(fds[1], hdr, 0); });
  } finally { close(fds[0]); close(fds[1]); }
}

const PY_N = 50_000;
const pyodide = await loadPyodide();
installIntoPyodide(pyodide);
const pyLoop = pyodide.runPython(`
import socket, time
def loop(n):
    a, b = socket.socketpair()
    data = [b'abcd']
    for _ in range(n // 10):
        a.sendmsg(data); b.recvmsg(4)
    t = time.perf_counter()
    for _ in range(n):
        a.sendmsg(data); b.recvmsg(4)
    r = n / (time.perf_counter() - t)
    a.close(); b.close()
    return r
loop`);

const linux = w;   // the default network: the Linux host
const emu = emulated({ seed: 1 });
const cp = [], lx = [], em = [], kf = [], pyo = [], cpy = [];
for (let r = 0; r < ROUNDS; r++) {
  cp.push(JSON.parse(execFileSync('python3', [py, String(N)], { encoding: 'utf8' })));
  lx.push(wasock(linux));
  em.push(wasock(emu));
  kf.push(koffiBare());
  cpy.push(JSON.parse(execFileSync('python3', [py, String(PY_N)], { encoding: 'utf8' })));
  pyo.push(pyLoop(PY_N));
}
const c = median(cp), l = median(lx), e = median(em), k = median(kf), pc = median(cpy), pp = median(pyo);
console.log(`sendmsg+recvmsg of 4 bytes over a socketpair: ${ROUNDS} alternating rounds of ${N} pairs; medians (pairs/s)`);
console.log(`  CPython ${process.env.PYTHON_VERSION ?? ''}`.trimEnd().padEnd(40) + fmt(c));
console.log(`  wasock, Linux host`.padEnd(40) + `${fmt(l)}  ratio to CPython ${(l / c).toFixed(2)}`);
console.log(`  wasock, emulated network`.padEnd(40) + `${fmt(e)}  ratio to CPython ${(e / c).toFixed(2)}`);
console.log(`  bare koffi sendmsg+recvmsg`.padEnd(40) + `${fmt(k)}  wasock Linux / bare koffi ${(l / k).toFixed(2)}`);
console.log(`  Python in Pyodide on wasock (Linux)`.padEnd(40) + `${fmt(pp)}  ratio to CPython ${(pp / pc).toFixed(2)} (CPython ${fmt(pc)} over ${PY_N} pairs, same rounds)`);
if (process.env.BENCH_JSON) console.log(JSON.stringify({ cpython: c, linux: l, emulated: e, koffi: k, pyodide: pp, cpythonForPyodide: pc }));
