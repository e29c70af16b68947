"""Runs tests of CPython's own test_socket one after another and reports each as it ends.

The same file runs under a native CPython (scripts/conformance/run.mjs starts it as
`python3 runner.py list|run`) and inside Pyodide (pyodide-child.mjs calls run() with a JS
function as `emit`), so both sides load, order, name and judge the tests the same way.

Protocol: one JSON object per emitted line.
  {"start": id}                      before a test starts (the parent times it from here)
  {"id": id, "outcome": o, "first": line, "where": "test_socket.py:N", "ms": n}
                                     when it ends; o is pass, fail, error, skip, xfail, xpass
A test whose class fixture (setUpClass) fails or skips is reported with that outcome without
a start, as unittest never starts it. The test files are imported unmodified.
"""
import json
import sys
import time
import traceback
import unittest


def _flatten(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from _flatten(t)
        else:
            yield t


MODULE = 'test.test_socket'   # another module's tests only in test/conformance.test.ts


def load(name=None):
    """The test module and its tests in the loader's order, as {id: test}."""
    import importlib
    mod = importlib.import_module(name or MODULE)
    tests = {}
    for t in _flatten(unittest.TestLoader().loadTestsFromModule(mod)):
        tests[t.id()] = t
    return mod, tests


def listing():
    """[{id, threaded}]: threaded = the test's class needs a second thread (ThreadableTest)."""
    mod, tests = load()
    threadable = getattr(mod, 'ThreadableTest', ())
    return [{'id': i, 'threaded': isinstance(t, threadable)} for i, t in tests.items()]


def _first(err):
    """The exception's first line ("OSError: [Errno 9] Bad file descriptor") and where in
    test_socket.py it was raised (the innermost frame of that file)."""
    etype, value, tb = err
    msg = str(value).strip().splitlines()
    first = etype.__name__ + (': ' + msg[0] if msg else '')
    where = ''
    for fs in traceback.extract_tb(tb):
        if fs.filename.endswith('test_socket.py'):
            where = 'test_socket.py:%d' % fs.lineno
    return first[:300], where


class _Result(unittest.TestResult):
    """Records one outcome per test id (a failing subtest fails its test) and emits it."""

    def __init__(self, emit, ids):
        super().__init__()
        self.emit = emit
        self.pending = set(ids)
        self.current = None

    def _set(self, outcome, err=None, reason=''):
        if self.current is None:
            return
        rank = ['pass', 'skip', 'xfail', 'xpass', 'fail', 'error']
        if rank.index(outcome) >= rank.index(self.current['outcome']):
            first, where = _first(err) if err else (reason, '')
            if self.current['outcome'] in ('fail', 'error') and outcome == self.current['outcome']:
                return  # keep the first error's line
            self.current.update(outcome=outcome, first=first, where=where)

    def startTest(self, test):
        super().startTest(test)
        self.emit({'start': test.id()})
        self.current = {'id': test.id(), 'outcome': 'pass', 'first': '', 'where': '', 't0': time.monotonic()}

    def stopTest(self, test):
        super().stopTest(test)
        c = self.current
        self.current = None
        if c is None:
            return
        c['ms'] = round((time.monotonic() - c.pop('t0')) * 1000)
        self.pending.discard(c['id'])
        self.emit(c)

    def addError(self, test, err):
        super().addError(test, err)
        if self.current is None or getattr(test, 'id', lambda: None)() != self.current['id']:
            self._fixture('error', err, str(test))
        else:
            self._set('error', err)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._set('fail', err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        if self.current is None:
            self._fixture('skip', None, str(test), reason)
        else:
            self._set('skip', reason=str(reason)[:300])

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._set('xfail', err)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._set('xpass', reason='unexpected success')

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._set('fail' if issubclass(err[0], test.failureException) else 'error', err)

    def _fixture(self, outcome, err, description, reason=''):
        """setUpClass/setUpModule failed or skipped: its class's tests never start; report them
        now with the fixture's outcome (a tearDownClass error, after its tests, is dropped)."""
        # description: "setUpClass (test.test_socket.Class)" or "setUpModule (test.test_socket)"
        scope = description[description.find('(') + 1:description.rfind(')')]
        first, where = _first(err) if err else (str(reason)[:300], '')
        kind = description.split(' ', 1)[0]
        for i in sorted(self.pending):
            if i.startswith(scope + '.'):
                self.pending.discard(i)
                self.emit({'id': i, 'outcome': outcome, 'first': '%s: %s' % (kind, first), 'where': where, 'ms': 0})


def run(ids, emit):
    """Runs the tests named by ids (a list, in the loader's order) as one suite, so class and
    module fixtures run as in a whole-module run; emit(dict) reports each test."""
    _, tests = load()
    # test.support.gc_collect() runs gc.collect() three times around every threaded test; with
    # the imported modules in the permanent generation each takes a fraction of the time (3.14
    # in Pyodide: minutes otherwise). Objects the tests make are collected as before.
    import gc
    gc.collect()
    gc.freeze()
    ids = list(ids)
    result = _Result(emit, ids)
    missing = [i for i in ids if i not in tests]
    for i in missing:
        result.pending.discard(i)
        emit({'id': i, 'outcome': 'error', 'first': 'not found by the loader', 'where': '', 'ms': 0})
    suite = unittest.TestSuite([tests[i] for i in ids if i in tests])
    suite.run(result)
    for i in sorted(result.pending):
        emit({'id': i, 'outcome': 'error', 'first': 'not run', 'where': '', 'ms': 0})


def _emit_fd(fd):
    import os

    def emit(obj):
        os.write(fd, (json.dumps(obj) + '\n').encode())
    return emit


if __name__ == '__main__':
    # python3 runner.py list [module]       -> the listing as JSON on stdout
    # python3 runner.py run [module] < ids  -> runs the JSON list of ids read from stdin, emits on fd 3
    if len(sys.argv) > 2:
        MODULE = sys.argv[2]
    if sys.argv[1] == 'list':
        print(json.dumps(listing()))
    else:
        run(json.load(sys.stdin), _emit_fd(3))
