// bench/wasi-p2.mjs: the wasi-p2 component (the core with host/wasi-p2 compiled in) beside
// the Linux host, same run: getsockopt(IPPROTO_TCP, TCP_KEEPIDLE) and a 4-byte send+recv echo
// against a python3 echo peer in a child process; through preview2-shim (jco 1.11.3 and
// jco 1.35 bindings) and through wasock's own provider (wasock/wasi-sockets); the component's
// size and instantiation time. Also the component's typed exports (`wasock:core/sockets`)
// through jco on wasock's provider, and a typed call that needs no socket through wasmtime
// (wasmtime-py in build/venv-wasmtime: its C API creates no TCP/UDP socket, docs/decisions.md)
// beside the same call through jco. `taskset -c 1 node bench/wasi-p2.mjs`
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import * as shim from '@bytecodealliance/preview2-shim';
import { network as linuxNetwork } from '../dist/src/linux.js';
import { network as p2network, WasiP2Host } from '../dist/src/wasi-p2.js';
import { wasiImportsOf } from '../dist/host/wasi-p2/index.js';
import { networkOn } from '../dist/src/network.js';
import { ownCore } from '../dist/src/core.js';
import { instantiate as instantiate135 } from '../build/wasi-p2-jco135/wasock-wasi-p2.js';
import { instantiate as instantiateTyped, CORE_MODULES_BASE64 } from '../dist/host/wasi-p2/bindings.generated.js';
import { wasiSockets } from '../dist/src/wasi-sockets.js';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
function time(fn, n, rounds = 5) {
  const r = [];
  for (let k = 0; k < rounds; k++) { const t0 = process.hrtime.bigint(); for (let i = 0; i < n; i++) fn(); r.push(Number(process.hrtime.bigint() - t0) / n / 1000); }
  return median(r);
}

/** The same host on jco 1.35's bindings (build/wasi-p2-jco135). */
class Jco135Host extends WasiP2Host {
  instantiate(imports) {
    const mods = new Map(['wasock-wasi-p2.core.wasm', 'wasock-wasi-p2.core2.wasm', 'wasock-wasi-p2.core3.wasm']
      .map((n) => [n, new WebAssembly.Module(readFileSync(new URL(`../build/wasi-p2-jco135/${n}`, import.meta.url)))]));
    const main = mods.get('wasock-wasi-p2.core.wasm');
    let core = null;
    instantiate135((n) => mods.get(n), wasiImportsOf(shim), (m, imp) => { const i = new WebAssembly.Instance(m, imp); if (m === main) core = i; return i; });
    return core;
  }
}

const peer = spawn('python3', ['-c', `
import socket
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    while True:
        d = c.recv(64)
        if not d: break
        c.sendall(d)
    c.close()
`], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = Number(String((await once(peer.stdout, 'data'))[0]).trim());

const comp = statSync(new URL('../build/wasock-wasi-p2.component.wasm', import.meta.url)).size;
const t0 = performance.now(); const inst = p2network(); new inst.socket().close(); const instMs = performance.now() - t0;
console.log(`component: ${comp} bytes; network() + first socket (instantiation): ${instMs.toFixed(1)} ms`);

const nets = {
  linux: linuxNetwork(),
  'p2/shim jco1.11.3': p2network(),
  'p2/shim jco1.35': (() => { const h = new Jco135Host(wasiImportsOf(shim)); return networkOn(ownCore(h), h); })(),
  'p2/wasock jco1.11.3': p2network({ provider: 'wasock' }),
};
const four = new Uint8Array([1, 2, 3, 4]);
const rows = [];
for (const [name, net] of Object.entries(nets)) {
  const s = new net.socket();
  const g = time(() => s.getsockopt(6, 4), name.includes('1.35') ? 2000 : 20000);
  s.close();
  const c = new net.socket();
  c.connect(['127.0.0.1', port]);
  const e = time(() => { c.send(four); c.recv(4); }, name.includes('shim') ? 300 : 3000);
  c.close();
  rows.push([name, g, e]);
}
// The typed exports (wasock:core/sockets) through jco 1.11.3 on wasock's provider.
const mods = new Map(Object.entries(CORE_MODULES_BASE64).map(([n, b]) => [n, new WebAssembly.Module(Buffer.from(b, 'base64'))]));
const typed = instantiateTyped((n) => mods.get(n), wasiSockets({ network: linuxNetwork() }).imports()).sockets;
{
  const s = typed.socket(2, 1, 0);
  const g = time(() => typed.getsockopt(s, 6, 4), 20000);
  typed.close(s);
  const c = typed.socket(2, 1, 0);
  typed.connect(c, { tag: 'inet', val: { host: '127.0.0.1', port } });
  const e = time(() => { typed.sendall(c, four, 0); typed.recv(c, 4n, 0); }, 3000);
  typed.close(c);
  rows.push(['p2/wasock typed exports', g, e]);
}
const lin = rows[0];
for (const [name, g, e] of rows) console.log(`${name.padEnd(24)} getsockopt(TCP_KEEPIDLE) ${g.toFixed(2).padStart(8)} µs (${(g / lin[1]).toFixed(2)}x linux)   4-byte echo ${e.toFixed(1).padStart(7)} µs (${(e / lin[2]).toFixed(2)}x linux)`);

// A typed call that needs no socket, wasmtime vs jco: getdefaulttimeout() (option<f64>) and
// getsockopt on a closed handle (the error record: strings lifted per call).
const jcoNoSock = [time(() => typed.getdefaulttimeout(), 20000), time(() => { try { typed.getsockopt(0, 1, 9); } catch { /* EBADF */ } }, 20000)];
const py = new URL('../build/venv-wasmtime/bin/python', import.meta.url).pathname;
if (existsSync(py)) {
  const out = execFileSync(py, ['-c', `
import time, json, statistics, wasmtime, wasmtime.component as C
from wasmtime import _ffi as ffi
e = wasmtime.Engine(); st = wasmtime.Store(e); cfg = wasmtime.WasiConfig(); ffi.wasi_config_inherit_network(cfg.ptr()); st.set_wasi(cfg)
l = C.Linker(e); l.add_wasip2(); i = l.instantiate(st, C.Component.from_file(e, 'build/wasock-wasi-p2.component.wasm'))
x = i.get_export_index(st, 'wasock:core/sockets')
f = lambda n: i.get_func(st, i.get_export_index(st, n, x))
g, o = f('getdefaulttimeout'), f('getsockopt')
def t(fn, n=3000):
    r = []
    for _ in range(5):
        t0 = time.perf_counter_ns()
        for _ in range(n): fn()
        r.append((time.perf_counter_ns() - t0) / n / 1000)
    return statistics.median(r)
def a(): g(st); g.post_return(st)
def b(): o(st, 0, 1, 9); o.post_return(st)
print(json.dumps([t(a), t(b)]))
`], { encoding: 'utf8' });
  const [wg, wo] = JSON.parse(out);
  console.log(`typed call, no socket: getdefaulttimeout() wasmtime-py ${wg.toFixed(2)} µs vs jco ${jcoNoSock[0].toFixed(2)} µs (${(wg / jcoNoSock[0]).toFixed(1)}x); getsockopt(closed) -> error record: wasmtime-py ${wo.toFixed(2)} µs vs jco ${jcoNoSock[1].toFixed(2)} µs (${(wo / jcoNoSock[1]).toFixed(1)}x)`);
} else console.log('wasmtime-py not installed (build/venv-wasmtime): no wasmtime line');
peer.kill();
process.exit(0);
