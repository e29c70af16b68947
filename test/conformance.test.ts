// The conformance job's machinery (scripts/conformance/), on small inputs and fast: runner.py's
// outcomes for each kind of unittest result, the parent's recovery from a hung or crashed child,
// and the counts. The job itself (npm run conformance) runs CPython's test_socket.py in CI.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const dir = resolve(__dirname, '../scripts/conformance');
const load = (f: string): Promise<any> => import(pathToFileURL(join(dir, f)).href);
const work = mkdtempSync(join(tmpdir(), 'wasock-conformance-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// A module of unittest cases, one per outcome the runner must tell apart.
const CASES = `
import unittest

class ThreadableTest:
    pass

class Plain(unittest.TestCase):
    def test_pass(self): pass
    def test_fail(self): self.assertEqual(1, 2)
    def test_error(self): raise OSError(9, 'Bad file descriptor')
    def test_skip(self): self.skipTest('not here')
    def test_subtest(self):
        for i in range(3):
            with self.subTest(i=i):
                self.assertLess(i, 1)
    @unittest.expectedFailure
    def test_xfail(self): self.fail('expected')

class Threaded(ThreadableTest, unittest.TestCase):
    def test_one(self): pass

class BrokenFixture(unittest.TestCase):
    @classmethod
    def setUpClass(cls): raise RuntimeError('no fixture')
    def test_a(self): pass
    def test_b(self): pass

@unittest.skip('whole class')
class SkippedClass(unittest.TestCase):
    def test_c(self): pass
`;

describe('scripts/conformance', () => {
  it('runner.py reports one outcome per test id, with the first error line and where it was raised', async () => {
    const { runAll, spawnWith } = await load('children.mjs');
    mkdirSync(join(work, 'lib'));
    writeFileSync(join(work, 'lib', 'cases_mod.py'), CASES);
    const env = { PYTHONPATH: join(work, 'lib'), PYTHONDONTWRITEBYTECODE: '1' };
    const { execFileSync } = await import('node:child_process');
    const listing = JSON.parse(execFileSync('python3', [join(dir, 'runner.py'), 'list', 'cases_mod'], { env: { ...process.env, ...env }, encoding: 'utf8' }));
    expect(listing.filter((t: any) => t.threaded).map((t: any) => t.id)).toEqual(['cases_mod.Threaded.test_one']);
    const ids = listing.map((t: any) => t.id);
    const { results, restarts } = await runAll(ids, { test: 5000, startup: 20000 },
      () => spawnWith('python3', [join(dir, 'runner.py'), 'run', 'cases_mod'], work, env, join(work, 'log')), join(work, 'log'));
    expect(restarts).toBe(0);
    const o = (id: string) => results.get(`cases_mod.${id}`);
    expect(o('Plain.test_pass').outcome).toBe('pass');
    expect(o('Plain.test_fail')).toMatchObject({ outcome: 'fail', first: 'AssertionError: 1 != 2' });
    expect(o('Plain.test_fail').where).toBe('');   // not raised in test_socket.py
    expect(o('Plain.test_error')).toMatchObject({ outcome: 'error', first: 'OSError: [Errno 9] Bad file descriptor' });
    expect(o('Plain.test_skip')).toMatchObject({ outcome: 'skip', first: 'not here' });
    expect(o('Plain.test_subtest')).toMatchObject({ outcome: 'fail', first: 'AssertionError: 1 not less than 1' });
    expect(o('Plain.test_xfail').outcome).toBe('xfail');
    expect(o('Threaded.test_one').outcome).toBe('pass');
    expect(o('BrokenFixture.test_a')).toMatchObject({ outcome: 'error', first: 'setUpClass: RuntimeError: no fixture' });
    expect(o('BrokenFixture.test_b').outcome).toBe('error');
    expect(o('SkippedClass.test_c')).toMatchObject({ outcome: 'skip', first: 'whole class' });
    expect(results.size).toBe(ids.length);
  }, 30_000);

  it('a test that hangs or kills its child costs that test only: a new child goes on after it', async () => {
    const { runAll, spawnWith } = await load('children.mjs');
    const child = String.raw`
import json, os, sys, time
def emit(o): os.write(3, (json.dumps(o) + '\n').encode())
for i in json.load(sys.stdin):
    emit({'start': i})
    if i == 'hang': time.sleep(60)
    if i == 'crash': os._exit(3)
    emit({'id': i, 'outcome': 'pass', 'first': '', 'where': '', 'ms': 0})
`;
    const ids = ['a', 'hang', 'b', 'crash', 'c'];
    const t0 = Date.now();
    const { results, restarts } = await runAll(ids, { test: 400, startup: 10000 },
      () => spawnWith('python3', ['-c', child], work, {}, join(work, 'log2')), join(work, 'log2'));
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(restarts).toBe(2);
    expect(ids.map((i) => results.get(i).outcome)).toEqual(['pass', 'error', 'pass', 'error', 'pass']);
    expect(results.get('hang')).toMatchObject({ hung: true, first: 'hung: no result within 400 ms (killed)' });
    expect(results.get('crash').first).toBe('the child exited (3) during this test');
  }, 30_000);

  it('the counts: native passes in non-threaded classes, wrong passes apart from native skips, reachability', async () => {
    const { summarize } = await load('summary.mjs');
    const P = 'test.test_socket.';
    const ids = ['GeneralModuleTests.a', 'GeneralModuleTests.b', 'ThreadedX.c', 'BasicRDSTest.d', 'GeneralModuleTests.e', 'TestLinuxAbstractNamespace.f'].map((i) => P + i);
    const r = (outcome: string, first = '') => ({ outcome, first, where: '' });
    const native = new Map([[ids[0], r('pass')], [ids[1], r('pass')], [ids[2], r('pass')], [ids[3], r('skip', 'RDS sockets required')], [ids[4], r('error', 'boom')], [ids[5], r('pass')]]);
    const pyodide = new Map([[ids[0], r('pass')], [ids[1], r('error', 'OSError: x')], [ids[2], r('error')], [ids[3], r('pass')], [ids[4], r('pass')], [ids[5], r('skip', 'Linux specific test')]]);
    const s = summarize({ ver: '3.11', ids, threaded: new Set([ids[2]]), native, pyodide });
    expect(s.nativeNonThreaded).toBe(3);
    expect(s.bothNonThreaded).toBe(1);
    expect(s.wrongPasses).toEqual(['GeneralModuleTests.e']);
    expect(s.skippedNatively).toEqual(['BasicRDSTest.d (RDS sockets required)']);
    expect(s.meets).toBe(false);
    expect(s.holds).toBe(false);
    expect(s.failingLines).toEqual([
      'GeneralModuleTests.b\terror\tOSError: x\t\treachable',
      'TestLinuxAbstractNamespace.f\tskip\tLinux specific test\t\tunreachable: skipped unless sys.platform is linux',
    ]);
    expect(s.nativeTotals).toBe('4 passed, 0 failed, 1 errors, 1 skipped');
  });
});
