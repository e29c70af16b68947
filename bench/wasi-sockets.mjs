// `node bench/wasi-sockets.mjs` (best: `taskset -c 1 node bench/wasi-sockets.mjs`): wasock's
// wasi:sockets provider against preview2-shim and a bare wasock socket, in the same run.
// The guest is test/fixtures/wasi-guest (built and transpiled here, as the tests do):
//   getsockopt: the guest's idle() = one keep-alive-idle-time call (TCP_KEEPIDLE through the
//     provider: wasock's getsockopt, ns from s), through the full transpiled path
//     (preview2-shim answers it from a JS field and never asks the kernel);
//   echo: the guest's echo() = blocking-write-and-flush of 4 bytes + blocking-read of 4, with
//     a CPython echo peer in a child process (the guest blocks this thread).
//   the p2 core (wasock/wasi-p2) on this provider and on preview2-shim, beside the Linux host:
//     getsockopt(IPPROTO_TCP, TCP_KEEPIDLE) and a 4-byte send + recv through the module API.
// Alternating rounds, medians of per-call times; ratios are to each table's first line.
// Not a test: figures only. Needs `npm run build` (the bindings import dist/ by name).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { buildGuest, transpileGuest } from '../test/helpers/wasi-guest.mjs';
import { useNetwork, tcpCreateSocket, wasiSockets } from 'wasock/wasi-sockets';
import { network as p2network } from 'wasock/wasi-p2';
import { network } from 'wasock/linux';
import { IPPROTO_TCP, TCP_KEEPIDLE } from 'wasock';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const us = (ns) => `${(ns / 1000).toFixed(2)} µs`;

function echoPeer() {
  const p = spawn('python3', ['-c', [
    'import socket, threading',
    'def serve(c):',
    '    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)',
    '    while True:',
    '        d = c.recv(64)',
    '        if not d: break',
    '        c.sendall(d)',
    '    c.close()',
    's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16); print(s.getsockname()[1], flush=True)',
    'while True:',
    '    threading.Thread(target=serve, args=(s.accept()[0],), daemon=True).start()',
  ].join('\n')], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => p.stdout.once('data', (d) => resolve([p, Number(String(d).trim())])));
}

/** ns per call of f, n calls after a warm-up of n/10. */
function time(f, n) {
  for (let i = 0; i < n / 10; i++) f(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f(i);
  return Number(process.hrtime.bigint() - t) / n;
}

const component = await buildGuest();
const paths = {
  'provider, jco 1.11.3': await transpileGuest(component, '1.11', 'wasock'),
  'provider, jco 1.35': await transpileGuest(component, '1.35', 'wasock'),
  'preview2-shim, jco 1.11.3': await transpileGuest(component, '1.11', 'shim'),
  'preview2-shim, jco 1.35': await transpileGuest(component, '1.35', 'shim'),
};
// jco 1.35's bindings with the one `process.env` read per call site removed (_debugLog returns
// at once): how much of 1.35's per-call cost that read is.
const patched = paths['provider, jco 1.35'].replace(/guest\.js$/, 'guest-nodebug.js');
writeFileSync(patched, readFileSync(paths['provider, jco 1.35'], 'utf8')
  .replace('if (!globalThis?.process?.env?.JCO_DEBUG) { return; }', 'return;'));
paths['provider, jco 1.35, process.env read removed'] = patched;

const guests = {};
for (const [k, p] of Object.entries(paths)) guests[k] = await import(p);

useNetwork(network());
const [peer, port] = await echoPeer();

// The guests' connections, and bare wasock's: each its own connection to the peer.
for (const g of Object.values(guests)) {
  if (g.setup() !== 0) throw new Error('setup failed');
  const r = g.connect(port);
  if (r !== 0) throw new Error(`connect failed: ${r}`);
}
const net = network();
const bare = new net.socket();
bare.connect(['127.0.0.1', port]);
const four = new Uint8Array(4);
// The provider called from JS, no component in between.
const direct = tcpCreateSocket.createTcpSocket('ipv4');

const getsockopt = {
  'bare wasock getsockopt(IPPROTO_TCP, TCP_KEEPIDLE)': () => bare.getsockopt(IPPROTO_TCP, TCP_KEEPIDLE),
  'provider from JS: keepAliveIdleTime()': () => direct.keepAliveIdleTime(),
  ...Object.fromEntries(Object.entries(guests).map(([k, g]) => [`${k}: guest idle()`, () => g.idle()])),
};
const echo = {
  'bare wasock send + recv (blocking)': () => { bare.send(four); bare.recv(4); },
  ...Object.fromEntries(Object.entries(guests).filter(([k]) => !k.includes('removed')).map(([k, g]) => [`${k}: guest echo()`, (i) => g.echo(i)])),
};

// The p2 core (wasock/wasi-p2: wasock's core as a wasi:* component, through jco 1.11.3) on
// preview2-shim and on this provider, beside the Linux host: the same module API calls.
const p2nets = {
  'Linux host (wasock/linux)': network(),
  'p2 core on the provider': p2network({ provider: wasiSockets({ network: network() }).imports() }),
  'p2 core on preview2-shim': p2network(),
};
const p2socks = Object.fromEntries(Object.entries(p2nets).map(([k, n]) => {
  const s = new n.socket();
  s.connect(['127.0.0.1', port]);
  return [k, s];
}));
const p2getsockopt = Object.fromEntries(Object.entries(p2socks).map(([k, s]) => [`${k}: getsockopt(IPPROTO_TCP, TCP_KEEPIDLE)`, () => s.getsockopt(IPPROTO_TCP, TCP_KEEPIDLE)]));
const p2echo = Object.fromEntries(Object.entries(p2socks).map(([k, s]) => [`${k}: send + recv`, () => { s.send(four); s.recv(4); }]));

function run(title, table, n, nFor = () => n) {
  const samples = Object.fromEntries(Object.keys(table).map((k) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) for (const [k, f] of Object.entries(table)) samples[k].push(time(f, nFor(k)));
  const ref = median(samples[Object.keys(table)[0]]);
  console.log(`\n${title} (${ROUNDS} rounds, median per call; ratio to the first line)`);
  const out = {};
  for (const [k, xs] of Object.entries(samples)) {
    const m = median(xs);
    out[k] = m;
    console.log(`  ${k.padEnd(62)} ${us(m).padStart(12)}  ${(m / ref).toFixed(2).padStart(6)}×`);
  }
  return out;
}

console.log(`wasock/wasi-sockets bench: node ${process.version}, guest component ${component.length} bytes`);
const g = run('getsockopt-equivalent: keep-alive-idle-time', getsockopt, 100_000, (k) => (k.includes('shim') ? 20_000 : 100_000));
const e = run('4-byte echo with a CPython peer in a child process', echo, 5_000, (k) => (k.includes('shim') ? 1_000 : 5_000));
const pg = run('the p2 core: getsockopt (preview2-shim answers from a JS field)', p2getsockopt, 50_000, (k) => (k.includes('shim') ? 5_000 : 50_000));
const pe = run('the p2 core: 4-byte send + recv with the CPython peer', p2echo, 5_000, (k) => (k.includes('shim') ? 1_000 : 5_000));
console.log(JSON.stringify({ getsockopt: g, echo: e, p2getsockopt: pg, p2echo: pe }));
for (const s of Object.values(p2socks)) s.close();

for (const gg of Object.values(guests)) gg.close();
direct[Symbol.dispose]();
bare.close();
peer.kill();
process.exit(0);
