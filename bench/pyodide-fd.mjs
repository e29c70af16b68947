// A socket's fd from Python in Pyodide 0.25.1 on wasock/pyodide against native python3, in the
// same run and alternating rounds (µs per operation, medians):
//   - os.write(a, 64 bytes) + os.read(b, 64) on a socketpair's fds (one round trip through
//     Emscripten's stream table into the kernel and back);
//   - os.read of 64 KiB chunks (64 MiB through a socketpair, written by os.write): the copy
//     goes straight between Pyodide's heap and the kernel;
//   - select.select([b], [a], [], 0) on ready sockets, and select.poll().poll(0).
// Figures only (not a test). Run: node bench/pyodide-fd.mjs  (BENCH_ROUNDS, default 7;
// `taskset -c 1` for steady figures)
import { execFileSync } from 'node:child_process';
import { loadPyodide } from 'pyodide';
import { installIntoPyodide } from '../dist/src/pyodide.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const median = (xs) => { const s = [...xs].sort((x, y) => x - y); return s[s.length >> 1]; };

const WORKLOADS = {
  'os.write 64 B + os.read 64 B': (n) => `
import socket, os, time
a, b = socket.socketpair(); fa, fb = a.fileno(), b.fileno(); m = bytes(64)
for _ in range(${n} // 10): os.write(fa, m); os.read(fb, 64)
t = time.perf_counter()
for _ in range(${n}): os.write(fa, m); os.read(fb, 64)
dt = time.perf_counter() - t
a.close(); b.close()
dt / ${n} * 1e6`,
  'os.read 64 KiB (per chunk)': (n) => `
import socket, os, time
a, b = socket.socketpair(); fa, fb = a.fileno(), b.fileno(); m = bytes(65536)
a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
t = time.perf_counter()
for _ in range(${n}):
    os.write(fa, m); got = 0
    while got < 65536: got += len(os.read(fb, 65536 - got))
dt = time.perf_counter() - t
a.close(); b.close()
dt / ${n} * 1e6`,
  'select.select, 2 ready fds, timeout 0': (n) => `
import socket, select, time
a, b = socket.socketpair(); a.sendall(b'x')
for _ in range(${n} // 10): select.select([b], [a], [], 0)
t = time.perf_counter()
for _ in range(${n}): select.select([b], [a], [], 0)
dt = time.perf_counter() - t
a.close(); b.close()
dt / ${n} * 1e6`,
  'poll().poll(0), 1 ready fd': (n) => `
import socket, select, time
a, b = socket.socketpair(); a.sendall(b'x'); p = select.poll(); p.register(b, select.POLLIN)
for _ in range(${n} // 10): p.poll(0)
t = time.perf_counter()
for _ in range(${n}): p.poll(0)
dt = time.perf_counter() - t
a.close(); b.close()
dt / ${n} * 1e6`,
};
const COUNTS = { 'os.write 64 B + os.read 64 B': 100_000, 'os.read 64 KiB (per chunk)': 1024, 'select.select, 2 ready fds, timeout 0': 100_000, 'poll().poll(0), 1 ready fd': 100_000 };

/** Runs `code` in native python3; its last line is the expression whose value is returned. */
function native(code) {
  const lines = code.trim().split('\n');
  const last = lines.pop();
  return Number(execFileSync('python3', ['-c', [...lines, `print(${last})`].join('\n')], { encoding: 'utf8' }).trim());
}

const py = await loadPyodide();
installIntoPyodide(py);

const res = Object.fromEntries(Object.keys(WORKLOADS).map((k) => [k, { py: [], native: [] }]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [k, w] of Object.entries(WORKLOADS)) {
    res[k].py.push(py.runPython(w(COUNTS[k])));
    res[k].native.push(native(w(COUNTS[k])));
  }
}
const f = (x, d = 2) => x.toFixed(d);
console.log(`Pyodide ${py.version} + wasock/pyodide vs native ${execFileSync('python3', ['-V'], { encoding: 'utf8' }).trim()}; ${ROUNDS} alternating rounds, medians`);
for (const [k, { py: p, native: n }] of Object.entries(res)) {
  console.log(`${k.padEnd(40)} Pyodide ${f(median(p)).padStart(7)} µs, native ${f(median(n)).padStart(7)} µs, ratio ${f(median(p) / median(n))}x`);
}
