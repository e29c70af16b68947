// One Pyodide running tests of CPython's test_socket (scripts/conformance/runner.py) on wasock;
// started by run.mjs, which kills it when a test outlives its limit and starts another for the
// rest. Reads the JSON list of test ids on stdin; reports on fd 3 (runner.py's protocol).
//
//   node pyodide-child.mjs --pyodide DIR --tests LIBDIR [--backend wasock|pyodide] < ids.json
//
// The environment, and nothing else, is adapted (the test files are imported unmodified):
//  - the host's /tmp is mounted at /tmp (NODEFS) and the cwd is the same directory on both
//    sides, so an AF_UNIX path names one file for Python's os.* and for wasock's kernel;
//  - NODEFS is taught socket and FIFO nodes (it refuses to stat them: EINVAL);
//  - test.support.has_socket_support = True (sys.platform == 'emscripten' turns it off);
//  - with --backend wasock, installIntoPyodide (the built dist/) replaces socket/_socket.
import { readFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };
const pyodideDir = resolve(arg('--pyodide'));
const tests = resolve(arg('--tests'));
const backend = arg('--backend', 'wasock');
const ids = JSON.parse(readFileSync(0, 'utf8'));

const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, 'pyodide.mjs')).href);
const py = await loadPyodide({ indexURL: pyodideDir + '/', stdout: (s) => console.log(s), stderr: (s) => console.error(s) });
const { FS } = py;
const NODEFS = FS.filesystems.NODEFS;

// Emscripten's NODEFS.createNode throws EINVAL for any node neither file, directory nor link;
// a socket or FIFO node gets NODEFS's operations too (stat, unlink and rename go to the host).
const createNode = NODEFS.createNode;
NODEFS.createNode = function (parent, name, mode, dev) {
  const fmt = mode & 0o170000;
  if (fmt !== 0o140000 && fmt !== 0o010000) return createNode.call(this, parent, name, mode, dev);
  const node = FS.createNode(parent, name, mode);
  node.node_ops = NODEFS.node_ops;
  node.stream_ops = NODEFS.stream_ops;
  return node;
};

FS.mount(NODEFS, { root: '/tmp' }, '/tmp');
FS.mkdirTree('/conformance/lib/test');
FS.mount(NODEFS, { root: join(tests, 'test') }, '/conformance/lib/test');

if (backend === 'wasock') {
  const { installIntoPyodide } = await import(pathToFileURL(join(here, '../../dist/src/pyodide-node.js')).href);
  installIntoPyodide(py);
}

const emit = (line) => { writeSync(3, line + '\n'); };
py.globals.set('__emit', emit);
py.globals.set('__ids', py.toPy(ids));
py.globals.set('__runner', readFileSync(join(here, 'runner.py'), 'utf8'));
py.globals.set('__cwd', process.cwd());
py.runPython(`
import os, sys, json, types
os.chdir(__cwd)
sys.path.insert(0, '/conformance/lib')
import test.support
test.support.has_socket_support = True
runner = types.ModuleType('conformance_runner')
exec(compile(__runner, 'runner.py', 'exec'), runner.__dict__)
runner.run(__ids.to_py() if hasattr(__ids, 'to_py') else list(__ids), lambda o: __emit(json.dumps(o)))
`);
process.exit(0);
