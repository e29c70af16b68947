// Types as a user meets them. vitest strips types without checking them, so without this
// file a test, a README example or a declaration could stop compiling and every test would
// still pass.
//   1. src/, host/, test/ (tsconfig.test.json) and every `ts` block of the README, with
//      'wasock', 'wasock/linux', 'wasock/emulated', 'wasock/wasi-p1' and 'wasock/pyodide' mapped to src/ (and
//      'pyodide' to its declarations), pass `tsc --noEmit` under the build's --strict options.
//   2. The emitted declarations (dist/, as `npm run build:ts` leaves them) compile for a
//      consumer that uses `module: commonjs` without esModuleInterop and checks libraries
//      (skipLibCheck false), and makefile()'s results have the types its mode promises.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { readmeBlocks } from './helpers/readme.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');

/** Runs tsc -p on `dir`/tsconfig.json; returns its diagnostics with `dir` named by `label`. */
function typecheck(dir: string, label: string): { status: number | null; output: string } {
  // tsc names files relative to its working directory (the repository).
  const r = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8', cwd: root });
  return { status: r.status, output: (r.stdout + r.stderr).split(relative(root, dir)).join(label).split(dir).join(label) };
}

function withTempDir<T>(f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'wasock-typecheck-'));
  try { return f(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
}

it('src/, host/, test/ and every README ts block type-check (tsc --noEmit, strict)', () => {
  const blocks = readmeBlocks().filter((b) => b.lang === 'ts');
  expect(blocks.length).toBeGreaterThanOrEqual(6);
  const { status, output } = withTempDir((dir) => {
    // ESM, as a user's project importing wasock is (the Node example uses top-level await).
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    // Files named after their README line, so an error points at the README.
    const files = blocks.map((b) => {
      const file = join(dir, `README.md-line-${b.line}.ts`);
      writeFileSync(file, b.code);
      return file;
    });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      extends: join(root, 'tsconfig.test.json'),                // its include: src, host, test
      // rootDir: the blocks live outside the repository (nothing is emitted).
      compilerOptions: { paths: { wasock: [join(root, 'src/index.js')], 'wasock/linux': [join(root, 'src/linux.js')], 'wasock/emulated': [join(root, 'src/emulated.js')], 'wasock/wasi-p1': [join(root, 'src/wasi-p1.js')], 'wasock/pyodide': [join(root, 'src/pyodide.js')], pyodide: [join(root, 'node_modules/pyodide/pyodide.d.ts')] }, rootDir: '/' },
      files,
    }));
    return typecheck(dir, '<README block>');
  });
  expect(output, 'tsc --noEmit -p tsconfig.test.json plus the README blocks').toBe('');
  expect(status).toBe(0);
}, 180_000);   // tsc over the whole tree: ~33 s on a loaded 2-core machine

it('dist/ declarations compile for a commonjs consumer without esModuleInterop; makefile() results are typed by mode', () => {
  const consumer = `
import { socket, socketpair, struct, io, SocketIO, SOL_SOCKET, SO_RCVBUF, type FileObject } from ${JSON.stringify(join(root, 'dist/src/index.js'))};

/** true only when A and B are the same type (not merely assignable). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;

const [a, b] = socketpair();
b.sendall(new TextEncoder().encode('hello\\nworld\\n'));
const rb = a.makefile('rb');
const line: Uint8Array = rb.readline();
const text = b.makefile();
const str: string = text.readline();
const bufsize = Number(process.argv[2] ?? 0);
const bywrite = a.makefile('wb');
const bypair = a.makefile('rbw', 4096);
const byraw = a.makefile('br', 0);
const bymaybe = a.makefile('rb', bufsize);        // a number that may be 0
const bytext = a.makefile('w', null, { encoding: 'latin-1', newline: '' });
const byanymode = a.makefile(String('rb'));       // a mode known only at run time
// Each must be exactly that type: an \`any\`, or a union where one class is meant, fails.
const exact: [
  Same<typeof rb, io.BufferedReader>, Same<typeof line, Uint8Array>,
  Same<typeof text, io.TextIOWrapper>, Same<ReturnType<typeof text.readline>, string>,
  Same<typeof bywrite, io.BufferedWriter>, Same<typeof bypair, io.BufferedRWPair>,
  Same<typeof byraw, SocketIO>, Same<typeof bymaybe, io.BufferedReader | SocketIO>,
  Same<typeof bytext, io.TextIOWrapper>, Same<typeof byanymode, FileObject>,
] = [true, true, true, true, true, true, true, true, true, true];
// @ts-expect-error a binary reader's lines are bytes, not strings
rb.readline().toUpperCase();
// @ts-expect-error an unbuffered file is the raw SocketIO, not a BufferedReader
const notBuffered: io.BufferedReader = a.makefile('rb', 0);
const size: number = struct.calcsize('@ll');
const unpacked = struct.unpack('ii', struct.pack('ii', 1, 5));
const rcvbuf = new socket().getsockopt(SOL_SOCKET, SO_RCVBUF);
export { str, exact, notBuffered, size, unpacked, rcvbuf };
`;
  const { status, output } = withTempDir((dir) => {
    writeFileSync(join(dir, 'consumer.ts'), consumer);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        module: 'commonjs', target: 'ES2022', strict: true, esModuleInterop: false, skipLibCheck: false,
        noEmit: true, typeRoots: [join(root, 'node_modules/@types')], types: ['node'],
      },
      files: ['consumer.ts'],
    }));
    return typecheck(dir, '<consumer>');
  });
  expect(output, 'tsc on a commonjs consumer of dist/src/index.d.ts').toBe('');
  expect(status).toBe(0);
});
