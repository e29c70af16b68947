// vitest globalSetup: the suite tests what the sources say, not a stale build. The core
// (build/core.wasm) is rebuilt when any file under assembly/ is newer than it, the component
// (build/wasock.component.wasm) when assembly/, wit/ or scripts/build-component.mjs is, and dist/ (which
// the CLI, README-sample and consumer tests run) when any file under src/ or host/ is newer
// than dist/src/index.js. A fresh clone builds both in `npm ci` (prepare), so this costs a
// stat walk there.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The newest modification time of the files below `dir` whose names end in `ext`. */
function newest(dir: string, ext = '.ts'): number {
  let t = 0;
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, ext));
    else if (e.name.endsWith(ext)) t = Math.max(t, statSync(join(root, p)).mtimeMs);
  }
  return t;
}

const built = (file: string): number => (existsSync(join(root, file)) ? statSync(join(root, file)).mtimeMs : 0);

function run(script: string): void {
  execFileSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
}

export default function setup(): void {
  // The hosts compiled into a core of their own count too (host/wasi-p1/wasm: its core; build:core
  // also builds the wasi-p2 component, whose host is AssemblyScript under host/wasi-p2/wasm).
  if (Math.max(newest('assembly'), newest('host/wasi-p1/wasm')) > Math.min(built('build/core.wasm'), built('build/core-wasi-p1.wasm')) ||
      Math.max(newest('assembly'), newest('host/wasi-p2/wasm')) > built('host/wasi-p2/bindings.generated.ts')) run('build:core');
  // The component (build:core builds it too): its WIT and its build script count as sources.
  else if (Math.max(newest('assembly'), newest('wit', '.wit'), built('scripts/build-component.mjs')) > built('build/wasock.component.wasm')) run('build:component');
  if (Math.max(newest('src'), newest('host')) > built('dist/src/index.js')) run('build:ts');
}
