// wasock/pyodide's name service (issue 14, part 3): Python's own socket module in Pyodide
// answers getaddrinfo & co through wasock's (src/pyodide/names.ts). test/fixtures/names.json
// (CPython 3.11, scripts/gen_names.py) is replayed inside Python on the Linux host, floats
// and all (Python tells 1.0 from 1, JS cannot); then the emulated network's hosts table, its
// policy, and a connection made by name from Python.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPyodide } from 'pyodide';
import { installIntoPyodide } from '../src/pyodide-node.js';
import { type Py, LONG, run } from './helpers/pyodide.js';
import { network as emulatedNetwork } from '../src/emulated.js';
import { policy } from '../src/policy.js';

const FIXTURE = readFileSync(new URL('./fixtures/names.json', import.meta.url), 'utf8');

/** Replays names.json in Python; returns the cases that differ, with what Python gave. */
const REPLAY = String.raw`
import json, socket, errno
def dec(v):
    if isinstance(v, list):
        return [dec(x) for x in v]
    if isinstance(v, dict):
        if 'bytes' in v: return bytes.fromhex(v['bytes'])
        if 'int' in v: return int(v['int'])
        if 'bool' in v: return v['bool']
        if 'float' in v: return float(v['float'])
    return v
def tup(v):
    # the fixture's tuples are JSON lists; the replay's arguments are tuples where CPython took them
    return tuple(tup(x) for x in v) if isinstance(v, list) else v
def plain(v):
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return int(v) if isinstance(v, int) and not isinstance(v, bool) else v
bad = []
for c in json.loads(fixture)['cases']:
    args = dec(c['args'])
    if c['fn'] == 'getnameinfo':
        args = [tup(args[0])] + args[1:]
    try:
        got = plain(getattr(socket, c['fn'])(*args))
        if 'error' in c:
            bad.append([c['id'], 'returned', repr(got)])
        elif c.get('mask') == 'lo':
            if [x for x in got if x[1] == 'lo'] != c['result']: bad.append([c['id'], repr(got)])
        elif got != c['result']:
            bad.append([c['id'], repr(got)])
    except Exception as e:
        x = c.get('error')
        if x is None:
            bad.append([c['id'], 'raised', type(e).__name__, str(e)])
            continue
        # errno travels by name into Pyodide's numbering (OSError's); gaierror/herror keep glibc's codes
        same = type(e).__name__ == x['type'] and (
            str(e) == x['message'] if x['errno'] is None or x['type'] in ('gaierror', 'herror')
            else getattr(e, 'strerror', None) == x['message'].split('] ', 1)[1])
        if not same:
            bad.append([c['id'], type(e).__name__, str(e), x['type'], x['message']])
len(json.loads(fixture)['cases']), bad
`;

describe('wasock/pyodide name service on the Linux host', () => {
  let py: Py;
  beforeAll(async () => {
    py = await loadPyodide() as unknown as Py;
    installIntoPyodide(py);
  }, LONG);

  it('names.json replayed in Python: every case as CPython 3.11 answers it', () => {
    py.globals.set('fixture', FIXTURE);
    const [n, bad] = run(py, REPLAY);
    expect(n).toBeGreaterThan(200);
    expect(bad).toEqual([]);
  });

  it('gaierror for an unknown name; getservbyname(\'http\', \'tcp\') == 80; the Python-level wrappers (enums) apply', () => {
    const r = run(py, `
import socket
out = []
try:
    socket.getaddrinfo('no-such-host.invalid', 80)
except socket.gaierror as e:
    out.append([e.errno, str(e), isinstance(e, OSError)])
info = socket.getaddrinfo('localhost', 'http', socket.AF_INET, socket.SOCK_STREAM)
out += [socket.getservbyname('http', 'tcp'), socket.getservbyport(53, 'udp'), socket.getprotobyname('udp'),
        repr(info[0][0]), repr(info[0][1]), info[0][4], socket.gethostbyname('localhost'),
        socket.gethostbyaddr('127.0.0.1'), socket.getnameinfo(('127.0.0.1', 22), 0), socket.if_nametoindex('lo'),
        socket.if_indextoname(1), (1, 'lo') in socket.if_nameindex()]
out`);
    expect(r).toEqual([[-2, '[Errno -2] Name or service not known', true], 80, 'domain', 17,
      '<AddressFamily.AF_INET: 2>', '<SocketKind.SOCK_STREAM: 1>', ['127.0.0.1', 80], '127.0.0.1',
      ['localhost', [], ['127.0.0.1']], ['localhost', 'ssh'], 1, 'lo', true]);
  });
});

describe('wasock/pyodide name service on an emulated network', () => {
  let py: Py;
  beforeAll(async () => {
    py = await loadPyodide() as unknown as Py;
    installIntoPyodide(py, {
      network: emulatedNetwork({
        hosts: { 'db.example': ['10.0.0.5'] },
        addresses: ['10.0.0.1'],
        machines: { web: { addresses: ['10.0.0.8'] } },
      }),
    });
  }, LONG);

  it('the network\'s hosts table and machine names; a connection by name from Python, http.client style', () => {
    const r = run(py, `
import socket
srv = socket.socket()
srv.bind(('localhost', 8080)); srv.listen()
c = socket.create_connection(('localhost', 'http-alt'), timeout=5)
a, peer = srv.accept()
c.sendall(b'ping'); got = a.recv(4)
for s in (a, c, srv): s.close()
[socket.gethostbyname('db.example'), socket.gethostbyname('web'), got, peer[0],
 socket.getaddrinfo('db.example', 5432, type=socket.SOCK_STREAM)[0][4], socket.gethostbyaddr('::1'),
 socket.if_nameindex()]`);
    expect(r).toEqual(['10.0.0.5', '10.0.0.8', new Uint8Array([112, 105, 110, 103]), '127.0.0.1', ['10.0.0.5', 5432],
      ['localhost', ['ip6-localhost', 'ip6-loopback'], ['::1']], [[1, 'lo'], [2, 'eth0']]]);
  });

  it('a policy confines names: denied addresses are dropped, a name with none left is PermissionError', async () => {
    const p = await loadPyodide() as unknown as Py;
    installIntoPyodide(p, {
      network: emulatedNetwork({
        hosts: { 'db.example': ['10.0.0.5', '10.9.0.5'], 'evil.example': ['10.66.0.1'] },
        policy: policy().allowTcp().allow('connect', '10.0.0.0/16'),
      }),
    });
    const r = run(p, `
import socket
out = [[x[4][0] for x in socket.getaddrinfo('db.example', 80, socket.AF_INET, socket.SOCK_STREAM)]]
try:
    socket.gethostbyname('evil.example')
except PermissionError as e:
    out.append(e.strerror)
out`);
    expect(r).toEqual([['10.0.0.5'], "gethostbyname of 'evil.example' denied by policy: no rule allows an address it resolves to"]);
  }, LONG);
});
