// Where CPython's C socket type differs from a plain Python class (src/pyodide/socket-py-cpython.ts,
// found by the conformance job): the same Python runs in native python3 (the oracle, in a child)
// and in Pyodide 0.25.1 and 314.x on wasock/pyodide, and must print the same. Errno values are
// compared by name (Pyodide's errno module has Emscripten's numbers).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installIntoPyodide, type PyodideLike } from '../src/pyodide-node.js';

const dir = mkdtempSync(join(tmpdir(), 'wasock-pyodide-cpython-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROBE = String.raw`
import socket, _socket, warnings, gc, errno, json, re, sys
DIR = sys.argv[1] if len(sys.argv) > 1 else DIR_FROM_JS
out = {}
def attempt(f):
    try:
        return ['ok', f()]
    except OSError as e:
        if e.errno is None:
            return [type(e).__name__, None, str(e)]
        return [type(e).__name__, errno.errorcode.get(e.errno), e.strerror]
    except Exception as e:
        return [type(e).__name__, str(e)]

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
out['gettimeout'] = attempt(s.gettimeout)
out['getdefaulttimeout'] = attempt(socket.getdefaulttimeout)
for f in (42.5, 'foo', -1, -42):
    out['fileno=%r' % (f,)] = attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM, fileno=f) and 'made')
out['close(None)'] = attempt(lambda: _socket.close(None))
out['close(-1)'] = attempt(lambda: _socket.close(-1))
for args in ((b'foo', None), (b'foo', 0, None), (b'foo',), (b'foo', 1, 2, 3), ('x', ('127.0.0.1', 9))):
    out['sendto%r' % (args,)] = attempt(lambda: s.sendto(*args))
s.close()

c = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
out['repr'] = re.sub(r'fd=\d+', 'fd=N', repr(c))
c.close()
out['repr closed'] = repr(c)
out['immutable'] = attempt(lambda: setattr(_socket.socket, 'foo', 1))
out['subclass mutable'] = attempt(lambda: setattr(socket.socket, 'wasock_probe', 1))

with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('always')
    t = socket.socket()
    r = repr(t)
    del t
    gc.collect()
out['unclosed'] = [[x.category.__name__, r in str(x.message)] for x in w]

t = socket.socket()
fd = t.detach()
u = socket.socket(family=99, type=98, proto=23, fileno=fd)
out['given family/type'] = [int(u.family), int(u.type), u.proto in (0, 23)]
u.close()

# A str AF_UNIX path with surrogate escapes names the bytes they escape (os.fsencode).
path = DIR + '/sock-' + 'àé'.encode('utf-8').decode('ascii', 'surrogateescape')
x = socket.socket(socket.AF_UNIX)
out['unix surrogateescape'] = attempt(lambda: (x.bind(path), x.getsockname())[1][len(DIR):])
x.close()

l = socket.socket()
l.bind(('127.0.0.1', 0))
l.listen()
l.settimeout(0.05)
out['accept timeout'] = attempt(l.accept)
l.close()

# A UnicodeEncodeError keeps its fields (it is built from five arguments, not a message).
def enc_error(f):
    try:
        f()
    except UnicodeEncodeError as e:
        return [type(e).__name__, str(e), e.encoding, e.start, e.end, e.reason]
out['getaddrinfo surrogate port'] = enc_error(lambda: socket.getaddrinfo('localhost', '\uD800'))
# _socket's names are CPython 3.11's Linux build's (CAPI, a C capsule, has no use without C).
out['_socket names'] = sorted(n for n in dir(_socket) if not n.startswith('_') and n != 'CAPI')
out['socket methods'] = sorted(n for n in dir(_socket.socket) if not n.startswith('_'))
# sendmsg_afalg checks the family before its arguments (no AF_ALG in this kernel to go further).
t = socket.socket()
for a, k in (((), {}), ((), {'op': -1}), (([b'x'],), {'op': 0, 'iv': 5})):
    out['sendmsg_afalg%r%r' % (a, k)] = attempt(lambda: t.sendmsg_afalg(*a, **k))
t.close()
out['AF_ALG socket'] = attempt(lambda: socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET, 0))
json.dumps(out)
`;

type Py = PyodideLike & { globals: { set(n: string, v: unknown): void } };

function native(): unknown {
  const script = PROBE.replace(/json\.dumps\(out\)\s*$/, 'print(json.dumps(out))');
  return JSON.parse(execFileSync('python3', ['-c', script, dir], { encoding: 'utf8' }));
}

async function inPyodide(pkg: string): Promise<unknown> {
  const mod = await import(pathToFileURL(resolve(__dirname, '../node_modules', pkg, 'pyodide.mjs')).href);
  const py = await mod.loadPyodide() as Py;
  installIntoPyodide(py);
  py.globals.set('DIR_FROM_JS', dir);
  return JSON.parse(py.runPython(PROBE) as string);
}

describe('wasock/pyodide: CPython C-type details, against native python3', () => {
  let expected: Record<string, unknown>;
  beforeAll(() => { expected = native() as Record<string, unknown>; });

  it('the oracle says what the fragment reproduces', () => {
    expect(expected['fileno=42.5']).toEqual(['TypeError', "'float' object cannot be interpreted as an integer"]);
    expect(expected['fileno=-1']).toEqual(['ValueError', 'negative file descriptor']);
    expect(expected['repr']).toBe('<socket object, fd=N, family=2, type=1, proto=0>');
    expect(expected['unclosed']).toEqual([['ResourceWarning', true]]);
    expect(expected['unix surrogateescape']).toEqual(['ok', '/sock-àé']);
    expect(expected['accept timeout']).toEqual(['TimeoutError', null, 'timed out']);
  });

  for (const [pkg, label] of [['pyodide', 'Pyodide 0.25.1 (CPython 3.11)'], ['pyodide-314', 'Pyodide 314.x (CPython 3.14)']]) {
    it(`${label} prints what native python3 prints`, async () => {
      rmSync(join(dir, 'sock-àé'), { force: true });
      const got = await inPyodide(pkg) as Record<string, unknown>;
      expect(got).toEqual(expected);
    }, 60_000);
  }
});
