// The README's TypeScript example runs as written (with 'wasock' pointing at src/).
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

/** Runs one README block with 'wasock' pointing at src/; returns what it printed. */
async function run(code: string, name: string): Promise<string[]> {
  const index = fileURLToPath(new URL('../src/index.js', import.meta.url));
  const file = fileURLToPath(new URL(`./readme-${name}.generated.ts`, import.meta.url));
  writeFileSync(file, code.replace("from 'wasock'", `from '${index}'`));
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import(file);
    return log.mock.calls.map((c) => c.map((x) => (typeof x === 'string' ? x : JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))).join(' '));
  } finally {
    log.mockRestore();
    rmSync(file, { force: true });
  }
}

it('README: the socket example runs and prints what its comments say', async () => {
  const lines = await run(blocks[0], 'socket');
  expect(lines[0]).toBe('131072');                                  // SO_RCVBUF doubled
  expect(lines[1]).toBe('true getsockopt buflen out of range');
});

it('README: the struct example runs and prints what its comments say', async () => {
  const lines = await run(blocks[1], 'struct');
  expect(lines).toEqual(['16', '[1,5]', '["1n","500000n"]', 'true short format requires -32768 <= number <= 32767']);
});

it('README: the Node sockets example runs and prints what its comments say', async () => {
  const block = blocks.find((b) => b.includes('fromNode('));
  expect(block).toBeDefined();
  const lines = await run(block!, 'node');
  expect(lines).toEqual(['30', '1', 'hello from Node']);
});

it('README: the fcntl example runs and prints what its comments say', async () => {
  const block = blocks.find((b) => b.includes('fcntl.ioctl('));
  expect(block).toBeDefined();
  const lines = await run(block!, 'fcntl');
  expect(lines).toEqual(['10', '[10,0,0,0]', '2050 null', 'true']);
});

it('README: the Node streams example runs and prints what its comments say', async () => {
  const block = blocks.find((b) => b.includes('toReadable'))!;
  expect(await run(block, 'streams')).toEqual(['hello w\u00f6rld']);
});
