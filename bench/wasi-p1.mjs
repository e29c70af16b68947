// `node bench/wasi-p1.mjs`: wasock/wasi-p1 against the Linux host in the same run,
// alternating rounds; medians and the ratio. A 4-byte echo (the peer sends 4 bytes, the
// server recv()s and send()s them back, the peer recv()s) with the server's socket on the
// Linux host directly, then the same through the wasi-p1 core (its p1 functions call the
// Linux host's socket); and each host's instantiation (a new network's core: for wasi-p1 a
// WASI instance of its own with wasmer's imports and wasock's p1 functions). Not a test.
import { fileURLToPath } from 'node:url';

// Pinned to one CPU (taskset), as bench/emulated.mjs is; BENCH_PIN=0 runs unpinned.
if (process.env.BENCH_PIN !== '0' && process.env.WASOCK_BENCH_PINNED !== '1') {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync('taskset', ['-c', process.env.BENCH_CPU ?? '1', process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, WASOCK_BENCH_PINNED: '1' } });
  if (!r.error) process.exit(r.status ?? 1);
  console.log('(taskset unavailable: unpinned)');
}

const { network: linux } = await import('../dist/src/linux.js');
const t0 = performance.now();
const { network: p1 } = await import('../dist/src/wasi-p1.js');
const importMs = performance.now() - t0;   // @wasmer/wasi's own Wasm (init()) and the module

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const N = Number(process.env.BENCH_N ?? 20_000);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const L = linux();

/** A connected pair on the Linux host: [peer, server end]. */
function pair() {
  const l = new L.socket(); l.bind(['127.0.0.1', 0]); l.listen();
  const c = new L.socket(); c.connect(l.getsockname());
  const [a] = l.accept();
  l.close();
  return [c, a];
}

/** µs per 4-byte echo with `server` answering `peer`. */
function echo(peer, server, n) {
  const msg = new Uint8Array([1, 2, 3, 4]);
  for (let i = 0; i < 1000; i++) { peer.send(msg); server.send(server.recv(4)); peer.recv(4); }
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) { peer.send(msg); server.send(server.recv(4)); peer.recv(4); }
  return Number(process.hrtime.bigint() - t) / 1e3 / n;
}

/** ms to make a network and its core (the first call that needs the core instantiates it). */
function instantiate(make) {
  const t = performance.now();
  const net = make();
  net.getdefaulttimeout();
  return performance.now() - t;
}

const res = { linux: [], p1: [], instLinux: [], instP1: [] };
for (let r = 0; r < ROUNDS; r++) {
  {
    const [c, a] = pair();
    res.linux.push(echo(c, a, N));
    c.close(); a.close();
  }
  {
    const [c, a] = pair();
    const net = p1({ preopened: [a] });
    const s = new net.socket(undefined, undefined, undefined, 3);
    res.p1.push(echo(c, s, N));
    s.close(); c.close();
  }
  res.instLinux.push(instantiate(() => linux()));
  res.instP1.push(instantiate(() => p1()));
}

const f = (x, d = 1) => x.toFixed(d);
const ml = median(res.linux), mp = median(res.p1);
console.log(`wasi-p1 bench: ${ROUNDS} alternating rounds of ${N} echoes; medians; ${process.env.WASOCK_BENCH_PINNED === '1' ? `pinned to CPU ${process.env.BENCH_CPU ?? '1'}` : 'unpinned'}`);
console.log(`  4-byte echo, server on the Linux host      ${f(ml)} µs`);
console.log(`  4-byte echo, server through wasi-p1         ${f(mp)} µs   (${f(mp / ml, 2)}× the Linux host)`);
console.log(`  instantiation: Linux host core              ${f(median(res.instLinux), 2)} ms`);
console.log(`  instantiation: wasi-p1 core in @wasmer/wasi ${f(median(res.instP1), 2)} ms   (${f(median(res.instP1) / median(res.instLinux), 2)}×)`);
console.log(`  import of wasock/wasi-p1 (@wasmer/wasi init, once per process) ${f(importMs, 1)} ms`);
