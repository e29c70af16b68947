// No import cycles among src/ and host/: the modules load in one order, each after the
// modules it imports (what counts as an import: test/helpers/imports.ts — type-only imports
// do not, TypeScript erases them).
import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { importsOf, runtimeGraph, findCycles } from './helpers/imports.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('the import graph', () => {
  it('src/ and host/ have no import cycle (type-only imports excepted)', () => {
    const g = runtimeGraph(root, ['src', 'host']);
    // AssemblyScript compiled into a core (host/emulated/wasm, host/wasi-p1/wasm,
    // host/wasi-p2/wasm) is one program to asc, which orders its modules itself: there is no
    // module load order to protect there.
    for (const k of [...g.keys()]) if (/^host\/[^/]+\/wasm\//.test(k)) g.delete(k);
    expect(g.size).toBeGreaterThan(20);
    expect(g.get('src/api.ts')).toContain('src/socket.ts');    // export-from edges count
    expect(findCycles(g).map((c) => c.join(' -> '))).toEqual([]);
  });
});

describe('the import parser and cycle finder', () => {
  it('reads import, bare import and export-from forms, multi-line too; type-only ones are marked', () => {
    const src = [
      "import { a,",
      "  b } from './one.js';",
      "import * as ns from \"./two.js\";",
      "import './three.js';",
      "export * from './four.js';",
      "export { c as d } from './five.js';",
      "import type { T } from './six.js';",
      "export type { U } from './seven.js';",
      "import { type V, type W } from './eight.js';",
      "import { type X, y } from './nine.js';",
      "// import { z } from './commented.js';",
      "/* export * from './block.js'; */",
      "const lazy = () => import('./dynamic.js');",
      "import { readFileSync } from 'node:fs';",
    ].join('\n');
    expect(importsOf(src)).toEqual([
      { spec: './one.js', typeOnly: false },
      { spec: './two.js', typeOnly: false },
      { spec: './four.js', typeOnly: false },
      { spec: './five.js', typeOnly: false },
      { spec: './six.js', typeOnly: true },
      { spec: './seven.js', typeOnly: true },
      { spec: './eight.js', typeOnly: true },
      { spec: './nine.js', typeOnly: false },
      { spec: 'node:fs', typeOnly: false },
      { spec: './three.js', typeOnly: false },
    ]);
  });

  it('finds each cycle once, as a path, and none in a graph without one', () => {
    const g = new Map<string, string[]>([
      ['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []], ['e.ts', ['e.ts']], ['f.ts', ['d.ts']],
    ]);
    expect(findCycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts'], ['e.ts', 'e.ts']]);
    expect(findCycles(new Map([['a.ts', ['b.ts']], ['b.ts', []]]))).toEqual([]);
  });
});
