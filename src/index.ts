// wasock: Python's socket semantics for JavaScript. Names are Python's.
export * from './generated/constants.js';
export { socket, Socket } from './socket.js';
export * as struct from './struct.js';
export { socketpair, fromfd, create_connection, create_server } from './functions.js';
export {
  OSError, BlockingIOError, ChildProcessError, ConnectionError, BrokenPipeError,
  ConnectionAbortedError, ConnectionRefusedError, ConnectionResetError, FileExistsError,
  FileNotFoundError, InterruptedError, IsADirectoryError, NotADirectoryError, PermissionError,
  ProcessLookupError, TimeoutError, gaierror, herror, NotAvailableError, ValueError,
  OverflowError,
} from './errors.js';
export { TimeoutError as timeout, OSError as error } from './errors.js';
export type { Address } from './address.js';
export type { Capability, Host } from '../host/types.js';
export { CAPABILITIES } from '../host/types.js';
export { LinuxHost } from '../host/linux/index.js';
export { useHost } from './core.js';
