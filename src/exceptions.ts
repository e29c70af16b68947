// Python's exception classes, and nothing else: no core, no messages. src/core.ts raises
// MemoryError and SystemError and src/errors.ts needs the core for errno tables, so the classes
// live apart and both import them (src/errors.ts re-exports them for everyone else).

/** Python's OSError: `errno`/`strerror` when built from an errno, else a plain message. */
export class OSError extends Error {
  errno: number | null;
  strerror: string | null;
  readonly args: unknown[];
  constructor(...args: unknown[]) {
    const fromErrno = args.length >= 2 && typeof args[0] === 'number';
    super(fromErrno ? `[Errno ${args[0]}] ${args[1]}` : args.length === 1 ? String(args[0]) : args.length === 0 ? '' : `(${args.map(String).join(', ')})`);
    this.errno = fromErrno ? (args[0] as number) : null;
    this.strerror = fromErrno ? String(args[1]) : null;
    this.args = args;
  }
  override get name(): string { return this.constructor.name; }
}
export class BlockingIOError extends OSError {
  /** Bytes written before the call would have blocked (io's BufferedWriter sets it). */
  characters_written = 0;
}
export class ChildProcessError extends OSError {}
export class ConnectionError extends OSError {}
export class BrokenPipeError extends ConnectionError {}
export class ConnectionAbortedError extends ConnectionError {}
export class ConnectionRefusedError extends ConnectionError {}
export class ConnectionResetError extends ConnectionError {}
export class FileExistsError extends OSError {}
export class FileNotFoundError extends OSError {}
export class InterruptedError extends OSError {}
export class IsADirectoryError extends OSError {}
export class NotADirectoryError extends OSError {}
export class PermissionError extends OSError {}
export class ProcessLookupError extends OSError {}
export class TimeoutError extends OSError {}
/** socket.gaierror: getaddrinfo() errors ([Errno -2] Name or service not known). */
export class gaierror extends OSError {}
/** socket.herror: host lookup errors. */
export class herror extends OSError {}
/**
 * The host lacks a capability this call needs (Python's "Availability: not WASI" /
 * "Windows only"). The message names the method and the host.
 */
export class NotAvailableError extends OSError {
  constructor(message: string, readonly capability: string, readonly host: string) {
    super(message);
  }
}

export class ValueError extends Error {
  override get name(): string { return 'ValueError'; }
}
/** Python's UnicodeError (a ValueError): the idna codec's failures (getaddrinfo's host). */
export class UnicodeError extends ValueError {
  override get name(): string { return 'UnicodeError'; }
}
/** Python's escape of one code point in a str's repr of an unencodable character: \\xNN, \\uNNNN, \\UNNNNNNNN. */
function escapeCodePoint(cp: number): string {
  return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
}

/**
 * Python's UnicodeEncodeError (a UnicodeError): struct formats must be ASCII, host names and
 * ports UTF-8. Made by encoding(): its fields are Python's (start and end in code points, `chars`
 * the code points [start, end)), so wasock/pyodide rebuilds the Python exception from them.
 */
export class UnicodeEncodeError extends UnicodeError {
  override get name(): string { return 'UnicodeEncodeError'; }
  encoding = ''; start = 0; end = 0; reason = ''; chars = '';

  /** What str.encode(encoding) raises for the code points `chars` at [start, end), worded as CPython's str() of it. */
  static encoding(encoding: string, chars: string, start: number, end: number, reason: string): UnicodeEncodeError {
    const where = end - start > 1 ? `characters in position ${start}-${end - 1}` : `character '${escapeCodePoint(chars.codePointAt(0)!)}' in position ${start}`;
    const e = new UnicodeEncodeError(`'${encoding}' codec can't encode ${where}: ${reason}`);
    e.encoding = encoding; e.chars = chars; e.start = start; e.end = end; e.reason = reason;
    return e;
  }
}
/** Python's IndexError: pack_into's offset beyond ssize_t. */
export class IndexError extends Error {
  override get name(): string { return 'IndexError'; }
}
/**
 * Python's SystemError: CPython 3.11 raises one unpacking a '0p' struct item; wasock raises
 * one for its own internal errors, as CPython does for its (src/core.ts Core.abandon).
 */
export class SystemError extends Error {
  override get name(): string { return 'SystemError'; }
}
export class OverflowError extends Error {
  override get name(): string { return 'OverflowError'; }
}
/** Python's MemoryError: a buffer the size asked for cannot be allocated. */
export class MemoryError extends Error {
  override get name(): string { return 'MemoryError'; }
}
