// Conformance: CPython's own test_socket.py inside Pyodide on wasock, against the same test files
// run by a native CPython, printed as counts (issue 14). `npm run conformance` (after build).
//
//   node scripts/conformance/run.mjs [--python 3.11,3.14] [--limit-ms 5000] [--check]
//        [--backend wasock|pyodide] [--out build/conformance] [--cache DIR]
//
// 3.11: Debian bookworm's test suite (libpython3.11-testsuite + -stdlib) in Pyodide 0.25.1
//       (node_modules/pyodide); native: the machine's python3 (3.11).
// 3.14: Debian sid's suite in Pyodide 314.x (node_modules/pyodide-314); native: CPython 3.14
//       from the same suite (scripts/conformance/cpython-testsuite.sh --native).
// Each side runs in child processes, the tests one after another in the loader's order; a test
// that has not ended after --limit-ms (a blocking call nobody answers, a VSOCK hang natively) is
// recorded as an error ("hung") and its child killed; the next child goes on after it. Same
// test ids on both sides. --check exits 1 when a count misses its target (docs/decisions.md).
// Per test, build/conformance/<ver>-<backend>.jsonl; the natively passing tests that fail in
// Pyodide, with their first error line, in build/conformance/<ver>-<backend>-failing.txt.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize, TARGETS } from './summary.mjs';
import { runAll, spawnWith } from './children.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
const versions = opt('--python', '3.11,3.14').split(',');
const LIMIT = Number(opt('--limit-ms', '5000'));
const backend = opt('--backend', 'wasock');
const out = resolve(root, opt('--out', 'build/conformance'));
const cache = opt('--cache', process.env.CPYTHON_TESTSUITE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? tmpdir(), '.cache'), 'cpython-testsuite'));
const check = argv.includes('--check');
const limits = { test: LIMIT, startup: 60_000 };   // startup: loading Pyodide, importing test_socket

/** The test suite (and with native, a native interpreter) of a version, fetched into the cache. */
function fetchSuite(ver, native) {
  const args = ['--version', ver, '--cache', cache];
  if (native) args.push('--native');
  const text = execFileSync(join(here, 'cpython-testsuite.sh'), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const kv = Object.fromEntries(text.trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
  return { tests: kv.TESTS, python: kv.PYTHON };
}

/**
 * Everything that blocks (fetching the suite, listing its tests), done for every version before
 * any test runs: a blocked event loop would let a running test's limit fire before its result
 * is read.
 */
function prepare(ver) {
  // The native baseline: the machine's python3 when it is this version, else the suite's own.
  let machine = false;
  try { machine = execFileSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim() === ver; } catch {}
  const suite = fetchSuite(ver, !machine);
  const python = machine ? 'python3' : suite.python;
  const pyodideDir = join(root, 'node_modules', ver === '3.11' ? 'pyodide' : 'pyodide-314');
  const pyodideVersion = JSON.parse(readFileSync(join(pyodideDir, 'package.json'), 'utf8')).version;
  const work = mkdtempSync(join(tmpdir(), `conformance-${ver}-`));
  // Only the suite's test package goes on the native path (PYTHONPATH precedes the stdlib: the
  // suite's copy of the stdlib must not replace the interpreter's own).
  mkdirSync(join(work, 'lib'));
  symlinkSync(join(suite.tests, 'test'), join(work, 'lib', 'test'));
  const env = { PYTHONPATH: join(work, 'lib'), PYTHONDONTWRITEBYTECODE: '1' };
  const listing = JSON.parse(execFileSync(python, [join(here, 'runner.py'), 'list'], { cwd: work, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 }));
  const ids = listing.map((t) => t.id);
  const threaded = new Set(listing.filter((t) => t.threaded).map((t) => t.id));
  const nativeVersion = execFileSync(python, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).trim();
  return { ver, suite, python, pyodideDir, pyodideVersion, work, env, ids, threaded, nativeVersion };
}

async function version({ ver, suite, python, pyodideDir, pyodideVersion, work, env, ids, threaded, nativeVersion }) {
  const nativeDir = mkdtempSync(join(work, 'native-'));
  const pyDir = mkdtempSync(join(work, 'pyodide-'));
  for (const side of ['native', backend]) writeFileSync(join(out, `${ver}-${side}.log`), '');   // this run's output only
  const t0 = Date.now();
  const timed = async (p) => { const s = Date.now(); const r = await p; return { ...r, ms: Date.now() - s }; };
  // Native and Pyodide side by side (two cores): separate working directories, ports from 0.
  const [nat, pyo] = await Promise.all([
    timed(runAll(ids, limits, (rest, log) => spawnWith(python, [join(here, 'runner.py'), 'run'], nativeDir, env, log), join(out, `${ver}-native.log`))),
    timed(runAll(ids, limits, (rest, log) => spawnWith(process.execPath, [join(here, 'pyodide-child.mjs'), '--pyodide', pyodideDir, '--tests', suite.tests, '--backend', backend], pyDir, {}, log), join(out, `${ver}-${backend}.log`))),
  ]);
  rmSync(work, { recursive: true, force: true });
  const write = (name, m) => writeFileSync(join(out, name), ids.map((i) => JSON.stringify(m.get(i))).join('\n') + '\n');
  write(`${ver}-native.jsonl`, nat.results);
  write(`${ver}-${backend}.jsonl`, pyo.results);
  const s = summarize({ ver, ids, threaded, native: nat.results, pyodide: pyo.results, backend });
  writeFileSync(join(out, `${ver}-${backend}-failing.txt`), s.failingLines.join('\n') + '\n');
  const lines = [
    `conformance ${ver}: test_socket.py (${suite.tests.replace(cache, '<cache>')}), ${ids.length} tests, per-test limit ${LIMIT} ms; wall ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    `  native ${python === 'python3' ? 'python3' : 'CPython'} ${nativeVersion}: ${s.nativeTotals} (${(nat.ms / 1000).toFixed(0)} s)`,
    `  Pyodide ${pyodideVersion} + ${backend === 'wasock' ? 'wasock' : 'its own sockets'}: ${s.pyodideTotals} (${(pyo.ms / 1000).toFixed(0)} s, ${pyo.restarts} restarts)`,
    `  non-threaded classes: ${s.nativeNonThreaded} pass natively; ${s.bothNonThreaded} of them pass in Pyodide` + (TARGETS[ver]?.nonThreaded ? ` (target >= ${TARGETS[ver].nonThreaded}` + (TARGETS[ver].nonThreadedFloor ? `, floor ${TARGETS[ver].nonThreadedFloor})` : ')') : ''),
    `  pass in Pyodide: ${s.pyodidePassed}` + (TARGETS[ver]?.passed ? ` (target > ${TARGETS[ver].passed - 1})` : ''),
    `  pass in Pyodide but fail natively: ${s.wrongPasses.length}` + (s.wrongPasses.length ? ': ' + s.wrongPasses.join(', ') : '') + ' (target 0)',
  ];
  if (s.skippedNatively.length) lines.push(`  pass in Pyodide, skipped natively: ${s.skippedNatively.join(', ')}`);
  const status = backend !== 'wasock' ? 'targets apply to wasock only' : s.meets ? 'meets its targets' : s.holds ? 'below target, at or above the floor CI enforces' : 'BELOW THE FLOOR CI enforces';
  lines.push(`  ${status}; natively passing tests failing in Pyodide: ${s.reachableFailing} reachable, ${s.failingLines.length - s.reachableFailing} never reachable (${join(out, `${ver}-${backend}-failing.txt`).replace(root + '/', '')})`);
  return { s, text: lines.join('\n') };
}

mkdirSync(out, { recursive: true });
let ok = true;
// The versions side by side too: most of a run is tests waiting on timeouts, not CPU.
const prepared = versions.map(prepare);
for (const { s, text } of await Promise.all(prepared.map(version))) {
  console.log(text);
  if (backend === 'wasock' && !s.holds) ok = false;
}
if (check && !ok) { console.log('conformance: a count is below the floor CI enforces'); process.exit(1); }
