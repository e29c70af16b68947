// The static import graph of TypeScript sources, for test/imports.test.ts.
//
// Counted: `import ... from './x.js'`, `import './x.js'` and `export ... from './x.js'`, which
// ES modules evaluate before the importing module, so a cycle among them runs one module's
// top level while another of the cycle is still uninitialised (a class used before its
// declaration, a constant read as undefined).
// Not counted: `import type` / `export type`, and imports whose every name is `type`-qualified
// (`import { type A } from`): TypeScript erases them, nothing is loaded at run time.
// Dynamic `import('./x.js')` is not counted either: it loads later, when called.
// An import without `type` whose names are only used as types is counted although tsc drops
// it: the rule is that a type-only import says so.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, dirname, resolve, relative } from 'node:path';

export interface ImportRef { spec: string; typeOnly: boolean }

const FROM = /^[ \t]*(import|export)\s+(type\s+)?([^;'"`]*?)\s*from\s*['"]([^'"]+)['"]/gm;
const BARE = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;

/** The static imports and re-exports of one module's source. */
export function importsOf(source: string): ImportRef[] {
  // Comments could hold text shaped like an import; strings cannot start a line's statement.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/^[ \t]*\/\/.*$/gm, '');
  const out: ImportRef[] = [];
  for (const m of code.matchAll(FROM)) {
    const clause = m[3].trim();
    let typeOnly = m[2] !== undefined;
    const braces = /^\{([\s\S]*)\}$/.exec(clause);
    if (!typeOnly && braces) {
      const names = braces[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0);
      typeOnly = names.length > 0 && names.every((s) => /^type\s/.test(s));
    }
    out.push({ spec: m[4], typeOnly });
  }
  for (const m of code.matchAll(BARE)) out.push({ spec: m[1], typeOnly: false });
  return out;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** './x.js' from `from` -> the .ts file it names ('./x.ts' or './x/index.ts'), or null. */
function resolveSpec(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;           // packages and node: builtins
  const base = resolve(dirname(from), spec);
  for (const c of [base.replace(/\.js$/, '.ts'), base + '.ts', join(base, 'index.ts')]) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return null;
}

/** Run-time edges between the .ts files under `dirs` (paths relative to `root`). */
export function runtimeGraph(root: string, dirs: string[]): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const d of dirs) {
    for (const f of tsFiles(join(root, d))) {
      const edges: string[] = [];
      for (const ref of importsOf(readFileSync(f, 'utf8'))) {
        if (ref.typeOnly) continue;
        const to = resolveSpec(f, ref.spec);
        if (to !== null) edges.push(relative(root, to));
      }
      g.set(relative(root, f), edges);
    }
  }
  return g;
}

/**
 * Every cycle's strongly connected component (Tarjan), each reported as one concrete cycle
 * through it: ['a.ts', 'b.ts', 'a.ts'].
 */
export function findCycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>();
  const stack: string[] = [], on = new Set<string>();
  const sccs: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1 || (g.get(v) ?? []).includes(v)) sccs.push(scc);
    }
  };
  for (const v of [...g.keys()].sort()) if (!idx.has(v)) visit(v);
  return sccs.map((scc) => cycleIn(g, new Set(scc)));
}

/** A shortest path from the component's first file (sorted) back to itself. */
function cycleIn(g: Map<string, string[]>, scc: Set<string>): string[] {
  const start = [...scc].sort()[0];
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of g.get(v) ?? []) {
      if (!scc.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = prev.get(u)!) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
    }
  }
  return [start, start];
}
