// The README as a user meets it: every code block has a language tag and is checked the way
// its language allows. `ts` blocks run as written (with 'wasock' pointing at src/) and print
// what their comments say (test/typecheck.test.ts type-checks them); the probe sample
// (`console`) matches what the built CLI prints today; the `sh` commands exist in
// package.json; the layout (`text`) names folders that exist.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { readmeBlocks, readmeText } from './helpers/readme.js';

const blocks = readmeBlocks();
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));

/** Runs one README block with 'wasock' pointing at src/; returns what it printed. */
async function run(code: string, name: string): Promise<string[]> {
  const index = fileURLToPath(new URL('../src/index.js', import.meta.url));
  const file = fileURLToPath(new URL(`./readme-${name}.generated.ts`, import.meta.url));
  const linux = fileURLToPath(new URL('../src/linux.js', import.meta.url));
  const wasiP1 = fileURLToPath(new URL('../src/wasi-p1.js', import.meta.url));
  const pyodide = fileURLToPath(new URL('../src/pyodide-node.js', import.meta.url));
  writeFileSync(file, code.replaceAll("from 'wasock'", `from '${index}'`).replaceAll("from 'wasock/linux'", `from '${linux}'`)
    .replaceAll("from 'wasock/wasi-p1'", `from '${wasiP1}'`).replaceAll("from 'wasock/pyodide'", `from '${pyodide}'`));
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import(file);
    return log.mock.calls.map((c) => c.map((x) => (typeof x === 'string' ? x : JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))).join(' '));
  } finally {
    log.mockRestore();
    rmSync(file, { force: true });
  }
}

it('every code block has a language tag this test checks', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(9);
  for (const b of blocks) expect(['ts', 'sh', 'console', 'text'], `README line ${b.line}`).toContain(b.lang);
});

// What each ts block prints, found by a call only that block makes. A new ts block without an
// entry here fails the first test below: every block runs.
const printed: { name: string; marker: string; lines: string[] }[] = [
  { name: 'socket', marker: 'getsockopt(SOL_SOCKET, SO_RCVBUF, 2000)', lines: ['131072', 'true getsockopt buflen out of range'] },
  { name: 'struct', marker: 'struct.calcsize(', lines: ['16', '[1,5]', '["1n","500000n"]', 'true short format requires -32768 <= number <= 32767'] },
  { name: 'makefile', marker: 'a.settimeout(0.5)', lines: ['"hello\\n"', '"world\\n"', 'true timed out'] },
  { name: 'node', marker: 'fromNode(', lines: ['30', '1', 'hello from Node'] },
  { name: 'streams', marker: 'toReadable(', lines: ['hello w\u00f6rld'] },
  { name: 'fcntl', marker: 'fcntl.ioctl(', lines: ['10', '[10,0,0,0]', '2050 null', 'true'] },
  { name: 'emulated', marker: "faults.partition('local', 'server')", lines: ['["10.0.0.1",37282]', 'ping', '[Errno 110] Connection timed out 90', '[Errno 35] Resource deadlock avoided'] },
  { name: 'network', marker: 'net.setdefaulttimeout(2)', lines: ['2 null', 'true', 'getsockopt is not available on no-getsockopt'] },
  { name: 'wasi-p1', marker: 'undefined, undefined, undefined, 3', lines: ['4 null', 'ping', 'timed out',
    "getsockopt is not available on wasi-p1 (it needs the 'getsockopt' capability): WASI preview 1 has no call for it (Python: Availability: not WASI)"] },
  { name: 'pyodide', marker: 'installIntoPyodide(pyodide', lines: [
    'hello from Python | [Errno 63] connect to 10.0.0.1 port 80 denied by policy: no rule allows connect to this address',
  ] },
  { name: 'pyodide-sandbox', marker: 'unregisterJsModule(m)', lines: [
    'ConnectionRefusedError: [Errno 14] Connection refused',
    'PermissionError: [Errno 63] connect to 192.0.2.1 port 80 denied by policy: no rule allows connect to this address',
    'PermissionError: [Errno 63] socket(AF_INET, SOCK_DGRAM) denied by policy: udp sockets are not allowed',
    "FileNotFoundError: [Errno 44] No such file or directory: '/etc/hostname'",
    "ModuleNotFoundError: No module named 'js'",
  ] },
  { name: 'policy', marker: 'policy()', lines: [
    'true [Errno 1] socket(AF_INET, SOCK_DGRAM) denied by policy: udp sockets are not allowed',
    'true [Errno 1] connect to 10.0.0.1 port 80 denied by policy: no rule allows connect to this address',
    'true [Errno 1] connect to 127.0.0.1 port 6379 denied by policy: no redis here',
    'true [Errno 1] setsockopt(SOL_SOCKET, SO_RCVBUF, 16777216) denied by policy: value 16777216 is outside [-Infinity, 1048576]',
    '4 1',
  ] },
];

describe('README ts blocks', () => {
  const ts = blocks.filter((b) => b.lang === 'ts');

  it('each ts block has exactly one expectation below, and each expectation its block', () => {
    for (const b of ts) expect(printed.filter((p) => b.code.includes(p.marker)).map((p) => p.name), `README line ${b.line}`).toHaveLength(1);
    for (const p of printed) expect(ts.filter((b) => b.code.includes(p.marker)), p.name).toHaveLength(1);
  });

  for (const p of printed) {
    it(`the ${p.name} example runs and prints what its comments say`, async () => {
      const block = ts.find((b) => b.code.includes(p.marker));
      expect(block, p.marker).toBeDefined();
      expect(await run(block!.code, p.name)).toEqual(p.lines);
    });
  }
});

// One row of the probe's table: level, name, value (the value as the table shows it).
const rowRe = /^(\S+)\s+(\S+)\s+(.*)$/;

/**
 * What a probe value looks like, machine-independently: an int, a quoted string, a decoded
 * struct with its field names, hex with its size and struct format, or the exact error.
 * Ports, cookies and buffer sizes differ between runs; the shape does not.
 */
function shape(v: string): string {
  if (/^-?\d+$/.test(v)) return 'int';
  if (/^'.*'$/.test(v)) return 'str';
  if (v.startsWith('{')) return `{${[...v.matchAll(/(?:^\{|, )(\w+)=/g)].map((m) => m[1]).join(',')}`;
  const hex = /^[0-9a-f]+… \((\d+) bytes\)  \[([^\]]*)\](?:  (\{.*))?$/.exec(v);
  if (hex) return `hex ${hex[1]} [${hex[2]}]${hex[3] ? ` ${shape(hex[3])}` : ''}`;
  return v;                                          // errors: the exact text
}

describe('README shell blocks', () => {
  it('the probe sample is what `wasock probe --state connected` prints today (rows in order, values of the same shape)', () => {
    const sample = blocks.find((b) => b.lang === 'console' && b.code.startsWith('$ npx wasock probe'));
    expect(sample).toBeDefined();
    const [command, header, ...rest] = sample!.code.trimEnd().split('\n');
    const args = command.replace('$ npx wasock ', '').split(' ');
    const actual = execFileSync('node', [bin, ...args], { encoding: 'utf8' }).trimEnd().split('\n');
    const headerRe = /^wasock probe: inet stream connected socket \(fd \d+\), Linux \S+, (\d+) options$/;
    expect(header).toMatch(headerRe);
    expect(actual[0]).toMatch(headerRe);
    expect(header.match(headerRe)![1], 'option count').toBe(actual[0].match(headerRe)![1]);
    expect(rest[0]).toBe('');
    expect(rest.at(-1), 'the sample ends with ...').toBe('...');
    const rows = new Map(actual.slice(2).map((l, i) => { const m = rowRe.exec(l)!; return [`${m[1]} ${m[2]}`, { i, value: m[3] }]; }));
    let last = -1;
    for (const line of rest.slice(1, -1)) {
      const m = rowRe.exec(line);
      expect(m, line).not.toBeNull();
      const got = rows.get(`${m![1]} ${m![2]}`);
      expect(got, `${m![1]} ${m![2]} is a row of the probe`).toBeDefined();
      expect(got!.i, `${m![2]} keeps the probe's order`).toBeGreaterThan(last);
      last = got!.i;
      // A sample value cut short with ', ...' has the fields it shows, in the probe's order.
      const cut = m![3].endsWith(', ...');
      const want = shape(cut ? m![3].slice(0, -5) : m![3]), have = shape(got!.value);
      if (cut) expect(have.slice(0, want.length + 1), line).toBe(`${want},`);
      else expect(have, line).toBe(want);
    }
  });

  it("the probe usage line is the CLI's usage, and `npx wasock --help` prints it", () => {
    const usage = readmeText.match(/^`npx (wasock probe \[[^`]*)`$/m);
    expect(usage).not.toBeNull();
    const help = execFileSync('node', [bin, '--help'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(help).toContain(usage![1]);
  });

  it('the sh commands are npm commands package.json provides: install builds core and TypeScript, test runs vitest', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    const commands = blocks.filter((b) => b.lang === 'sh').flatMap((b) => b.code.trim().split('\n')).map((l) => l.replace(/\s+#.*$/, ''));
    expect(commands).toEqual(['npm install', 'npm test']);
    // npm install runs `prepare`, which must build both halves.
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(pkg.scripts.build).toMatch(/build:core.*build:ts/);
    expect(pkg.scripts['build:core']).toMatch(/^asc /);
    expect(pkg.scripts['build:ts']).toMatch(/^tsc /);
    expect(pkg.scripts.test).toBe('vitest run');
  });

  it('the layout names folders that exist', () => {
    const layout = blocks.find((b) => b.lang === 'text' && b.code.startsWith('assembly/'));
    expect(layout).toBeDefined();
    const dirs = [...layout!.code.matchAll(/^(\w+)\/\s/gm)].map((m) => m[1]);
    expect(dirs.length).toBeGreaterThanOrEqual(6);
    for (const d of dirs) expect(existsSync(`${root}/${d}`), d).toBe(true);
  });
});
