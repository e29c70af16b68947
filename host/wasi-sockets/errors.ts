// wasi:sockets/network's error-code from what wasock raised. The errno table is wasi-libc's
// mapping read backwards (shared/reference/wasi-hosts.md §6.1) plus the errnos Linux gives
// for the same conditions (wasmtime's From<io::Error> for ErrorCode). jco's bindings take a
// thrown string as the `result`'s error; anything else thrown becomes a trap.
import { OSError, NotAvailableError } from '../../src/exceptions.js';
import { WasiTrap } from './backend.js';

export type ErrorCode =
  | 'unknown' | 'access-denied' | 'not-supported' | 'invalid-argument' | 'out-of-memory' | 'timeout'
  | 'concurrency-conflict' | 'not-in-progress' | 'would-block' | 'invalid-state' | 'new-socket-limit'
  | 'address-not-bindable' | 'address-in-use' | 'remote-unreachable' | 'connection-refused'
  | 'connection-reset' | 'connection-aborted' | 'datagram-too-large' | 'name-unresolvable'
  | 'temporary-resolver-failure' | 'permanent-resolver-failure';

const BY_ERRNO: Record<number, ErrorCode> = {
  1: 'access-denied',          // EPERM: also wasock's policy denial (PermissionError, connect_ex's EPERM)
  13: 'access-denied',         // EACCES
  95: 'not-supported', 92: 'not-supported', 97: 'not-supported', 93: 'not-supported', 94: 'not-supported',
  22: 'invalid-argument',
  12: 'out-of-memory', 105: 'out-of-memory',
  110: 'timeout',
  114: 'concurrency-conflict', // EALREADY
  11: 'would-block', 115: 'would-block',
  106: 'invalid-state', 107: 'invalid-state', 9: 'invalid-state', 89: 'invalid-state',
  24: 'new-socket-limit', 23: 'new-socket-limit',
  99: 'address-not-bindable',
  98: 'address-in-use',
  113: 'remote-unreachable', 101: 'remote-unreachable', 100: 'remote-unreachable', 112: 'remote-unreachable',
  111: 'connection-refused',
  104: 'connection-reset', 32: 'connection-reset',
  103: 'connection-aborted',
  90: 'datagram-too-large',
};

export function codeOfErrno(errno: number): ErrorCode {
  return BY_ERRNO[errno] ?? 'unknown';
}

/** The error-code for what a wasock call threw; a WasiTrap (or a wasock internal error) stays a trap. */
export function codeOf(e: unknown): ErrorCode {
  if (e instanceof NotAvailableError) return 'not-supported';
  if (e instanceof OSError) return e.errno === null ? 'unknown' : codeOfErrno(e.errno);
  if (e instanceof TypeError || e instanceof RangeError) return 'invalid-argument';
  if (e instanceof Error && (e.name === 'ValueError' || e.name === 'OverflowError')) return 'invalid-argument';
  throw e;
}

/** Throws `e`'s error-code (jco's convention for a `result`'s error). */
export function fail(e: unknown): never {
  throw codeOf(e);
}

export { WasiTrap };
