// wasi:sockets/network's network resource: the capability a guest passes to bind, connect
// and name lookups. One per provider (instance-network), so a socket only accepts its own.
import type { Provider } from './provider.js';
import { IoError } from './io-error.js';
import { codeOfErrno, type ErrorCode } from './errors.js';

export class Network {
  /** @internal */
  constructor(readonly _p: Provider) {}
  [Symbol.dispose](): void { /* the provider's network lives as long as the provider */ }
}

/** network-error-code(err): the error-code of a stream's last-operation-failed, when it came from a socket. */
export function networkErrorCode(err: IoError): ErrorCode | undefined {
  return err instanceof IoError && err.errno !== null ? codeOfErrno(err.errno) : undefined;
}
