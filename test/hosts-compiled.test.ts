// The two kinds of host (assembly/bindings/host.ts). A host compiled into the core is an
// AssemblyScript folder exporting HOST_<import> functions, named in an asconfig target's
// `lib`: host/none builds build/core-none.wasm, a core that imports nothing from any host.
// The browser entry and a Node process before its first socket run on it.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { struct } from '../src/index.js';
import { core, coreNoneWasm, coreWasm } from '../src/core.js';
import { HOST_IMPORT_ARITY } from '../host/types.js';

const read = (rel: string) => readFileSync(new URL(`../${rel}`, import.meta.url), 'utf8');
const arity = (params: string) => params.split(',').filter((p) => p.trim() !== '').length;

/** name -> parameter count of every `@external("host", name)` import of the bindings. */
function bindings(): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of read('assembly/bindings/host.ts').matchAll(/@external\("host",\s*"(\w+)"\)\s*(?:export\s+)?declare\s+function\s+\w+\s*\(([^)]*)\)/g)) {
    if (m[1] !== 'abort') out.set(m[1], arity(m[2]));
  }
  return out;
}

describe('a host compiled into the core (host/none)', () => {
  it('implements every import of the bindings, with the same arity', () => {
    // Every .ts file of the folders asconfig's "none" target names in `lib` (host/none and the
    // stub folders it shares with the WASI hosts).
    const libs = (JSON.parse(read('asconfig.json')) as { targets: { none: { lib: string[] } } }).targets.none.lib;
    const none = new Map<string, number>();
    for (const dir of libs) {
      for (const f of readdirSync(new URL(`../${dir}/`, import.meta.url)).filter((n) => n.endsWith('.ts'))) {
        for (const m of read(`${dir}/${f}`).matchAll(/export function HOST_(\w+)\(([^)]*)\)/g)) {
          expect(none.has(m[1]), `HOST_${m[1]} defined twice`).toBe(false);
          none.set(m[1], arity(m[2]));
        }
      }
    }
    expect([...none.entries()].sort()).toEqual([...bindings().entries()].sort());
  });

  it('makes a self-contained core: memory, abort and the policy hook are its only imports; the JavaScript-host core imports the whole ABI', () => {
    const imports = (b: Uint8Array<ArrayBuffer>) => WebAssembly.Module.imports(new WebAssembly.Module(b)).map((i) => `${i.module}.${i.name}`).sort();
    // policy.decide: the sandbox policy's call out to its check callbacks and audit hooks (src/policy.ts).
    expect(imports(coreNoneWasm())).toEqual(['env.memory', 'host.abort', 'policy.decide']);
    expect(imports(coreWasm())).toEqual(['env.memory', 'host.abort', 'policy.decide', ...Object.keys(HOST_IMPORT_ARITY).map((n) => `host.${n}`)].sort());
    // What is embedded is what asc built.
    expect(Buffer.compare(Buffer.from(coreNoneWasm()), readFileSync(new URL('../build/core-none.wasm', import.meta.url)))).toBe(0);
  });

  it('runs struct, the errno table and the option table before any socket, with no capability', () => {
    // This file makes no socket: the default core is still the one with host/none.
    const c = core();
    expect(c.host.name).toBe('no host');
    for (let i = 0; i < c.x.core_cap_count(); i++) expect(c.x.core_has_cap(i), c.str(c.x.core_cap_name(i))).toBe(0);
    expect(struct.unpack('<hi', struct.pack('<hi', -2, 70000))).toEqual([-2, 70000]);
    expect(c.str(c.x.errno_name(104))).toBe('ECONNRESET');
  });
});
