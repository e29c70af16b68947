// wasock/pyodide: gives a Pyodide instance wasock sockets. installIntoPyodide() puts a `_socket`
// module of wasock's own (src/pyodide/socket-py.ts) in the instance's sys.modules and reloads
// socket.py over it; the module's socket type calls the bridge below, which holds the
// instance's wasock sockets in a table of its own. Node only for now (the default network is
// the Linux host's); a caller's network, policy-confined or emulated, confines it.
import { hostname } from 'node:os';
import { network as linuxNetwork } from './linux.js';
import type { Network } from './network.js';
import type { socket } from './socket.js';
import { core } from './core.js';
import { fromErrno } from './errors.js';
import { pyTypeName } from './args.js';
import * as constants from './generated/constants.js';
import { SOCKET_CONSTANT_NAMES } from './generated/constants.js';
import { SOCKET_PY } from './pyodide/socket-py.js';
import { MSG_PY, msgFunctions } from './pyodide/msg.js';

/**
 * A socket's fileno() in Python: its slot in the bridge's table plus this. Emscripten's FS hands
 * out fds 0..FS.MAX_OPEN_FDS (4096) only, so no socket fd aliases a file Pyodide opened; they
 * are not Emscripten streams (os.read/select on them fail with EBADF: left for later).
 */
export const FD_BASE = 1 << 20;

/** What installIntoPyodide needs of a Pyodide instance (the PyodideInterface of 0.25.x). */
export interface PyodideLike {
  runPython(code: string, options?: { globals?: unknown; filename?: string }): any;
  toPy(obj: unknown): any;
}

export interface InstallOptions {
  /**
   * The network Python's sockets live on (default: a Linux host network of the instance's
   * own, wasock/linux's network()). `network({ policy })` or an emulated network confines it.
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
  private readonly table: (socket | undefined)[] = [];
  private readonly free: number[] = [];

  constructor(net: Network, name: string) { this.net = net; this.name = name; }

  private put(s: socket): number {
    const i = this.free.length > 0 ? this.free.pop()! : this.table.length;
    this.table[i] = s;
    return i + FD_BASE;
  }

  /** The socket at fd, or EBADF (a closed or foreign fd), as CPython's calls on fd -1 raise. */
  private at(fd: number): socket {
    const s = typeof fd === 'number' ? this.table[fd - FD_BASE] : undefined;
    if (s === undefined) throw fromErrno(9);
    return s;
  }

  /** The functions the Python module binds once (plain closures: no `this` to look up). */
  functions(): Record<string, unknown> {
    const net = (): Network => this.net;
    const at = (fd: number) => this.at(fd);
    const put = (s: socket) => this.put(s);
    return {
      FD_BASE,
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
      close: (fd: number) => {
        const s = at(fd);
        this.table[fd - FD_BASE] = undefined;
        this.free.push(fd - FD_BASE);
        s.close();
      },
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
      socketpair: (family: number, type: number, proto: number) => { const [a, b] = net().socketpair(family, type, proto); return [put(a), put(b)]; },
      getdefaulttimeout: () => net().getdefaulttimeout(),
      setdefaulttimeout: (v: unknown) => net().setdefaulttimeout((v ?? null) as number | null),
      errname,
      gethostname: () => this.name,
      ...msgFunctions(at, put, net, address),
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
    sys.modules['_socket'] = m
    # socket.py did "from _socket import *" and subclassed _socket.socket: re-run it in the
    # same module object, so every "import socket" already done (asyncio's) sees the new one.
    if 'socket' in sys.modules:
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
 * host network of its own). Installing again into the same instance keeps the sockets made so
 * far and moves new ones to the network given, if any.
 */
export function installIntoPyodide(pyodide: PyodideLike, options: InstallOptions = {}): void {
  const again = installed.get(pyodide as object);
  if (again !== undefined) {
    if (options.network !== undefined) again.net = options.network;
    if (options.hostname !== undefined) again.name = options.hostname;
    return;
  }
  const net = options.network ?? linuxNetwork();
  const name = options.hostname ?? (options.network === undefined ? hostname() : 'localhost');
  const bridge = new Bridge(net, name);
  const globals = pyodide.toPy({});
  try {
    const install = pyodide.runPython(INSTALLER, { globals });
    try { install(SOCKET_PY + MSG_PY, bridge.functions()); } finally { install.destroy?.(); }
  } finally { globals.destroy?.(); }
  installed.set(pyodide as object, bridge);
}
