// `node bench/component.mjs`: the component (build/wasock.component.wasm) beside the raw core,
// in the same run: sizes, instantiation time, getsockopt(SOL_SOCKET, SO_KEEPALIVE) per call and
// a 4-byte send+recv, through the component transpiled by jco 1.11.3 and by jco 1.35 (both
// `--instantiation sync`), against the raw core (its export called directly, and wasock's own
// API, the Node hot path), and the host import alone (one koffi call). Rounds alternate so
// every variant sees the same machine state; medians; ratio = variant / raw core export.
// Run pinned for steadier figures: taskset -c 1 node bench/component.mjs
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transpile as transpile111 } from 'jco-1-11';
import { transpile as transpile135 } from '@bytecodealliance/jco';
import * as w from '../dist/src/index.js';
import { coreWasm } from '../dist/src/core.js';
import { LinuxHost } from '../dist/host/linux/index.js';
import { componentHost } from '../dist/host/component/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const component = readFileSync(`${root}build/wasock.component.wasm`);
const raw = coreWasm();

/** Transpiles with `transpile`, writes the JS to a temp folder, returns its instantiate() and core modules. */
async function load(transpile, tag, patch = (js) => js) {
  const { files } = await transpile(component, { name: 'wasock', instantiation: 'sync' });
  const dir = mkdtempSync(join(tmpdir(), `wasock-bench-${tag}-`));
  const modules = new Map();
  let envReads = 0;
  for (const [name, data] of Object.entries(files)) {
    if (name.endsWith('.d.ts')) continue;
    if (name.endsWith('.wasm')) { modules.set(name, new WebAssembly.Module(data)); continue; }
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    const text = name.endsWith('.js') ? patch(Buffer.from(data).toString()) : data;
    writeFileSync(join(dir, name), text);
    if (name.endsWith('.js')) envReads += (text.match(/_debugLog\(/g) ?? []).length;
  }
  const js = await import(pathToFileURL(join(dir, 'wasock.js')).href);
  const instantiate = (host) => js.instantiate((p) => modules.get(p), { 'wasock:core/host': host }).sockets;
  return { instantiate, envReads };
}

const jco111 = await load(transpile111, 'jco111');
const jco135 = await load(transpile135, 'jco135');
// jco 1.35 with its debug switch read once at load instead of at every call site: how much of
// its per-call cost is process.env, and how much its (p3 async) task bookkeeping.
const DEBUG_READ = 'globalThis?.process?.env?.JCO_DEBUG';
const jco135once = await load(transpile135, 'jco135once', (js) => {
  if (!js.includes(DEBUG_READ)) throw new Error(`jco 1.35's output no longer reads ${DEBUG_READ}`);
  return js.replaceAll(DEBUG_READ, 'false');
});

/** How many times `f` reads process.env (a counting getter on process.env for one call). */
function envReadsPerCall(f) {
  const env = process.env;
  let n = 0;
  Object.defineProperty(process, 'env', { configurable: true, get: () => { n++; return env; } });
  try { f(); } finally { Object.defineProperty(process, 'env', { configurable: true, writable: true, value: env }); }
  return n;
}

// ---------------------------------------------------------------- the raw core, as wasock binds it
const rawModule = new WebAssembly.Module(raw);
function rawInstance() {
  const memory = new WebAssembly.Memory({ initial: 4, maximum: 65536 });
  const host = new LinuxHost();
  const instance = new WebAssembly.Instance(rawModule, {
    env: { memory },
    // win_ioctl: the one import the Linux host leaves out (ioctl.windows), never called.
    host: { win_ioctl: () => -38, ...host.imports(memory), abort: () => { throw new Error('abort'); } },
    policy: { decide: (a) => a },
  });
  instance.exports.core_init();
  return { x: instance.exports, memory, host };
}

/** Per-call time (ns) of f over n calls, after a warm-up. */
function perCall(f, n) {
  for (let i = 0; i < Math.max(1000, n / 10); i++) f();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  return Number(process.hrtime.bigint() - t) / n;
}

// ---------------------------------------------------------------- set-up: a connected pair per variant
const SOL_SOCKET = 1, SO_KEEPALIVE = 9, AF_INET = 2, SOCK_STREAM = 1;
const four = new Uint8Array([1, 2, 3, 4]);

function componentPair(s) {
  const srv = s.socket(AF_INET, SOCK_STREAM, 0);
  s.bind(srv, { tag: 'inet', val: { host: '127.0.0.1', port: 0 } });
  s.listen(srv);
  const cli = s.socket(AF_INET, SOCK_STREAM, 0);
  s.connect(cli, s.getsockname(srv));
  const conn = s.accept(srv).socket;
  s.setsockopt(cli, SOL_SOCKET, SO_KEEPALIVE, 1);
  return { cli, conn, close: () => { for (const h of [cli, conn, srv]) s.close(h); } };
}

const variants = {};
const perCallEnv = {};
for (const [tag, c] of [['jco 1.11.3', jco111], ['jco 1.35', jco135], ['jco 1.35 env once', jco135once]]) {
  const s = c.instantiate(componentHost(new LinuxHost()));
  const p = componentPair(s);
  perCallEnv[tag] = envReadsPerCall(() => s.getsockopt(p.cli, SOL_SOCKET, SO_KEEPALIVE));
  variants[`component, ${tag}`] = {
    getsockopt: () => s.getsockopt(p.cli, SOL_SOCKET, SO_KEEPALIVE),
    echo: () => { s.send(p.cli, four, 0); s.recv(p.conn, 4n, 0); },
    close: p.close,
  };
}
{
  // wasock's own API: the Node hot path (src/ over the raw core, Linux host).
  const srv = w.create_server(['127.0.0.1', 0]);
  const cli = w.create_connection(srv.getsockname());
  const [conn] = srv.accept();
  cli.setsockopt(w.SOL_SOCKET, w.SO_KEEPALIVE, 1);
  const buf = new Uint8Array(4);
  variants['wasock API (raw core)'] = {
    getsockopt: () => cli.getsockopt(w.SOL_SOCKET, w.SO_KEEPALIVE),
    echo: () => { cli.send(four); conn.recv_into(buf, 4); },
    close: () => { cli.close(); conn.close(); srv.close(); },
  };
  // The raw core's export called directly (no src/), on the same kind of socket.
  const r = rawInstance();
  const h = r.x.sock_new(AF_INET, SOCK_STREAM, 0);
  r.x.sock_setsockopt_int(h, SOL_SOCKET, SO_KEEPALIVE, 1);
  variants['raw core export'] = {
    getsockopt: () => r.x.sock_getsockopt_int(h, SOL_SOCKET, SO_KEEPALIVE),
    close: () => r.x.sock_close(h),
  };
  // The host import alone: one koffi getsockopt into core memory.
  const im = r.host.imports(r.memory);
  const fd = r.x.sock_fileno(h), val = r.x.core_layout(1), len = r.x.core_layout(2);
  variants['host import (koffi)'] = {
    getsockopt: () => { new DataView(r.memory.buffer).setInt32(len, 4, true); return im.getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, val, len); },
    close: () => {},
  };
}

// ---------------------------------------------------------------- instantiation
const inst = {
  'component, jco 1.11.3': () => jco111.instantiate(componentHost(new LinuxHost())).hasCapability('bind'),
  'component, jco 1.35': () => jco135.instantiate(componentHost(new LinuxHost())).hasCapability('bind'),
  'raw core': () => rawInstance(),
};

const times = { getsockopt: {}, echo: {}, instantiate: {} };
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, v] of Object.entries(variants)) {
    (times.getsockopt[name] ??= []).push(perCall(v.getsockopt, 100_000));
    if (v.echo) (times.echo[name] ??= []).push(perCall(v.echo, 20_000));
  }
  for (const [name, f] of Object.entries(inst)) (times.instantiate[name] ??= []).push(perCall(f, 200));
}
for (const v of Object.values(variants)) v.close();

const rawSize = raw.length;
console.log(`wasock component bench: ${ROUNDS} alternating rounds, medians (Node ${process.version})`);
console.log(`size: component ${component.length} B, raw core (build/core.wasm) ${rawSize} B, ratio ${(component.length / rawSize).toFixed(2)}`);
console.log(`_debugLog call sites in the generated JS: jco 1.11.3 ${jco111.envReads}, jco 1.35 ${jco135.envReads}`);
console.log(`process.env reads per getsockopt call: ${Object.entries(perCallEnv).map(([k, v]) => `${k} ${v}`).join(', ')}`);
const show = (what, unit, ref) => {
  console.log(`${what}:`);
  const base = median(times[what][ref]);
  for (const [name, xs] of Object.entries(times[what])) {
    const m = median(xs);
    console.log(`  ${name.padEnd(26)} ${(unit === 'µs' ? m / 1e3 : m / 1e6).toFixed(unit === 'µs' ? 2 : 3).padStart(9)} ${unit}   x${(m / base).toFixed(2)}`);
  }
};
show('getsockopt', 'µs', 'raw core export');
show('echo', 'µs', 'wasock API (raw core)');
show('instantiate', 'ms', 'raw core');
