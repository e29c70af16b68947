import * as shim from '@bytecodealliance/preview2-shim'; import { openSync, writeSync } from 'node:fs'; const LOG = openSync('/tmp/p2x/trace.log', 'w');
import { network } from '/work/main/dist/src/wasi-p2.js';
const log = [];
function wrapObj(name, o) {
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'function' && v.prototype && Object.getOwnPropertyNames(v.prototype).length > 1) {
      for (const m of Object.getOwnPropertyNames(v.prototype)) {
        if (m === 'constructor') continue;
        const d = Object.getOwnPropertyDescriptor(v.prototype, m);
        if (typeof d.value !== 'function') continue;
        const f = d.value;
        v.prototype[m] = function (...a) { writeSync(LOG, `${k}.${m}(${a.map(x => typeof x === 'bigint' ? x + 'n' : typeof x === 'object' ? '{}' : x).join(',')})` + "\n"); if (log.length > 60) log.shift(); return f.apply(this, a); };
      }
    } else if (typeof v === 'function') {
      o[k] = (...a) => { writeSync(LOG, `${name}.${k}` + "\n"); if (log.length > 60) log.shift(); return v(...a); };
    }
  }
}
const io = { ...shim.io }; 
for (const [k, v] of Object.entries(shim.io)) wrapObj(k, v);
setTimeout(() => {}, 0);
process.on('SIGTERM', () => { console.log(log.slice(-30).join('\n')); process.exit(1); });
const net = network();
const l = new net.socket(); l.setsockopt(1, 8, 4096); l.bind(['127.0.0.1', 0]); l.listen();
const c = new net.socket(); c.setsockopt(1, 7, 4096); c.connect(l.getsockname());
const [a] = l.accept();
c.settimeout(0.2);
const t0 = performance.now();
const tm = setTimeout(() => {}, 1);
try { c.sendall(new Uint8Array(8 << 20)); } catch (e) { console.log(e.name, e.message); }
console.log('elapsed', Math.round(performance.now() - t0));
process.exit(0);
