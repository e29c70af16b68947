// wasock/pyodide: gives a Pyodide instance wasock sockets. installIntoPyodide() puts a `_socket`
// module of wasock's own (src/pyodide/socket-py.ts) in the instance's sys.modules and reloads
// socket.py over it; the module's socket type calls the bridge below, which holds the
// instance's wasock sockets in a table of its own. The default network is the entry's
// (src/pyodide/defaults.ts: the Linux host's in Node, an emulated one in a page); a caller's
// network, policy-confined or emulated, confines it.
import { pyodideDefaults } from './pyodide/defaults.js';
import type { Network } from './network.js';
import type { socket } from './socket.js';
import { core } from './core.js';
import { fromErrno } from './errors.js';
import { pyTypeName } from './args.js';
import * as constants from './generated/constants.js';
import { SOCKET_CONSTANT_NAMES } from './generated/constants.js';
import { SOCKET_PY } from './pyodide/socket-py.js';
import { SocketStreams, type EmFS } from './pyodide/fd.js';
import { backendFor } from '../host/wasi-sockets/backend.js';
import { FD_PY } from './pyodide/fd-py.js';
import { FCNTL_MODULE_CONSTANTS } from './generated/fcntl-module.js';

/** What installIntoPyodide needs of a Pyodide instance (the PyodideInterface of 0.25.x). */
export interface PyodideLike {
  runPython(code: string, options?: { globals?: unknown; filename?: string }): any;
  toPy(obj: unknown): any;
  /** Emscripten's FS: a socket's fd is a stream in its table (src/pyodide/fd.ts). */
  FS: unknown;
}

export interface InstallOptions {
  /**
   * The network Python's sockets live on (default: a Linux host network of the instance's
   * own, wasock/linux's network(); in a page, wasock/emulated's network()). `network({ policy })` or an emulated network confines it.
   */
  network?: Network;
  /** What socket.gethostname() answers (default: the machine's name on the default network, else 'localhost'). */
  hostname?: string;
}

/** A buffer-protocol PyProxy: what a Python bytes/bytearray/memoryview argument arrives as. */
interface PyBufferProxy {
  getBuffer(type?: string): { data: Uint8Array; readonly: boolean; c_contiguous: boolean; release(): void };
}
const isProxy = (v: unknown): v is { toJs(o?: unknown): unknown; getBuffer?: unknown; type?: string } =>
  typeof v === 'object' && v !== null && typeof (v as { toJs?: unknown }).toJs === 'function';

/** The Python type name of an argument: a PyProxy's own, or what a converted str/int/None was. */
const pyType = (v: unknown): string => (isProxy(v) ? String(v.type) : pyTypeName(v));

/**
 * A Python address argument as wasock takes it: a tuple becomes an array, a bytes-like object a
 * Uint8Array (a copy: AF_UNIX names are short). Anything else stays an object that wasock's
 * TypeError names by its Python type ("must be tuple, not list"), as a JS array would be taken
 * for a tuple.
 */
function address(a: unknown): unknown {
  if (!isProxy(a)) return a;
  if (a.type === 'tuple') return a.toJs();
  if (typeof a.getBuffer === 'function') return readBytes(a, (b) => b.slice());
  return Object.create({ constructor: { name: a.type } });
}

/** Runs `f` on the bytes of a Python bytes-like argument, in Pyodide's heap (no copy). */
function readBytes<T>(data: unknown, f: (b: Uint8Array) => T): T {
  if (!isProxy(data) || typeof data.getBuffer !== 'function') {
    throw new TypeError(`a bytes-like object is required, not '${pyType(data)}'`);
  }
  const buf = (data as unknown as PyBufferProxy).getBuffer('u8');
  try { return f(buf.data); } finally { buf.release(); }
}

/** Runs `f` on a writable Python buffer (recv_into's bytearray or memoryview), in place. */
function writeBytes<T>(fn: string, data: unknown, f: (b: Uint8Array) => T): T {
  if (!isProxy(data) || typeof data.getBuffer !== 'function') {
    throw new TypeError(`${fn}() argument 1 must be read-write bytes-like object, not ${pyType(data)}`);
  }
  const buf = (data as unknown as PyBufferProxy).getBuffer('u8');
  try {
    if (buf.readonly) throw new TypeError(`${fn}() argument 1 must be read-write bytes-like object, not ${(data as { type?: string }).type}`);
    return f(buf.data);
  } finally { buf.release(); }
}

let errnoNames: Map<number, string> | null = null;
/** Linux errno number -> name (the core's table): Python translates by name. */
function errname(n: number): string | null {
  if (errnoNames === null) {
    errnoNames = new Map();
    const c = core(), max = c.x.errno_max();
    for (let i = 1; i <= max; i++) {
      const s = c.str(c.x.errno_name(i));
      if (s) errnoNames.set(i, s);
    }
  }
  return errnoNames.get(n) ?? null;
}

/** One Pyodide instance's sockets: the table Python's fds index and the functions Python binds. */
class Bridge {
  net: Network;
  name: string;
  /** The instance's fd table (Emscripten's): sockets are streams in it. */
  readonly streams: SocketStreams;

  constructor(net: Network, name: string, FS: EmFS, emErrno: (linux: number) => number) {
    this.net = net; this.name = name;
    this.streams = new SocketStreams(FS, emErrno, () => this.net, backendFor);
  }

  /** A new fd for `s` (EMFILE, with `s` closed, when the table is full). */
  private put(s: socket): number { return this.streams.open(s); }

  /** The socket at fd: EBADF for a closed fd, ENOTSOCK for a file, as the kernel answers. */
  private at(fd: number): socket { return this.streams.get(fd); }

  /** The functions the Python module binds once (plain closures: no `this` to look up). */
  functions(): Record<string, unknown> {
    const net = (): Network => this.net;
    const at = (fd: number) => this.at(fd);
    const put = (s: socket) => this.put(s);
    const streams = this.streams;
    return {
      constants: () => {
        const o: Record<string, number> = {};
        const all = constants as unknown as Record<string, unknown>;
        for (const k of SOCKET_CONSTANT_NAMES) if (typeof all[k] === 'number') o[k] = all[k] as number;
        return o;
      },
      new_socket: (family: number, type: number, proto: number, fileno: number | undefined) => {
        if (fileno === undefined) return put(new (net().socket)(family, type, proto));
        // socket(fileno=fd): an fd of this table (accept's, dup's, detach's) only; another
        // number would name an fd of the host that Python never owned.
        at(fileno);
        return fileno;
      },
      info: (fd: number) => { const s = at(fd); return [s.family, s.type, s.proto]; },
      close: (fd: number) => streams.close(fd),
      dup: (fd: number) => put(at(fd).dup()),
      bind: (fd: number, a: unknown) => at(fd).bind(address(a) as never),
      connect: (fd: number, a: unknown) => at(fd).connect(address(a) as never),
      connect_ex: (fd: number, a: unknown) => at(fd).connect_ex(address(a) as never),
      listen: (fd: number, backlog?: number) => (backlog === undefined ? at(fd).listen() : at(fd).listen(backlog)),
      accept: (fd: number) => { const [s, a] = at(fd).accept(); return [put(s), a]; },
      getsockname: (fd: number) => at(fd).getsockname(),
      getpeername: (fd: number) => at(fd).getpeername(),
      shutdown: (fd: number, how: number) => at(fd).shutdown(how),
      getsockopt: (fd: number, level: number, opt: number) => at(fd).getsockopt(level, opt),
      getsockopt_bytes: (fd: number, level: number, opt: number, buflen: number) => at(fd).getsockopt(level, opt, buflen),
      setsockopt: (fd: number, level: number, opt: number, value: unknown, optlen?: number) => {
        const s = at(fd);
        if (optlen !== undefined) return s.setsockopt(level, opt, (value ?? null) as null, optlen);
        if (isProxy(value)) return readBytes(value, (b) => s.setsockopt(level, opt, b));
        return s.setsockopt(level, opt, value as number);
      },
      settimeout: (fd: number, v: unknown) => at(fd).settimeout((v ?? null) as number | null),
      gettimeout: (fd: number) => at(fd).gettimeout(),
      setblocking: (fd: number, flag: boolean) => at(fd).setblocking(flag),
      getblocking: (fd: number) => at(fd).getblocking(),
      send: (fd: number, data: unknown, flags: number) => { const s = at(fd); return readBytes(data, (b) => s.send(b, flags)); },
      sendall: (fd: number, data: unknown, flags: number) => { const s = at(fd); readBytes(data, (b) => s.sendall(b, flags)); },
      sendto: (fd: number, data: unknown, flags: number, a: unknown) => { const s = at(fd); return readBytes(data, (b) => s.sendto(b, flags, address(a) as never)); },
      recv: (fd: number, n: number, flags: number) => at(fd).recv(n, flags),
      recv_into: (fd: number, buf: unknown, n: number, flags: number) => { const s = at(fd); return writeBytes('recv_into', buf, (b) => s.recv_into(b, n, flags)); },
      recvfrom: (fd: number, n: number, flags: number) => at(fd).recvfrom(n, flags),
      recvfrom_into: (fd: number, buf: unknown, n: number, flags: number) => { const s = at(fd); return writeBytes('recvfrom_into', buf, (b) => s.recvfrom_into(b, n, flags)); },
      socketpair: (family: number, type: number, proto: number) => {
        const [a, b] = net().socketpair(family, type, proto);
        let fa: number;
        try { fa = put(a); } catch (e) { b.close(); throw e; }
        try { return [fa, put(b)]; } catch (e) { streams.close(fa); throw e; }
      },
      getdefaulttimeout: () => net().getdefaulttimeout(),
      setdefaulttimeout: (v: unknown) => net().setdefaulttimeout((v ?? null) as number | null),
      errname,
      gethostname: () => this.name,
      // src/pyodide/fd-py.ts: os, select and fcntl on the instance's fds.
      kind: (fd: number) => streams.kind(fd),
      // Up to three revents come back packed in one number (16 bits each): a JS array would
      // reach Python as a proxy, read one crossing per element (several µs a call).
      wait: (ms: number, select: boolean, ...pairs: number[]) => {
        const r = streams.pollPairs(ms, select, pairs);
        if (r === null || r.length > 3) return r;
        return (r[0] ?? 0) + (r[1] ?? 0) * 0x10000 + (r[2] ?? 0) * 0x100000000;
      },
      fcntl: (fd: number, cmd: number, arg: number, buf: unknown) =>
        streams.fcntl(fd, cmd, arg, buf === null || buf === undefined ? null : readBytes(buf, (b) => b.slice())),
      ioctl: (fd: number, req: number, arg: unknown, copy: boolean, mutate: boolean) => {
        if (typeof arg === 'number') return streams.ioctl(fd, req, arg, false, false);
        if (copy) return streams.ioctl(fd, req, readBytes(arg, (b) => b.slice()), true, false);
        return writeBytes('ioctl', arg, (b) => streams.ioctl(fd, req, b, false, mutate));
      },
    };
  }
}

/** The instances installed into, with their bridge: a second install reuses it. */
const installed = new WeakMap<object, Bridge>();

/** Puts the module in sys.modules and reloads socket.py (and what imported from it) over it. */
const INSTALLER = String.raw`
def __wasock_install(source, bridge):
    import sys, types, importlib
    m = types.ModuleType('_socket')
    m.__wasock__ = True
    m.__dict__['__wasock_bridge__'] = bridge
    exec(compile(source, '<wasock _socket>', 'exec'), m.__dict__)
    pyodides = sys.modules.get('_socket')
    sys.modules['_socket'] = m
    # socket.py did "from _socket import *" and subclassed _socket.socket: re-run it in the
    # same module object, so every "import socket" already done (asyncio's) sees the new one.
    if 'socket' in sys.modules:
        # Names it took from Pyodide's _socket that wasock's lacks would outlive the reload and
        # keep Emscripten's sockets in reach (socket.gethostbyaddr.__self__.socket(): SOCKFS,
        # a WebSocket in a page): gone, as from a fresh import (test/pyodide-browser.test.ts).
        if pyodides is not None and not getattr(pyodides, '__wasock__', False):
            for k in set(dir(pyodides)) - set(dir(m)):
                if not k.startswith('__'): sys.modules['socket'].__dict__.pop(k, None)
        importlib.reload(sys.modules['socket'])
    else:
        import socket
    # Modules that took names out of socket (rather than the module) are reloaded too.
    for name in ('socketserver', 'ssl', 'http.client', 'urllib.request', 'asyncio.trsock'):
        if name in sys.modules:
            importlib.reload(sys.modules[name])
__wasock_install
`;

/**
 * Makes `import socket` in `pyodide` give wasock sockets on `options.network` (default: a Linux
 * host network of its own; an emulated one in a page). Installing again into the same instance
 * keeps the sockets made so far and moves new ones to the network given, if any.
 */
export function installIntoPyodide(pyodide: PyodideLike, options: InstallOptions = {}): void {
  const again = installed.get(pyodide as object);
  if (again !== undefined) {
    if (options.network !== undefined) again.net = options.network;
    if (options.hostname !== undefined) again.name = options.hostname;
    return;
  }
  const net = options.network ?? pyodideDefaults().network();
  const name = options.hostname ?? (options.network === undefined ? pyodideDefaults().hostname() : 'localhost');
  const FS = pyodide.FS as EmFS;
  if (typeof FS !== 'object' || FS === null || typeof FS.createStream !== 'function') {
    throw new TypeError('installIntoPyodide: not a Pyodide instance (it has no FS with createStream)');
  }
  // The instance's errno numbers by name (Emscripten's): stream operations raise those.
  const emNames = new Map<string, number>(Object.entries(pyodide.runPython(
    'import errno\n{n: v for v, n in errno.errorcode.items()}').toJs({ dict_converter: Object.fromEntries }) as Record<string, number>));
  const EIO = emNames.get('EIO')!;
  const emErrno = (linux: number): number => emNames.get(errname(linux) ?? '') ?? EIO;
  const bridge = new Bridge(net, name, FS, emErrno);
  const globals = pyodide.toPy({});
  try {
    const fns = bridge.functions();
    const install = pyodide.runPython(INSTALLER, { globals });
    try { install(SOCKET_PY, fns); } finally { install.destroy?.(); }
    const fd = pyodide.runPython(FD_PY, { globals });
    try { fd(fns, FCNTL_MODULE_CONSTANTS); } finally { fd.destroy?.(); }
  } finally { globals.destroy?.(); }
  installed.set(pyodide as object, bridge);
}
