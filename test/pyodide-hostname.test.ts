// Pyodide's _socket.gethostname() / sethostname() (src/pyodide/hostname.ts): the network's own
// (its sethostname seen by gethostname), InstallOptions.hostname as an override, CPython's
// argument errors, the OS's errors in Pyodide's errno numbering, and a policy's refusal.
import { describe, expect, it } from 'vitest';
import { loadPyodide } from 'pyodide';
import { installIntoPyodide, type PyodideLike } from '../src/pyodide-node.js';
import { network as emulatedNetwork } from '../src/emulated.js';
import { policy } from '../src/policy.js';
import { network as wasiP1Network } from '../src/wasi-p1.js';
import type { Network } from '../src/network.js';

const run = (py: PyodideLike, code: string): unknown =>
  (py as unknown as { runPython(c: string): { toJs(): unknown } | unknown }).runPython(code);

describe('Pyodide: gethostname / sethostname through the bridge', () => {
  it('a privileged emulated network: sethostname (str, bytes) is what gethostname answers; bad arguments as CPython', async () => {
    const py = await loadPyodide() as unknown as PyodideLike;
    installIntoPyodide(py, { network: emulatedNetwork({ privileged: true }) });
    expect(run(py, `
import socket, errno
out = [socket.gethostname()]
socket.sethostname('new'); out.append(socket.gethostname())
socket.sethostname(b'bar'); out.append(socket.gethostname())
for a in [(), (1,), (bytearray(b'x'),), ('a\\x00',), ('y' * 65,)]:
    try:
        socket.sethostname(*a)
    except Exception as e:
        out.append([type(e).__name__, e.errno == errno.EINVAL if isinstance(e, OSError) else None, str(e)])
repr(out)`)).toBe(repr([
      'localhost', 'new', 'bar',
      ['TypeError', null, 'sethostname() takes exactly 1 argument (0 given)'],
      ['TypeError', null, 'expected str, bytes or os.PathLike object, not int'],
      ['TypeError', null, 'expected str, bytes or os.PathLike object, not bytearray'],
      ['ValueError', null, 'embedded null byte'],
      ['OSError', true, '[Errno 28] Invalid argument'],
    ]));
  }, 60_000);

  it('unprivileged: PermissionError; under a policy: denied; a wasi-p1 network: OSError; InstallOptions.hostname overrides gethostname', async () => {
    const py = await loadPyodide() as unknown as PyodideLike;
    installIntoPyodide(py, { network: emulatedNetwork() });
    expect(run(py, `
import socket
try:
    socket.sethostname('x')
except PermissionError as e:
    r = str(e)
r`)).toBe('[Errno 63] Operation not permitted');
    installIntoPyodide(py, { network: emulatedNetwork({ privileged: true, policy: policy().allowTcp().allow('connect', '10.0.0.0/8') }) });
    expect(run(py, `
try:
    socket.sethostname('x')
except PermissionError as e:
    r = str(e)
r`)).toBe('[Errno 63] sethostname denied by policy: a sandbox does not rename the machine');
    // InstallOptions.network is typed Network; a wasi-p1 one lacks the "not WASI" functions.
    installIntoPyodide(py, { network: wasiP1Network() as unknown as Network });
    expect(run(py, `
try:
    socket.gethostname()
except OSError as e:
    r = str(e)
r`)).toBe('gethostname is not available on wasi-p1');
    installIntoPyodide(py, { hostname: 'pinned' });
    expect(run(py, 'socket.gethostname()')).toBe('pinned');
  }, 60_000);
});

/** Python's repr of a list of str / None / bool / nested lists (what the cases above hold). */
function repr(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(repr).join(', ')}]`;
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return `'${String(v)}'`;
}
