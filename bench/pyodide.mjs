// Python's socket calls in Pyodide 0.25.1 on wasock/pyodide against native python3, in the
// same run and alternating rounds: s.getsockopt(SOL_SOCKET, SO_RCVBUF) per call (µs), and
// 64 KiB sendall to a native sink over loopback (GB/s). Figures only (not a test).
// Run: node bench/pyodide.mjs   (BENCH_ROUNDS, default 7; `taskset -c 1` for steady figures)
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadPyodide } from 'pyodide';
import { installIntoPyodide } from '../dist/src/pyodide-node.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const N = 200_000;
const MB = 256;   // sendall: MiB per round
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };

const GETSOCKOPT = (n) => `
import socket, time
s = socket.socket()
for _ in range(${n} // 10): s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
t = time.perf_counter()
for _ in range(${n}): s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
dt = time.perf_counter() - t
s.close()
dt / ${n} * 1e6
`;

const SENDALL = (port, mb) => `
import socket, time
c = socket.create_connection(('127.0.0.1', ${port}))
buf = bytes(65536)
n = ${mb} * 16
t = time.perf_counter()
for _ in range(n): c.sendall(buf)
c.shutdown(socket.SHUT_WR)
c.recv(1)
dt = time.perf_counter() - t
c.close()
n * 65536 / dt / 1e9
`;

// A native sink: reads to EOF, then answers one byte so the sender's clock covers delivery.
const SINK = `
import socket
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
b = bytearray(1 << 20)
while c.recv_into(b): pass
c.sendall(b'k'); c.close()
`;

async function sink() {
  const child = spawn('python3', ['-c', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(child.stdout, 'data');
  return { port: Number(String(line).trim()), done: once(child, 'exit') };
}

/** Runs `code` in native python3; its last line is the expression whose value is returned. */
function native(code) {
  const lines = code.trim().split('\n');
  const last = lines.pop();
  return Number(execFileSync('python3', ['-c', [...lines, `print(${last})`].join('\n')], { encoding: 'utf8' }).trim());
}

const py = await loadPyodide();
installIntoPyodide(py);
const inPyodide = (code) => py.runPython(code);

const res = { gsoPy: [], gsoNative: [], sendPy: [], sendNative: [] };
for (let r = 0; r < ROUNDS; r++) {
  res.gsoPy.push(inPyodide(GETSOCKOPT(N)));
  res.gsoNative.push(native(GETSOCKOPT(N)));
  let k = await sink();
  res.sendPy.push(inPyodide(SENDALL(k.port, MB)));
  await k.done;
  k = await sink();
  res.sendNative.push(native(SENDALL(k.port, MB)));
  await k.done;
}
const f = (x, d = 2) => x.toFixed(d);
console.log(`Pyodide ${py.version} + wasock/pyodide vs native ${execFileSync('python3', ['-V'], { encoding: 'utf8' }).trim()}; ${ROUNDS} alternating rounds, medians`);
console.log(`s.getsockopt(SOL_SOCKET, SO_RCVBUF): Pyodide ${f(median(res.gsoPy))} µs/call, native ${f(median(res.gsoNative))} µs/call, ratio ${f(median(res.gsoPy) / median(res.gsoNative))}x`);
console.log(`64 KiB sendall to a native sink:     Pyodide ${f(median(res.sendPy))} GB/s, native ${f(median(res.sendNative))} GB/s, ${f(100 * median(res.sendPy) / median(res.sendNative), 0)} % of native`);
