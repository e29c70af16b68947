// What the Node stream adapters (src/streams.ts) use of the io classes beyond Python's public
// io API. The classes implement these interfaces, so the adapters call declared members
// instead of casting into private ones, and renaming a member breaks the build, not a stream.
import type { BufferedReader } from './buffered.js';

export interface RawInternals {
  /** The socket's timeout is 0 now (the user may change it at any time): never wait. */
  _nonBlocking(): boolean;
}

export interface RWPairInternals {
  /** The pair's reader (its raw stream is the pair's socket). */
  readonly _reader: BufferedReader;
}

export interface TextInternals {
  /** The wrapper's incremental decoder (codec, error handler, universal newlines). */
  _decode(input: Uint8Array | null, final: boolean): string;
  /** Text decoded ahead by earlier reads: -1 takes it all. */
  _getDecoded(n: number): string;
  /** makefile()'s newline argument. */
  readonly _readnl: string | null;
}
