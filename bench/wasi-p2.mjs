// bench/wasi-p2.mjs: the wasi-p2 component (the core with host/wasi-p2 compiled in) beside
// the Linux host, same run: getsockopt(IPPROTO_TCP, TCP_KEEPIDLE) and a 4-byte send+recv echo
// against a python3 echo peer in a child process; through preview2-shim (jco 1.11.3 and
// jco 1.35 bindings) and through wasock's own provider (wasock/wasi-sockets); the component's
// size and instantiation time. `taskset -c 1 node bench/wasi-p2.mjs`
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
const lin = rows[0];
for (const [name, g, e] of rows) console.log(`${name.padEnd(22)} getsockopt(TCP_KEEPIDLE) ${g.toFixed(2).padStart(8)} µs (${(g / lin[1]).toFixed(2)}x linux)   4-byte echo ${e.toFixed(1).padStart(7)} µs (${(e / lin[2]).toFixed(2)}x linux)`);
peer.kill();
process.exit(0);
