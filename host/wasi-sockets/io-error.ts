// wasi:io/error's error resource: what a stream's last-operation-failed carries (the errno,
// for wasi:sockets/network's network-error-code, and wasock's message).

/** wasi:io/error's error resource. */
export class IoError {
  /** @internal */
  constructor(private readonly message: string, readonly errno: number | null = null) {}
  toDebugString(): string { return this.message; }
  [Symbol.dispose](): void { /* nothing to free */ }
}
