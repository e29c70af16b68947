// `node bench/emulated.mjs`: the emulated network against CPython on the real kernel (and
// wasock on the Linux host), in the same run, alternating rounds; medians. Targets are the
// issue's: getsockopt >= 20 M/s, 64 KiB sendall -> recv_into >= 3 GB/s, connect + accept +
// close >= 500 k/s, 10^4 concurrent connections set up and torn down in < 1 s. smoltcp's
// published 0.5-1 GB/s is the peer figure for the stream. Not a test: figures only.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { network as emulated } from '../dist/src/emulated.js';
import { network as linux } from '../dist/src/linux.js';

// Pinned to one CPU (taskset, inherited by the CPython runs): on a 2-vCPU VM an unpinned run is
// bimodal, the same loop at ~450 or ~700 k connect + accept + close per second from one
// process to the next as the scheduler moves it (2026-12-06, docs/decisions.md "Benchmarks").
// BENCH_PIN=0 runs unpinned.
if (process.env.BENCH_PIN !== '0' && process.env.WASOCK_BENCH_PINNED !== '1') {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync('taskset', ['-c', '0', process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, WASOCK_BENCH_PINNED: '1' } });
  if (!r.error) process.exit(r.status ?? 1);
  console.log('(taskset unavailable: unpinned)');
}
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const py = fileURLToPath(new URL('./emulated.py', import.meta.url));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const cpython = (name, n) => JSON.parse(execFileSync('python3', [py, name, String(n)], { encoding: 'utf8' }))[0];

function pair(net) {
  const l = new net.socket(net.AF_INET, net.SOCK_STREAM);
  l.bind(['127.0.0.1', 0]); l.listen(64);
  const c = net.create_connection(l.getsockname());
  const [a] = l.accept();
  return [l, c, a];
}

const WORK = {
  getsockopt_int: {
    label: 'getsockopt int (SOL_SOCKET, SO_RCVBUF)', n: 1_000_000, unit: 'calls/s', target: 20e6,
    run(net, n) {
      const s = new net.socket(net.AF_INET, net.SOCK_STREAM);
      const { SOL_SOCKET, SO_RCVBUF } = net;
      const t = process.hrtime.bigint();
      for (let i = 0; i < n; i++) s.getsockopt(SOL_SOCKET, SO_RCVBUF);
      const dt = Number(process.hrtime.bigint() - t) / 1e9;
      s.close();
      return n / dt;
    },
  },
  stream_64k: {
    label: '64 KiB sendall -> recv_into (one stream)', n: 20_000, unit: 'bytes/s', target: 3e9,
    run(net, n) {
      const [l, c, a] = pair(net);
      const block = new Uint8Array(65536), buf = new Uint8Array(65536);
      const t = process.hrtime.bigint();
      for (let i = 0; i < n; i++) {
        c.sendall(block);
        let got = 0;
        while (got < 65536) got += a.recv_into(got === 0 ? buf : buf.subarray(got));
      }
      const dt = Number(process.hrtime.bigint() - t) / 1e9;
      for (const s of [l, c, a]) s.close();
      return (n * 65536) / dt;
    },
  },
  connect_accept_close: {
    label: 'connect + accept + close both', n: 50_000, unit: 'calls/s', target: 500e3,
    run(net, n) {
      const l = new net.socket(net.AF_INET, net.SOCK_STREAM);
      l.setsockopt(net.SOL_SOCKET, net.SO_REUSEADDR, 1);
      l.bind(['127.0.0.1', 0]); l.listen(128);
      const addr = l.getsockname();
      const t = process.hrtime.bigint();
      for (let i = 0; i < n; i++) {
        const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
        c.connect(addr);
        const [a] = l.accept();
        a.close(); c.close();
      }
      const dt = Number(process.hrtime.bigint() - t) / 1e9;
      l.close();
      return n / dt;
    },
  },
  concurrent: {
    label: '10^4 concurrent connections up and down', n: 10_000, unit: 's', target: 1, lowerIsBetter: true,
    run(net, n) {
      const l = new net.socket(net.AF_INET, net.SOCK_STREAM);
      l.bind(['127.0.0.1', 0]); l.listen(4096);
      const addr = l.getsockname();
      const t = process.hrtime.bigint();
      const conns = [];
      for (let i = 0; i < n; i++) {
        const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
        c.connect(addr);
        conns.push(c, l.accept()[0]);
      }
      for (const s of conns) s.close();
      const dt = Number(process.hrtime.bigint() - t) / 1e9;
      l.close();
      return dt;
    },
  },
};

const fmt = (x, unit) => unit === 'bytes/s' ? `${(x / 1e9).toFixed(2)} GB/s` : unit === 's' ? `${x.toFixed(3)} s` : x >= 1e6 ? `${(x / 1e6).toFixed(2)} M/s` : `${(x / 1e3).toFixed(1)} k/s`;
const only = process.argv.slice(2);
console.log(`emulated network bench: ${ROUNDS} alternating rounds; medians; ratio = emulated / CPython (for time: CPython / emulated); ${process.env.WASOCK_BENCH_PINNED === '1' ? 'pinned to CPU 0' : 'unpinned'}`);
console.log(`${'workload'.padEnd(42)} ${'CPython'.padStart(11)} ${'linux'.padStart(11)} ${'emulated'.padStart(11)} ${'ratio'.padStart(7)}  target`);
for (const [name, w] of Object.entries(WORK)) {
  if (only.length && !only.includes(name)) continue;
  const p = [], lx = [], e = [];
  // The Linux host on 10^4 concurrent connections needs 2x10^4 fds: over a default 1024 limit.
  const linuxOk = name !== 'concurrent';
  for (let r = 0; r < ROUNDS; r++) {
    p.push(name === 'concurrent' ? cpythonConcurrent(w.n) : cpython(name, w.n));
    // A warm-up run of a tenth on the same network first (JIT, the kernel's pools and tables),
    // as bench/run.mjs warms each workload up on its own sockets before timing it.
    const timed = (net) => { w.run(net, Math.ceil(w.n / 10)); return w.run(net, w.n); };
    if (linuxOk) lx.push(timed(linux()));
    e.push(timed(emulated({ seed: r + 1, fdLimit: 65536 })));
  }
  const mp = median(p), ml = linuxOk ? median(lx) : NaN, me = median(e);
  const ratio = w.lowerIsBetter ? mp / me : me / mp;
  const met = w.lowerIsBetter ? me < w.target : me >= w.target;
  console.log(`${w.label.padEnd(42)} ${fmt(mp, w.unit).padStart(11)} ${(linuxOk ? fmt(ml, w.unit) : '-').padStart(11)} ${fmt(me, w.unit).padStart(11)} ${ratio.toFixed(2).padStart(7)}  ${w.lowerIsBetter ? '<' : '>='} ${fmt(w.target, w.unit)} ${met ? 'met' : 'NOT met'}`);
}

/**
 * CPython's 10^4 connections need 2x10^4 fds, over this machine's hard limit (20000): it runs
 * 9,000 and the time is scaled to 10^4 (the work is linear in the count).
 */
function cpythonConcurrent(n) {
  const m = Math.min(n, 9000);
  return cpython('concurrent', m) * (n / m);
}
