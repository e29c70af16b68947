// The README's TypeScript example runs as written (with 'wasock' pointing at src/).
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it, vi } from 'vitest';

it("README: the TypeScript example runs and prints what its comments say", async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)![1];
  const index = fileURLToPath(new URL('../src/index.js', import.meta.url));
  const file = fileURLToPath(new URL('./readme-example.generated.ts', import.meta.url));
  writeFileSync(file, code.replace("from 'wasock'", `from '${index}'`));
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import(file);
    const lines = log.mock.calls.map((c) => c.join(' '));
    expect(lines[0]).toBe('131072');                                  // SO_RCVBUF doubled
    expect(lines[1]).toBe('true getsockopt buflen out of range');
  } finally {
    log.mockRestore();
    rmSync(file, { force: true });
  }
});
