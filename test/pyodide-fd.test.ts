// wasock/pyodide's fds: a socket is an Emscripten stream of the Pyodide instance's own table, so
// os.read/os.write/os.close/os.dup/os.fstat, os.get/set_blocking, os.get/set_inheritable,
// select.select, select.poll, selectors and fcntl behave on it as CPython's do. The oracle is
// test/fixtures/pyodide-fd.json (scripts/gen_pyodide_fd.py ran its scenario in native python3;
// the replay runs the very same source). Waiting is checked against native python3 peers in
// other processes (Pyodide has one thread: a peer in it could never answer a blocking call).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPyodide } from 'pyodide';
import { installIntoPyodide, type PyodideLike } from '../src/pyodide.js';
import { network as emulatedNetwork } from '../src/emulated.js';
import { fdCount } from './helpers/fds.js';

type Py = PyodideLike & { FS: { streams: unknown[] } };
const LONG = 180_000;
const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/pyodide-fd.json', import.meta.url), 'utf8')) as {
  source: string; results: Record<string, unknown>;
};

/** Runs `code` in `py`; its last expression, through JSON (None is null, tuples are arrays). */
function run(py: Py, code: string): any {
  const lines = code.trimEnd().split('\n');
  const last = lines.pop()!;
  py.runPython(lines.join('\n'));
  return JSON.parse(py.runPython(`import json as __j; __j.dumps(${last})`) as string);
}

/** The instance's open Emscripten streams (fds). */
const openStreams = (py: Py): number => py.FS.streams.filter((s) => s).length;

/** A python3 child running `script`; resolves with its first stdout line. */
async function peer(script: string, ...args: string[]): Promise<{ child: ChildProcess; first: string; rest: () => Promise<string> }> {
  const child = spawn('python3', ['-c', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  child.stdout!.setEncoding('utf8');
  const first = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: string) => { buf += d; const i = buf.indexOf('\n'); if (i >= 0) resolve(buf.slice(0, i)); });
    child.on('exit', (code) => reject(new Error(`python3 peer exited (${code}) before its first line`)));
  });
  const rest = async (): Promise<string> => {
    if (child.exitCode === null) await once(child, 'exit');
    return buf.slice(first.length + 1);
  };
  return { child, first, rest };
}

let py: Py;
beforeAll(async () => {
  py = await loadPyodide() as unknown as Py;
  installIntoPyodide(py);
}, LONG);

describe('a socket fd through os, select, selectors and fcntl, as native CPython 3.11 answers', () => {
  it('the fixture scenario gives every outcome native python3 recorded', () => {
    py.runPython(FIXTURE.source);
    const got = JSON.parse(py.runPython('import json; json.dumps(R)') as string) as Record<string, unknown>;
    const diffs = Object.entries(FIXTURE.results)
      .filter(([k, v]) => JSON.stringify(got[k]) !== JSON.stringify(v))
      .map(([k, v]) => ({ case: k, native: v, pyodide: got[k] }));
    expect(diffs).toEqual([]);
    expect(Object.keys(got).sort()).toEqual(Object.keys(FIXTURE.results).sort());
  }, LONG);

  it('fcntl is installed as a module with CPython\u2019s Linux constants, and the os functions stay Pyodide\u2019s for files', () => {
    const r = run(py, `
import fcntl, os, sys
fd = os.open('/tmp/wasock-fd-plain', os.O_CREAT | os.O_RDWR)
res = [sys.modules['fcntl'] is fcntl, fcntl.F_OFD_SETLKW, fcntl.LOCK_NB, os.get_blocking(fd), os.get_inheritable(fd),
       os.write(fd, b'abc'), os.lseek(fd, 0, 0), os.read(fd, 10).decode()]
os.close(fd); os.unlink('/tmp/wasock-fd-plain')
res`);
    // get_inheritable of a Pyodide file is Emscripten's answer (always True): unchanged.
    expect(r).toEqual([true, 38, 4, true, true, 3, 0, 'abc']);
  });
});

describe('CPython 3.11\u2019s own tests (Debian\u2019s libpython3.11-testsuite), unmodified, inside Pyodide', () => {
  it('InheritanceTest and NonblockConstantTest of test_socket.py pass (they need fcntl and the os functions on socket fds)', () => {
    const suite = '/usr/lib/python3.11/test';
    expect(existsSync(`${suite}/test_socket.py`), `${suite}/test_socket.py: apt-get install libpython3.11-testsuite (.ci/run does)`).toBe(true);
    const FS = py.FS as unknown as { mkdirTree(p: string): void; mount(t: unknown, o: object, p: string): void; unmount(p: string): void; filesystems: { NODEFS: unknown } };
    FS.mkdirTree('/cpython/test');
    FS.mount(FS.filesystems.NODEFS, { root: suite }, '/cpython/test');
    try {
      const r = run(py, `
import sys, io, unittest
sys.path.insert(0, '/cpython')
saved = {k: sys.modules.pop(k) for k in [k for k in sys.modules if k == 'test' or k.startswith('test.')]}
try:
    import test.support
    test.support.has_socket_support = True   # the one change to the environment (sys.platform is emscripten)
    import test.test_socket as T
    suite = unittest.TestSuite()
    for name in ('InheritanceTest', 'NonblockConstantTest'):
        suite.addTests(unittest.defaultTestLoader.loadTestsFromTestCase(getattr(T, name)))
    res = unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(suite)
finally:
    for k in [k for k in sys.modules if k == 'test' or k.startswith('test.')]: del sys.modules[k]
    sys.modules.update(saved); sys.path.remove('/cpython')
[res.testsRun, [str(t) for t, _ in res.failures + res.errors], len(res.skipped)]`);
      expect(r).toEqual([8, [], 0]);
    } finally {
      FS.unmount('/cpython/test');
    }
  }, LONG);
});

describe('waiting: select, poll and selectors wait in poll(2) for a native peer, with CPython\u2019s timeouts', () => {
  const LATE = `
import socket, sys, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
time.sleep(float(sys.argv[1]))
c.sendall(b'late')
c.recv(10)
`;

  for (const [what, wait] of [
    ['select.select', 'select.select([c], [], [], 10)[0] == [c]'],
    ['select.poll', '[e for _, e in (lambda p: (p.register(c, select.POLLIN), p.poll(10000))[1])(select.poll())] == [select.POLLIN]'],
    ['selectors.DefaultSelector', '(lambda s: (s.register(c, selectors.EVENT_READ), [ev for _, ev in s.select(10)])[1])(selectors.DefaultSelector()) == [selectors.EVENT_READ]'],
  ] as const) {
    it(`${what} sleeps until a native peer writes 0.4 s later, without spinning`, async () => {
      const { first, child } = await peer(LATE, '0.4');
      const cpu0 = process.cpuUsage();
      const r = run(py, `
import socket, select, selectors, time
c = socket.create_connection(('127.0.0.1', ${first}))
t0 = time.monotonic()
ok = ${wait}
dt = time.monotonic() - t0
data = c.recv(10); c.sendall(b'bye'); c.close()
[ok, dt, data.decode()]`);
      const cpu = process.cpuUsage(cpu0);
      await once(child, 'exit');
      expect(r[0]).toBe(true);
      expect(r[2]).toBe('late');
      expect(r[1]).toBeGreaterThanOrEqual(0.35);
      expect(r[1]).toBeLessThan(5);
      // A busy loop would burn the whole 0.4 s; a wait in poll(2) costs a few ms of CPU.
      expect((cpu.user + cpu.system) / 1e6).toBeLessThan(0.2);
    }, LONG);
  }

  it('a timeout that expires returns empty on time (select 0.3 s, poll 300 ms)', async () => {
    const { first, child } = await peer(LATE, '5');
    const r = run(py, `
import socket, select, time
c = socket.create_connection(('127.0.0.1', ${first}))
t0 = time.monotonic(); a = select.select([c], [], [], 0.3); t1 = time.monotonic()
p = select.poll(); p.register(c, select.POLLIN); b = p.poll(300); t2 = time.monotonic()
c.close()
[a, t1 - t0, b, t2 - t1]`);
    child.kill();
    expect(r[0]).toEqual([[], [], []]);
    expect(r[2]).toEqual([]);
    for (const dt of [r[1], r[3]]) { expect(dt).toBeGreaterThanOrEqual(0.295); expect(dt).toBeLessThan(1.5); }
  }, LONG);

  it('socketserver serves a native client through its selector (handle_request with a timeout)', async () => {
    const port = run(py, `
import socketserver
class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b'echo: ' + self.rfile.readline())
srv = socketserver.TCPServer(('127.0.0.1', 0), Echo)
srv.timeout = 10
srv.server_address[1]`) as number;
    const child = spawn('python3', ['-c', `
import socket, sys
c = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
c.sendall(b'hi\\n'); print(c.makefile().readline().strip())`, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = ''; child.stdout!.on('data', (d) => { out += d; });
    run(py, 'srv.handle_request(); srv.server_close()\nNone');
    await once(child, 'exit');
    expect(out.trim()).toBe('echo: hi');
  }, LONG);

  it('asyncio\u2019s selector event loop runs a client against a native echo server', async () => {
    const { first, child } = await peer(`
import socket
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
c.sendall(c.recv(100).upper()); c.close()
`);
    let r: any;
    try {
      r = run(py, `
import asyncio
async def main():
    rd, wr = await asyncio.open_connection('127.0.0.1', ${first})
    wr.write(b'hello asyncio\\n'); await wr.drain()
    line = await rd.readline()
    wr.close()
    return line.decode()
import asyncio.events as ev
# Pyodide's own WebLoop counts as running: set it aside while the selector loop runs.
webloop = ev._get_running_loop(); ev._set_running_loop(None)
loop = asyncio.SelectorEventLoop()
try:
    got = loop.run_until_complete(main())
    kind = type(loop._selector).__name__
finally:
    loop.close(); ev._set_running_loop(webloop)
[kind, got]`);
    } finally { if (child.exitCode === null) child.kill(); }
    expect(r).toEqual(['PollSelector', 'HELLO ASYNCIO\n']);
  }, LONG);
});

describe('on the emulated network: waits run in virtual time', () => {
  let emu: Py;
  const net = emulatedNetwork({ seed: 5 });
  beforeAll(async () => {
    emu = await loadPyodide() as unknown as Py;
    installIntoPyodide(emu, { network: net });
  }, LONG);

  it('the fixture scenario agrees with native python3 but for named divergences', () => {
    // The scenario times its waits with time.monotonic(), the real clock: a wait in virtual
    // time takes none of it. The emulated kernel's AF_UNIX poll lacks POLLHUP once the peer
    // has closed (Linux: POLLIN|POLLHUP); the host's own divergence, not this layer's.
    const divergent = new Set(['unix poll after peer closes',
      ...['unix', 'tcp'].flatMap((k) => ['select', 'poll', 'selector'].map((w) => `${k} ${w} timeout waits`))]);
    emu.runPython(FIXTURE.source);
    const got = JSON.parse(emu.runPython('import json; json.dumps(R)') as string) as Record<string, unknown>;
    const diffs = Object.entries(FIXTURE.results)
      .filter(([k, v]) => JSON.stringify(got[k]) !== JSON.stringify(v))
      .map(([k]) => k);
    expect(diffs.sort()).toEqual([...divergent].sort());
  }, LONG);

  it('select with a timeout lets virtual time pass; readiness follows the peer; a wait no party can end fails at once with EDEADLK', () => {
    const t0 = net.clock.now();
    const r = run(emu, `
import socket, select, selectors, errno, os, time
srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen()
c = socket.create_connection(srv.getsockname()); a, _ = srv.accept()
idle = select.select([a], [], [], 2.5)
c.sendall(b'x')
ready = select.select([a], [], [], 2.5)[0] == [a]
p = select.poll(); p.register(a, select.POLLIN)
polled = [e for _, e in p.poll(1000)]
data = os.read(a.fileno(), 10)
try:
    t = time.monotonic(); select.select([a], [], []); stuck = None
except OSError as e:
    stuck = [type(e).__name__, e.errno == errno.EDEADLK, e.strerror, time.monotonic() - t < 1]
c.close(); a.close(); srv.close()
[idle, ready, polled, data.decode(), stuck]`);
    const dt = net.clock.now() - t0;
    expect(r.slice(0, 4)).toEqual([[[], [], []], true, [1], 'x']);
    expect(r[4][0]).toBe('OSError');
    expect(r[4][1]).toBe(true);
    expect(r[4][2]).toMatch(/forever/);
    expect(r[4][3]).toBe(true);
    expect(dt).toBeGreaterThanOrEqual(2.5);   // the idle select's 2.5 s passed, in virtual time
    expect(dt).toBeLessThan(3);               // the ready ones did not wait
  });
});

describe('reliability: exhaustion, use after close, 10^4 cycles', () => {
  it('fds run out at Emscripten\u2019s limit with OSError EMFILE; nothing leaks, and sockets work again', () => {
    const k0 = fdCount(), s0 = openStreams(py);
    const r = run(py, `
import socket, errno, os
socks = []
try:
    while True:
        socks.append(socket.socket())
except OSError as e:
    err = [type(e).__name__, errno.errorcode.get(e.errno), e.strerror]
n = len(socks)
try:
    open('/tmp/wasock-fd-full', 'w'); f = None   # files and sockets share the one table
except OSError as e:
    f = errno.errorcode.get(e.errno)
for s in socks: s.close()
del socks
s = socket.socket(); ok = s.fileno() >= 0; s.close()
[err, n, f, ok]`);
    expect(r[0]).toEqual(['OSError', 'EMFILE', 'Too many open files']);
    expect(r[1]).toBeGreaterThan(4000);          // FS.MAX_OPEN_FDS is 4096, less stdio and files
    expect(r[2]).toBe('EMFILE');
    expect(r[3]).toBe(true);
    expect(fdCount()).toBe(k0);
    expect(openStreams(py)).toBe(s0);
  }, LONG);

  it('the kernel\u2019s own EMFILE (RLIMIT_NOFILE 256) is OSError EMFILE and leaves no fd behind', () => {
    const work = mkdtempSync(join(tmpdir(), 'wasock-pyodide-emfile-'));
    try {
      const dist = new URL('../dist/src/', import.meta.url).pathname;
      const entry = new URL('../node_modules/pyodide/pyodide.mjs', import.meta.url).pathname;
      const script = join(work, 'emfile.mjs');
      writeFileSync(script, `
        import { readdirSync } from 'node:fs';
        import { loadPyodide } from '${entry}';
        import { installIntoPyodide } from '${dist}pyodide.js';
        const py = await loadPyodide();
        installIntoPyodide(py);
        const fds = () => readdirSync('/proc/self/fd').length;
        const k0 = fds(), s0 = py.FS.streams.filter((s) => s).length;
        const r = py.runPython(\`
import socket, errno, json
socks = []
try:
    while True:
        socks.append(socket.socket())
except OSError as e:
    err = [type(e).__name__, errno.errorcode.get(e.errno), e.strerror]
n = len(socks)
for s in socks: s.close()
del socks
json.dumps([err, n])\`);
        console.log(JSON.stringify([JSON.parse(r), fds() - k0, py.FS.streams.filter((s) => s).length - s0]));
      `);
      const p = spawnSync('bash', ['-c', `ulimit -n 256 && exec node ${script}`], { encoding: 'utf8', timeout: 120_000 });
      expect(p.status, p.stderr).toBe(0);
      const [[err, n], leakedFds, leakedStreams] = JSON.parse(p.stdout.trim().split('\n').pop()!);
      expect(err).toEqual(['OSError', 'EMFILE', 'Too many open files']);
      expect(n).toBeGreaterThan(100);
      expect(n).toBeLessThan(256);                 // the kernel's limit came first, not Emscripten's
      expect([leakedFds, leakedStreams]).toEqual([0, 0]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, LONG);

  it('10^4 connect/accept/close cycles from Python leave the fd count, the stream table and RSS flat', () => {
    run(py, `
import socket, gc
srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(128); addr = srv.getsockname()
def cycles(n):
    for _ in range(n):
        c = socket.create_connection(addr)
        a, _ = srv.accept()
        a.sendall(b'x'); c.recv(1)
        c.close(); a.close()
    gc.collect()
cycles(2000)
None`);
    // Warm-up done (Pyodide's heap and V8's code have grown to their working size).
    (globalThis as { gc?: () => void }).gc?.();
    const k0 = fdCount(), s0 = openStreams(py), rss0 = process.memoryUsage().rss;
    run(py, 'cycles(10000)\nNone');
    (globalThis as { gc?: () => void }).gc?.();
    const k1 = fdCount(), s1 = openStreams(py), rss1 = process.memoryUsage().rss;
    run(py, 'srv.close()\nNone');
    expect(k1 - k0).toBe(0);
    expect(s1 - s0).toBe(0);
    // 16 MiB: Pyodide's wasm heap never shrinks and grows in whole pages, and V8 frees lazily;
    // a leak of even one small object per socket (3 per cycle: ~30,000 JS socket objects of
    // ~0.5 KiB with their Python twins) would exceed it.
    expect((rss1 - rss0) / 2 ** 20).toBeLessThan(16);
  }, LONG);
});

afterAll(() => { /* the instances go with the worker */ });
