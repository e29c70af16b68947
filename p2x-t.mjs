import { transpile } from 'jco-1-11';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
const c = readFileSync('/tmp/p2x/t.component.wasm');
const out = await transpile(c, { name: 't', instantiation: 'sync', noTypescript: true, tlaCompat: false });
mkdirSync('/tmp/p2x/out', { recursive: true });
for (const [k, v] of Object.entries(out.files)) { if (k.endsWith('.d.ts')) continue; writeFileSync('/tmp/p2x/out/' + k, v); console.log(k, v.length); }
