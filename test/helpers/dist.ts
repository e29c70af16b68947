// dist/ is what the package tests run (a consumer's view, a browser's): it must be the
// current sources' build.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Fails when a source file is newer than its build: the checks below would test old code. */
export function expectFreshDist(): void {
  const stale: string[] = [];
  for (const dir of ['src', 'host', 'host/linux']) {
    for (const f of readdirSync(join(root, dir))) {
      if (!f.endsWith('.ts') || f.endsWith('.d.ts')) continue;
      const built = join(root, 'dist', dir, f.replace(/\.ts$/, '.js'));
      let t = 0;
      try { t = statSync(built).mtimeMs; } catch { /* missing: stale */ }
      if (statSync(join(root, dir, f)).mtimeMs > t) stale.push(`${dir}/${f}`);
    }
  }
  expect(stale, 'dist/ is older than these sources: run `npm run build`').toEqual([]);
}

