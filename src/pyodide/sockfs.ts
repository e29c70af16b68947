// Pyodide's own socket layer, retired once wasock's is installed. Emscripten's SOCKFS tunnels
// each socket as a WebSocket to its address (in a page, a request that leaves it), and Python
// can still reach it after install: the built-in `_socket` imports again (`del
// sys.modules['_socket']; import _socket`, or `_imp.create_builtin`). With its socket()
// failing with EPERM, wasock's are the only sockets the instance can make: the ones the network
// and its policy allow (test/pyodide-browser.test.ts).

/** What this needs of a Pyodide instance's Emscripten module (0.25.x exposes it as `_module`). */
interface EmscriptenModule {
  SOCKFS?: { createSocket?: unknown };
  FS?: { ErrnoError?: new (errno: number) => Error };
  ERRNO_CODES?: Record<string, number>;
}

/**
 * Makes Emscripten's socket() raise PermissionError (EPERM in Emscripten's numbering, as its
 * syscall layer turns an ErrnoError into -errno). False where the instance does not expose its
 * SOCKFS (another Pyodide layout): nothing is changed then.
 */
export function retireSockfs(pyodide: object): boolean {
  const m = (pyodide as { _module?: EmscriptenModule })._module;
  const sockfs = m?.SOCKFS, ErrnoError = m?.FS?.ErrnoError, eperm = m?.ERRNO_CODES?.EPERM;
  if (sockfs === undefined || typeof ErrnoError !== 'function' || typeof eperm !== 'number') return false;
  sockfs.createSocket = () => { throw new ErrnoError(eperm); };
  return true;
}
