#!/usr/bin/env python3
"""One socket scenario, three interpreters: CPython's socket module (the oracle), the wasi-p2
component (build/wasock-wasi-p2.component.wasm) in wasmtime through wasmtime-py, and (in
test/wasi-p2-exports.test.ts) the same component through jco on Node. Each step is data, so
every interpreter runs exactly the same calls; each result is normalised the same way (an
ephemeral port is '<port>', bytes are text, an exception is its class, errno and str()).

  python3 scripts/wasi_p2_scenario.py steps          the steps, as JSON
  python3 scripts/wasi_p2_scenario.py cpython        CPython's results, as JSON
  VENV/bin/python scripts/wasi_p2_scenario.py wasmtime [component]
                                                     wasmtime's results and what the runtime
                                                     allowed, as JSON (needs `wasmtime`: .ci/run
                                                     installs wasmtime-py into a venv)
"""
import json
import socket
import sys

AF_INET, SOCK_STREAM, SOCK_DGRAM = 2, 1, 2
SOL_SOCKET, SO_TYPE, SO_ERROR, SO_KEEPALIVE = 1, 3, 4, 9
IPPROTO_TCP, TCP_KEEPIDLE, TCP_NODELAY = 6, 4, 1
LO = '127.0.0.1'

# A step: [id, call, target variable or None, args, variable the result is kept in or None].
# An argument {"ref": name} is a kept value (an address from getsockname/accept).
STEPS = [
    ['tcp', 'socket', None, [AF_INET, SOCK_STREAM, 0], 's'],
    ['keepalive-default', 'getsockopt', 's', [SOL_SOCKET, SO_KEEPALIVE], None],
    ['keepalive-on', 'setsockopt', 's', [SOL_SOCKET, SO_KEEPALIVE, 1], None],
    ['keepalive-read', 'getsockopt', 's', [SOL_SOCKET, SO_KEEPALIVE], None],
    ['keepidle-default', 'getsockopt', 's', [IPPROTO_TCP, TCP_KEEPIDLE], None],
    ['keepidle-set', 'setsockopt', 's', [IPPROTO_TCP, TCP_KEEPIDLE, 42], None],
    ['keepidle-read', 'getsockopt', 's', [IPPROTO_TCP, TCP_KEEPIDLE], None],
    ['keepidle-zero', 'setsockopt', 's', [IPPROTO_TCP, TCP_KEEPIDLE, 0], None],
    ['nodelay-default', 'getsockopt', 's', [IPPROTO_TCP, TCP_NODELAY], None],
    ['so-type', 'getsockopt', 's', [SOL_SOCKET, SO_TYPE], None],
    ['unknown-option', 'getsockopt', 's', [SOL_SOCKET, 12345], None],
    ['timeout-default', 'gettimeout', 's', [], None],
    ['listener', 'socket', None, [AF_INET, SOCK_STREAM, 0], 'srv'],
    ['bind', 'bind', 'srv', [[LO, 0]], None],
    ['listen', 'listen', 'srv', [], None],
    ['srv-name', 'getsockname', 'srv', [], 'srvaddr'],
    ['client', 'socket', None, [AF_INET, SOCK_STREAM, 0], 'c'],
    ['connect', 'connect', 'c', [{'ref': 'srvaddr'}], None],
    ['accept', 'accept', 'srv', [], 'a'],
    ['sendall', 'sendall', 'c', ['ping'], None],
    ['recv', 'recv', 'a', [16], None],
    ['sendall-back', 'sendall', 'a', ['pong'], None],
    ['recv-back', 'recv', 'c', [16], None],
    ['so-error', 'getsockopt', 'c', [SOL_SOCKET, SO_ERROR], None],
    ['settimeout', 'settimeout', 'c', [0.2], None],
    ['gettimeout', 'gettimeout', 'c', [], None],
    ['recv-times-out', 'recv', 'c', [16], None],
    ['addr-in-use-sock', 'socket', None, [AF_INET, SOCK_STREAM, 0], 'srv2'],
    ['bind-in-use', 'bind', 'srv2', [{'ref': 'srvaddr'}], None],
    ['refused-target', 'socket', None, [AF_INET, SOCK_STREAM, 0], 'dead'],
    ['refused-bind', 'bind', 'dead', [[LO, 0]], None],
    ['refused-name', 'getsockname', 'dead', [], 'deadaddr'],
    ['refused-close', 'close', 'dead', [], None],
    ['refused-client', 'socket', None, [AF_INET, SOCK_STREAM, 0], 'r'],
    ['connect-refused', 'connect', 'r', [{'ref': 'deadaddr'}], None],
    ['udp', 'socket', None, [AF_INET, SOCK_DGRAM, 0], 'u'],
    ['udp-bind', 'bind', 'u', [[LO, 0]], None],
    ['udp-name', 'getsockname', 'u', [], 'uaddr'],
    ['udp-peer', 'socket', None, [AF_INET, SOCK_DGRAM, 0], 'v'],
    ['sendto', 'sendto', 'v', ['dgram', {'ref': 'uaddr'}], None],
    ['recvfrom', 'recvfrom', 'u', [16], None],
    ['bad-family', 'socket', None, [12345, SOCK_STREAM, 0], None],
    ['bad-proto', 'socket', None, [AF_INET, SOCK_STREAM, 17], None],
    ['bad-type-flags', 'socket', None, [AF_INET, 0x61, 0], None],
    ['defaulttimeout', 'getdefaulttimeout', None, [], None],
    ['defaulttimeout-negative', 'setdefaulttimeout', None, [-1.0], None],
    ['close', 'close', 'c', [], None],
    ['fileno-closed', 'fileno', 'c', [], None],
    ['recv-closed', 'recv', 'c', [1], None],
]
# The sockets each run closes at its end (whatever the steps left open).
OPEN = ['s', 'srv', 'a', 'srv2', 'r', 'u', 'v']


def norm(v):
    """A result as JSON: ports of loopback addresses are '<port>' (they differ per run)."""
    if isinstance(v, bytes):
        return {'bytes': v.decode('latin-1')}
    if isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], int):
        return [v[0], '<port>' if v[1] > 0 else v[1]]
    if isinstance(v, tuple):
        return [norm(x) for x in v]
    return v


def raised(cls, errno, message):
    return {'raises': {'type': cls, 'errno': errno or None, 'message': message}}


def run(ops):
    """Runs STEPS through `ops` (an interpreter), returning {id: result}."""
    env, out = {}, {}
    for sid, call, target, args, keep in STEPS:
        if target is not None and target not in env:
            out[sid] = {'skipped': f'no socket {target}'}
            continue
        args = [env.get(a['ref']) if isinstance(a, dict) else a for a in args]
        if any(a is None for a in args):
            out[sid] = {'skipped': 'an argument was not made'}
            continue
        try:
            r = ops.call(call, env.get(target), args)
        except ops.Failure as e:
            out[sid] = ops.describe(e)
            continue
        if call == 'accept':
            env[keep] = r[0]
            out[sid] = {'ok': [None, norm(ops.address(r[1]))]}
            continue
        if call in ('getsockname', 'recvfrom'):
            addr = ops.address(r if call == 'getsockname' else r[1])
            if keep:
                env[keep] = r
            out[sid] = {'ok': norm(addr) if call == 'getsockname' else [norm(ops.data(r[0])), norm(addr)]}
            continue
        if keep:
            env[keep] = r
            out[sid] = {'ok': None}
            continue
        out[sid] = {'ok': norm(ops.data(r)) if call.startswith('recv') else r}
    for name in OPEN:
        if name in env:
            try:
                ops.call('close', env[name], [])
            except ops.Failure:
                pass
    return out


class CPython:
    """The oracle: CPython's socket module on this machine's kernel."""
    Failure = Exception

    def call(self, call, s, args):
        if call == 'socket':
            return socket.socket(*args)
        if call == 'getdefaulttimeout':
            return socket.getdefaulttimeout()
        if call == 'setdefaulttimeout':
            return socket.setdefaulttimeout(*args)
        if call in ('sendall',):
            return s.sendall(args[0].encode())
        if call == 'sendto':
            return s.sendto(args[0].encode(), args[1])
        if call == 'bind':
            return s.bind(tuple(args[0]))
        return getattr(s, call)(*args)

    def describe(self, e):
        return raised(type(e).__name__, getattr(e, 'errno', None), str(e))

    def address(self, a):
        return a

    def data(self, d):
        return d


class Wasmtime:
    """The component in wasmtime: `wasock:core/sockets` called through wasmtime-py's component API."""

    class Failure(Exception):
        def __init__(self, err):
            super().__init__(err.message)
            self.err = err

    def __init__(self, path):
        import wasmtime
        import wasmtime.component as C
        from wasmtime import _ffi as ffi
        self.C = C
        engine = wasmtime.Engine()
        self.store = wasmtime.Store(engine)
        config = wasmtime.WasiConfig()
        # Loopback and every other address: the C API's one network switch. TCP and UDP socket
        # creation have switches of their own in wasmtime >= 49 (off by default, wasmtime
        # #13936), which its C API does not offer yet; used here as soon as it does.
        ffi.wasi_config_inherit_network(config.ptr())
        self.allows = {'inherit_network': True}
        for name in ('wasi_config_allow_tcp', 'wasi_config_allow_udp'):
            f = getattr(ffi, name, None)
            self.allows[name] = f is not None
            if f is not None:
                f(config.ptr(), True)
        self.store.set_wasi(config)
        linker = C.Linker(engine)
        linker.add_wasip2()
        self.instance = linker.instantiate(self.store, C.Component.from_file(engine, path))
        self.iface = self.instance.get_export_index(self.store, 'wasock:core/sockets')
        self.funcs = {}

    def fn(self, name):
        f = self.funcs.get(name)
        if f is None:
            f = self.instance.get_func(self.store, self.instance.get_export_index(self.store, name, self.iface))
            self.funcs[name] = f
        return f

    def invoke(self, name, *args):
        f = self.fn(name)
        r = f(self.store, *args)
        f.post_return(self.store)
        return r

    def checked(self, name, *args):
        """A result<T, error>: wasmtime-py returns the payload of either case; the error is a record with `exception`."""
        r = self.invoke(name, *args)
        if isinstance(r, self.C.Record) and hasattr(r, 'exception'):
            raise self.Failure(r)
        return r

    def lower(self, a):
        if isinstance(a, self.C.Variant):
            return a
        rec = self.C.Record()
        rec.host, rec.port = a[0], a[1]
        return self.C.Variant('inet', rec)

    def call(self, call, s, args):
        c = self.checked
        if call == 'socket':
            return c('socket', *args)
        if call in ('bind', 'connect'):
            return c(call, s, self.lower(args[0]))
        if call == 'listen':
            return c('listen', s, None)
        if call in ('getsockopt', 'setsockopt', 'getsockname', 'accept', 'close'):
            r = c(call, s, *args)
            return (r.socket, r.address) if call == 'accept' else r
        if call == 'recv':
            return c('recv', s, args[0], 0)
        if call == 'recvfrom':
            r = c('recvfrom', s, args[0], 0)
            return (r.data, r.address)
        if call == 'sendall':
            return c('sendall', s, args[0].encode(), 0)
        if call == 'sendto':
            return c('sendto', s, args[0].encode(), 0, self.lower(args[1]))
        if call == 'settimeout':
            return c('settimeout', s, args[0])
        if call == 'gettimeout':
            return self.invoke('gettimeout', s)
        if call == 'fileno':
            return self.invoke('fileno', s)
        if call == 'getdefaulttimeout':
            return self.invoke('getdefaulttimeout')
        if call == 'setdefaulttimeout':
            return c('setdefaulttimeout', args[0])
        raise ValueError(call)

    def describe(self, e):
        return raised(e.err.exception, e.err.errno, e.err.message)

    def install(self, protocols, rules, options):
        """policy.install through wasmtime: flags as sets, records as Records, tuples, options."""
        def rec(**kw):
            r = self.C.Record()
            for k, v in kw.items():
                setattr(r, k, v)
            return r
        f = self.instance.get_func(self.store, self.instance.get_export_index(
            self.store, 'install', self.instance.get_export_index(self.store, 'wasock:core/policy')))
        r = f(self.store, set(protocols),
              [rec(uses=set(u), address=a, ports=tuple(p) if p else None) for u, a, p in rules],
              [rec(level=lv, optname=o, bounds=tuple(b) if b else None) for lv, o, b in options])
        f.post_return(self.store)
        if isinstance(r, self.C.Record) and hasattr(r, 'exception'):
            raise self.Failure(r)

    def address(self, a):
        if a.tag == 'inet':
            return (a.payload.host, a.payload.port)
        return a.tag

    def data(self, d):
        return bytes(d)


# wasock:core/policy calls (wasock's own API: no CPython answer; test/wasi-p2-wasmtime.test.ts
# compares wasmtime's answers with jco's): [protocols, rules [uses, address, ports], options
# [level, optname, bounds]], then socket(AF_INET, SOCK_STREAM) under what was installed.
POLICIES = [
    [['tcp'], [[['bind'], '10.0.0.0/99', None]], []],
    [['tcp'], [[['connect'], '127.0.0.1', [80, 70]]], []],
    [['tcp'], [], [[SOL_SOCKET, SO_KEEPALIVE, [2.0, 1.0]]]],
    [['udp'], [[['bind', 'send', 'receive'], '127.0.0.1', None]], [[SOL_SOCKET, SO_KEEPALIVE, None]]],
]


def run_policies(ops):
    out = []
    for protocols, rules, options in POLICIES:
        try:
            ops.install(protocols, rules, options)
            got = {'ok': None}
        except ops.Failure as e:
            got = ops.describe(e)
        try:
            ops.call('socket', None, [AF_INET, SOCK_STREAM, 0])
            made = {'ok': None}
        except ops.Failure as e:
            made = ops.describe(e)
        out.append({'install': got, 'socket': made})
    return out


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else 'cpython'
    if what == 'steps':
        out = {'steps': STEPS, 'open': OPEN, 'policies': POLICIES}
    elif what == 'cpython':
        out = {'results': run(CPython())}
    elif what == 'wasmtime':
        import wasmtime
        ops = Wasmtime(sys.argv[2] if len(sys.argv) > 2 else 'build/wasock-wasi-p2.component.wasm')
        caps = {n: ops.invoke('has-capability', n) for n in ('socket.create', 'bind', 'af_inet6', 'af_unix', 'socketpair', 'dup', 'fcntl')}
        out = {'results': run(ops), 'cpython': run(CPython()), 'allows': ops.allows, 'policies': run_policies(ops),
               'capabilities': caps, 'wasmtime': getattr(wasmtime, '__version__', None) or wasmtime_version()}
    else:
        raise SystemExit(__doc__)
    json.dump(out, sys.stdout)


def wasmtime_version():
    from importlib.metadata import version
    return version('wasmtime')


if __name__ == '__main__':
    main()
