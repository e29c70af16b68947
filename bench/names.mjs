// The name service: CPython (bench/names.py) and wasock on the Linux host (glibc underneath
// both) and on the emulated network, alternating rounds in one run; medians per workload and
// the ratio wasock / CPython (>= 1.0: wasock at least as fast). Numeric answers are the core's
// own; 'localhost' and getservbyname go to glibc's files (Linux) or the network's tables.
// `node bench/names.mjs` (BENCH_ROUNDS, default 5); run under `taskset -c 1` on a shared machine.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as w from '../dist/src/index.js';
import { network as emulated } from '../dist/src/emulated.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const N = 100_000;
const py = fileURLToPath(new URL('./names.py', import.meta.url));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const fmt = (x) => `${(x / 1e3).toFixed(1)} k/s`;

const workloads = (net) => ({
  'getaddrinfo numeric': () => net.getaddrinfo('127.0.0.1', 80, w.AF_INET, w.SOCK_STREAM),
  'getaddrinfo localhost': () => net.getaddrinfo('localhost', 80, w.AF_INET, w.SOCK_STREAM),
  'getservbyname': () => net.getservbyname('http', 'tcp'),
  'getnameinfo numeric': () => net.getnameinfo(['127.0.0.1', 80], w.NI_NUMERICHOST | w.NI_NUMERICSERV),
});

function run(net) {
  const out = {};
  for (const [name, f] of Object.entries(workloads(net))) {
    const n = name.includes('localhost') || name.includes('servbyname') ? N / 10 : N;
    for (let i = 0; i < n / 10; i++) f();
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f();
    out[name] = n / (Number(process.hrtime.bigint() - t) / 1e9);
  }
  return out;
}

const emu = emulated();
const samples = { cpython: [], linux: [], emulated: [] };
for (let r = 0; r < ROUNDS; r++) {
  samples.cpython.push(JSON.parse(execFileSync('python3', [py, String(N)], { encoding: 'utf8' })));
  samples.linux.push(run(w));
  samples.emulated.push(run(emu));
}
console.log(`name service, ${ROUNDS} rounds (median calls/s; ratio = wasock / CPython on the Linux kernel)`);
for (const name of Object.keys(workloads(w))) {
  const c = median(samples.cpython.map((s) => s[name]));
  const l = median(samples.linux.map((s) => s[name]));
  const e = median(samples.emulated.map((s) => s[name]));
  console.log(`${name.padEnd(24)} CPython ${fmt(c).padStart(11)}  linux ${fmt(l).padStart(11)} (${(l / c).toFixed(2)})  emulated ${fmt(e).padStart(11)} (${(e / c).toFixed(2)})`);
}
