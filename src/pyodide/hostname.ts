// wasock/pyodide's gethostname() and sethostname(name): bridge calls to the network's own
// (src/hostname.ts: the core decides, the host asks the OS, a policy refuses sethostname),
// unless installIntoPyodide was given `hostname`, which gethostname() then answers. The
// Python half does PyArg's conversion (bytes as they are, else os.fsencode: str or
// os.PathLike, no NUL), which needs Python's types; the JS half calls the network.
// src/pyodide.ts appends HOSTNAME_PY to the module's source and hostnameFunctions() to its bridge.
import type { Network } from '../network.js';
import { NotAvailableError } from '../exceptions.js';

/** The bridge functions HOSTNAME_PY binds (prefixed hn_). `override` is InstallOptions.hostname, if given. */
export function hostnameFunctions(net: () => Network, override: () => string | null): Record<string, unknown> {
  // A wasi-p1 network has neither function (Python: "not WASI"): OSError in Python, as the
  // core's NotAvailableError would be.
  const has = (n: Partial<Network>, fn: 'gethostname' | 'sethostname'): Network => {
    if (typeof n[fn] !== 'function') throw new NotAvailableError(`${fn} is not available on ${n.host?.name}`, 'hostname', n.host?.name ?? '');
    return n as Network;
  };
  return {
    hn_gethostname: () => override() ?? has(net(), 'gethostname').gethostname(),
    hn_sethostname: (name: Uint8Array) => { has(net(), 'sethostname').sethostname(name); },
  };
}

/** Run in the `_socket` module after SOCKET_PY (_b, _translate). No backtick or dollar-brace. */
export const HOSTNAME_PY = String.raw`

from pyodide.ffi import to_js as _hn_to_js
import os as _hn_os

_hn_get = _b.hn_gethostname; _hn_set = _b.hn_sethostname


def gethostname():
    try:
        return _hn_get()
    except _JsException as e:
        raise _translate(e) from None


def sethostname(*args):
    if len(args) != 1:
        raise TypeError('sethostname() takes exactly 1 argument (%d given)' % len(args))
    name = args[0]
    if not isinstance(name, bytes):
        # PyUnicode_FSConverter: os.fspath's TypeError for anything else ("expected str, bytes
        # or os.PathLike object, not int"), and no NUL in what it gives.
        name = _hn_os.fsencode(name)
        if b'\0' in name:
            raise ValueError('embedded null byte')
    try:
        _hn_set(_hn_to_js(bytes(name)))
    except _JsException as e:
        raise _translate(e) from None
`;
