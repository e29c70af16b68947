import { componentEmbed, componentNew, componentWit } from '@bytecodealliance/jco';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
const dir = 'host/wasi-p2/wit';
let src = readFileSync(`${dir}/world.wit`, 'utf8');
for (const d of readdirSync(`${dir}/deps`)) {
  const t = readFileSync(`${dir}/deps/${d}/package.wit`, 'utf8');
  src += '\n' + t.replace(/^package ([^;]+);/m, 'package $1 {') + '\n}\n';
}
const bin = readFileSync('/tmp/p2x/t.wasm');
const emb = await componentEmbed({ binary: bin, witSource: src, world: 'core', stringEncoding: 'utf16' });
const c = await componentNew(emb, []);
writeFileSync('/tmp/p2x/t.component.wasm', c);
console.log(await componentWit(c));
