// `npm run bench`: each workload in CPython and in wasock, in the same run, alternating
// rounds so both see the same machine state; prints the medians (calls/s) and the ratio
// wasock / CPython (>= 1.0 means wasock is at least as fast). Not a test: figures only.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WORKLOADS, KOFFI_WORKLOADS, setup, setupPeer, setupKoffi } from './workloads.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const only = process.argv.slice(2);
const py = fileURLToPath(new URL('./cpython.py', import.meta.url));

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const fmt = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M/s` : `${(x / 1e3).toFixed(1)} k/s`);

function cpython(name, n) {
  return JSON.parse(execFileSync('python3', [py, name, String(n), '1'], { encoding: 'utf8' }));
}

function wasock(name, n, make = setup) {
  const wl = make(name);
  try {
    // prepare/finish: untimed set-up and tear-down around each run (e.g. a peer process)
    const warm = Math.max(1, n / 10);
    wl.prepare?.(warm); wl.run(warm); wl.finish?.();   // warm-up (JIT, caches)
    wl.prepare?.(n);
    const t = process.hrtime.bigint();
    wl.run(n);
    const rate = n / (Number(process.hrtime.bigint() - t) / 1e9);
    wl.finish?.();
    return rate;
  } finally {
    wl.close();
  }
}

console.log(`wasock bench: ${ROUNDS} alternating rounds per workload; medians; ratio = wasock / CPython`);
console.log(`${'workload'.padEnd(42)} ${'CPython'.padStart(12)} ${'wasock'.padStart(12)} ${'ratio'.padStart(7)}   npm peer (calls/s, ratio to CPython)`);
const results = {};
for (const [name, { label, n, peer }] of Object.entries(WORKLOADS)) {
  if (only.length && !only.some((o) => name.startsWith(o))) continue;
  const p = [], j = [], q = [];
  for (let r = 0; r < ROUNDS; r++) {
    p.push(cpython(name, n)[0]);
    j.push(wasock(name, n));
    if (peer) q.push(wasock(name, n, setupPeer));
  }
  const mp = median(p), mj = median(j);
  results[name] = { cpython: mp, wasock: mj, ratio: mj / mp };
  let extra = '';
  if (peer) {
    const mq = median(q);
    results[name][peer] = mq;
    extra = `   ${peer} ${fmt(mq)} (${(mq / mp).toFixed(2)})`;
  }
  console.log(`${label.padEnd(42)} ${fmt(mp).padStart(12)} ${fmt(mj).padStart(12)} ${(mj / mp).toFixed(2).padStart(7)}${extra}`);
}
// wasock against a bare koffi call of the same function, in this process: alternating short
// runs, best of each (this machine is noisy; the best run is the one least disturbed).
const KOFFI_ROUNDS = Math.max(5, ROUNDS * 3);
for (const [name, { label, n, wasock: wname }] of Object.entries(KOFFI_WORKLOADS)) {
  if (only.length && !only.some((o) => name.startsWith(o))) continue;
  let bestK = 0, bestW = 0;
  for (let r = 0; r < KOFFI_ROUNDS; r++) {
    bestK = Math.max(bestK, wasock(name, n, setupKoffi));
    bestW = Math.max(bestW, wasock(wname, n));
  }
  results[name] = { koffi: bestK, wasock: bestW, ratio: bestW / bestK };
  console.log(`${label.padEnd(42)} ${fmt(bestK).padStart(12)} ${fmt(bestW).padStart(12)} ${(bestW / bestK).toFixed(2).padStart(7)}   (bare koffi, best of ${KOFFI_ROUNDS}; ratio = wasock / koffi)`);
}
if (process.env.BENCH_JSON) console.log(JSON.stringify(results));
